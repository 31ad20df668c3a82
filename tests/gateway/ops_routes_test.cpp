// The ops routes of the real binary: /health, /live, /ready, /info, /status,
// /metrics, /openapi.json, and the dispatcher's 404 / 405.

#include <algorithm>

#include <gtest/gtest.h>

#include "tests/gateway/gateway_harness.hpp"
#include "tests/gateway/prometheus_check.hpp"

using namespace tickflow::test;

namespace {

class OpsRoutes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_options o;
    // Secrets the responses must never show.
    o.sections = "[auth]\nadmin-token-env = TF_OPS_ADMIN\n"
                 "[webhooks]\ntest-secret-env = TF_OPS_HOOK\n"
                 "binance-secret-env =\npolygon-secret-env =\n";
    o.env = {{"TF_OPS_ADMIN", "admin-secret-7f3a"}, {"TF_OPS_HOOK", "hook-secret-91c2"}};
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

TEST_F(OpsRoutes, HealthAndLive) {
  auto h = svc_->get("/health");
  ASSERT_TRUE(h) << h.err().message();
  EXPECT_EQ(h->status, 200u);
  auto d = parse_json(h->body);
  EXPECT_EQ(str_of(d, "status"), "ok");
  EXPECT_EQ(str_of(d, "version"), TICKFLOW_VERSION);
  auto l = svc_->get("/live");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->status, 200u);
  EXPECT_EQ(str_of(parse_json(l->body), "status"), "alive");
}

TEST_F(OpsRoutes, ReadyOnceDataReachedTheCacheWithEachCheckNamed) {
  std::string body;
  ASSERT_TRUE(eventually([&] {
    auto r = svc_->get("/ready");
    body = r ? r->body : "";
    return r && r->status == 200;
  })) << body;
  auto d = parse_json(body);
  EXPECT_EQ(str_of(d, "status"), "ready");
  ASSERT_TRUE(d.HasMember("checks"));
  EXPECT_EQ(str_of(d["checks"], "providers"), "ok");
  EXPECT_EQ(str_of(d["checks"], "cache"), "ok");
  EXPECT_FALSE(d["checks"].HasMember("redis")); // not configured: not checked
}

TEST_F(OpsRoutes, InfoSummarizesTheConfigWithoutSecrets) {
  auto r = svc_->get("/info");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  auto d = parse_json(r->body);
  ASSERT_TRUE(d.IsObject()) << r->body;
  EXPECT_EQ(str_of(d, "version"), TICKFLOW_VERSION);
  ASSERT_TRUE(d["config"]["providers"].IsArray());
  EXPECT_EQ(std::string{d["config"]["providers"][0].GetString()}, "simulator");
  EXPECT_EQ(d["config"]["gateway"]["port"].GetInt(), svc_->port());
  EXPECT_TRUE(d["config"]["auth"]["admin"].GetBool());
  EXPECT_TRUE(d["config"]["webhooks"]["configured"]["test"].GetBool());
  EXPECT_FALSE(d["config"]["webhooks"]["configured"]["binance"].GetBool());
  EXPECT_TRUE(d["build"].HasMember("compiler"));
  EXPECT_EQ(r->body.find("admin-secret-7f3a"), std::string::npos);
  EXPECT_EQ(r->body.find("hook-secret-91c2"), std::string::npos);
  EXPECT_EQ(r->body.find("TF_OPS_ADMIN"), std::string::npos);
}

TEST_F(OpsRoutes, StatusListsStagesProvidersWritersAndTheGateway) {
  std::string body;
  // The sharder has seen events once the simulator runs.
  ASSERT_TRUE(eventually([&] {
    auto r = svc_->get("/status");
    if (!r || r->status != 200)
      return false;
    body = r->body;
    auto d = parse_json(body);
    for (auto& s : d["stages"].GetArray())
      if (str_of(s, "name") == "sharder")
        return s["events_in"].GetUint64() > 0;
    return false;
  })) << body;
  auto d = parse_json(body);
  std::vector<std::string> names;
  for (auto& s : d["stages"].GetArray()) {
    names.push_back(str_of(s, "name"));
    EXPECT_TRUE(s["up"].GetBool()) << str_of(s, "name");
  }
  for (auto want : {"sharder", "validator.0", "router", "cache", "broadcaster"})
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  ASSERT_EQ(d["providers"].Size(), 1u);
  EXPECT_EQ(str_of(d["providers"][0], "name"), "simulator");
  EXPECT_TRUE(d["providers"][0]["up"].GetBool());
  EXPECT_GT(d["providers"][0]["events"].GetUint64(), 0u);
  ASSERT_EQ(d["writers"].Size(), 2u);
  EXPECT_FALSE(d["writers"][0]["enabled"].GetBool());
  EXPECT_GE(d["gateway"]["connections"].GetUint64(), 1u);
}

