// adapters/redis/redis_reads against the private Redis: what the cache
// writer stores reads back field for field, ranges and limits, bad members,
// and deletion by pattern (SCAN + UNLINK, only under the prefix).

#include <gtest/gtest.h>

#include "adapters/redis/event_codec.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/redis/redis_reads.hpp"
#include "tests/storage/reads/read_support.hpp"

namespace tickflow::test {
namespace {

class RedisReads : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env.ok()) << env.problem();
    ASSERT_TRUE(rc.connect("127.0.0.1", env.redis_port(), 2000).ok());
    keys.prefix = "t" + unique_name();
  }

  services_env env;
  redis::redis_client rc;
  redis::cache_settings keys;
};

TEST_F(RedisReads, WhatTheWriterStoresReadsBackExactly) {
  auto id = short_id("RR");
  auto bars = minute_bars(id, 0, 5);
  bars[2].flags = quality_outlier | quality_backfilled;
  bars[3].closed = false;
  bars[4].source = providers::binance;
  price p;
  p.instrument = id;
  p.source = providers::coingecko;
  p.value = dec("0.000123");
  p.ts_event_ns = slot(5) + 123;
  p.ts_recv_ns = slot(5) + 456;
  p.flags = quality_stale;
  write_redis(rc, keys.prefix, bars, {p});

  auto got = redis::read_price(rc, keys, id);
  ASSERT_TRUE(got.ok()) << got.err().context;
  ASSERT_TRUE(got->has_value());
  auto& q = **got;
  EXPECT_EQ(q.instrument, id);
  EXPECT_EQ(q.source, providers::coingecko);
  EXPECT_EQ(q.value, p.value);
  EXPECT_TRUE(q.trade_id.empty()); // null in JSON
  EXPECT_EQ(q.ts_event_ns, p.ts_event_ns);
  EXPECT_EQ(q.ts_recv_ns, p.ts_recv_ns);
  EXPECT_EQ(q.flags, p.flags);

  auto all = redis::read_bars(rc, keys, interval::m1, id, 0, 0, 100);
  ASSERT_TRUE(all.ok()) << all.err().context;
  ASSERT_EQ(all->bars.size(), bars.size());
  EXPECT_EQ(all->skipped, 0u);
  for (size_t i = 0; i < bars.size(); ++i) {
    auto want = bars[i];
    want.ts_recv_ns = 0; // not part of the stored JSON
    expect_same(all->bars[i], want);
  }
  // Newest `limit`, inclusive bounds, oldest first.
  auto newest = redis::read_bars(rc, keys, interval::m1, id, 0, 0, 2);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->bars.size(), 2u);
  EXPECT_EQ(newest->bars[0].open_time_ns, slot(4));
  auto range = redis::read_bars(rc, keys, interval::m1, id, slot(1), slot(3), 100);
  ASSERT_TRUE(range.ok());
  ASSERT_EQ(range->bars.size(), 3u);
  EXPECT_EQ(range->bars.front().open_time_ns, slot(1));
  EXPECT_EQ(range->bars.back().open_time_ns, slot(3));
  auto limited = redis::read_bars(rc, keys, interval::m1, id, slot(1), slot(3), 2);
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->bars.size(), 2u);
  EXPECT_EQ(limited->bars.front().open_time_ns, slot(2));
  // Absent keys.
  auto none = redis::read_price(rc, keys, id + "NONE");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto empty = redis::read_bars(rc, keys, interval::h1, id, 0, 0, 10);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->bars.empty());
}

TEST_F(RedisReads, BadMembersAreSkippedAndCounted) {
  auto id = short_id("RB");
  write_redis(rc, keys.prefix, minute_bars(id, 0, 1));
  auto key = redis::bars_key(keys, interval::m1, id);
  auto ms = std::to_string(slot(2) / ns_per_ms);
  ASSERT_TRUE(rc.execute({"ZADD", key, ms, "{not json"}).ok());
  ASSERT_TRUE(rc.execute({"ZADD", key, ms + "1", R"({"instrument":"X"})"}).ok());
  auto got = redis::read_bars(rc, keys, interval::m1, id, 0, 0, 10);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->bars.size(), 2u);
  EXPECT_EQ(got->skipped, 2u);
  ASSERT_TRUE(rc.execute({"SET", redis::price_key(keys, id), "[1,2]"}).ok());
  auto bad = redis::read_price(rc, keys, id);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.err().code, errc::malformed);
}

