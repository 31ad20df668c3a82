#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/simulator/simulator_provider.hpp"
#include "api/event_json.hpp"

#include <string>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

using namespace tickflow;
using tickflow::api::append_json;
using tickflow::api::append_json_string;

namespace {

decimal dec(int64_t mantissa, uint8_t scale) {
  return decimal::from_parts(mantissa, scale);
}

template <class Event>
std::string to_json(const Event& x) {
  std::string out;
  append_json(out, x);
  return out;
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  return doc;
}

trade sample_trade() {
  trade x;
  x.instrument = "BTC-USDT";
  x.provider_symbol = "BTCUSDT";
  x.source = providers::simulator;
  x.price = dec(6500012, 2);
  x.size = dec(15, 3);
  x.aggressor = side::buy;
  x.trade_id = "17";
  x.ts_event_ns = 1700000000123000000;
  x.ts_recv_ns = 1700000000123400000;
  return x;
}

} // namespace

// -- trades ---------------------------------------------------------------------

TEST(EventJson, TradeMatchesTheDocumentedExample) {
  auto json = to_json(sample_trade());
  EXPECT_EQ(json,
            R"({"instrument":"BTC-USDT","provider":"simulator",)"
            R"("provider_symbol":"BTCUSDT","price":"65000.12","size":"0.015",)"
            R"("side":"buy","trade_id":"17","ts":1700000000123000000,)"
            R"("time":"2023-11-14T22:13:20.123Z","ts_recv":1700000000123400000,)"
            R"("flags":[]})");
}

TEST(EventJson, TradeParsesBackWithRapidJson) {
  auto x = sample_trade();
  x.aggressor = side::sell;
  x.source = providers::binance;
  x.flags = quality_outlier | quality_stale;
  auto doc = parse(to_json(x));
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc.MemberCount(), 11u);
  EXPECT_STREQ(doc["instrument"].GetString(), "BTC-USDT");
  EXPECT_STREQ(doc["provider"].GetString(), "binance");
  EXPECT_STREQ(doc["price"].GetString(), "65000.12");
  EXPECT_STREQ(doc["size"].GetString(), "0.015");
  EXPECT_STREQ(doc["side"].GetString(), "sell");
  EXPECT_EQ(doc["ts"].GetInt64(), 1700000000123000000);
  EXPECT_EQ(doc["ts_recv"].GetInt64(), 1700000000123400000);
  ASSERT_TRUE(doc["flags"].IsArray());
  ASSERT_EQ(doc["flags"].Size(), 2u);
  EXPECT_STREQ(doc["flags"][0].GetString(), "outlier");
  EXPECT_STREQ(doc["flags"][1].GetString(), "stale");
}

TEST(EventJson, AppendsToExistingBuffer) {
  std::string out = "[";
  append_json(out, sample_trade());
  out += ',';
  append_json(out, sample_trade());
  out += ']';
  auto doc = parse(out);
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_TRUE(doc.IsArray());
  EXPECT_EQ(doc.Size(), 2u);
}

TEST(EventJson, NegativeAndZeroValues) {
  auto x = sample_trade();
  x.price = dec(-5, 1);
  x.size = dec(0, 0);
  x.aggressor = side::unknown;
  x.ts_event_ns = 0;
  x.ts_recv_ns = -1;
  auto doc = parse(to_json(x));
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["price"].GetString(), "-0.5");
  EXPECT_STREQ(doc["size"].GetString(), "0");
  EXPECT_STREQ(doc["side"].GetString(), "unknown");
  EXPECT_EQ(doc["ts"].GetInt64(), 0);
  EXPECT_STREQ(doc["time"].GetString(), "1970-01-01T00:00:00Z");
  EXPECT_EQ(doc["ts_recv"].GetInt64(), -1);
}

TEST(EventJson, AllFlagsInBitOrder) {
  auto x = sample_trade();
  x.flags = 0xff;
  auto doc = parse(to_json(x));
  ASSERT_FALSE(doc.HasParseError());
  const char* expected[] = {"backfilled", "outlier",      "stale",
                            "divergent",  "duplicate",    "out_of_order",
                            "future",     "synthetic"};
  ASSERT_EQ(doc["flags"].Size(), 8u);
  for (rapidjson::SizeType i = 0; i < 8; ++i)
    EXPECT_STREQ(doc["flags"][i].GetString(), expected[i]) << i;
}

TEST(EventJson, UnknownFlagBitsAreIgnored) {
  auto x = sample_trade();
  x.flags = quality_synthetic | (1u << 20);
  auto json = to_json(x);
  EXPECT_NE(json.find(R"("flags":["synthetic"])"), std::string::npos) << json;
}

// -- quotes, bars, prices ---------------------------------------------------------

