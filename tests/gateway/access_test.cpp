// Access on the real binary: API keys (missing, wrong, right, per-key
// limits), the admin token (off, wrong, right, reload), per-client limits
// without keys, and the connection limit.

#include <fstream>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "api/digest.hpp"
#include "tests/gateway/gateway_harness.hpp"

using namespace tickflow::test;

namespace {

std::string key_line(const std::string& name, const std::string& key,
                     const std::string& limits = {}) {
  return name + " " + tickflow::api::to_hex(tickflow::api::sha256(key)) + " " + limits + "\n";
}

const std::string price = "/api/v1/data/price?symbol=BTC-USDT";

// -- with keys and an admin token -------------------------------------------------

class KeyedAccess : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_options o;
    o.files = {{"keys.txt", "# test keys\n" + key_line("alice", "alice-key")
                              + key_line("slow", "slow-key", "0.01 2")}};
    o.sections = "[auth]\nkeys-file = @DIR@/keys.txt\nadmin-token-env = TF_ACCESS_ADMIN\n";
    o.env = {{"TF_ACCESS_ADMIN", "admin-token-123"}};
    svc_ = new service{o};
  }
  static void TearDownTestSuite() {
    delete svc_;
    svc_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(svc_->running()) << svc_->output();
  }
  static inline service* svc_ = nullptr;
};

} // namespace

TEST_F(KeyedAccess, ApiRoutesNeedAKnownKey) {
  auto none = svc_->get(price);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401u);
  EXPECT_EQ(error_code(none->body), "unauthorized");
  ASSERT_NE(none->header("www-authenticate"), nullptr);
  EXPECT_EQ(*none->header("www-authenticate"), "Bearer");
  auto wrong = svc_->get(price, bearer("mallory-key"));
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401u);
  EXPECT_EQ(wrong->body.find("mallory-key"), std::string::npos);
  ASSERT_TRUE(eventually([] {
    auto r = svc_->get(price, bearer("alice-key"));
    return r && r->status == 200;
  }));
  // Batch and prefetch are API routes too.
  auto batch = svc_->call("POST", "/api/v1/data/batch", R"({"items":[{"symbol":"BTC-USDT"}]})");
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->status, 401u);
}

TEST_F(KeyedAccess, OpenRoutesNeedNoKey) {
  for (auto path : {"/health", "/live", "/info", "/status", "/metrics", "/openapi.json"}) {
    auto r = svc_->get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200u) << path;
  }
}

TEST_F(KeyedAccess, EachKeyHasItsOwnLimit) {
  // "slow": burst 2 at 0.01/s: the third request is refused.
  for (int i = 0; i < 2; ++i) {
    auto r = svc_->get("/api/v1/data/price?symbol=NOPE-USD", bearer("slow-key"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404u) << r->body; // admitted (and answered)
  }
  auto refused = svc_->get(price, bearer("slow-key"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429u);
  EXPECT_EQ(error_code(refused->body), "rate_limited");
  ASSERT_NE(refused->header("retry-after"), nullptr);
  EXPECT_GE(std::stoi(*refused->header("retry-after")), 1);
  // alice is not affected.
  auto other = svc_->get("/api/v1/data/price?symbol=NOPE-USD", bearer("alice-key"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404u);
  auto m = svc_->get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_NE(m->body.find("tickflow_http_rate_limited_total 1"), std::string::npos);
}

TEST_F(KeyedAccess, AdminRoutesCheckTheToken) {
  auto none = svc_->call("POST", "/api/v1/admin/reload");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401u);
  auto wrong = svc_->call("POST", "/api/v1/admin/reload", {}, bearer("admin-token-12"));
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401u);
  // An API key is not an admin token.
  auto key = svc_->call("POST", "/api/v1/admin/reload", {}, bearer("alice-key"));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->status, 401u);
  auto right = svc_->call("POST", "/api/v1/admin/reload", {}, bearer("admin-token-123"));
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200u) << right->body;
  EXPECT_EQ(parse_json(right->body)["api_keys"].GetInt(), 2);
}

