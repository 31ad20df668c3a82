#include "adapters/redis/redis_schema.hpp"

#include <gtest/gtest.h>

#include <limits>

using namespace tickflow;
using namespace tickflow::redis;

namespace {

cache_entry entry(entry_kind kind, std::string instrument, int64_t ts_ns,
                  std::string json, interval span = interval::m1) {
  cache_entry e;
  e.kind = kind;
  e.instrument = std::move(instrument);
  e.span = span;
  e.ts_ns = ts_ns;
  e.json = std::move(json);
  return e;
}

cache_settings plain_settings() {
  cache_settings s;
  s.atomic = false;
  s.publish = false;
  return s;
}

} // namespace

TEST(RedisSchema, KeyNames) {
  cache_settings s;
  EXPECT_EQ(price_key(s, "BTC-USDT"), "tickflow:price:BTC-USDT");
  EXPECT_EQ(ticker_key(s, "AAPL"), "tickflow:ticker:AAPL");
  EXPECT_EQ(bars_key(s, interval::m1, "BTC-USDT"), "tickflow:bars:1m:BTC-USDT");
  EXPECT_EQ(bars_key(s, interval::mo1, "X:BTCUSD"),
            "tickflow:bars:1M:X:BTCUSD");
  EXPECT_EQ(instruments_key(s), "tickflow:instruments");
  EXPECT_EQ(events_channel(s, "ETH-USDT"), "tickflow:events:ETH-USDT");
  s.prefix = "test7";
  EXPECT_EQ(price_key(s, "A"), "test7:price:A");
}

