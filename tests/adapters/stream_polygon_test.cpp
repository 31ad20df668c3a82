#include "adapters/polygon/polygon_stream.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/polygon/polygon_adapter.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::dec;
using test::read_fixture;

constexpr int64_t recv_ns = 1'700'000'000 * ns_per_s;

// A documented event object as it travels: inside an array.
std::string on_wire(std::string_view name) {
  return "[" + read_fixture("polygon/ws/" + std::string{name}) + "]";
}

struct parsed {
  result<void> status;
  stream_frame frame;
};

parsed parse(std::string_view text, polygon_market m = polygon_market::stocks) {
  auto p = make_polygon_stream({}, m);
  parsed out{{}, {}};
  out.status = p->parse(text, recv_ns, out.frame);
  return out;
}

stream_subscription sub(std::string instrument, stream_kind kind,
                        interval span = interval::m1) {
  return {std::move(instrument), kind, span};
}

TEST(PolygonStream, TradeFixture) {
  auto r = parse(on_wire("stocks_T.example.json"));
  ASSERT_TRUE(r.status) << r.status.err().message();
  ASSERT_EQ(r.frame.events.trades.size(), 1u);
  const auto& t = r.frame.events.trades[0];
  EXPECT_EQ(t.instrument, "MSFT");
  EXPECT_EQ(t.provider_symbol, "MSFT");
  EXPECT_EQ(t.source, providers::polygon);
  EXPECT_EQ(t.price, dec("114.125"));
  EXPECT_EQ(t.size, dec("100"));
  EXPECT_EQ(t.trade_id, "12345");
  EXPECT_EQ(t.ts_event_ns, 1536036818784 * ns_per_ms);
  EXPECT_EQ(t.ts_recv_ns, recv_ns);
}

TEST(PolygonStream, QuoteFixture) {
  auto r = parse(on_wire("stocks_Q.example.json"));
  ASSERT_TRUE(r.status) << r.status.err().message();
  ASSERT_EQ(r.frame.events.quotes.size(), 1u);
  const auto& q = r.frame.events.quotes[0];
  EXPECT_EQ(q.instrument, "MSFT");
  EXPECT_EQ(q.bid_price, dec("114.125"));
  EXPECT_EQ(q.bid_size, dec("100"));
  EXPECT_EQ(q.ask_price, dec("114.128"));
  EXPECT_EQ(q.ask_size, dec("160"));
  EXPECT_EQ(q.ts_event_ns, 1536036818784 * ns_per_ms);
}

TEST(PolygonStream, SecondAndMinuteAggregateFixtures) {
  auto a = parse(on_wire("stocks_A.example.json"));
  auto am = parse(on_wire("stocks_AM.example.json"));
  ASSERT_TRUE(a.status) << a.status.err().message();
  ASSERT_TRUE(am.status) << am.status.err().message();
  ASSERT_EQ(a.frame.events.bars.size(), 1u);
  ASSERT_EQ(am.frame.events.bars.size(), 1u);
  const auto& s1 = a.frame.events.bars[0];
  EXPECT_EQ(s1.instrument, "SPCE");
  EXPECT_EQ(s1.span, interval::s1);
  EXPECT_EQ(s1.open_time_ns, 1610144868000 * ns_per_ms);
  EXPECT_EQ(s1.close, dec("25.39"));
  EXPECT_EQ(s1.volume, dec("200"));
  EXPECT_TRUE(s1.closed);
  const auto& m1 = am.frame.events.bars[0];
  EXPECT_EQ(m1.instrument, "GTE");
  EXPECT_EQ(m1.span, interval::m1);
  EXPECT_EQ(m1.open, dec("0.4488"));
  EXPECT_EQ(m1.high, dec("0.4489"));
  EXPECT_EQ(m1.low, dec("0.4486"));
  EXPECT_EQ(m1.close, dec("0.4486"));
  EXPECT_EQ(m1.volume, dec("4110"));
  EXPECT_EQ(m1.open_time_ns, 1610144640000 * ns_per_ms);
}