TEST_F(KeyedAccess, ReloadPicksUpANewKeyAndKeepsTheOldSetOnABadFile) {
  auto path = svc_->dir() + "/keys.txt";
  std::ofstream{path, std::ios::app} << key_line("carol", "carol-key");
  EXPECT_EQ(svc_->get(price, bearer("carol-key"))->status, 401u);
  auto r = svc_->call("POST", "/api/v1/admin/reload", {}, bearer("admin-token-123"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u) << r->body;
  EXPECT_EQ(parse_json(r->body)["api_keys"].GetInt(), 3);
  EXPECT_NE(svc_->get("/api/v1/data/price?symbol=NOPE-USD", bearer("carol-key"))->status, 401u);
  // A broken file is refused and the keys in use stay.
  std::ofstream{path, std::ios::app} << "broken-line\n";
  auto bad = svc_->call("POST", "/api/v1/admin/reload", {}, bearer("admin-token-123"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 500u);
  EXPECT_EQ(error_code(bad->body), "reload_failed");
  EXPECT_NE(svc_->get("/api/v1/data/price?symbol=NOPE-USD", bearer("carol-key"))->status, 401u);
}

// -- a fresh service per test: limits make tests depend on each other ----------

namespace {

class LimitedAccess : public ::testing::Test {
 protected:
  /// Without keys, 3 requests then 0.01/s per client, 4 connections, no
  /// admin token.
  void start_service(const std::string& extra = {}) {
    service_options o;
    o.gateway = "max-connections = 4\n";
    o.sections = "[auth]\nadmin-token-env = TF_LIMITED_ADMIN\n" + extra
                 + "[limits]\nrequests-per-second = 0.01\nburst = 3\n";
    o.env = {{"TF_LIMITED_ADMIN", ""}};
    if (!extra.empty())
      o.files = {{"keys.txt", key_line("alice", "alice-key")}};
    svc_ = std::make_unique<service>(o);
    ASSERT_TRUE(svc_->running()) << svc_->output();
  }
  std::unique_ptr<service> svc_;
};

} // namespace

TEST_F(LimitedAccess, WithoutKeysLoopbackClientsMayCallTheApiUpToTheirLimit) {
  start_service();
  for (int i = 0; i < 3; ++i) {
    auto r = svc_->get("/api/v1/data/price?symbol=NOPE-USD");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404u) << r->body;
  }
  auto refused = svc_->get("/api/v1/data/price?symbol=NOPE-USD");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429u);
  ASSERT_NE(refused->header("retry-after"), nullptr);
  // Ops routes are not limited.
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(svc_->get("/health")->status, 200u);
}

TEST_F(LimitedAccess, GuessedKeysRunIntoTheLimitOfTheirAddress) {
  start_service("keys-file = @DIR@/keys.txt\n");
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(svc_->get(price, bearer("guess-" + std::to_string(i)))->status, 401u);
  EXPECT_EQ(svc_->get(price, bearer("guess-3"))->status, 429u);
  // The right key has its own bucket.
  EXPECT_NE(svc_->get(price, bearer("alice-key"))->status, 429u);
}

TEST_F(LimitedAccess, AdminRoutesAreOffWithoutAToken) {
  start_service();
  auto r = svc_->call("POST", "/api/v1/admin/reload", {}, bearer("anything"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403u);
  EXPECT_EQ(error_code(r->body), "admin_disabled");
}

TEST_F(LimitedAccess, ConnectionsBeyondTheLimitAreRefused) {
  start_service();
  // Four kept-alive connections fill [gateway] max-connections = 4.
  std::vector<std::unique_ptr<http_client>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<http_client>(svc_->port()));
    auto r = held.back()->get("/live");
    ASSERT_TRUE(r) << r.err().message();
    ASSERT_EQ(r->status, 200u);
  }
  auto refused = http_get(svc_->port(), "/live");
  ASSERT_TRUE(refused) << refused.err().message();
  EXPECT_EQ(refused->status, 503u);
  EXPECT_EQ(error_code(refused->body), "unavailable");
  // A freed slot serves again.
  held.pop_back();
  EXPECT_TRUE(eventually([&] {
    auto r = http_get(svc_->port(), "/live");
    return r && r->status == 200;
  }));
}

TEST(AccessStart, AnUnreadableOrInvalidKeyFileStopsTheService) {
  for (auto& [file, content] : std::vector<std::pair<std::string, std::string>>{
         {"missing.txt", ""}, {"keys.txt", "alice not-a-hash\n"}}) {
    service_options o;
    o.sections = "[auth]\nkeys-file = @DIR@/" + file + "\n";
    if (!content.empty())
      o.files = {{file, content}};
    service svc{o};
    EXPECT_TRUE(eventually([&] { return !svc.running(); })) << file;
    EXPECT_EQ(svc.stop(), 1) << file;
    EXPECT_NE(svc.output().find("keys-file"), std::string::npos) << svc.output();
  }
}
