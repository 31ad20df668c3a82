// The one decoder of event JSON (adapters/redis/event_codec): what
// api/event_json writes (the texts below are its output, pinned in
// tests/api/event_json_test.cpp) decodes field for field, and every defect is
// a typed error naming the first bad field. The round trip through the
// encoder is tested with the PUBLISH payloads (tests/cluster) and the Redis
// reads (tests/storage/reads).

#include "adapters/redis/event_codec.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/simulator/simulator_provider.hpp"

using namespace tickflow;
using namespace tickflow::redis;

namespace {

const std::string trade_json =
  R"({"instrument":"BTC-USDT","provider":"simulator","provider_symbol":"BTCUSDT",)"
  R"("price":"65000.12","size":"0.015","side":"buy","trade_id":"17",)"
  R"("ts":1700000000123000000,"time":"2023-11-14T22:13:20.123Z",)"
  R"("ts_recv":1700000000123400000,"flags":["outlier","synthetic"]})";

const std::string quote_json =
  R"({"instrument":"ETH-USDT","provider":"binance","provider_symbol":"ETHUSDT",)"
  R"("bid_price":"3456.7","bid_size":"1.5","ask_price":"3456.8","ask_size":"2",)"
  R"("ts":1700000000000000000,"time":"2023-11-14T22:13:20.000Z",)"
  R"("ts_recv":1700000000000000001,"flags":[]})";

const std::string bar_json =
  R"({"instrument":"AAPL","provider":"polygon","provider_symbol":"AAPL",)"
  R"("interval":"1h","open_time":1700000000000000000,)"
  R"("time":"2023-11-14T22:13:20.000Z","open":"189.5","high":"190",)"
  R"("low":"189.25","close":"189.75","volume":"12345","trades":678,)"
  R"("closed":true,"flags":["backfilled"]})";

const std::string price_json =
  R"({"instrument":"BTC-USDT","provider":"coingecko","price":"0.000123",)"
  R"("trade_id":null,"ts":5,"time":"1970-01-01T00:00:00.000Z","ts_recv":6,)"
  R"("flags":["stale"]})";

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  return doc;
}

std::string replaced(std::string s, const std::string& from,
                     const std::string& to) {
  auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

} // namespace

TEST(EventCodec, EveryKindDecodesFieldForField) {
  auto t = decode_trade(parse(trade_json));
  ASSERT_TRUE(t.ok()) << t.err().context;
  EXPECT_EQ(t->instrument, "BTC-USDT");
  EXPECT_EQ(t->provider_symbol, "BTCUSDT");
  EXPECT_EQ(t->source, providers::simulator);
  EXPECT_EQ(t->price, decimal::from_parts(6500012, 2));
  EXPECT_EQ(t->size, decimal::from_parts(15, 3));
  EXPECT_EQ(t->aggressor, side::buy);
  EXPECT_EQ(t->trade_id, "17");
  EXPECT_EQ(t->ts_event_ns, 1700000000123000000);
  EXPECT_EQ(t->ts_recv_ns, 1700000000123400000);
  EXPECT_EQ(t->flags, quality_outlier | quality_synthetic);

  auto q = decode_quote(parse(quote_json));
  ASSERT_TRUE(q.ok()) << q.err().context;
  EXPECT_EQ(q->source, providers::binance);
  EXPECT_EQ(q->bid_price, decimal::from_parts(34567, 1));
  EXPECT_EQ(q->ask_size, decimal::from_parts(2, 0));
  EXPECT_EQ(q->ts_recv_ns, 1700000000000000001);
  EXPECT_EQ(q->flags, 0u);

  auto b = parse_bar_json(bar_json);
  ASSERT_TRUE(b.ok()) << b.err().context;
  EXPECT_EQ(b->instrument, "AAPL");
  EXPECT_EQ(b->source, providers::polygon);
  EXPECT_EQ(b->span, interval::h1);
  EXPECT_EQ(b->open_time_ns, 1700000000000000000);
  EXPECT_EQ(b->low, decimal::from_parts(18925, 2));
  EXPECT_EQ(b->trade_count, 678u);
  EXPECT_TRUE(b->closed);
  EXPECT_EQ(b->ts_recv_ns, 0); // not written
  EXPECT_EQ(b->flags, quality_backfilled);

  auto p = parse_price_json(price_json);
  ASSERT_TRUE(p.ok()) << p.err().context;
  EXPECT_EQ(p->source, providers::coingecko);
  EXPECT_EQ(p->value, decimal::from_parts(123, 6));
  EXPECT_TRUE(p->trade_id.empty());
  EXPECT_EQ(p->ts_event_ns, 5);
  EXPECT_EQ(p->ts_recv_ns, 6);
  EXPECT_EQ(p->flags, quality_stale);
}

