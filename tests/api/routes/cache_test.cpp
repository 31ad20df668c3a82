// api/routes/cache: the clear query's checks and the cache bodies (exact).

#include "api/routes/cache.hpp"

#include <gtest/gtest.h>

using namespace tickflow;
using namespace tickflow::api;

namespace {

http_request request(std::vector<std::pair<std::string, std::string>> query) {
  http_request req;
  req.method = "POST";
  req.path = "/api/v1/cache/clear";
  req.query = std::move(query);
  return req;
}

TEST(CacheRoutes, ClearQuery) {
  auto all = std::get<clear_query>(parse_clear_query(request({{"pattern", "*"}})));
  EXPECT_EQ(all.pattern, "*");
  EXPECT_TRUE(all.l1);
  EXPECT_TRUE(all.redis);
  auto l1 = std::get<clear_query>(
    parse_clear_query(request({{"pattern", "bars:*:X"}, {"layer", "l1"}})));
  EXPECT_TRUE(l1.l1);
  EXPECT_FALSE(l1.redis);
  auto redis = std::get<clear_query>(
    parse_clear_query(request({{"pattern", "x"}, {"layer", "redis"}})));
  EXPECT_FALSE(redis.l1);
  EXPECT_TRUE(redis.redis);
  struct row {
    std::vector<std::pair<std::string, std::string>> query;
    std::string code, field, message;
  } rows[] = {
    {{}, "missing_parameter", "pattern",
     "pattern is required (a glob such as bars:*:BTC-USDT, or * for all)"},
    {{{"pattern", "a b"}}, "invalid_parameter", "pattern",
     "pattern must be 1 to 256 printable ASCII characters without spaces"},
    {{{"pattern", "*"}, {"layer", "disk"}}, "invalid_parameter", "layer",
     "layer must be l1, redis or all"},
  };
  for (auto& r : rows) {
    auto e = std::get<api_error>(parse_clear_query(request(r.query)));
    EXPECT_EQ(e.code, r.code);
    EXPECT_EQ(e.field, r.field);
    EXPECT_EQ(e.message, r.message);
  }
}

TEST(CacheRoutes, StatsBody) {
  cache_stats c;
  c.price_hits = 3;
  c.price_misses = 1;
  c.bars = 7;
  auto off = cache_stats_body(c, false, nullptr);
  EXPECT_EQ(off, R"({"l1":{"price":{"hits":3,"misses":1,"hit_rate":0.750000},)"
                 R"("bars":{"hits":0,"misses":0,"hit_rate":null},"instruments":0,)"
                 R"("series":0,"bars_held":7,"bars_evicted":0,"instruments_refused":0,)"
                 R"("entries":0,"bytes":0,"max_entries":0,"max_bytes":0,)"
                 R"("evictions":{"capacity":0,"bytes":0,"expired":0},"cleared":0,)"
                 R"("fills":0},"redis":{"enabled":false}})");
  stage_stats s;
  s.events_in = 4;
  s.events_out = 2;
  s.dropped = 1;
  auto on = cache_stats_body(c, true, &s);
  EXPECT_NE(on.find(R"("redis":{"enabled":true,"reads":4,"hits":2,"skipped":1,)"
                    R"("bad_members":0}})"),
            std::string::npos);
  EXPECT_NE(cache_stats_body(c, true, nullptr)
              .find(R"("redis":{"enabled":true,"answered":false}})"),
            std::string::npos);
}

TEST(CacheRoutes, ClearBodies) {
  auto ok = cache_cleared("bars:\"x\"", l1_removed(2), redis_removed(5));
  EXPECT_EQ(ok.status, 200u);
  EXPECT_EQ(ok.body, R"({"pattern":"bars:\"x\"","l1":{"removed":2},)"
                     R"("redis":{"enabled":true,"removed":5}})");
  EXPECT_EQ(cache_cleared("*", l1_kept(), redis_kept(false)).body,
            R"({"pattern":"*","l1":{"cleared":false},"redis":{"enabled":false}})");
  EXPECT_EQ(redis_kept(true), R"({"enabled":true,"cleared":false})");
  auto failed = redis_clear_failed("*", l1_removed(1));
  EXPECT_EQ(failed.status, 502u);
  EXPECT_EQ(failed.body, R"({"error":{"code":"redis_unavailable","message":"Redis keys )"
                         R"(matching * were not removed (Redis unreachable); L1: )"
                         R"({\"removed\":1}"}})");
}

} // namespace