TEST(RedisSchema, ScoreIsFlooredMilliseconds) {
  struct row {
    int64_t ns;
    int64_t ms;
  };
  for (auto r : {row{0, 0}, row{999'999, 0}, row{1'000'000, 1},
                 row{1'700'000'000'123'456'789, 1'700'000'000'123},
                 row{-1, -1}, row{-1'000'000, -1}, row{-1'000'001, -2}})
    EXPECT_EQ(score_ms(r.ns), r.ms) << r.ns;
}

TEST(RedisSchema, ValidateSettings) {
  cache_settings s;
  EXPECT_TRUE(validate(s).ok());
  struct row {
    void (*change)(cache_settings&);
    const char* field;
  };
  row rows[] = {
    {[](cache_settings& x) { x.prefix.clear(); }, "prefix"},
    {[](cache_settings& x) { x.prefix = "a b"; }, "prefix"},
    {[](cache_settings& x) { x.price_ttl_s = -1; }, "price_ttl_s"},
    {[](cache_settings& x) { x.ticker_ttl_s = -1; }, "ticker_ttl_s"},
    {[](cache_settings& x) { x.bars_ttl_s = -5; }, "bars_ttl_s"},
    {[](cache_settings& x) { x.max_bars = 0; }, "max_bars"},
  };
  for (auto& r : rows) {
    cache_settings bad;
    r.change(bad);
    auto v = validate(bad);
    ASSERT_FALSE(v.ok()) << r.field;
    EXPECT_EQ(v.err().code, errc::config_invalid);
    EXPECT_NE(v.err().context.find(r.field), std::string::npos)
      << v.err().context;
    auto built = build_commands({entry(entry_kind::price, "A", 1, "{}")}, bad);
    EXPECT_FALSE(built.ok()) << r.field;
  }
}

TEST(RedisSchema, PriceLastOfBatchWinsAndEveryEntryIsPublished) {
  cache_settings s;
  s.price_ttl_s = 60;
  std::vector<cache_entry> in{
    entry(entry_kind::price, "BTC-USDT", 2'000'000, R"({"p":"1"})"),
    entry(entry_kind::price, "ETH-USDT", 5'000'000, R"({"p":"2"})"),
    entry(entry_kind::price, "BTC-USDT", 1'000'000, R"({"p":"3"})"),
  };
  auto out = build_commands(in, s);
  ASSERT_TRUE(out.ok()) << out.err().message();
  EXPECT_EQ(out->entries, 3u);
  EXPECT_EQ(out->skipped, 0u);
  std::vector<command> want{
    {"MULTI"},
    {"SET", "tickflow:price:BTC-USDT", R"({"p":"3"})", "EX", "60"},
    {"SET", "tickflow:price:ETH-USDT", R"({"p":"2"})", "EX", "60"},
    {"ZADD", "tickflow:instruments", "GT", "2", "BTC-USDT", "5", "ETH-USDT"},
    {"PUBLISH", "tickflow:events:BTC-USDT",
     R"({"type":"price","data":{"p":"1"}})"},
    {"PUBLISH", "tickflow:events:ETH-USDT",
     R"({"type":"price","data":{"p":"2"}})"},
    {"PUBLISH", "tickflow:events:BTC-USDT",
     R"({"type":"price","data":{"p":"3"}})"},
    {"EXEC"},
  };
  EXPECT_EQ(out->commands, want);
}

TEST(RedisSchema, BarsReplaceTheirOpenTimeAndAreCapped) {
  auto s = plain_settings();
  s.max_bars = 3;
  s.bars_ttl_s = 600;
  std::vector<cache_entry> in{
    entry(entry_kind::bar, "BTC-USDT", 60'000'000'000, "b1"),
    entry(entry_kind::bar, "BTC-USDT", 120'000'000'000, "b2"),
    entry(entry_kind::bar, "BTC-USDT", 60'000'000'000, "b1v2"),
    entry(entry_kind::bar, "BTC-USDT", 3'600'000'000'000, "h1", interval::h1),
  };
  auto out = build_commands(in, s);
  ASSERT_TRUE(out.ok());
  std::vector<command> want{
    {"ZREMRANGEBYSCORE", "tickflow:bars:1m:BTC-USDT", "60000", "60000"},
    {"ZADD", "tickflow:bars:1m:BTC-USDT", "60000", "b1"},
    {"ZREMRANGEBYSCORE", "tickflow:bars:1m:BTC-USDT", "120000", "120000"},
    {"ZADD", "tickflow:bars:1m:BTC-USDT", "120000", "b2"},
    {"ZREMRANGEBYSCORE", "tickflow:bars:1m:BTC-USDT", "60000", "60000"},
    {"ZADD", "tickflow:bars:1m:BTC-USDT", "60000", "b1v2"},
    {"ZREMRANGEBYSCORE", "tickflow:bars:1h:BTC-USDT", "3600000", "3600000"},
    {"ZADD", "tickflow:bars:1h:BTC-USDT", "3600000", "h1"},
    {"ZREMRANGEBYRANK", "tickflow:bars:1m:BTC-USDT", "0", "-4"},
    {"EXPIRE", "tickflow:bars:1m:BTC-USDT", "600"},
    {"ZREMRANGEBYRANK", "tickflow:bars:1h:BTC-USDT", "0", "-4"},
    {"EXPIRE", "tickflow:bars:1h:BTC-USDT", "600"},
    {"ZADD", "tickflow:instruments", "GT", "3600000", "BTC-USDT"},
  };
  EXPECT_EQ(out->commands, want);
}

TEST(RedisSchema, TickersTradesAndZeroTtl) {
  auto s = plain_settings();
  s.ticker_ttl_s = 0;
  s.bars_ttl_s = 0;
  s.publish = true;
  std::vector<cache_entry> in{
    entry(entry_kind::ticker, "AAPL", 7'000'000, "q"),
    entry(entry_kind::trade, "AAPL", 9'000'000, "t"),
    entry(entry_kind::bar, "AAPL", 0, "b"),
  };
  auto out = build_commands(in, s);
  ASSERT_TRUE(out.ok());
  std::vector<command> want{
    {"SET", "tickflow:ticker:AAPL", "q"},
    {"ZREMRANGEBYSCORE", "tickflow:bars:1m:AAPL", "0", "0"},
    {"ZADD", "tickflow:bars:1m:AAPL", "0", "b"},
    {"ZREMRANGEBYRANK", "tickflow:bars:1m:AAPL", "0", "-1001"},
    {"ZADD", "tickflow:instruments", "GT", "7", "AAPL"},
    {"PUBLISH", "tickflow:events:AAPL", R"({"type":"ticker","data":q})"},
    {"PUBLISH", "tickflow:events:AAPL", R"({"type":"trade","data":t})"},
    {"PUBLISH", "tickflow:events:AAPL", R"({"type":"bar","data":b})"},
  };
  EXPECT_EQ(out->commands, want);
}

TEST(RedisSchema, BadEntriesAreSkippedAndCounted) {
  cache_settings s;
  std::vector<cache_entry> in{
    entry(entry_kind::price, "btc-usdt", 1, "{}"),     // lowercase
    entry(entry_kind::price, "BTC USDT", 1, "{}"),     // space
    entry(entry_kind::price, "", 1, "{}"),             // empty
    entry(entry_kind::price, "A:B\r\nFLUSHALL", 1, "{}"),
    entry(entry_kind::trade, "ETH-USDT", 1, ""),       // empty JSON
    entry(entry_kind::trade, "ETH-USDT", 1, "{}"),     // the only good one
  };
  auto out = build_commands(in, s);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->entries, 1u);
  EXPECT_EQ(out->skipped, 5u);
  EXPECT_EQ(out->first_skip_reason,
            "entry 0 (price): instrument is not canonical");
  std::vector<command> want{
    {"MULTI"},
    {"PUBLISH", "tickflow:events:ETH-USDT", R"({"type":"trade","data":{}})"},
    {"EXEC"},
  };
  EXPECT_EQ(out->commands, want);
}

TEST(RedisSchema, EmptyOrAllBadBatchHasNoCommands) {
  cache_settings s;
  auto empty = build_commands({}, s);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->commands.empty());
  auto bad = build_commands({entry(entry_kind::bar, "x", 0, "{}")}, s);
  ASSERT_TRUE(bad.ok());
  EXPECT_TRUE(bad->commands.empty()); // no bare MULTI/EXEC
  EXPECT_EQ(bad->skipped, 1u);
}

TEST(RedisSchema, ReadCommands) {
  cache_settings s;
  EXPECT_EQ(get_price_command(s, "A"), (command{"GET", "tickflow:price:A"}));
  EXPECT_EQ(get_ticker_command(s, "A"), (command{"GET", "tickflow:ticker:A"}));
  EXPECT_EQ(recent_bars_command(s, interval::m5, "A", 10),
            (command{"ZRANGE", "tickflow:bars:5m:A", "-10", "-1"}));
  EXPECT_EQ(recent_bars_command(s, interval::m5, "A", 0),
            (command{"ZRANGE", "tickflow:bars:5m:A", "1", "0"}));
  // [60 s, 180 s): both bounds in whole ms, end exclusive.
  EXPECT_EQ(bars_between_command(s, interval::m1, "A", 60'000'000'000,
                                 180'000'000'000, 0),
            (command{"ZRANGE", "tickflow:bars:1m:A", "60000", "(180000",
                     "BYSCORE"}));
  // Sub-ms bounds round up (ceil), so a bar at exactly 60 s is excluded
  // when start is 60 s + 1 ns and included when end is 60 s + 1 ns.
  EXPECT_EQ(bars_between_command(s, interval::m1, "A", 60'000'000'001,
                                 60'000'000'001, 5),
            (command{"ZRANGE", "tickflow:bars:1m:A", "60001", "(60001",
                     "BYSCORE", "LIMIT", "0", "5"}));
  EXPECT_EQ(instruments_command(s),
            (command{"ZRANGE", "tickflow:instruments", "0", "-1"}));
}

TEST(RedisSchema, PublishPayloadWrapsTheJson) {
  EXPECT_EQ(publish_payload(entry_kind::bar, R"({"a":1})"),
            R"({"type":"bar","data":{"a":1}})");
  EXPECT_EQ(to_string(entry_kind::price), "price");
  EXPECT_EQ(to_string(entry_kind::ticker), "ticker");
  EXPECT_EQ(to_string(entry_kind::trade), "trade");
}
