// POST /webhooks/{binance,polygon,test} on the real binary: good, bad,
// replayed, stale, oversized and garbage requests; a good one shows up in
// /price, a refused one changes nothing.

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>

#include "api/webhook_auth.hpp"
#include "tests/gateway/gateway_harness.hpp"
#include "tests/gateway/prometheus_check.hpp"

using namespace tickflow::test;

namespace {

const std::string test_secret = "test-hook-secret";
const std::string binance_secret = "binance-hook-secret";

std::string read_fixture(const std::string& path) {
  std::ifstream in{TICKFLOW_SOURCE_DIR "/tests/fixtures/" + path, std::ios::binary};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// Signature headers for `body` sent at `ts` (Unix seconds).
header_list signed_headers(const std::string& secret, const std::string& body,
                           int64_t ts = unix_now()) {
  auto t = std::to_string(ts);
  return {{"Content-Type", "application/json"},
          {"X-Tickflow-Timestamp", t},
          {"X-Tickflow-Signature", tickflow::api::webhook_signature(secret, t, body)}};
}

/// A canonical trade of `instrument` at `price`, now.
std::string test_trade(const std::string& instrument, const std::string& price,
                       const std::string& id) {
  return R"({"events":[{"type":"trade","instrument":")" + instrument + R"(","price":")" + price
         + R"(","size":"2","side":"sell","trade_id":")" + id + R"(","ts":)"
         + std::to_string(unix_now() * 1000) + "}]}";
}

class Webhooks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_options o;
    o.sections = "[webhooks]\ntest-secret-env = TF_HOOK_TEST\n"
                 "binance-secret-env = TF_HOOK_BINANCE\n"
                 "polygon-secret-env = TF_HOOK_POLYGON\n"
                 "max-body-bytes = 2048\ntimestamp-window = 60s\n";
    o.env = {{"TF_HOOK_TEST", test_secret},
             {"TF_HOOK_BINANCE", binance_secret},
             {"TF_HOOK_POLYGON", ""}};
    svc_ = new service{o};
  }
  static void TearDownTestSuite() {
    delete svc_;
    svc_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(svc_->running()) << svc_->output();
  }

  /// /price of `instrument`: its status and price ("" when not 200).
  static std::pair<unsigned, std::string> price_of(const std::string& instrument) {
    auto r = svc_->get("/api/v1/data/price?symbol=" + instrument);
    if (!r)
      return {0, ""};
    return {r->status, r->status == 200 ? str_of(parse_json(r->body), "price") : ""};
  }

  static inline service* svc_ = nullptr;
};

} // namespace

TEST_F(Webhooks, AGoodTestEventEntersThePipelineAndShowsInPrice) {
  EXPECT_EQ(price_of("HOOK-USD").first, 404u); // unknown before
  auto body = test_trade("HOOK-USD", "123.45", "w-1");
  auto r = svc_->call("POST", "/webhooks/test", body, signed_headers(test_secret, body));
  ASSERT_TRUE(r) << r.err().message();
  ASSERT_EQ(r->status, 202u) << r->body;
  auto d = parse_json(r->body);
  EXPECT_EQ(d["accepted"].GetInt(), 1);
  EXPECT_EQ(d["trades"].GetInt(), 1);
  EXPECT_TRUE(eventually([] { return price_of("HOOK-USD").second == "123.45"; }));
}

TEST_F(Webhooks, BadSignatureIs401AndChangesNothing) {
  auto body = test_trade("BAD-USD", "9", "w-2");
  auto h = signed_headers("not-the-secret", body);
  auto r = svc_->call("POST", "/webhooks/test", body, h);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401u);
  EXPECT_EQ(error_code(r->body), "bad_signature");
  // Signed for another body.
  auto other = signed_headers(test_secret, test_trade("BAD-USD", "8", "w-3"));
  r = svc_->call("POST", "/webhooks/test", body, other);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401u);
  // No signature at all.
  r = svc_->call("POST", "/webhooks/test", body, {{"Content-Type", "application/json"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401u);
  EXPECT_EQ(error_code(r->body), "missing_signature");
  // A later good request proves the pipeline ran meanwhile; BAD-USD never arrived.
  auto probe = test_trade("PROBE-USD", "1.5", "w-4");
  ASSERT_EQ(svc_->call("POST", "/webhooks/test", probe, signed_headers(test_secret, probe))
              ->status, 202u);
  ASSERT_TRUE(eventually([] { return price_of("PROBE-USD").first == 200; }));
  EXPECT_EQ(price_of("BAD-USD").first, 404u);
}

TEST_F(Webhooks, AReplayedRequestIsRefused) {
  auto body = test_trade("RPL-USD", "5", "w-5");
  auto h = signed_headers(test_secret, body);
  auto first = svc_->call("POST", "/webhooks/test", body, h);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 202u) << first->body;
  auto again = svc_->call("POST", "/webhooks/test", body, h);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 401u);
  EXPECT_EQ(error_code(again->body), "replayed");
}

