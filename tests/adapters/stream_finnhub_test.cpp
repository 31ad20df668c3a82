#include "adapters/finnhub/finnhub_stream.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/finnhub/finnhub_adapter.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::dec;
using test::read_fixture;

constexpr int64_t recv_ns = 1'700'000'000 * ns_per_s;

adapter_options crypto_overrides() {
  adapter_options o;
  o.symbol_overrides = {{"BTC-USDT", "BINANCE:BTCUSDT"}};
  return o;
}

struct parsed {
  result<void> status;
  stream_frame frame;
};

parsed parse(std::string_view text, const adapter_options& opts = crypto_overrides()) {
  auto p = make_finnhub_stream(opts);
  parsed out{{}, {}};
  out.status = p->parse(text, recv_ns, out.frame);
  return out;
}

TEST(FinnhubStream, TradeFixture) {
  auto r = parse(read_fixture("finnhub/ws/trade.docs_example.json"));
  ASSERT_TRUE(r.status) << r.status.err().message();
  ASSERT_EQ(r.frame.events.trades.size(), 1u);
  const auto& t = r.frame.events.trades[0];
  EXPECT_EQ(t.instrument, "BTC-USDT");
  EXPECT_EQ(t.provider_symbol, "BINANCE:BTCUSDT");
  EXPECT_EQ(t.source, providers::finnhub);
  EXPECT_EQ(t.price, dec("7296.89"));
  EXPECT_EQ(t.size, dec("0.011467"));
  EXPECT_EQ(t.ts_event_ns, 1575526691134 * ns_per_ms);
  EXPECT_EQ(t.trade_id,
            finnhub::derived_trade_id("BINANCE:BTCUSDT", 1575526691134, dec("7296.89"),
                                      dec("0.011467"), 0));
  EXPECT_EQ(t.trade_id.size(), 17u);
  EXPECT_FALSE(r.frame.heartbeat);
}

TEST(FinnhubStream, PingIsAHeartbeat) {
  auto r = parse(read_fixture("finnhub/ws/ping.docs_example.json"));
  ASSERT_TRUE(r.status);
  EXPECT_TRUE(r.frame.heartbeat);
  EXPECT_EQ(r.frame.events.size(), 0u);
}

TEST(FinnhubStream, ErrorMessagesAreControl) {
  auto r = parse(R"({"type":"error","msg":"Invalid symbol"})");
  ASSERT_TRUE(r.status);
  EXPECT_EQ(r.frame.control, "error: Invalid symbol");
}

TEST(FinnhubStream, DerivedIdsAreStableAndTellTradesApart) {
  std::string frame = R"({"type":"trade","data":[)"
                      R"({"p":150.25,"s":"AAPL","t":1700000000123,"v":100,"c":["1"]},)"
                      R"({"p":150.25,"s":"AAPL","t":1700000000123,"v":100,"c":null},)"
                      R"({"p":150.250,"s":"AAPL","t":1700000000123,"v":100},)"
                      R"({"p":150.26,"s":"AAPL","t":1700000000123,"v":100}]})";
  auto a = parse(frame);
  auto b = parse(frame);
  ASSERT_TRUE(a.status) << a.status.err().message();
  ASSERT_EQ(a.frame.events.trades.size(), 4u);
  const auto& t = a.frame.events.trades;
  // Identical trades in one frame get ranks; the value, not its spelling, counts.
  EXPECT_EQ(t[1].trade_id, t[0].trade_id + "#1");
  EXPECT_EQ(t[2].trade_id, t[0].trade_id + "#2");
  EXPECT_NE(t[3].trade_id.substr(0, 17), t[0].trade_id);
  for (size_t i = 0; i < t.size(); ++i)
    EXPECT_EQ(t[i].trade_id, b.frame.events.trades[i].trade_id); // re-sent: same ids
  EXPECT_NE(finnhub::derived_trade_id("AAPL", 1, dec("1"), dec("1"), 0),
            finnhub::derived_trade_id("MSFT", 1, dec("1"), dec("1"), 0));
}

