#include "adapters/binance/binance_stream.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "adapters/binance/binance_adapter.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/binance/binance_request.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::dec;
using test::read_fixture;

constexpr int64_t recv_ns = 1'700'000'000 * ns_per_s;

std::string ws_fixture(std::string_view name) {
  return read_fixture("binance/ws/" + std::string{name});
}

struct parsed {
  result<void> status;
  stream_frame frame;
};

parsed parse(std::string_view text) {
  auto p = make_binance_stream({});
  parsed out{{}, {}};
  out.status = p->parse(text, recv_ns, out.frame);
  return out;
}

stream_subscription sub(std::string instrument, stream_kind kind,
                        interval span = interval::m1) {
  return {std::move(instrument), kind, span};
}

// -- frames -------------------------------------------------------------------

TEST(BinanceStream, CombinedAggTradeFixture) {
  auto r = parse(ws_fixture("combined_aggTrade_OMGBUSD.binance_us.json"));
  ASSERT_TRUE(r.status) << r.status.err().message();
  ASSERT_EQ(r.frame.events.trades.size(), 1u);
  const auto& t = r.frame.events.trades[0];
  EXPECT_EQ(t.instrument, "OMG-BUSD");
  EXPECT_EQ(t.provider_symbol, "OMGBUSD");
  EXPECT_EQ(t.source, providers::binance);
  EXPECT_EQ(t.price, dec("13.8048"));
  EXPECT_EQ(t.size, dec("2.1"));
  EXPECT_EQ(t.trade_id, "a425085");
  EXPECT_EQ(t.aggressor, side::buy); // m=false: the buyer took
  EXPECT_EQ(t.ts_event_ns, 1633998288467 * ns_per_ms);
  EXPECT_EQ(t.ts_recv_ns, recv_ns);
  EXPECT_FALSE(r.frame.heartbeat);
}

TEST(BinanceStream, RawTradeFixture) {
  auto r = parse(ws_fixture("raw_trade.docs.json"));
  ASSERT_TRUE(r.status) << r.status.err().message();
  ASSERT_EQ(r.frame.events.trades.size(), 1u);
  const auto& t = r.frame.events.trades[0];
  EXPECT_EQ(t.instrument, "BNB-BTC");
  EXPECT_EQ(t.trade_id, "12345");
  EXPECT_EQ(t.price, dec("0.001"));
  EXPECT_EQ(t.size, dec("100"));
  EXPECT_EQ(t.aggressor, side::sell); // m=true: the seller took
  EXPECT_EQ(t.ts_event_ns, 1672515782136 * ns_per_ms);
}

TEST(BinanceStream, RawAggTradeFixture) {
  auto r = parse(ws_fixture("raw_aggTrade.docs.json"));
  ASSERT_TRUE(r.status) << r.status.err().message();
  ASSERT_EQ(r.frame.events.trades.size(), 1u);
  EXPECT_EQ(r.frame.events.trades[0].trade_id, "a12345");
}

TEST(BinanceStream, BookTickerFixtures) {
  for (auto name : {"combined_bookTicker_OMGBUSD.binance_us.json",
                    "raw_bookTicker.docs.json"}) {
    auto r = parse(ws_fixture(name));
    ASSERT_TRUE(r.status) << name << ": " << r.status.err().message();
    ASSERT_EQ(r.frame.events.quotes.size(), 1u) << name;
  }
  auto r = parse(ws_fixture("combined_bookTicker_OMGBUSD.binance_us.json"));
  const auto& q = r.frame.events.quotes[0];
  EXPECT_EQ(q.instrument, "OMG-BUSD");
  EXPECT_EQ(q.bid_price, dec("13.7664"));
  EXPECT_EQ(q.bid_size, dec("30.28"));
  EXPECT_EQ(q.ask_price, dec("13.7952"));
  EXPECT_EQ(q.ask_size, dec("31.57"));
  EXPECT_EQ(q.ts_event_ns, recv_ns); // spot bookTicker has no time
}

