// api/routes/reports: the report queries, the providers listing, the merged
// quality and quarantine, and the stats body (exact bytes).

#include "api/routes/reports.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

using namespace tickflow;
using namespace tickflow::api;

namespace {

http_request request(std::vector<std::pair<std::string, std::string>> query) {
  http_request req;
  req.method = "GET";
  req.path = "/api/v1/data/quarantine";
  req.query = std::move(query);
  return req;
}

TEST(ReportRoutes, Queries) {
  auto all = std::get<quarantine_query>(parse_quarantine_query(request({})));
  EXPECT_EQ(all.instrument, "");
  EXPECT_EQ(all.limit, 50u);
  auto one = std::get<quarantine_query>(
    parse_quarantine_query(request({{"symbol", "btc-usd"}, {"limit", "1000"}})));
  EXPECT_EQ(one.instrument, "BTC-USD");
  EXPECT_EQ(one.limit, 1000u);
  auto big = std::get<api_error>(parse_quarantine_query(request({{"limit", "1001"}})));
  EXPECT_EQ(big.field, "limit");
  EXPECT_EQ(big.message, "'limit' must be an integer from 1 to 1000");
  EXPECT_EQ(std::get<quality_query>(parse_quality_query(request({{"symbol", " "}}))).instrument,
            "");
  EXPECT_EQ(std::get<api_error>(parse_quality_query(request({{"symbol", "a b"}}))).field,
            "symbol");
}

TEST(ReportRoutes, ProvidersBody) {
  provider_listing idle;
  idle.name = "simulator";
  idle.asset_classes = {"crypto"};
  idle.enabled = true;
  provider_listing rest;
  rest.name = "binance";
  rest.data_types = {"price", "bars"};
  rest.needs_key = true;
  std::vector<provider_listing> xs{idle, rest};
  provider_health h;
  h.provider = "binance";
  h.key_configured = true;
  h.requests = 3;
  h.successes = 2;
  h.failures = 1;
  h.last_success_ns = 1'000'000'000;
  h.last_error_ns = 2'000'000'000;
  h.last_error = "boom";
  h.last_latency_ns = 7'000'000;
  add_health(xs, h);
  validator_quality q;
  q.providers.emplace_back("simulator", quality_report{});
  add_quality(xs, q);
  auto body = providers_body(xs);
  EXPECT_EQ(body.substr(0, body.find(",\"quality\":")),
            R"({"providers":[{"name":"simulator","asset_classes":["crypto"],"data_types":[],)"
            R"("intervals":[],"needs_key":false,"enabled":true,"key_configured":false,)"
            R"("health":null)");
  EXPECT_NE(body.find(R"({"name":"binance","asset_classes":[],"data_types":["price","bars"],)"
                      R"("intervals":[],"needs_key":true,"enabled":false,"key_configured":true,)"
                      R"("health":{"status":"degraded","requests":3,"successes":2,)"
                      R"("failures":1,"last_success":"1970-01-01T00:00:01Z",)"
                      R"("last_error":{"at":"1970-01-01T00:00:02Z","message":"boom"},)"
                      R"("last_latency_ms":7},"quality":null}]})"),
            std::string::npos)
    << body;
  rapidjson::Document d;
  d.Parse(body.c_str());
  ASSERT_TRUE(d.IsObject()) << body;
  EXPECT_TRUE(d["providers"][0]["quality"].IsObject());
}

TEST(ReportRoutes, QualityIsMergedAcrossValidators) {
  validator_quality a, b;
  a.stale = {"X"};
  b.stale = {"X", "A"};
  a.providers.emplace_back("p", quality_report{});
  b.providers.emplace_back("p", quality_report{});
  b.providers.emplace_back("o", quality_report{});
  auto m = merge_quality({a, b});
  EXPECT_EQ(m.stale, (std::vector<std::string>{"A", "X"}));
  ASSERT_EQ(m.providers.size(), 2u);
  EXPECT_EQ(m.providers[0].first, "o");
  auto body = quality_answer("", {a, b});
  EXPECT_EQ(body.rfind(R"({"subject":"overall",)", 0), 0u) << body;
  EXPECT_NE(body.find(R"("stale_symbols":["A","X"]})"), std::string::npos) << body;
}

TEST(ReportRoutes, QuarantineKeepsTheNewestOfAllPages) {
  quarantine_page a, b;
  for (int i = 0; i < 3; ++i) {
    quarantined_event e;
    e.seq = static_cast<uint64_t>(i);
    e.seen_ns = 10 * i;
    (i % 2 ? a : b).events.push_back(e);
  }
  a.totals.added = 1;
  b.totals.added = 2;
  b.totals.flagged = 4;
  auto body = quarantine_answer({a, b}, 2);
  rapidjson::Document d;
  d.Parse(body.c_str());
  ASSERT_TRUE(d.IsObject()) << body;
  EXPECT_EQ(d["count"].GetUint(), 2u);
  EXPECT_EQ(d["totals"]["added"].GetUint(), 3u);
  EXPECT_EQ(d["totals"]["flagged"].GetUint(), 4u);
  EXPECT_EQ(d["events"][0]["seq"].GetUint(), 2u);
  EXPECT_EQ(d["events"][1]["seq"].GetUint(), 1u);
}

TEST(ReportRoutes, StatsBody) {
  scheduler_stats s;
  provider_schedule_stats p;
  p.provider = "binance";
  p.calls = 5;
  p.denied = 1;
  p.circuit = "closed";
  p.windows.push_back({"minute", {3, 1200}});
  s.providers.push_back(p);
  s.queue_depth[0] = 2;
  cache_stats c;
  c.price_hits = 9;
  auto body = stats_body(s, &c);
  EXPECT_EQ(body.rfind(R"({"providers":[{"provider":"binance","calls":5,"saved_by_cache":0,)"
                       R"("saved_by_coalescing":0,"saved_by_merging":0,"denied":1,)"
                       R"("retried":0,"failed_over":0,"failures":0,"in_flight":0,"queued":0,)"
                       R"("circuit":"closed","circuit_opened":0,"paused_for_ms":0,)"
                       R"("banned":false,"windows":[{"window":"minute","used":3,)"
                       R"("limit":1200}]}],"totals":{"calls":5,"saved_by_cache":0,)"
                       R"("saved_by_coalescing":0,"saved_by_merging":0,"denied":1,)"
                       R"("retried":0,"failed_over":0,"failures":0},"queue_depth":{)",
                       0),
            0u)
    << body;
  EXPECT_NE(body.find(R"("shared":false,"shared_errors":0,"l1":{"price_hits":9,)"
                      R"("bars_hits":0}})"),
            std::string::npos)
    << body;
  EXPECT_EQ(stats_body(s, nullptr).find("\"l1\""), std::string::npos);
}

} // namespace
