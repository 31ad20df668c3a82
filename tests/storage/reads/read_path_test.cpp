// The read path of the real binary against the private Redis and
// PostgreSQL and a loopback Binance: each step answers with its `source`,
// a partly stored range asks the provider for the missing slots only, the
// cache clear needs the admin token, and a dead Redis is skipped.

#include <chrono>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "tests/storage/reads/read_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow::test {
namespace {

constexpr const char* admin_token = "read-path-admin-token";

class ReadSteps : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env.ok()) << env.problem();
    ASSERT_TRUE(db.connect(env.pg_dsn()).ok());
    ASSERT_TRUE(db.migrate().ok());
    ASSERT_TRUE(rc.connect("127.0.0.1", env.redis_port(), 2000).ok());
    prefix = "t" + unique_name();
    setenv("TICKFLOW_ADMIN_TOKEN", admin_token, 1);
  }

  /// Binance at the fixture server, Redis and Postgres on; `symbols` are
  /// the instruments Binance is asked for (under their own names).
  std::string config(const std::vector<std::string>& symbols,
                     uint16_t redis_port = 0) {
    std::string map;
    for (auto& s : symbols)
      map += (map.empty() ? "" : ", ") + s + "=" + s;
    auto dir = temp_dir();
    return "[providers]\nenabled = binance\n"
           "[binance]\nbase-url = " + provider.base_url() + "\nsymbols = " + map + "\n"
           "[redis]\nenabled = true\nport = "
           + std::to_string(redis_port != 0 ? redis_port : env.redis_port())
           + "\nkey-prefix = " + prefix + "\njournal-dir = " + dir + "/redis\n"
           "[storage]\nenabled = true\ndsn = " + env.pg_dsn()
           + "\njournal-dir = " + dir + "/storage\n";
  }

  services_env env;
  pg::pg_client db;
  redis::redis_client rc;
  std::string prefix;
  fixture_server provider;
};