TEST(BinanceStream, KlineOpenAndClosedFixtures) {
  auto open = parse(ws_fixture("combined_kline_1m_open_OMGBUSD.binance_us.json"));
  auto closed = parse(ws_fixture("combined_kline_1m_closed_OMGBUSD.binance_us.json"));
  ASSERT_TRUE(open.status) << open.status.err().message();
  ASSERT_TRUE(closed.status) << closed.status.err().message();
  ASSERT_EQ(open.frame.events.bars.size(), 1u);
  ASSERT_EQ(closed.frame.events.bars.size(), 1u);
  const auto& o = open.frame.events.bars[0];
  const auto& c = closed.frame.events.bars[0];
  EXPECT_FALSE(o.closed);
  EXPECT_TRUE(c.closed);
  EXPECT_EQ(o.open_time_ns, 1633998240000 * ns_per_ms);
  EXPECT_EQ(c.open_time_ns, o.open_time_ns);
  EXPECT_EQ(c.span, interval::m1);
  EXPECT_EQ(c.instrument, "OMG-BUSD");
  EXPECT_EQ(c.open, dec("13.7212"));
  EXPECT_EQ(c.high, dec("13.8076"));
  EXPECT_EQ(c.low, dec("13.7212"));
  EXPECT_EQ(c.close, dec("13.7664"));
  EXPECT_EQ(c.volume, dec("536.51"));
  EXPECT_EQ(c.trade_count, 14u);
  EXPECT_EQ(o.trade_count, 6u);
}

TEST(BinanceStream, RecordedKlineStream) {
  std::istringstream lines{ws_fixture("raw_kline_5m_BTCUSDT_stream_2021-04-04.ndjson")};
  std::string line;
  std::vector<bar> bars;
  while (std::getline(lines, line)) {
    auto r = parse(line);
    ASSERT_TRUE(r.status) << r.status.err().message();
    for (auto& b : r.frame.events.bars)
      bars.push_back(b);
  }
  ASSERT_EQ(bars.size(), 6u);
  for (const auto& b : bars) {
    EXPECT_EQ(b.instrument, "BTC-USDT");
    EXPECT_EQ(b.span, interval::m5);
    EXPECT_EQ(b.open_time_ns, 1617524400000 * ns_per_ms);
    EXPECT_FALSE(b.closed);
  }
  EXPECT_EQ(bars.back().close, dec("57532.71"));
  EXPECT_EQ(bars.back().trade_count, 2870u);
}

TEST(BinanceStream, RawKlineDocs) {
  auto r = parse(ws_fixture("raw_kline.docs.json"));
  ASSERT_TRUE(r.status) << r.status.err().message();
  ASSERT_EQ(r.frame.events.bars.size(), 1u);
  EXPECT_EQ(r.frame.events.bars[0].instrument, "BNB-BTC");
  EXPECT_EQ(r.frame.events.bars[0].volume, dec("1000"));
}

TEST(BinanceStream, SubscriptionRepliesAreControl) {
  auto ok = parse(R"({"result":null,"id":7})");
  ASSERT_TRUE(ok.status);
  EXPECT_TRUE(ok.frame.heartbeat);
  EXPECT_EQ(ok.frame.control, "request 7 ok");
  EXPECT_EQ(ok.frame.events.size(), 0u);
  auto list = parse(R"({"result":["btcusdt@trade"],"id":3})");
  ASSERT_TRUE(list.status);
  EXPECT_EQ(list.frame.control, R"(request 3 result ["btcusdt@trade"])");
  auto bad = parse(R"({"error":{"code":2,"msg":"Invalid request: unknown variant"},"id":4})");
  ASSERT_TRUE(bad.status);
  EXPECT_EQ(bad.frame.control, "request 4 failed: Invalid request: unknown variant");
  EXPECT_FALSE(bad.frame.auth_failed);
}

// -- bad frames ----------------------------------------------------------------