TEST_F(RedisReads, DeleteMatchingRemovesOnlyMatchesUnderThePrefix) {
  auto id = short_id("RD");
  write_redis(rc, keys.prefix, minute_bars(id, 0, 1));
  auto other = keys;
  other.prefix = keys.prefix + "other";
  write_redis(rc, other.prefix, minute_bars(id, 0, 1));
  ASSERT_TRUE(rc.execute({"SET", redis::price_key(keys, id), "{}"}).ok());
  for (int i = 0; i < 30; ++i) // more keys than one SCAN batch below
    ASSERT_TRUE(rc.execute({"SET", keys.prefix + ":junk:" + std::to_string(i), "x"}).ok());
  auto n = redis::delete_matching(rc, keys, "bars:*", 7);
  ASSERT_TRUE(n.ok()) << n.err().context;
  EXPECT_EQ(*n, 1u);
  auto junk = redis::delete_matching(rc, keys, "junk:*", 7);
  ASSERT_TRUE(junk.ok());
  EXPECT_EQ(*junk, 30u);
  auto exists = [&](const std::string& k) { return rc.execute({"EXISTS", k})->integer; };
  EXPECT_EQ(exists(redis::bars_key(keys, interval::m1, id)), 0);
  EXPECT_EQ(exists(redis::price_key(keys, id)), 1);
  EXPECT_EQ(exists(redis::bars_key(other, interval::m1, id)), 1);
  auto rest = redis::delete_matching(rc, other, "*");
  ASSERT_TRUE(rest.ok());
  EXPECT_GE(*rest, 2u); // the series and the instruments index
}

TEST_F(RedisReads, ADeadServerIsUnavailable) {
  redis::client_options o;
  o.port = free_port(); // nothing listens there
  o.connect_timeout_ms = 200;
  o.io_timeout_ms = 200;
  redis::redis_client dead{o};
  auto p = redis::read_price(dead, keys, "BTC-USDT");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.err().code, errc::unavailable);
  auto b = redis::read_bars(dead, keys, interval::m1, "BTC-USDT", 0, 0, 5);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.err().code, errc::unavailable);
  auto d = redis::delete_matching(dead, keys, "*");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.err().code, errc::unavailable);
}

TEST(RedisJson, MalformedValuesAreRefusedWithTheField) {
  struct row {
    const char* json;
    errc code;
  } prices[] = {
    {"", errc::malformed},
    {"[]", errc::malformed},
    {R"({"provider":"binance","price":"1","ts":1,"ts_recv":1})", errc::missing_field},
    {R"({"instrument":"A","provider":"binance","price":1,"ts":1,"ts_recv":1})",
     errc::bad_number},
    {R"({"instrument":"A","provider":"nope","price":"1","ts":1,"ts_recv":1})",
     errc::malformed},
    {R"({"instrument":"A","provider":"binance","price":"1","ts":1,"ts_recv":1,"flags":["odd"]})",
     errc::malformed},
    {R"({"instrument":"a b","provider":"binance","price":"1","ts":1,"ts_recv":1})",
     errc::malformed},
    {R"({"instrument":"A","provider":"binance","price":"1","ts":1,"ts_recv":1,"trade_id":5})",
     errc::malformed},
  };
  for (auto& r : prices) {
    auto p = redis::parse_price_json(r.json);
    ASSERT_FALSE(p.ok()) << r.json;
    EXPECT_EQ(p.err().code, r.code) << r.json << ": " << p.err().context;
  }
  auto bad_interval = redis::parse_bar_json(
    R"({"instrument":"A","provider":"binance","provider_symbol":"A","interval":"7m",)"
    R"("open_time":0,"open":"1","high":"1","low":"1","close":"1","volume":"1",)"
    R"("trades":1,"closed":true,"flags":[]})");
  ASSERT_FALSE(bad_interval.ok());
  EXPECT_EQ(bad_interval.err().code, errc::malformed);
}

} // namespace
} // namespace tickflow::test