TEST_F(ReadSteps, EachStepAnswersWithItsSource) {
  auto x = short_id("RX");
  auto z = short_id("RZ");
  ASSERT_TRUE(db.write_bars(minute_bars(x, 0, 9)).ok());
  write_redis(rc, prefix, minute_bars(x, 0, 9));
  price px;
  px.instrument = x;
  px.value = dec("42.5");
  px.trade_id = "9";
  px.ts_event_ns = slot(9);
  // Received just now: a Redis price received longer ago than [cache]
  // ttl-price is passed over like an expired L1 entry (issue 21).
  px.ts_recv_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  write_redis(rc, prefix, {}, {px});
  provider.add("GET", "/api/v3/klines", fixture_response::json(binance_klines(0, 9)),
               {{"symbol", z}});
  service svc{config({x, z})};
  ASSERT_TRUE(svc.live()) << svc.output();
  rapidjson::Document d;
  auto expect_source = [&](const std::string& target, const std::string& source) {
    ASSERT_EQ(svc.get(target, d), 200u) << target;
    EXPECT_EQ(source_of(d), source) << target;
    ASSERT_TRUE(d.HasMember("cached"));
  };
  // Redis holds the whole range; then the L1 does.
  expect_source(ohlcv(x, 0, 9), "redis");
  EXPECT_TRUE(d["cached"].IsTrue());
  ASSERT_EQ(d["bars"].Size(), 10u);
  EXPECT_EQ(std::string{d["bars"][9]["close"].GetString()}, "100.19");
  expect_source(ohlcv(x, 0, 9), "l1");
  expect_source(ohlcv(x, 2, 5), "l1"); // inside what the L1 holds
  ASSERT_EQ(d["bars"].Size(), 4u);
  // Only the L1 cleared: Redis again.
  ASSERT_EQ(svc.post("/api/v1/cache/clear?layer=l1&pattern=bars:*:" + x, admin_token, d),
            200u);
  EXPECT_EQ(d["l1"]["removed"].GetUint64(), 1u);
  expect_source(ohlcv(x, 0, 9), "redis");
  // Both cleared: Postgres; then the L1 again.
  ASSERT_EQ(svc.post("/api/v1/cache/clear?pattern=bars:*:" + x, admin_token, d), 200u);
  EXPECT_EQ(d["l1"]["removed"].GetUint64(), 1u);
  EXPECT_EQ(d["redis"]["removed"].GetUint64(), 1u);
  expect_source(ohlcv(x, 0, 9), "postgres");
  EXPECT_TRUE(d["cached"].IsTrue());
  ASSERT_EQ(d["bars"].Size(), 10u);
  EXPECT_EQ(std::string{d["bars"][9]["close"].GetString()}, "100.19");
  expect_source(ohlcv(x, 0, 9, "historical"), "l1");
  // Stored nowhere: the provider, for the whole range; then the L1.
  expect_source(ohlcv(z, 0, 9), "binance");
  EXPECT_TRUE(d["cached"].IsFalse());
  ASSERT_EQ(d["bars"].Size(), 10u);
  expect_source(ohlcv(z, 0, 9), "l1");
  ASSERT_EQ(provider.request_count(), 1u);
  auto req = provider.requests()[0];
  ASSERT_NE(req.param("startTime"), nullptr);
  EXPECT_EQ(*req.param("startTime"), std::to_string(slot(0) / ns_per_ms));
  EXPECT_EQ(*req.param("endTime"), std::to_string(slot(9) / ns_per_ms));
  // Prices: Redis, then the L1.
  expect_source("/api/v1/data/price?symbol=" + x, "redis");
  EXPECT_EQ(std::string{d["price"].GetString()}, "42.5");
  expect_source("/api/v1/data/price?symbol=" + x, "l1");
  // The counters saw it all.
  ASSERT_EQ(svc.get("/api/v1/cache/stats", d), 200u);
  EXPECT_GE(d["l1"]["bars"]["hits"].GetUint64(), 4u);
  EXPECT_GE(d["l1"]["bars"]["misses"].GetUint64(), 4u);
  EXPECT_GE(d["l1"]["cleared"].GetUint64(), 2u);
  EXPECT_GE(d["l1"]["fills"].GetUint64(), 4u);
  EXPECT_GE(d["l1"]["entries"].GetUint64(), 3u);
  EXPECT_GT(d["l1"]["bytes"].GetUint64(), 0u);
  EXPECT_TRUE(d["redis"]["enabled"].IsTrue());
  EXPECT_GE(d["redis"]["hits"].GetUint64(), 3u);
  EXPECT_EQ(svc.stop(), 0);
}

TEST_F(ReadSteps, APartlyStoredRangeAsksTheProviderOnlyForTheMissingSlots) {
  auto y = short_id("RY");
  ASSERT_TRUE(db.write_bars(minute_bars(y, 0, 4)).ok());
  provider.add("GET", "/api/v3/klines", fixture_response::json(binance_klines(5, 9)),
               {{"symbol", y}});
  service svc{config({y})};
  ASSERT_TRUE(svc.live()) << svc.output();
  rapidjson::Document d;
  ASSERT_EQ(svc.get(ohlcv(y, 0, 9), d), 200u);
  EXPECT_EQ(source_of(d), "postgres+binance");
  EXPECT_TRUE(d["cached"].IsFalse());
  ASSERT_EQ(d["bars"].Size(), 10u);
  EXPECT_EQ(std::string{d["bars"][4]["close"].GetString()}, "100.14"); // stored
  EXPECT_EQ(std::string{d["bars"][5]["close"].GetString()}, "200.15"); // fetched
  EXPECT_EQ(std::string{d["bars"][5]["provider"].GetString()}, "binance");
  // One request, for slots 5..9 only.
  ASSERT_EQ(provider.request_count(), 1u);
  auto req = provider.requests()[0];
  EXPECT_EQ(req.path, "/api/v3/klines");
  ASSERT_NE(req.param("startTime"), nullptr);
  ASSERT_NE(req.param("endTime"), nullptr);
  EXPECT_EQ(*req.param("startTime"), std::to_string(slot(5) / ns_per_ms));
  EXPECT_EQ(*req.param("endTime"), std::to_string(slot(9) / ns_per_ms));
  EXPECT_EQ(*req.param("limit"), "5");
  // The merged answer is in the L1 now; the provider is not asked again.
  ASSERT_EQ(svc.get(ohlcv(y, 0, 9), d), 200u);
  EXPECT_EQ(source_of(d), "l1");
  EXPECT_EQ(provider.request_count(), 1u);
  EXPECT_EQ(svc.stop(), 0);
}