TEST(BinanceStream, BadFramesAreMalformedWithWhatAndWhere) {
  struct tcase {
    std::string name;
    std::string frame;
    errc code;
    std::string context_has;
  };
  std::vector<tcase> cases{
    {"not json", "hello", errc::malformed, "not JSON"},
    {"empty", "", errc::malformed, "not JSON"},
    {"truncated", R"({"stream":"btcusdt@trade","data":{"e":"trade")", errc::malformed, "not JSON"},
    {"array root", "[1,2]", errc::malformed, "expected an object"},
    {"data not object", R"({"stream":"x","data":5})", errc::malformed, "data.expected an object"},
    {"no data", R"({"stream":"x"})", errc::missing_field, "data"},
    {"unknown event", R"({"e":"depthUpdate","s":"BTCUSDT"})", errc::malformed, "unexpected event type \"depthUpdate\""},
    {"no event type", R"({"s":"BTCUSDT","p":"1"})", errc::missing_field, "e"},
    {"missing price", R"({"stream":"btcusdt@trade","data":{"e":"trade","s":"BTCUSDT","t":1,"q":"1","T":1,"m":true}})",
     errc::missing_field, "data.p"},
    {"price as number", R"({"e":"trade","s":"BTCUSDT","t":1,"p":1.5,"q":"1","T":1,"m":true})",
     errc::bad_number, "p"},
    {"bad decimal", R"({"e":"trade","s":"BTCUSDT","t":1,"p":"1.2.3","q":"1","T":1,"m":true})",
     errc::bad_number, "p"},
    {"negative time", R"({"e":"trade","s":"BTCUSDT","t":1,"p":"1","q":"1","T":-5,"m":true})",
     errc::bad_number, "T: out of range"},
    {"unknown symbol", R"({"e":"trade","s":"ZZZ","t":1,"p":"1","q":"1","T":1,"m":true})",
     errc::unknown_symbol, "ZZZ"},
    {"kline without k", R"({"e":"kline","s":"BTCUSDT"})", errc::missing_field, "k"},
    {"kline bad interval", R"({"e":"kline","s":"BTCUSDT","k":{"t":1,"i":"7m","o":"1","h":"1","l":"1","c":"1","v":"1","n":1,"x":true}})",
     errc::malformed, "k.i: unknown interval"},
    {"kline missing close", R"({"e":"kline","s":"BTCUSDT","k":{"t":1,"i":"1m","o":"1","h":"1","l":"1","v":"1","n":1,"x":true}})",
     errc::missing_field, "k.c"},
  };
  for (const auto& c : cases) {
    auto r = parse(c.frame);
    ASSERT_FALSE(r.status) << c.name;
    EXPECT_EQ(r.status.err().code, c.code) << c.name << ": " << r.status.err().message();
    EXPECT_NE(r.status.err().context.find(c.context_has), std::string::npos)
      << c.name << ": " << r.status.err().context;
    EXPECT_EQ(r.frame.events.size(), 0u) << c.name;
  }
}

TEST(BinanceStream, BinaryGarbageIsMalformed) {
  std::string garbage;
  uint32_t x = 2463534242u;
  for (int i = 0; i < 4096; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    garbage.push_back(static_cast<char>(x & 0xff));
  }
  garbage[0] = '{'; // looks like JSON for one byte
  auto r = parse(garbage);
  ASSERT_FALSE(r.status);
  EXPECT_EQ(r.status.err().code, errc::malformed);
  // Invalid UTF-8 inside an otherwise valid frame is refused too.
  auto utf = parse("{\"e\":\"trade\",\"s\":\"BTC\xff\xfeUSDT\"}");
  ASSERT_FALSE(utf.status);
  EXPECT_EQ(utf.status.err().code, errc::malformed);
  // A NUL inside the text does not end it early.
  auto nul = parse(std::string{"{\"result\":null,\"id\":1}\0garbage", 30});
  EXPECT_FALSE(nul.status);
}

