// The jobs routes on the real binary: scheduled jobs, running one now, and
// an async fetch job from submit to result.

#include <string>

#include <gtest/gtest.h>

#include "tests/gateway/gateway_harness.hpp"

using namespace tickflow::test;

namespace {

const std::string admin = "jobs-admin-token-123";

class Jobs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_options o;
    o.sections = "[auth]\nadmin-token-env = TF_JOBS_ADMIN\n"
                 "[jobs]\nrefresh-crypto = every 1s\nrefresh-stocks = off\n"
                 "[watchlist]\ncrypto = BTC-USDT, ETH-USDT\nstocks = AAPL\n";
    o.env = {{"TF_JOBS_ADMIN", admin}};
    svc_ = new service{o};
    for (auto symbol : {"BTC-USDT", "ETH-USDT"})
      eventually([symbol] {
        auto r = svc_->get(std::string{"/api/v1/data/price?symbol="} + symbol);
        return r && r->status == 200;
      });
  }
  static void TearDownTestSuite() {
    delete svc_;
    svc_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(svc_->running()) << svc_->output(); }

  /// The job named `name` in GET /api/v1/jobs (a copy), or a null value.
  static rapidjson::Document job(const std::string& name) {
    rapidjson::Document out;
    auto r = svc_->get("/api/v1/jobs");
    if (!r || r->status != 200)
      return out;
    auto d = parse_json(r->body);
    for (auto& j : d["jobs"].GetArray())
      if (str_of(j, "name") == name)
        out.CopyFrom(j, out.GetAllocator());
    return out;
  }

  static inline service* svc_ = nullptr;
};

} // namespace

TEST_F(Jobs, ListsTheScheduleAndRunsRefreshOnIt) {
  auto refresh = job("refresh-crypto");
  ASSERT_TRUE(refresh.IsObject());
  EXPECT_EQ(str_of(refresh, "schedule"), "every 1s");
  EXPECT_EQ(str_of(job("refresh-stocks"), "schedule"), "on demand"); // off
  // Within a few seconds it has run, fetching both watchlist prices.
  ASSERT_TRUE(eventually([] {
    auto j = job("refresh-crypto");
    return j.IsObject() && j["runs"].GetUint64() >= 2 && str_of(j, "result") == "ok";
  }, 400)) << svc_->get("/api/v1/jobs")->body;
  refresh = job("refresh-crypto");
  EXPECT_EQ(refresh["items"].GetUint64(), 2u);
  EXPECT_EQ(refresh["failed"].GetUint64(), 0u);
  EXPECT_TRUE(refresh["next_run"].IsString());
  // Warming ran once at start over the whole watchlist.
  auto warm = job("warm");
  EXPECT_GE(warm["runs"].GetUint64(), 1u);
  EXPECT_EQ(warm["items"].GetUint64(), 3u);
}

TEST_F(Jobs, RunNowNeedsTheAdminToken) {
  auto r = svc_->call("POST", "/api/v1/jobs/warm/run", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401u) << r->body;
  r = svc_->call("POST", "/api/v1/jobs/warm/run", "", bearer(admin));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202u) << r->body;
  EXPECT_TRUE(eventually([] { return job("warm")["runs"].GetUint64() >= 2; }))
    << svc_->get("/api/v1/jobs")->body;
  r = svc_->call("POST", "/api/v1/jobs/nope/run", "", bearer(admin));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404u);
  EXPECT_EQ(error_code(r->body), "unknown_job");
  r = svc_->get("/api/v1/jobs/warm/run");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405u);
}

TEST_F(Jobs, AsyncFetchFromSubmitToResult) {
  auto r = svc_->call("POST", "/api/v1/data/fetch/async",
                      R"({"symbols":["BTC-USDT","NOPE-X","ETH-USDT"]})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202u) << r->body;
  auto d = parse_json(r->body);
  auto id = str_of(d, "job_id");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(str_of(d, "status_url"), "/api/v1/jobs/" + id);
  rapidjson::Document done;
  ASSERT_TRUE(eventually([&] {
    auto s = svc_->get("/api/v1/jobs/" + id);
    if (!s || s->status != 200)
      return false;
    done = parse_json(s->body);
    return str_of(done, "state") == "done";
  })) << svc_->get("/api/v1/jobs/" + id)->body;
  EXPECT_EQ(done["total"].GetUint64(), 3u);
  EXPECT_EQ(done["done"].GetUint64(), 3u);
  EXPECT_EQ(done["failed"].GetUint64(), 1u);
  auto& results = done["results"];
  ASSERT_EQ(results.Size(), 3u);
  EXPECT_EQ(str_of(results[0], "symbol"), "BTC-USDT");
  EXPECT_EQ(results[0]["status"].GetUint(), 200u);
  EXPECT_EQ(str_of(results[0]["body"], "price").empty(), false);
  EXPECT_EQ(results[1]["status"].GetUint(), 404u);
  EXPECT_EQ(str_of(results[1]["body"]["error"], "code"), "unknown_symbol");
  EXPECT_EQ(results[2]["status"].GetUint(), 200u) << svc_->get("/api/v1/jobs/" + id)->body;
}

TEST_F(Jobs, AsyncOhlcvAndBadRequests) {
  auto r = svc_->call("POST", "/api/v1/data/fetch/async",
                      R"({"symbols":["BTC-USDT"],"type":"ohlcv","interval":"1s","limit":3})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202u) << r->body;
  auto id = str_of(parse_json(r->body), "job_id");
  ASSERT_TRUE(eventually([&] {
    auto s = svc_->get("/api/v1/jobs/" + id);
    return s && str_of(parse_json(s->body), "state") == "done";
  }));
  auto d = parse_json(svc_->get("/api/v1/jobs/" + id)->body);
  EXPECT_EQ(d["results"][0]["status"].GetUint(), 200u);
  EXPECT_TRUE(d["results"][0]["body"]["bars"].IsArray());

  for (auto body : {"not json", "{}", R"({"symbols":[]})", R"({"symbols":["btc usdt"]})",
                    R"({"symbols":["BTC-USDT"],"type":"trades"})",
                    R"({"symbols":["BTC-USDT"],"interval":"1m"})"}) {
    auto bad = svc_->call("POST", "/api/v1/data/fetch/async", body);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400u) << body << " -> " << bad->body;
    EXPECT_EQ(error_code(bad->body), "invalid_body") << body;
  }
  auto unknown = svc_->get("/api/v1/jobs/j-999999");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404u);
}