TEST_F(Webhooks, AStaleOrFutureTimestampIsRefused) {
  auto body = test_trade("OLD-USD", "5", "w-6");
  for (int64_t shift : {-3600, 3600}) {
    auto r = svc_->call("POST", "/webhooks/test", body,
                        signed_headers(test_secret, body, unix_now() + shift));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401u);
    EXPECT_EQ(error_code(r->body), "stale_timestamp");
  }
  auto h = signed_headers(test_secret, body);
  h[1].second = "yesterday";
  auto r = svc_->call("POST", "/webhooks/test", body, h);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401u);
  EXPECT_EQ(error_code(r->body), "bad_timestamp");
  EXPECT_EQ(price_of("OLD-USD").first, 404u);
}

TEST_F(Webhooks, AnOversizedBodyIs413) {
  std::string body = test_trade("BIG-USD", "5", std::string(3000, 'x'));
  auto r = svc_->call("POST", "/webhooks/test", body, signed_headers(test_secret, body));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413u);
  EXPECT_EQ(error_code(r->body), "body_too_large");
}

TEST_F(Webhooks, AGarbageBodyWithAGoodSignatureIs400AndChangesNothing) {
  for (std::string body : std::vector<std::string>{
         "not json", R"({"events":[{"type":"trade"}]})",
         R"({"events":[{"type":"trade","instrument":"GRB-USD","price":"1",)"
         R"("size":"1","ts":1},{"type":"quote","instrument":"GRB-USD"}]})"}) {
    auto r = svc_->call("POST", "/webhooks/test", body, signed_headers(test_secret, body));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400u) << body;
    EXPECT_EQ(error_code(r->body), "bad_body");
  }
  auto probe = test_trade("PRB2-USD", "2.5", "w-7");
  ASSERT_EQ(svc_->call("POST", "/webhooks/test", probe, signed_headers(test_secret, probe))
              ->status, 202u);
  ASSERT_TRUE(eventually([] { return price_of("PRB2-USD").first == 200; }));
  EXPECT_EQ(price_of("GRB-USD").first, 404u); // the good first event did not go in either
}

TEST_F(Webhooks, ABinanceTradeIsParsedByTheBinanceAdapter) {
  // The documented trade payload (BNBBTC, price "0.001").
  auto body = read_fixture("binance/ws/raw_trade.docs.json");
  ASSERT_FALSE(body.empty());
  auto r = svc_->call("POST", "/webhooks/binance", body, signed_headers(binance_secret, body));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202u) << r->body;
  EXPECT_EQ(parse_json(r->body)["trades"].GetInt(), 1);
  std::string got;
  EXPECT_TRUE(eventually([&] {
    auto res = svc_->get("/api/v1/data/price?symbol=BNB-BTC");
    if (!res || res->status != 200)
      return false;
    auto d = parse_json(res->body);
    got = res->body;
    return str_of(d, "price") == "0.001" && str_of(d, "provider") == "binance";
  })) << got;
  // The test secret does not sign for binance.
  auto wrong = svc_->call("POST", "/webhooks/binance", body, signed_headers(test_secret, body));
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401u);
  // A signed frame that is not a Binance payload.
  std::string junk = R"({"e":"trade","s":"BNBBTC"})";
  auto bad = svc_->call("POST", "/webhooks/binance", junk, signed_headers(binance_secret, junk));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400u);
  EXPECT_EQ(error_code(bad->body), "bad_body");
}

TEST_F(Webhooks, AWebhookWithoutASecretIsOff) {
  std::string body = "[]";
  auto r = svc_->call("POST", "/webhooks/polygon", body, signed_headers("anything", body));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404u);
  EXPECT_EQ(error_code(r->body), "webhook_disabled");
}

TEST_F(Webhooks, OutcomesAreCountedInMetrics) {
  auto value = [](const prom_text& p, const std::string& name,
                  const std::map<std::string, std::string>& labels) {
    auto xs = p.find(name, labels);
    return xs.empty() ? 0.0 : xs[0].value;
  };
  auto before = parse_prometheus(svc_->get("/metrics")->body);
  auto body = test_trade("MET-USD", "3", "w-8");
  ASSERT_EQ(svc_->call("POST", "/webhooks/test", body, signed_headers(test_secret, body))
              ->status, 202u);
  ASSERT_EQ(svc_->call("POST", "/webhooks/test", body, signed_headers("x", body))->status, 401u);
  auto m = svc_->get("/metrics");
  ASSERT_TRUE(m);
  auto after = parse_prometheus(m->body);
  ASSERT_EQ(after.error, "") << m->body;
  for (auto result : {"accepted", "bad_signature"}) {
    std::map<std::string, std::string> labels{{"provider", "test"}, {"result", result}};
    EXPECT_EQ(value(after, "tickflow_webhook_requests_total", labels)
                - value(before, "tickflow_webhook_requests_total", labels),
              1)
      << result;
  }
  EXPECT_EQ(value(after, "tickflow_webhook_events_total", {{"provider", "test"}})
              - value(before, "tickflow_webhook_events_total", {{"provider", "test"}}),
            1);
}