TEST(BinanceStream, HugeAndDeepFramesAreMalformed) {
  std::string huge(max_stream_frame_bytes + 1, ' ');
  auto r = parse(huge);
  ASSERT_FALSE(r.status);
  EXPECT_EQ(r.status.err().code, errc::malformed);
  EXPECT_NE(r.status.err().context.find("above the limit"), std::string::npos);
  // Deep nesting does not blow the stack (the parser is iterative).
  std::string deep(200'000, '[');
  auto d = parse(deep);
  ASSERT_FALSE(d.status);
  EXPECT_EQ(d.status.err().code, errc::malformed);
}

// -- messages to send -----------------------------------------------------------

TEST(BinanceStream, ConnectionFacts) {
  auto p = make_binance_stream({});
  std::vector<std::string> secrets;
  credentials cred{"secret-key"};
  EXPECT_EQ(p->path(cred, secrets), "/stream");
  EXPECT_TRUE(secrets.empty());
  EXPECT_TRUE(p->on_open(cred).empty());
  EXPECT_EQ(p->max_streams_per_connection(), 1024u);
  EXPECT_EQ(p->max_outgoing_per_second(), 5.0);
  EXPECT_EQ(p->id(), providers::binance);
  EXPECT_NE(make_stream_protocol(providers::binance, {}), nullptr);
}

TEST(BinanceStream, SubscribeAndUnsubscribeShapes) {
  auto p = make_binance_stream({});
  uint64_t id = 1;
  auto subs = std::vector<stream_subscription>{
    sub("BTC-USDT", stream_kind::trades), sub("BTC-USDT", stream_kind::bars, interval::m1),
    sub("ETH-BTC", stream_kind::agg_trades), sub("ETH-BTC", stream_kind::quotes),
    sub("BTC-USDT", stream_kind::trades) /* repeat */};
  auto on = p->subscribe(subs, id);
  ASSERT_TRUE(on) << on.err().message();
  ASSERT_EQ(on->size(), 1u);
  EXPECT_EQ((*on)[0], R"({"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@kline_1m",)"
                      R"("ethbtc@aggTrade","ethbtc@bookTicker"],"id":1})");
  auto off = p->unsubscribe({sub("BTC-USDT", stream_kind::bars, interval::h4)}, id);
  ASSERT_TRUE(off);
  EXPECT_EQ((*off)[0], R"({"method":"UNSUBSCRIBE","params":["btcusdt@kline_4h"],"id":2})");
  EXPECT_EQ(id, 3u);
}

TEST(BinanceStream, ManyStreamsSpreadOverMessages) {
  auto p = make_binance_stream({});
  std::vector<stream_subscription> subs;
  for (int i = 0; i < 450; ++i)
    subs.push_back(sub("C" + std::to_string(i) + "-USDT", stream_kind::trades));
  uint64_t id = 10;
  auto on = p->subscribe(subs, id);
  ASSERT_TRUE(on);
  ASSERT_EQ(on->size(), 3u); // 200 + 200 + 50
  EXPECT_NE((*on)[2].find(R"("id":12)"), std::string::npos);
  EXPECT_NE((*on)[2].find("c449usdt@trade"), std::string::npos);
  EXPECT_EQ(id, 13u);
}

TEST(BinanceStream, RefusesWhatItCannotMap) {
  auto p = make_binance_stream({});
  uint64_t id = 1;
  auto bad = p->subscribe({sub("NOT-A-PAIR", stream_kind::trades)}, id);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.err().code, errc::unknown_symbol);
  EXPECT_EQ(id, 1u); // nothing numbered
  adapter_options opts;
  opts.symbol_overrides = {{"XBT-USD", "BTCUSDT"}};
  auto mapped = make_binance_stream(opts);
  auto ok = mapped->subscribe({sub("XBT-USD", stream_kind::trades)}, id);
  ASSERT_TRUE(ok);
  EXPECT_NE((*ok)[0].find("btcusdt@trade"), std::string::npos);
  stream_frame f;
  ASSERT_TRUE(mapped->parse(R"({"e":"trade","s":"BTCUSDT","t":1,"p":"1","q":"1","T":1,"m":true})",
                            recv_ns, f));
  EXPECT_EQ(f.events.trades.at(0).instrument, "XBT-USD");
}

TEST(BinanceStream, SpreadsMoreThan1024StreamsOverConnections) {
  std::vector<stream_subscription> subs;
  for (int i = 0; i < 2500; ++i)
    subs.push_back(sub("C" + std::to_string(i) + "-USDT", stream_kind::trades));
  subs.push_back(subs[17]); // a repeat is not counted twice
  auto groups = spread_subscriptions(subs, make_binance_stream({})->max_streams_per_connection());
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].size(), 1024u);
  EXPECT_EQ(groups[1].size(), 1024u);
  EXPECT_EQ(groups[2].size(), 452u);
  EXPECT_EQ(groups[0][0].instrument, "C0-USDT");
  EXPECT_EQ(groups[2].back().instrument, "C2499-USDT");
  EXPECT_EQ(spread_subscriptions(subs, 0).size(), 1u);
  EXPECT_TRUE(spread_subscriptions({}, 1024).empty());
  // The span only tells bar subscriptions apart.
  auto spans = spread_subscriptions({sub("X-USDT", stream_kind::trades, interval::m1),
                                     sub("X-USDT", stream_kind::trades, interval::h1),
                                     sub("X-USDT", stream_kind::bars, interval::m1),
                                     sub("X-USDT", stream_kind::bars, interval::h1)},
                                    10);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].size(), 3u);
}

// -- backfill -------------------------------------------------------------------

TEST(BinanceStream, BackfillRequests) {
  auto p = make_binance_stream({});
  int64_t from = 1'700'000'000 * ns_per_s;
  int64_t to = from + 30 * ns_per_s;
  auto t = p->backfill(sub("BTC-USDT", stream_kind::trades), from, to);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, fetch_kind::trades);
  EXPECT_FALSE(t->aggregated);
  EXPECT_EQ(t->start_ns, from);
  EXPECT_EQ(t->end_ns, to);
  auto a = p->backfill(sub("BTC-USDT", stream_kind::agg_trades), from, to);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, fetch_kind::trades);
  EXPECT_TRUE(a->aggregated);
  auto k = p->backfill(sub("BTC-USDT", stream_kind::bars, interval::m5), from, to);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->kind, fetch_kind::bars);
  EXPECT_EQ(k->span, interval::m5);
  EXPECT_FALSE(p->backfill(sub("BTC-USDT", stream_kind::quotes), from, to));
}

// -- REST trades (backfill) -------------------------------------------------------