TEST_F(OpsRoutes, MetricsAreValidPrometheusTextWithEveryFamily) {
  // Traffic of every status class first.
  ASSERT_TRUE(svc_->get("/api/v1/data/price?symbol=BTC-USDT"));
  ASSERT_TRUE(svc_->get("/api/v1/data/price?symbol=NOPE-USD"));
  ASSERT_TRUE(eventually([&] {
    auto r = svc_->get("/api/v1/data/price?symbol=BTC-USDT");
    return r && r->status == 200;
  }));
  auto r = svc_->get("/metrics");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u);
  auto ct = r->header("content-type");
  ASSERT_NE(ct, nullptr);
  EXPECT_EQ(ct->rfind("text/plain; version=0.0.4", 0), 0u);
  auto p = parse_prometheus(r->body);
  ASSERT_EQ(p.error, "") << r->body;
  for (auto family : {"tickflow_build_info", "tickflow_http_requests_total",
                      "tickflow_http_request_duration_seconds", "tickflow_http_connections",
                      "tickflow_http_rate_limited_total", "tickflow_stage_events_total",
                      "tickflow_stage_queue_depth", "tickflow_stage_up",
                      "tickflow_provider_up", "tickflow_provider_errors_total",
                      "tickflow_cache_requests_total", "tickflow_cache_hit_ratio"})
    EXPECT_TRUE(p.types.count(family)) << family;
  auto ok = p.find("tickflow_http_requests_total",
                   {{"route", "/api/v1/data/price"}, {"status", "2xx"}, {"method", "GET"}});
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_GE(ok[0].value, 1);
  EXPECT_EQ(p.find("tickflow_http_requests_total",
                   {{"route", "/api/v1/data/price"}, {"status", "4xx"}}).size(), 1u);
  auto lat = p.find("tickflow_http_request_duration_seconds_count",
                    {{"route", "/api/v1/data/price"}});
  ASSERT_EQ(lat.size(), 1u);
  EXPECT_GE(lat[0].value, 3);
  auto sharder_in = p.find("tickflow_stage_events_total",
                           {{"stage", "sharder"}, {"direction", "in"}});
  ASSERT_EQ(sharder_in.size(), 1u);
  EXPECT_GT(sharder_in[0].value, 0);
  auto hits = p.find("tickflow_cache_requests_total", {{"kind", "price"}, {"result", "hit"}});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_GE(hits[0].value, 1);
  auto ratio = p.find("tickflow_cache_hit_ratio", {{"kind", "price"}});
  ASSERT_EQ(ratio.size(), 1u);
  EXPECT_GT(ratio[0].value, 0);
  EXPECT_LE(ratio[0].value, 1);
  EXPECT_EQ(p.find("tickflow_provider_up", {{"provider", "simulator"}}).at(0).value, 1);
}

TEST_F(OpsRoutes, OpenApiDocumentIsServed) {
  auto r = svc_->get("/openapi.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  auto d = parse_json(r->body);
  ASSERT_TRUE(d.IsObject());
  EXPECT_EQ(str_of(d, "openapi").substr(0, 2), "3.");
  EXPECT_TRUE(d["paths"].HasMember("/api/v1/data/batch"));
}

TEST_F(OpsRoutes, UnknownRouteAndWrongMethodUseTheErrorShape) {
  auto nf = svc_->get("/nope");
  ASSERT_TRUE(nf);
  EXPECT_EQ(nf->status, 404u);
  EXPECT_EQ(error_code(nf->body), "not_found");
  auto wrong = svc_->call("POST", "/health", "{}");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405u);
  EXPECT_EQ(error_code(wrong->body), "method_not_allowed");
  ASSERT_NE(wrong->header("allow"), nullptr);
  EXPECT_EQ(*wrong->header("allow"), "GET, HEAD");
  auto get_batch = svc_->get("/api/v1/data/batch");
  ASSERT_TRUE(get_batch);
  EXPECT_EQ(get_batch->status, 405u);
  EXPECT_EQ(*get_batch->header("allow"), "POST");
}

TEST_F(OpsRoutes, DataResponsesSayWhereTheyCameFromAndHowFresh) {
  std::string body;
  ASSERT_TRUE(eventually([&] {
    auto r = svc_->get("/api/v1/data/price?symbol=ETH-USDT");
    body = r ? r->body : "";
    return r && r->status == 200;
  })) << body;
  auto d = parse_json(body);
  EXPECT_EQ(str_of(d, "source"), "l1");
  EXPECT_TRUE(d["cached"].GetBool());
  EXPECT_FALSE(str_of(d, "as_of").empty());
  EXPECT_EQ(str_of(d, "freshness"), "realtime");
}
