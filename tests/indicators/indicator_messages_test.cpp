// The WebSocket side of indicator channels (api/ws_protocol): channel names
// and the indicator and snapshot messages.

#include <string>

#include <gtest/gtest.h>

#include "api/ws_protocol.hpp"

using namespace tickflow;
using namespace tickflow::api;

TEST(IndicatorChannelNames, ParseToCanonicalNames) {
  auto c = parse_channel("ind:rsi:1m:BTC-USDT");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, channel_kind::indicator);
  EXPECT_EQ(c->indicator, "rsi14");
  EXPECT_EQ(c->span, interval::m1);
  EXPECT_EQ(c->instrument, "BTC-USDT");
  EXPECT_EQ(c->name(), "ind:rsi14:1m:BTC-USDT");
  EXPECT_EQ(parse_channel("ind:bollinger20:1h:AAPL")->name(), "ind:bb20:1h:AAPL");
  EXPECT_EQ(parse_channel("ind:macd:1d:ETH-USDT")->name(), "ind:macd:1d:ETH-USDT");
  EXPECT_EQ(parse_channel("ind:vwap:1s:BTC-USDT")->name(), "ind:vwap:1s:BTC-USDT");
  for (auto bad : {"ind:", "ind:rsi14", "ind:rsi14:1m", "ind:rsi14:7m:BTC-USDT",
                   "ind:nope:1m:BTC-USDT", "ind:rsi0:1m:BTC-USDT", "ind:macd9:1m:BTC-USDT",
                   "ind:rsi99999:1m:BTC-USDT"}) {
    auto r = parse_channel(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.err().code, errc::invalid_argument) << bad;
    }
  }
  // The instrument resolves as symbol= does (issue 21): lowercase was refused.
  EXPECT_EQ(parse_channel("ind:rsi14:1m:btc-usdt")->name(), "ind:rsi14:1m:BTC-USDT");
  // Other kinds are unchanged.
  EXPECT_EQ(parse_channel("bars:1m:BTC-USDT")->name(), "bars:1m:BTC-USDT");
}

TEST(IndicatorMessages, UpdateAndSnapshotShapes) {
  indicators::point p;
  p.t_ns = 1'704'067'200'000'000'000;
  p.values = {55.5, 0, 0};
  EXPECT_EQ(indicator_message("ind:rsi14:1m:BTC-USDT", indicators::indicator_kind::rsi, p),
            R"({"type":"indicator","channel":"ind:rsi14:1m:BTC-USDT","data":)"
            R"({"t":"2024-01-01T00:00:00Z","ts":1704067200000000000,"value":55.5}})");
  EXPECT_EQ(indicator_snapshot_message("ind:rsi14:1m:BTC-USDT", indicators::indicator_kind::rsi,
                                       std::nullopt, 14, 3),
            R"({"type":"snapshot","channel":"ind:rsi14:1m:BTC-USDT","data":null,)"
            R"("warmup":14,"bars":3})");
  p.values = {1, 2.5, -1.5};
  EXPECT_EQ(indicator_snapshot_message("ind:macd:1m:BTC-USDT", indicators::indicator_kind::macd,
                                       p, 33, 40),
            R"({"type":"snapshot","channel":"ind:macd:1m:BTC-USDT","data":)"
            R"({"t":"2024-01-01T00:00:00Z","ts":1704067200000000000,"macd":1,"signal":2.5,)"
            R"("hist":-1.5},"warmup":33,"bars":40})");
}