TEST(PolygonStream, CryptoFixtures) {
  auto xt = parse(on_wire("crypto_XT.example.json"), polygon_market::crypto);
  ASSERT_TRUE(xt.status) << xt.status.err().message();
  ASSERT_EQ(xt.frame.events.trades.size(), 1u);
  const auto& t = xt.frame.events.trades[0];
  EXPECT_EQ(t.instrument, "BTC-USD");
  EXPECT_EQ(t.provider_symbol, "BTC-USD");
  EXPECT_EQ(t.price, dec("33021.9"));
  EXPECT_EQ(t.size, dec("0.01616617"));
  EXPECT_EQ(t.trade_id, "14272084"); // an integer on crypto
  auto xa = parse(on_wire("crypto_XA.example.json"), polygon_market::crypto);
  ASSERT_TRUE(xa.status) << xa.status.err().message();
  ASSERT_EQ(xa.frame.events.bars.size(), 1u);
  EXPECT_EQ(xa.frame.events.bars[0].instrument, "BCD-USD");
  EXPECT_EQ(xa.frame.events.bars[0].volume, dec("951.6112"));
  EXPECT_EQ(xa.frame.events.bars[0].span, interval::m1);
}

TEST(PolygonStream, SeveralEventsPerFrame) {
  std::string frame = "[" + read_fixture("polygon/ws/stocks_T.example.json") + ","
                      + read_fixture("polygon/ws/stocks_Q.example.json") + ","
                      + read_fixture("polygon/ws/stocks_AM.example.json") + ","
                      + read_fixture("polygon/ws/stocks_T.example.json") + "]";
  auto r = parse(frame);
  ASSERT_TRUE(r.status) << r.status.err().message();
  EXPECT_EQ(r.frame.events.trades.size(), 2u);
  EXPECT_EQ(r.frame.events.quotes.size(), 1u);
  EXPECT_EQ(r.frame.events.bars.size(), 1u);
}

TEST(PolygonStream, ABadEventDoesNotCostTheOthers) {
  auto r = parse(R"([{"ev":"T","sym":"MSFT","i":"1","p":1.5,"s":10,"t":1},)"
                 R"({"ev":"T","sym":"MSFT","i":"2","p":"1.5","s":10,"t":2},)"
                 R"({"ev":"T","sym":"AAPL","i":"3","p":2,"s":5,"t":3}])");
  ASSERT_FALSE(r.status);
  EXPECT_EQ(r.status.err().code, errc::malformed);
  EXPECT_NE(r.status.err().context.find("[1].p"), std::string::npos) << r.status.err().context;
  ASSERT_EQ(r.frame.events.trades.size(), 2u);
  EXPECT_EQ(r.frame.events.trades[0].trade_id, "1");
  EXPECT_EQ(r.frame.events.trades[1].trade_id, "3");
}

TEST(PolygonStream, StatusMessagesAreControl) {
  auto ok = parse(R"([{"ev":"status","status":"connected","message":"Connected Successfully"}])");
  ASSERT_TRUE(ok.status);
  EXPECT_TRUE(ok.frame.heartbeat);
  EXPECT_EQ(ok.frame.control, "connected: Connected Successfully");
  EXPECT_FALSE(ok.frame.auth_failed);
  auto auth = parse(R"([{"ev":"status","status":"auth_success","message":"authenticated"},)"
                    R"({"ev":"status","status":"success","message":"subscribed to: T.AAPL"}])");
  ASSERT_TRUE(auth.status);
  EXPECT_EQ(auth.frame.control, "auth_success: authenticated; success: subscribed to: T.AAPL");
  auto failed = parse(R"([{"ev":"status","status":"auth_failed","message":"authentication failed"}])");
  ASSERT_TRUE(failed.status);
  EXPECT_TRUE(failed.frame.auth_failed);
  EXPECT_EQ(failed.frame.events.size(), 0u);
}