TEST(EventCodec, APriceTradeIdIsAStringNullOrAbsent) {
  auto with_id = parse_price_json(replaced(price_json, "null", R"("77")"));
  ASSERT_TRUE(with_id.ok());
  EXPECT_EQ(with_id->trade_id, "77");
  auto without = parse_price_json(replaced(price_json, R"("trade_id":null,)", ""));
  ASSERT_TRUE(without.ok()) << without.err().context;
  EXPECT_TRUE(without->trade_id.empty());
}

TEST(EventCodec, DefectsAreTypedErrorsNamingTheFirstBadField) {
  struct row {
    std::string json;
    bool bar; // else a trade
    errc code;
    std::string context;
  };
  const row rows[] = {
    {"{}", false, errc::missing_field, "instrument"},
    {replaced(trade_json, R"("instrument":"BTC-USDT")", R"("instrument":"btc")"),
     false, errc::malformed, "instrument: not canonical"},
    {replaced(trade_json, R"("provider":"simulator")", R"("provider":7)"), false,
     errc::malformed, "provider"},
    {replaced(trade_json, R"("provider":"simulator")", R"("provider":"nyse")"),
     false, errc::malformed, "provider: unknown"},
    {replaced(trade_json, R"("price":"65000.12",)", ""), false,
     errc::missing_field, "price"},
    {replaced(trade_json, R"("65000.12")", "65000.12"), false, errc::bad_number,
     "price"},
    {replaced(trade_json, R"("side":"buy")", R"("side":"long")"), false,
     errc::malformed, "side: unknown"},
    {replaced(trade_json, R"(["outlier","synthetic"])", R"(["shiny"])"), false,
     errc::malformed, "flags: unknown flag"},
    {replaced(trade_json, R"(["outlier","synthetic"])", R"([1])"), false,
     errc::malformed, "flags: expected strings"},
    {replaced(trade_json, R"(["outlier","synthetic"])", R"("outlier")"), false,
     errc::malformed, "flags: expected an array"},
    {replaced(trade_json, R"(,"flags":["outlier","synthetic"])", ""), false,
     errc::missing_field, "flags"},
    // The kind's fields come before the flags.
    {replaced(replaced(trade_json, R"("ts_recv":1700000000123400000)",
                       R"("ts_recv":1.5)"),
              R"(["outlier","synthetic"])", R"(["shiny"])"),
     false, errc::bad_number, "ts_recv"},
    {replaced(bar_json, R"("interval":"1h")", R"("interval":"7m")"), true,
     errc::malformed, "interval: unknown"},
    {replaced(bar_json, R"("trades":678)", R"("trades":-1)"), true,
     errc::bad_number, "trades"},
    {replaced(bar_json, R"("closed":true)", R"("closed":1)"), true,
     errc::malformed, "closed"},
    {trade_json, true, errc::missing_field, "interval"}, // a trade is no bar
  };
  for (auto& r : rows) {
    auto doc = parse(r.json);
    ASSERT_FALSE(doc.HasParseError()) << r.json;
    error e;
    if (r.bar) {
      auto x = decode_bar(doc);
      ASSERT_FALSE(x.ok()) << r.json;
      e = x.err();
    } else {
      auto x = decode_trade(doc);
      ASSERT_FALSE(x.ok()) << r.json;
      e = x.err();
    }
    EXPECT_EQ(e.code, r.code) << r.json << ": " << e.context;
    EXPECT_EQ(e.context.rfind(r.context, 0), 0u) << r.json << ": " << e.context;
  }
}

TEST(EventCodec, TextThatIsNotAnObjectIsMalformed) {
  for (const char* text : {"", "[]", "\"price\"", "{\"a\":", "\xff\xfe"}) {
    auto p = parse_price_json(text);
    ASSERT_FALSE(p.ok()) << text;
    EXPECT_EQ(p.err().code, errc::malformed);
    EXPECT_EQ(p.err().context, "not a JSON object");
    auto b = parse_bar_json(text);
    ASSERT_FALSE(b.ok()) << text;
    EXPECT_EQ(b.err().code, errc::malformed);
  }
}