TEST(BinanceRestTrades, BuildsAggTradesWithTimeBounds) {
  auto rest = make_binance_adapter({});
  fetch_request req;
  req.kind = fetch_kind::trades;
  req.aggregated = true;
  req.instrument = "BTC-USDT";
  req.start_ns = 1'700'000'000'123'456'789;
  req.end_ns = req.start_ns + 30 * ns_per_s;
  auto out = rest->build(req, {});
  ASSERT_TRUE(out) << out.err().message();
  EXPECT_EQ(out->url("http://127.0.0.1:9"),
            "http://127.0.0.1:9/api/v3/aggTrades?symbol=BTCUSDT&startTime=1700000000123"
            "&endTime=1700000030123&limit=1000");
  // Binance refuses windows over an hour: the first hour is asked for.
  req.end_ns = req.start_ns + 5 * 3600 * ns_per_s;
  out = rest->build(req, {});
  ASSERT_TRUE(out);
  EXPECT_NE(out->url("").find("endTime=1700003600122"), std::string::npos);
}

TEST(BinanceRestTrades, BuildsRawTrades) {
  auto rest = make_binance_adapter({});
  fetch_request req;
  req.kind = fetch_kind::trades;
  req.instrument = "BTC-USDT";
  req.start_ns = 1;
  req.end_ns = 2;
  auto out = rest->build(req, {});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->url(""), "/api/v3/trades?symbol=BTCUSDT&limit=1000");
  req.limit = 1001;
  auto bad = rest->build(req, {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.err().code, errc::invalid_argument);
  req.limit = 0;
  req.start_ns = 5;
  auto backwards = rest->build(req, {});
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.err().code, errc::invalid_argument);
}

TEST(BinanceRestTrades, ParsesAggTradesFixture) {
  auto rest = make_binance_adapter({});
  fetch_request req;
  req.kind = fetch_kind::trades;
  req.aggregated = true;
  req.instrument = "BNB-BTC";
  auto out = test::expect_result(
    rest->parse(req, test::reply_of(200, read_fixture("binance/rest/api_v3_aggTrades.docs.json")),
                recv_ns));
  ASSERT_EQ(out.trades.size(), 1u);
  const auto& t = out.trades[0];
  EXPECT_EQ(t.trade_id, "a26129"); // same id space as the aggTrade stream
  EXPECT_EQ(t.price, dec("0.01633102"));
  EXPECT_EQ(t.size, dec("4.70443515"));
  EXPECT_EQ(t.ts_event_ns, 1498793709153 * ns_per_ms);
  EXPECT_EQ(t.aggressor, side::sell);
  EXPECT_EQ(t.instrument, "BNB-BTC");
  EXPECT_EQ(t.provider_symbol, "BNBBTC");
}

TEST(BinanceRestTrades, ParsesRawTradesFixtureWithinBounds) {
  auto rest = make_binance_adapter({});
  fetch_request req;
  req.kind = fetch_kind::trades;
  req.instrument = "BNB-BTC";
  auto body = read_fixture("binance/rest/api_v3_trades.docs.json");
  auto all = test::expect_result(rest->parse(req, test::reply_of(200, body), recv_ns));
  ASSERT_EQ(all.trades.size(), 1u);
  EXPECT_EQ(all.trades[0].trade_id, "28457");
  EXPECT_EQ(all.trades[0].price, dec("4.000001"));
  EXPECT_EQ(all.trades[0].size, dec("12"));
  EXPECT_EQ(all.trades[0].ts_event_ns, 1499865549590 * ns_per_ms);
  // The raw endpoint has no time bounds: the parser applies them.
  req.start_ns = 1499865549591 * ns_per_ms;
  auto none = test::expect_result(rest->parse(req, test::reply_of(200, body), recv_ns));
  EXPECT_TRUE(none.trades.empty());
}

TEST(BinanceRestTrades, BadRowsAreMalformed) {
  auto rest = make_binance_adapter({});
  fetch_request req;
  req.kind = fetch_kind::trades;
  req.aggregated = true;
  req.instrument = "BNB-BTC";
  auto e = test::expect_error(rest->parse(
    req, test::reply_of(200, R"([{"a":1,"p":"1","q":"1","T":1,"m":true},{"a":2,"q":"1","T":1,"m":true}])"),
    recv_ns));
  EXPECT_EQ(e.code, errc::missing_field);
  EXPECT_NE(e.message.find("[1].p"), std::string::npos) << e.message;
  auto obj = test::expect_error(rest->parse(req, test::reply_of(200, "{}"), recv_ns));
  EXPECT_EQ(obj.code, errc::malformed);
}

} // namespace
} // namespace tickflow
