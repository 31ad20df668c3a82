// pipeline/topology/instruments: what a config names, the resolver built
// from it ([failover] default-quotes) and the intervals built live.

#include "pipeline/topology/instruments.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tickflow {
namespace {

result<topology> load(const std::string& body) {
  return load_topology("[simulator]\nsymbols = BTC-USDT:1, ETH-USDT:2, AAPL:3\n" + body, "t.ini");
}

TEST(InstrumentsConfig, ConfiguredInstrumentsAndTheirLiveSources) {
  auto t = load("[streams]\nenabled = binance\n"
                "[stream.binance]\nurl = ws://127.0.0.1:9443\nsubscriptions = BTCUSDT:trades, SOL-USDT:bars:5m\n"
                "[watchlist]\ncrypto = BTC-USD\n");
  ASSERT_TRUE(t.ok()) << t.err().context;
  auto xs = configured_instruments(*t);
  std::vector<std::string> ids;
  for (auto& x : xs)
    ids.push_back(x.id);
  // BTCUSDT in a subscription is BTC-USDT, as clients resolve it.
  EXPECT_EQ(ids, (std::vector<std::string>{"AAPL", "BTC-USD", "BTC-USDT", "ETH-USDT", "SOL-USDT"}));
  EXPECT_EQ(xs[2].providers, (std::vector<std::string>{"binance", "simulator"}));
  EXPECT_TRUE(xs[1].providers.empty()); // a watchlist entry has no live source
  EXPECT_EQ(live_bar_intervals(*t),
            (std::vector<interval>{interval::s1, interval::m1, interval::m5}));
  // BTC is both BTC-USD and BTC-USDT here; SOL only SOL-USDT.
  auto r = make_symbol_resolver(*t);
  EXPECT_EQ(r.resolve("BTC").status, resolve_status::ambiguous);
  EXPECT_EQ(r.resolve("sol").canonical, "SOL-USDT");
}

TEST(InstrumentsConfig, DefaultQuotesMakeABareCoinOneInstrument) {
  auto t = load("[failover]\ndefault-quotes = crypto=USDT\n[watchlist]\ncrypto = BTC-USD\n");
  ASSERT_TRUE(t.ok()) << t.err().context;
  EXPECT_EQ(t->scheduler.failover.default_quotes,
            (std::vector<std::pair<asset_class, std::string>>{{asset_class::crypto, "USDT"}}));
  auto r = make_symbol_resolver(*t);
  EXPECT_EQ(r.resolve("BTC").canonical, "BTC-USDT");
  EXPECT_EQ(r.resolve("XRP").canonical, "XRP-USDT");
  for (auto bad : {"crypto", "bonds=USD", "crypto=usdt", "crypto=TOOLONGQUOTE1"})
    EXPECT_FALSE(load(std::string{"[failover]\ndefault-quotes = "} + bad + "\n").ok()) << bad;
}

TEST(InstrumentsConfig, TheDefaultResolvesBtcToItsOneInstrument) {
  auto t = load_topology(std::string{default_config_text()}, "default.ini");
  ASSERT_TRUE(t.ok()) << t.err().context;
  auto r = make_symbol_resolver(*t);
  EXPECT_EQ(r.resolve("BTC").canonical, "BTC-USDT");
  EXPECT_EQ(r.resolve("btcusdt").canonical, "BTC-USDT");
  EXPECT_TRUE(t->scheduler.failover.default_quotes.empty());
}

} // namespace
} // namespace tickflow