TEST(PolygonStream, BadFrames) {
  struct tcase {
    std::string name;
    std::string frame;
    errc code;
    std::string context_has;
  };
  std::vector<tcase> cases{
    {"not json", "}{", errc::malformed, "offset"},
    {"number root", "42", errc::malformed, "expected an array"},
    {"no ev", R"([{"sym":"MSFT"}])", errc::missing_field, "[0].ev"},
    {"unknown ev", R"([{"ev":"LULD","sym":"MSFT"}])", errc::malformed, "unexpected event type \"LULD\""},
    {"missing t", R"([{"ev":"T","sym":"MSFT","i":"1","p":1,"s":1}])", errc::missing_field, "[0].t"},
    {"negative t", R"([{"ev":"T","sym":"MSFT","i":"1","p":1,"s":1,"t":-1}])", errc::out_of_range, "[0].t"},
    {"price too precise", R"([{"ev":"T","sym":"MSFT","i":"1","p":1.0000000000000000001,"s":1,"t":1}])",
     errc::bad_number, "[0].p"},
    {"unknown symbol", R"([{"ev":"T","sym":"I:SPX","i":"1","p":1,"s":1,"t":1}])", errc::unknown_symbol, "I:SPX"},
    {"event not object", R"([7])", errc::malformed, "not an object"},
  };
  for (const auto& c : cases) {
    auto r = parse(c.frame);
    ASSERT_FALSE(r.status) << c.name;
    EXPECT_EQ(r.status.err().code, c.code) << c.name << ": " << r.status.err().message();
    EXPECT_NE(r.status.err().context.find(c.context_has), std::string::npos)
      << c.name << ": " << r.status.err().context;
  }
}

TEST(PolygonStream, BinaryHugeAndDeepFramesAreMalformed) {
  std::string garbage;
  for (int i = 0; i < 1000; ++i)
    garbage.push_back(static_cast<char>((i * 37 + 11) & 0xff));
  EXPECT_EQ(parse(garbage).status.err().code, errc::malformed);
  EXPECT_EQ(parse(std::string(max_stream_frame_bytes + 1, '[')).status.err().code,
            errc::malformed);
  EXPECT_EQ(parse(std::string(100'000, '[')).status.err().code, errc::malformed);
  auto nul = parse(std::string{"[]\0[{\"ev\":1}]", 13});
  ASSERT_FALSE(nul.status);
  EXPECT_NE(nul.status.err().context.find("NUL byte at offset 2"), std::string::npos);
}

TEST(PolygonStream, AuthAndSubscribeShapes) {
  auto p = make_polygon_stream({});
  std::vector<std::string> secrets;
  EXPECT_EQ(p->path({"k"}, secrets), "/stocks");
  EXPECT_EQ(make_polygon_stream({}, polygon_market::crypto)->path({"k"}, secrets), "/crypto");
  auto open = p->on_open({"my\"key"});
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0], R"({"action":"auth","params":"my\"key"})");
  uint64_t id = 1;
  auto on = p->subscribe({sub("AAPL", stream_kind::trades), sub("AAPL", stream_kind::quotes),
                          sub("AAPL", stream_kind::bars, interval::s1),
                          sub("AAPL", stream_kind::bars, interval::m1),
                          sub("AAPL", stream_kind::trades)},
                         id);
  ASSERT_TRUE(on) << on.err().message();
  ASSERT_EQ(on->size(), 1u);
  EXPECT_EQ((*on)[0], R"({"action":"subscribe","params":"T.AAPL,Q.AAPL,A.AAPL,AM.AAPL"})");
  auto off = p->unsubscribe({sub("MSFT", stream_kind::trades)}, id);
  ASSERT_TRUE(off);
  EXPECT_EQ((*off)[0], R"({"action":"unsubscribe","params":"T.MSFT"})");
  auto crypto = make_polygon_stream({}, polygon_market::crypto)
                  ->subscribe({sub("BTC-USD", stream_kind::trades),
                               sub("BTC-USD", stream_kind::bars, interval::m1)},
                              id);
  ASSERT_TRUE(crypto) << crypto.err().message();
  EXPECT_EQ((*crypto)[0], R"({"action":"subscribe","params":"XT.BTC-USD,XA.BTC-USD"})");
}

TEST(PolygonStream, RefusesWhatItDoesNotStream) {
  auto p = make_polygon_stream({});
  uint64_t id = 1;
  auto h1 = p->subscribe({sub("AAPL", stream_kind::bars, interval::h1)}, id);
  ASSERT_FALSE(h1);
  EXPECT_EQ(h1.err().code, errc::invalid_argument);
  auto agg = p->subscribe({sub("AAPL", stream_kind::agg_trades)}, id);
  ASSERT_FALSE(agg);
  EXPECT_EQ(agg.err().code, errc::invalid_argument);
  auto crypto_on_stocks = p->subscribe({sub("BTC-USD", stream_kind::trades)}, id);
  ASSERT_FALSE(crypto_on_stocks);
  EXPECT_EQ(crypto_on_stocks.err().code, errc::invalid_argument);
  auto unknown = p->subscribe({sub("not canonical", stream_kind::trades)}, id);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.err().code, errc::unknown_symbol);
}