// An equity's stored Friday and Tuesday around a weekend and Martin Luther
// King Jr. Day (2023-01-13..17; and 2019-12-31/2020-01-02 around New
// Year's Day): the closed dates are no gap, so Polygon is never asked and
// the stored bars are the whole answer.
TEST_F(ReadSteps, AWeekendAndAHolidayBetweenStoredBarsAreNoGaps) {
  auto x = short_id("RH");
  auto day = [&](const char* date) {
    return make_bar(x, interval::d1, *parse_timestamp(date) / ns_per_s, true);
  };
  ASSERT_TRUE(db.write_bars({day("2023-01-13"), day("2023-01-17"), day("2019-12-31"),
                             day("2020-01-02")})
                .ok());
  setenv("TICKFLOW_TEST_KEY_holidays", "k", 1);
  service svc{"[providers]\nenabled = polygon\n[polygon]\nbase-url = " + provider.base_url()
              + "\napi-key-env = TICKFLOW_TEST_KEY_holidays\n[storage]\nenabled = true\ndsn = "
              + env.pg_dsn() + "\njournal-dir = " + temp_dir() + "/storage\n"};
  ASSERT_TRUE(svc.live()) << svc.output();
  rapidjson::Document d;
  for (auto [start, end] : {std::pair{"2023-01-13", "2023-01-17"},
                            std::pair{"2019-12-31", "2020-01-02"}}) {
    auto target = "/api/v1/data/ohlcv?symbol=" + x + "&interval=1d&start=" + start
                  + "&end=" + end;
    ASSERT_EQ(svc.get(target, d), 200u) << target;
    EXPECT_EQ(source_of(d), "postgres") << target;
    EXPECT_EQ(d["bars"].Size(), 2u) << target;
  }
  for (auto& r : provider.requests())
    EXPECT_NE(r.path.rfind("/v2/aggs/", 0), 0u) << r.path; // no bars asked
  EXPECT_EQ(svc.stop(), 0);
}

// A provider that ignores endTime sends bars past the range; they must not
// push the in-range ones out of the newest-`limit` answer.
TEST_F(ReadSteps, BarsOutsideTheRangeNeverDisplaceBarsInside) {
  auto w = short_id("RW");
  provider.add("GET", "/api/v3/klines", fixture_response::json(binance_klines(0, 9)),
               {{"symbol", w}});
  service svc{config({w})};
  ASSERT_TRUE(svc.live()) << svc.output();
  rapidjson::Document d;
  auto target = "/api/v1/data/ohlcv?symbol=" + w + "&interval=1m&limit=5&start="
                + format_iso8601(slot(0)) + "&end=" + format_iso8601(slot(4));
  ASSERT_EQ(svc.get(target, d), 200u);
  ASSERT_EQ(d["bars"].Size(), 5u);
  EXPECT_EQ(std::string{d["bars"][0]["close"].GetString()}, "200.1");
  EXPECT_EQ(std::string{d["bars"][4]["close"].GetString()}, "200.14");
  EXPECT_EQ(svc.stop(), 0);
}