TEST(FinnhubStream, BadFrames) {
  struct tcase {
    std::string name;
    std::string frame;
    errc code;
    std::string context_has;
  };
  std::vector<tcase> cases{
    {"not json", "ping", errc::malformed, "offset"},
    {"no type", R"({"data":[]})", errc::missing_field, "type"},
    {"unknown type", R"({"type":"news"})", errc::malformed, "unexpected message type \"news\""},
    {"no data", R"({"type":"trade"})", errc::missing_field, "data"},
    {"price as string", R"({"type":"trade","data":[{"p":"1.5","s":"AAPL","t":1,"v":1}]})",
     errc::malformed, "data[0].p"},
    {"missing volume", R"({"type":"trade","data":[{"p":1.5,"s":"AAPL","t":1}]})",
     errc::missing_field, "data[0].v"},
    {"time out of range", R"({"type":"trade","data":[{"p":1.5,"s":"AAPL","t":-3,"v":1}]})",
     errc::out_of_range, "t"},
    {"unknown symbol", R"({"type":"trade","data":[{"p":1.5,"s":"OANDA:EUR_USD","t":1,"v":1}]})",
     errc::unknown_symbol, "OANDA:EUR_USD"},
  };
  for (const auto& c : cases) {
    auto r = parse(c.frame);
    ASSERT_FALSE(r.status) << c.name;
    EXPECT_EQ(r.status.err().code, c.code) << c.name << ": " << r.status.err().message();
    EXPECT_NE(r.status.err().context.find(c.context_has), std::string::npos)
      << c.name << ": " << r.status.err().context;
  }
  // The good trades of a frame with a bad one are kept.
  auto mixed = parse(R"({"type":"trade","data":[{"p":1.5,"s":"AAPL","t":1,"v":1},)"
                     R"({"p":1.5,"s":"??","t":1,"v":1},{"p":2,"s":"MSFT","t":2,"v":3}]})");
  ASSERT_FALSE(mixed.status);
  EXPECT_EQ(mixed.frame.events.trades.size(), 2u);
}

TEST(FinnhubStream, BinaryAndHugeFramesAreMalformed) {
  std::string garbage("\x00\x01\xfe\xff{\"type\"", 11);
  EXPECT_EQ(parse(garbage).status.err().code, errc::malformed);
  std::string huge = R"({"type":"trade","data":[)" + std::string(max_stream_frame_bytes, ' ') + "]}";
  EXPECT_EQ(parse(huge).status.err().code, errc::malformed);
  auto nul = parse(std::string{"{\"type\":\"ping\"}\0x", 17});
  EXPECT_FALSE(nul.status);
  EXPECT_FALSE(nul.frame.heartbeat);
}

TEST(FinnhubStream, TokenPathIsSecretAndSubscribesOnePerSymbol) {
  auto p = make_finnhub_stream(crypto_overrides());
  std::vector<std::string> secrets;
  EXPECT_EQ(p->path({"abc+/="}, secrets), "/?token=abc%2B%2F%3D");
  EXPECT_EQ(secrets, (std::vector<std::string>{"abc+/=", "abc%2B%2F%3D"}));
  EXPECT_TRUE(p->on_open({"abc"}).empty());
  uint64_t id = 1;
  auto on = p->subscribe({{"AAPL", stream_kind::trades, interval::m1},
                          {"BTC-USDT", stream_kind::trades, interval::m1},
                          {"AAPL", stream_kind::trades, interval::m1}},
                         id);
  ASSERT_TRUE(on) << on.err().message();
  EXPECT_EQ(*on, (std::vector<std::string>{R"({"type":"subscribe","symbol":"AAPL"})",
                                           R"({"type":"subscribe","symbol":"BINANCE:BTCUSDT"})"}));
  auto off = p->unsubscribe({{"AAPL", stream_kind::trades, interval::m1}}, id);
  ASSERT_TRUE(off);
  EXPECT_EQ((*off)[0], R"({"type":"unsubscribe","symbol":"AAPL"})");
  auto quotes = p->subscribe({{"AAPL", stream_kind::quotes, interval::m1}}, id);
  ASSERT_FALSE(quotes);
  EXPECT_EQ(quotes.err().code, errc::invalid_argument);
  auto unknown = p->subscribe({{"ETH-USD", stream_kind::trades, interval::m1}}, id);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.err().code, errc::unknown_symbol);
  EXPECT_EQ(p->max_streams_per_connection(), 50u);
}

TEST(FinnhubStream, NoBackfillForTrades) {
  auto p = make_finnhub_stream({});
  EXPECT_FALSE(p->backfill({"AAPL", stream_kind::trades, interval::m1}, 1, 2));
  auto rest = make_finnhub_adapter({});
  fetch_request req;
  req.kind = fetch_kind::trades;
  req.instrument = "AAPL";
  auto out = rest->build(req, {"k"});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.err().code, errc::invalid_argument);
}

} // namespace
} // namespace tickflow