TEST(PolygonStream, BackfillRequests) {
  auto p = make_polygon_stream({});
  auto t = p->backfill(sub("AAPL", stream_kind::trades), 10, 20);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, fetch_kind::trades);
  EXPECT_EQ(t->start_ns, 10);
  EXPECT_EQ(t->end_ns, 20);
  auto m = p->backfill(sub("AAPL", stream_kind::bars, interval::m1), 10, 20);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, fetch_kind::bars);
  EXPECT_EQ(m->span, interval::m1);
  EXPECT_FALSE(p->backfill(sub("AAPL", stream_kind::bars, interval::s1), 10, 20));
  EXPECT_FALSE(p->backfill(sub("AAPL", stream_kind::quotes), 10, 20));
}

// -- REST trades (backfill) -------------------------------------------------------

TEST(PolygonRestTrades, BuildsV3Trades) {
  auto rest = make_polygon_adapter({});
  fetch_request req;
  req.kind = fetch_kind::trades;
  req.instrument = "AAPL";
  req.start_ns = 1517562000000000000;
  req.end_ns = 1517562060000000000;
  auto out = rest->build(req, {"KEY"});
  ASSERT_TRUE(out) << out.err().message();
  EXPECT_EQ(out->url("http://127.0.0.1:9"),
            "http://127.0.0.1:9/v3/trades/AAPL?timestamp.gte=1517562000000000000"
            "&timestamp.lte=1517562060000000000&order=asc&sort=timestamp&limit=50000"
            "&apiKey=KEY");
  EXPECT_EQ(out->redacted_url("").find("KEY"), std::string::npos);
  req.limit = 50'001;
  EXPECT_FALSE(rest->build(req, {"KEY"}));
  req.limit = 0;
  EXPECT_EQ(rest->build(req, {}).err().code, errc::unauthorized);
}

TEST(PolygonRestTrades, ParsesTradesFixture) {
  auto rest = make_polygon_adapter({});
  fetch_request req;
  req.kind = fetch_kind::trades;
  req.instrument = "AAPL";
  auto out = test::expect_result(rest->parse(
    req, test::reply_of(200, read_fixture("polygon/rest/v3_trades_AAPL.docs.json")), recv_ns));
  ASSERT_EQ(out.trades.size(), 2u);
  EXPECT_EQ(out.trades[0].trade_id, "1");
  EXPECT_EQ(out.trades[0].price, dec("171.55"));
  EXPECT_EQ(out.trades[0].size, dec("100"));
  EXPECT_EQ(out.trades[0].ts_event_ns, 1517562000016036600);
  EXPECT_EQ(out.trades[1].ts_event_ns, 1517562000016038100);
  EXPECT_EQ(out.trades[1].instrument, "AAPL");
  EXPECT_EQ(out.trades[1].source, providers::polygon);
}

TEST(PolygonRestTrades, EmptyAndBadReplies) {
  auto rest = make_polygon_adapter({});
  fetch_request req;
  req.kind = fetch_kind::trades;
  req.instrument = "X-DOES-NOT-MATTER";
  req.instrument = "AAPL";
  auto empty = test::expect_result(
    rest->parse(req, test::reply_of(200, R"({"results":[],"status":"OK"})"), recv_ns));
  EXPECT_TRUE(empty.trades.empty());
  auto crypto = test::expect_result(rest->parse(
    req,
    test::reply_of(200, R"({"results":[{"id":"9","price":1.5,"size":0.25,"participant_timestamp":77}]})"),
    recv_ns));
  ASSERT_EQ(crypto.trades.size(), 1u);
  EXPECT_EQ(crypto.trades[0].ts_event_ns, 77);
  auto bad = test::expect_error(rest->parse(
    req, test::reply_of(200, R"({"results":[{"id":"9","price":"1.5","size":1,"sip_timestamp":5}]})"),
    recv_ns));
  EXPECT_EQ(bad.code, errc::malformed);
}

} // namespace
} // namespace tickflow