TEST(EventJson, QuoteExactString) {
  quote x;
  x.instrument = "AAPL";
  x.provider_symbol = "AAPL";
  x.source = providers::polygon;
  x.bid_price = dec(18912, 2);
  x.bid_size = dec(300, 0);
  x.ask_price = dec(18915, 2);
  x.ask_size = dec(2, 0);
  x.ts_event_ns = 1700000000000000000;
  x.ts_recv_ns = 1700000000000500000;
  x.flags = quality_backfilled;
  EXPECT_EQ(to_json(x),
            R"({"instrument":"AAPL","provider":"polygon","provider_symbol":"AAPL",)"
            R"("bid_price":"189.12","bid_size":"300","ask_price":"189.15",)"
            R"("ask_size":"2","ts":1700000000000000000,)"
            R"("time":"2023-11-14T22:13:20Z","ts_recv":1700000000000500000,)"
            R"("flags":["backfilled"]})");
  auto doc = parse(to_json(x));
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(doc.MemberCount(), 11u);
}

TEST(EventJson, BarExactString) {
  bar x;
  x.instrument = "BTC-USDT";
  x.provider_symbol = "BTCUSDT";
  x.source = providers::binance;
  x.span = interval::m1;
  x.open_time_ns = 1700000040000000000;
  x.open = dec(6500000, 2);
  x.high = dec(6501050, 2);
  x.low = dec(6499900, 2);
  x.close = dec(6500012, 2);
  x.volume = dec(12345, 3);
  x.trade_count = 42;
  x.closed = true;
  x.ts_recv_ns = 1700000100000000000;
  EXPECT_EQ(to_json(x),
            R"({"instrument":"BTC-USDT","provider":"binance","provider_symbol":"BTCUSDT",)"
            R"("interval":"1m","open_time":1700000040000000000,)"
            R"("time":"2023-11-14T22:14:00Z","open":"65000","high":"65010.5",)"
            R"("low":"64999","close":"65000.12","volume":"12.345","trades":42,)"
            R"("closed":true,"flags":[]})");
  x.closed = false;
  x.span = interval::mo1;
  auto doc = parse(to_json(x));
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(doc.MemberCount(), 14u);
  EXPECT_FALSE(doc["closed"].GetBool());
  EXPECT_STREQ(doc["interval"].GetString(), "1M");
  EXPECT_EQ(doc["trades"].GetUint64(), 42u);
}

TEST(EventJson, PriceExactString) {
  price x;
  x.instrument = "ETH-USDT";
  x.source = providers::coingecko;
  x.value = dec(345678, 2);
  x.trade_id = "991";
  x.ts_event_ns = 1700000000123456789;
  x.ts_recv_ns = 1700000000200000000;
  EXPECT_EQ(to_json(x),
            R"({"instrument":"ETH-USDT","provider":"coingecko","price":"3456.78",)"
            R"("trade_id":"991","ts":1700000000123456789,)"
            R"("time":"2023-11-14T22:13:20.123456789Z",)"
            R"("ts_recv":1700000000200000000,"flags":[]})");
}

TEST(EventJson, PriceWithoutTradeIdHasNullTradeId) {
  price x;
  x.instrument = "ETH-USDT";
  x.value = dec(1, 0);
  auto doc = parse(to_json(x));
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(doc.MemberCount(), 8u);
  EXPECT_TRUE(doc["trade_id"].IsNull());
}

// -- escaping -------------------------------------------------------------------

TEST(EventJson, StringEscaping) {
  struct row {
    std::string in;
    std::string out;
  };
  const row rows[] = {
    {"", R"("")"},
    {"plain", R"("plain")"},
    {"a\"b", R"("a\"b")"},
    {"a\\b", R"("a\\b")"},
    {"a/b", R"("a/b")"},
    {"\n\r\t\b\f", R"("\n\r\t\b\f")"},
    {std::string("\x01\x1f", 2), R"("\u0001\u001f")"},
    {std::string("nul\0x", 5), R"("nul\u0000x")"},
    {"caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\""},
  };
  for (const auto& r : rows) {
    std::string out;
    append_json_string(out, r.in);
    EXPECT_EQ(out, r.out);
    auto doc = parse(out);
    ASSERT_FALSE(doc.HasParseError()) << out;
    ASSERT_TRUE(doc.IsString());
    EXPECT_EQ(std::string(doc.GetString(), doc.GetStringLength()), r.in);
  }
}

TEST(EventJson, EscapesFieldsOfEvents) {
  auto x = sample_trade();
  x.provider_symbol = "BTC\"USDT\\";
  x.trade_id = "id\n1";
  auto doc = parse(to_json(x));
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["provider_symbol"].GetString(), "BTC\"USDT\\");
  EXPECT_STREQ(doc["trade_id"].GetString(), "id\n1");
}
