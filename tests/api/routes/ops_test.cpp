// api/routes/ops: readiness from a snapshot, the status body, the metrics
// families in their order, and the small answers.

#include "api/routes/ops.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

using namespace tickflow;
using namespace tickflow::api;

namespace {

constexpr int64_t s = 1'000'000'000;

ops_snapshot healthy() {
  ops_snapshot snap;
  stage_stats cache;
  cache.events_in = 5;
  snap.stages.emplace_back("cache", cache);
  snap.stages.emplace_back("router", std::nullopt);
  provider_view sim;
  sim.name = "simulator";
  sim.up = true;
  snap.providers.push_back(sim);
  snap.cache = cache_stats{};
  return snap;
}

TEST(OpsRoutes, Ready) {
  topology topo;
  auto ok = ready_answer(healthy(), topo);
  EXPECT_EQ(ok.status, 200u);
  EXPECT_EQ(ok.body, R"({"status":"ready","checks":{"providers":"ok","cache":"ok"}})");
  auto snap = healthy();
  snap.providers[0].up = false;
  snap.stages[0].second->events_in = 0;
  topo.redis.enabled = true;
  writer_stats w;
  w.last_error = "refused";
  snap.redis = w;
  auto no = ready_answer(snap, topo);
  EXPECT_EQ(no.status, 503u);
  EXPECT_EQ(no.body,
            R"({"error":{"code":"not_ready","message":"providers: restarting: simulator; )"
            R"(cache: no data has reached the cache yet; redis: not connected: refused"},)"
            R"("status":"not_ready","checks":{"providers":"restarting: simulator",)"
            R"("cache":"no data has reached the cache yet","redis":"not connected: refused"}})");
  snap.cache.reset();
  topo.storage.enabled = true;
  EXPECT_NE(ready_answer(snap, topo).body.find(R"("cache":"not answering")"), std::string::npos);
  EXPECT_NE(ready_answer(snap, topo).body.find(R"("postgres":"not answering")"),
            std::string::npos);
}

TEST(OpsRoutes, Status) {
  topology topo;
  auto snap = healthy();
  provider_view rest;
  rest.name = "binance";
  rest.up = true;
  provider_health h;
  h.requests = 2;
  h.last_error = "x";
  rest.rest = h;
  snap.providers.push_back(rest);
  gateway_facts g;
  g.started_ns = 10 * s;
  g.connections = 3;
  g.requests = 7;
  g.webhooks.results[{"test", "accepted"}] = 2;
  g.prefetch.queued = 1;
  auto r = status_answer(snap, g, topo, 70 * s);
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body,
            R"({"service":"tickflow","version":")" TICKFLOW_VERSION R"(","uptime_s":60,)"
            R"("stages":[{"name":"cache","up":true,"batches_in":0,"events_in":5,"events_out":0,)"
            R"("rejected":0,"dropped":0,"held":0},{"name":"router","up":false}],)"
            R"("providers":[{"name":"simulator","up":true},{"name":"binance","up":true,)"
            R"("requests":2,"successes":0,"failures":0,"last_success":null,"last_error":"x"}],)"
            R"("writers":[{"name":"redis","enabled":false},{"name":"postgres","enabled":false}],)"
            R"("gateway":{"connections":3,"requests":7,"rate_limited":0,)"
            R"("prefetch":{"queued":1,"done":0,"failed":0},)"
            R"("webhooks":[{"provider":"test","result":"accepted","count":2}]}})");
}

TEST(OpsRoutes, MetricsFamiliesInOrder) {
  gateway_facts g;
  g.webhook_routes = {"binance", "polygon", "test"}; // from [webhooks] (the registry)
  g.webhook_secrets = {"polygon"};
  g.webhooks.events["test"] = 4;
  request_metrics requests;
  requests.record("GET", "/health", 200, 0.001);
  metric_families m;
  gateway_metrics(m, g, requests, 64, 5 * s);
  snapshot_metrics(m, healthy());
  auto text = metrics_answer(m).body;
  std::vector<std::string> order{
    "tickflow_build_info",          "tickflow_uptime_seconds 5",
    "tickflow_http_requests_total", "tickflow_http_connections 0",
    "tickflow_http_max_connections 64",
    "tickflow_webhook_requests_total{provider=\"polygon\",result=\"accepted\"} 0",
    "tickflow_webhook_events_total{provider=\"test\"} 4",
    "tickflow_prefetch_total{result=\"queued\"} 0",
    "tickflow_reference_instruments 0",
    "tickflow_reference_lists_total{result=\"failed\"} 0",
    "tickflow_reference_rows_dropped_total{reason=\"unresolved\"} 0",
    "tickflow_stage_up{stage=\"gateway\"} 1", "tickflow_stage_up{stage=\"router\"} 0",
    "tickflow_provider_up{provider=\"simulator\"} 1", "tickflow_cache_requests_total"};
  size_t at = 0;
  for (auto& x : order) {
    auto found = text.find(x, at);
    ASSERT_NE(found, std::string::npos) << x << "\n" << text;
    at = found;
  }
  EXPECT_EQ(metrics_answer(m).content_type, "text/plain; version=0.0.4; charset=utf-8");
}

TEST(OpsRoutes, SmallAnswers) {
  EXPECT_EQ(health_answer(0, 61 * s).body,
            R"({"status":"ok","service":"tickflow","version":")" TICKFLOW_VERSION
            R"(","uptime_s":61})");
  EXPECT_EQ(live_answer().body, R"({"status":"alive"})");
  EXPECT_EQ(reloaded(3).body, R"({"reloaded":["api_keys"],"api_keys":3})");
  EXPECT_EQ(reload_failed("bad").status, 500u);
  rapidjson::Document d;
  auto doc = openapi_answer().body;
  d.Parse(doc.c_str());
  EXPECT_TRUE(d.IsObject());
}

TEST(OpsRoutes, InfoShowsNoSecrets) {
  topology topo;
  access_guard access;
  access.admin_token = "hunter2";
  webhook_gate hooks;
  hooks.secrets["test"] = "s3cret";
  auto body = info_answer(topo, 8080, s, access, hooks).body;
  rapidjson::Document d;
  d.Parse(body.c_str());
  ASSERT_TRUE(d.IsObject()) << body;
  EXPECT_EQ(d["config"]["gateway"]["port"].GetInt(), 8080);
  EXPECT_TRUE(d["config"]["auth"]["admin"].GetBool());
  EXPECT_TRUE(d["config"]["webhooks"]["configured"]["test"].GetBool());
  EXPECT_FALSE(d["config"]["webhooks"]["configured"]["binance"].GetBool());
  EXPECT_EQ(body.find("hunter2"), std::string::npos);
  EXPECT_EQ(body.find("s3cret"), std::string::npos);
  EXPECT_STREQ(d["started_at"].GetString(), "1970-01-01T00:00:01Z");
}

} // namespace
