// Freshness against the private Redis (issue 21): the Redis step of the
// price read holds the L1's bound ([cache] ttl-price, counted from when the
// price was received), max_age= sends older answers to the provider (a
// loopback Binance), and every answer's age is from the data's own time.

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "tests/storage/reads/read_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow::test {
namespace {

int64_t wall_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

class Freshness : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env.ok()) << env.problem();
    ASSERT_TRUE(rc.connect("127.0.0.1", env.redis_port(), 2000).ok());
    prefix = "t" + unique_name();
  }

  /// Binance at the fixture server for `symbols`, Redis on, [cache]
  /// ttl-price 60s (the default).
  std::string config(const std::vector<std::string>& symbols) {
    std::string map;
    for (auto& s : symbols)
      map += (map.empty() ? "" : ", ") + s + "=" + s;
    auto dir = temp_dir();
    return "[providers]\nenabled = binance\n"
           "[binance]\nbase-url = " + provider.base_url() + "\nsymbols = " + map + "\n"
           "[cache]\nttl-price = 60s\n"
           "[redis]\nenabled = true\nport = " + std::to_string(env.redis_port())
           + "\nkey-prefix = " + prefix + "\njournal-dir = " + dir + "/redis\n";
  }

  /// A price in Redis, received `recv_ago_s` and made `event_ago_s` ago.
  void cache_in_redis(const std::string& id, const char* value, int64_t event_ago_s,
                      int64_t recv_ago_s) {
    auto now = wall_ns();
    price p;
    p.instrument = id;
    p.value = dec(value);
    p.ts_event_ns = now - event_ago_s * ns_per_s;
    p.ts_recv_ns = now - recv_ago_s * ns_per_s;
    write_redis(rc, prefix, {}, {p});
  }

  void serve_binance(const std::string& id, const std::string& value) {
    provider.add("GET", "/api/v3/ticker/price",
                 fixture_response::json("{\"symbol\":\"" + id + "\",\"price\":\"" + value
                                        + "\"}"),
                 {{"symbol", id}});
  }

  size_t asked_for(const std::string& id) {
    size_t n = 0;
    for (auto& r : provider.requests())
      if (auto* s = r.param("symbol"); s != nullptr && *s == id)
        ++n;
    return n;
  }

  services_env env;
  redis::redis_client rc;
  std::string prefix;
  fixture_server provider;
};

std::string text(const rapidjson::Document& d, const char* key) {
  return d.IsObject() && d.HasMember(key) && d[key].IsString() ? d[key].GetString() : "";
}

TEST_F(Freshness, RedisHoldsTheL1sMaxAgeAndMaxAgeAsksTheProvider) {
  auto old = short_id("FO"); // received 2 h ago: past ttl-price
  auto recent = short_id("FR"); // received now, traded 30 s ago
  auto close = short_id("FC"); // received now, traded 2 h ago (a last close)
  cache_in_redis(old, "1.5", 7200, 7200);
  cache_in_redis(recent, "2.5", 30, 0);
  cache_in_redis(close, "3.5", 7200, 1);
  serve_binance(old, "11.5");
  serve_binance(recent, "12.5");
  serve_binance(close, "13.5");
  service svc{config({old, recent, close})};
  ASSERT_TRUE(svc.live()) << svc.output();
  rapidjson::Document d;

  // Past ttl-price since received: Redis is passed over, the provider asked.
  ASSERT_EQ(svc.get("/api/v1/data/price?symbol=" + old, d), 200u);
  EXPECT_EQ(source_of(d), "binance");
  EXPECT_EQ(text(d, "price"), "11.5");
  EXPECT_EQ(asked_for(old), 1u);

  // Received now: Redis answers, its age from the trade (30 s), not from
  // when it was cached.
  ASSERT_EQ(svc.get("/api/v1/data/price?symbol=" + recent, d), 200u);
  EXPECT_EQ(source_of(d), "redis");
  EXPECT_EQ(text(d, "price"), "2.5");
  EXPECT_GE(d["age_ms"].GetInt64(), 30'000);
  EXPECT_LT(d["age_ms"].GetInt64(), 60'000);
  EXPECT_EQ(text(d, "freshness"), "near-realtime");
  // max_age=10: the cached 30 s old price is too old (L1 now, Redis too).
  ASSERT_EQ(svc.get("/api/v1/data/price?symbol=" + recent + "&max_age=10", d), 200u);
  EXPECT_EQ(source_of(d), "binance");
  EXPECT_EQ(text(d, "price"), "12.5");
  EXPECT_EQ(asked_for(recent), 1u);
  // max_age=60 takes the L1 again (the fetched price, just now).
  ASSERT_EQ(svc.get("/api/v1/data/price?symbol=" + recent + "&max_age=60", d), 200u);
  EXPECT_EQ(source_of(d), "l1");
  EXPECT_EQ(asked_for(recent), 1u);

  // A last close received just now is served from Redis, 2 h old by its time.
  ASSERT_EQ(svc.get("/api/v1/data/price?symbol=" + close, d), 200u);
  EXPECT_EQ(source_of(d), "redis");
  EXPECT_GE(d["age_ms"].GetInt64(), 7'200'000);
  EXPECT_EQ(text(d, "freshness"), "delayed");
  EXPECT_EQ(asked_for(close), 0u);
  // max_age=60: the provider is asked for a fresher one.
  ASSERT_EQ(svc.get("/api/v1/data/price?symbol=" + close + "&max_age=60", d), 200u);
  EXPECT_EQ(source_of(d), "binance");
  EXPECT_EQ(text(d, "price"), "13.5");
  EXPECT_EQ(asked_for(close), 1u);

  // A bad max_age is a 400 on the field.
  ASSERT_EQ(svc.get("/api/v1/data/price?symbol=" + recent + "&max_age=soon", d), 400u);
  EXPECT_EQ(std::string{d["error"]["field"].GetString()}, "max_age");
  EXPECT_EQ(svc.stop(), 0);
}

} // namespace
} // namespace tickflow::test
