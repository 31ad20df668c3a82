// pipeline/topology/instruments: live_instruments, what the cache and the
// broadcaster know before the first event (issue 21: a [stream.*]
// instrument can be subscribed to at once).

#include "pipeline/topology/instruments.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tickflow {
namespace {

TEST(LiveInstruments, TheSimulatorsAndTheEnabledStreamsNotTheWatchlist) {
  auto t = load_topology("[simulator]\nsymbols = BTC-USDT:1, AAPL:3\n"
                         "[streams]\nenabled = binance\n"
                         "[stream.binance]\nurl = ws://127.0.0.1:9443\n"
                         "subscriptions = BTCUSDT:trades, SOL-USDT:bars:5m\n"
                         "[watchlist]\ncrypto = BTC-USD\n",
                         "t.ini");
  ASSERT_TRUE(t.ok()) << t.err().context;
  EXPECT_EQ(live_instruments(*t),
            (std::vector<std::string>{"AAPL", "BTC-USDT", "SOL-USDT"}));
  // A stream section that is not enabled feeds nothing.
  auto off = load_topology("[simulator]\nsymbols = BTC-USDT:1\n"
                           "[stream.binance]\nurl = ws://127.0.0.1:9443\n"
                           "subscriptions = SOLUSDT:trades\n",
                           "t.ini");
  ASSERT_TRUE(off.ok()) << off.err().context;
  EXPECT_EQ(live_instruments(*off), std::vector<std::string>{"BTC-USDT"});
}

} // namespace
} // namespace tickflow