TEST_F(ReadSteps, CacheClearNeedsTheAdminToken) {
  auto x = short_id("RC");
  write_redis(rc, prefix, minute_bars(x, 0, 2));
  service svc{config({x})};
  ASSERT_TRUE(svc.live()) << svc.output();
  rapidjson::Document d;
  ASSERT_EQ(svc.get(ohlcv(x, 0, 2), d), 200u);
  ASSERT_EQ(source_of(d), "redis");
  auto clear = "/api/v1/cache/clear?pattern=*" + x;
  EXPECT_EQ(svc.post(clear, "", d), 401u);
  EXPECT_EQ(svc.post(clear, "wrong-token", d), 401u);
  ASSERT_EQ(svc.get(ohlcv(x, 0, 2), d), 200u);
  EXPECT_EQ(source_of(d), "l1"); // nothing was cleared
  auto exists = [&] {
    auto r = rc.execute({"EXISTS", prefix + ":bars:1m:" + x});
    return r.ok() ? r->integer : -1;
  };
  EXPECT_EQ(exists(), 1);
  ASSERT_EQ(svc.post(clear, admin_token, d), 200u);
  EXPECT_EQ(std::string{d["pattern"].GetString()}, "*" + x);
  EXPECT_EQ(d["l1"]["removed"].GetUint64(), 1u);
  EXPECT_EQ(d["redis"]["removed"].GetUint64(), 1u);
  EXPECT_EQ(exists(), 0);
  // Bad requests name the parameter.
  EXPECT_EQ(svc.post("/api/v1/cache/clear", admin_token, d), 400u);
  EXPECT_EQ(std::string{d["error"]["field"].GetString()}, "pattern");
  EXPECT_EQ(svc.post("/api/v1/cache/clear?pattern=a%20b", admin_token, d), 400u);
  EXPECT_EQ(svc.post("/api/v1/cache/clear?pattern=*&layer=disk", admin_token, d), 400u);
  EXPECT_EQ(std::string{d["error"]["field"].GetString()}, "layer");
  EXPECT_EQ(svc.get("/api/v1/data/historical?symbol=" + x + "&interval=1m", d), 400u);
  EXPECT_EQ(std::string{d["error"]["field"].GetString()}, "start");
  EXPECT_EQ(svc.stop(), 0);
}

TEST_F(ReadSteps, ADeadRedisDoesNotBreakReads) {
  auto w = short_id("RW");
  ASSERT_TRUE(db.write_bars(minute_bars(w, 0, 9)).ok());
  provider.add("GET", "/api/v3/ticker/price",
               fixture_response::json("{\"symbol\":\"" + w + "\",\"price\":\"7.25\"}"),
               {{"symbol", w}});
  service svc{config({w}, free_port())}; // nothing listens there
  ASSERT_TRUE(svc.live()) << svc.output();
  rapidjson::Document d;
  for (int round = 0; round < 3; ++round) { // while Redis is marked down, too
    ASSERT_EQ(svc.get(ohlcv(w, 0, 9), d), 200u);
    EXPECT_EQ(source_of(d), round == 0 ? "postgres" : "l1");
    ASSERT_EQ(d["bars"].Size(), 10u);
  }
  ASSERT_EQ(svc.get("/api/v1/data/price?symbol=" + w, d), 200u);
  EXPECT_EQ(source_of(d), "binance");
  EXPECT_EQ(std::string{d["price"].GetString()}, "7.25");
  ASSERT_EQ(svc.get("/api/v1/data/price?symbol=" + w, d), 200u);
  EXPECT_EQ(source_of(d), "l1");
  // The clear removes the L1 entries and says Redis was not cleared.
  EXPECT_EQ(svc.post("/api/v1/cache/clear?pattern=*", admin_token, d), 502u);
  EXPECT_EQ(std::string{d["error"]["code"].GetString()}, "redis_unavailable");
  ASSERT_EQ(svc.get(ohlcv(w, 0, 9), d), 200u);
  EXPECT_EQ(source_of(d), "postgres");
  ASSERT_EQ(svc.get("/api/v1/cache/stats", d), 200u);
  EXPECT_GE(d["redis"]["skipped"].GetUint64(), 1u);
  EXPECT_EQ(d["redis"]["hits"].GetUint64(), 0u);
  EXPECT_EQ(svc.stop(), 0);
}

} // namespace
} // namespace tickflow::test
