#include "pipeline/ratelimit/failover.hpp"

#include <gtest/gtest.h>

namespace tickflow {
namespace {

TEST(DetectSymbol, ClassAndCanonicalIdFromTheSymbol) {
  struct row {
    const char* symbol;
    asset_class cls;
    const char* canonical;
    bool bare;
  };
  const row rows[] = {
    {"BTC", asset_class::crypto, "BTC", true},
    {"ETH", asset_class::crypto, "ETH", true},
    {"BTC-USD", asset_class::crypto, "BTC-USD", false},
    {"BTC/USDT", asset_class::crypto, "BTC-USDT", false},
    {"BTCUSDT", asset_class::crypto, "BTC-USDT", false},
    {"ETHBTC", asset_class::crypto, "ETH-BTC", false},
    {"PEPEFDUSD", asset_class::crypto, "PEPE-FDUSD", false},
    {"WIFUSDT", asset_class::crypto, "WIF-USDT", false}, // a stablecoin quote is enough
    {"AAPL", asset_class::equity, "AAPL", false},
    {"MSFT", asset_class::equity, "MSFT", false},
    {"BRK.B", asset_class::equity, "BRK.B", false},
    {"BRK-B", asset_class::equity, "BRK-B", false},
    {"AZN.LON", asset_class::equity, "AZN.LON", false},
    {"GOOGL", asset_class::equity, "GOOGL", false},
    {"EURUSD=X", asset_class::forex, "EUR-USD", false},
    {"JPY=X", asset_class::forex, "USD-JPY", false},
    {"EURUSD", asset_class::forex, "EUR-USD", false},
    {"GBP-JPY", asset_class::forex, "GBP-JPY", false},
    {"EUR/USD", asset_class::forex, "EUR-USD", false},
    {"ES=F", asset_class::futures, "ES=F", false},
    {"ESZ4", asset_class::futures, "ESZ4", false},
    {"GCJ5", asset_class::futures, "GCJ5", false},
    {"CLZ25", asset_class::futures, "CLZ25", false},
    {"6EH5", asset_class::futures, "6EH5", false},
    {"ESS", asset_class::equity, "ESS", false},  // a stock, not a contract
    {"CLF", asset_class::equity, "CLF", false},
    {"^GSPC", asset_class::index, "^GSPC", false},
  };
  for (auto& r : rows) {
    auto d = detect_symbol(r.symbol);
    EXPECT_EQ(d.cls, r.cls) << r.symbol;
    EXPECT_EQ(d.canonical, r.canonical) << r.symbol;
    EXPECT_EQ(d.bare, r.bare) << r.symbol;
  }
}

TEST(DetectSymbol, OverridesWin) {
  asset_class_overrides o{{"SOL", asset_class::equity}, {"ES", asset_class::futures},
                          {"ABC", asset_class::crypto}};
  EXPECT_EQ(detect_symbol("SOL").cls, asset_class::crypto);
  EXPECT_EQ(detect_symbol("SOL", o).cls, asset_class::equity);
  EXPECT_FALSE(detect_symbol("SOL", o).bare);
  EXPECT_EQ(detect_symbol("ES", o).cls, asset_class::futures);
  auto abc = detect_symbol("ABC", o);
  EXPECT_EQ(abc.cls, asset_class::crypto);
  EXPECT_TRUE(abc.bare);
  EXPECT_EQ(detect_symbol("AAPL", o).cls, asset_class::equity);
}

TEST(DetectSymbol, ParsesClassNames) {
  EXPECT_EQ(parse_asset_class("futures"), asset_class::futures);
  EXPECT_FALSE(parse_asset_class("Futures"));
  EXPECT_FALSE(parse_asset_class(""));
}

std::vector<std::string> providers_of(const resolved_chain& c) {
  std::vector<std::string> out;
  for (auto& s : c.steps)
    out.push_back(s.provider);
  return out;
}

TEST(ResolveChain, TheClassChainNarrowedToTheEnabled) {
  failover_settings s;
  std::vector<std::string> enabled{"yahoo", "polygon", "binance", "coingecko", "finnhub"};
  auto btc = resolve_chain(s, "BTC", enabled);
  EXPECT_EQ(btc.symbol.cls, asset_class::crypto);
  EXPECT_EQ(providers_of(btc), (std::vector<std::string>{"binance", "coingecko", "polygon", "yahoo"}));
  // A bare coin gets each provider's quote asset.
  EXPECT_EQ(btc.steps[0].instrument, "BTC-USDT");
  EXPECT_EQ(btc.steps[1].instrument, "BTC-USD");
  auto aapl = resolve_chain(s, "AAPL", enabled);
  EXPECT_EQ(aapl.symbol.cls, asset_class::equity);
  EXPECT_EQ(providers_of(aapl), (std::vector<std::string>{"polygon", "finnhub", "yahoo"}));
  EXPECT_EQ(aapl.steps[0].instrument, "AAPL");
  auto eur = resolve_chain(s, "EURUSD=X", enabled);
  EXPECT_EQ(providers_of(eur), (std::vector<std::string>{"polygon", "yahoo"}));
  EXPECT_EQ(eur.steps[1].instrument, "EUR-USD");
}

TEST(ResolveChain, OnlyOneProviderWhenAsked) {
  failover_settings s;
  std::vector<std::string> enabled{"binance", "coingecko"};
  auto c = resolve_chain(s, "BTC", enabled, "coingecko");
  EXPECT_EQ(providers_of(c), (std::vector<std::string>{"coingecko"}));
  EXPECT_EQ(c.steps[0].instrument, "BTC-USD");
  EXPECT_TRUE(resolve_chain(s, "BTC", enabled, "polygon").steps.empty()); // not enabled
}

TEST(ResolveChain, FallsBackToConfigOrderWithoutAChain) {
  failover_settings s;
  s.chains = {{asset_class::crypto, {"coingecko"}}};
  std::vector<std::string> enabled{"finnhub", "binance"};
  // The crypto chain has no enabled provider: every enabled one, in order.
  EXPECT_EQ(providers_of(resolve_chain(s, "BTC-USD", enabled)),
            (std::vector<std::string>{"finnhub", "binance"}));
  // Equity has no chain at all.
  EXPECT_EQ(providers_of(resolve_chain(s, "AAPL", enabled)),
            (std::vector<std::string>{"finnhub", "binance"}));
}

TEST(ResolveChain, QuotesAndStaleness) {
  failover_settings s;
  s.quotes = {{"*", "EUR"}, {"coingecko", "USD"}};
  auto d = detect_symbol("ETH");
  EXPECT_EQ(instrument_for(s, d, "coingecko"), "ETH-USD");
  EXPECT_EQ(instrument_for(s, d, "binance"), "ETH-EUR");
  EXPECT_EQ(instrument_for(s, detect_symbol("BTCUSDT"), "coingecko"), "BTC-USDT");
  s.stale_after = {{asset_class::crypto, 300'000'000'000}};
  EXPECT_EQ(stale_after_ns(s, asset_class::crypto), 300'000'000'000);
  EXPECT_EQ(stale_after_ns(s, asset_class::equity), 0);
}

TEST(ServingBars, EquityChainsKeepTheProvidersOfTheAskedKind) {
  // Finnhub candles are as traded only, Yahoo's OHLC split-adjusted only;
  // Polygon, EODHD and Alpha Vantage serve both (provider descriptors).
  const std::vector<std::string> chain{"polygon", "finnhub", "yahoo", "eodhd", "alpha_vantage",
                                       "nope"};
  EXPECT_EQ(serving_bars(chain, false, asset_class::equity),
            (std::vector<std::string>{"polygon", "finnhub", "eodhd", "alpha_vantage"}));
  EXPECT_EQ(serving_bars(chain, true, asset_class::equity),
            (std::vector<std::string>{"polygon", "yahoo", "eodhd", "alpha_vantage"}));
}

TEST(ServingBars, OtherClassesHaveNoCorporateActions) {
  const std::vector<std::string> chain{"binance", "yahoo", "coingecko", "nope"};
  for (auto cls : {asset_class::crypto, asset_class::forex, asset_class::futures,
                   asset_class::index})
    for (bool adjusted : {false, true})
      EXPECT_EQ(serving_bars(chain, adjusted, cls),
                (std::vector<std::string>{"binance", "yahoo", "coingecko"}))
        << to_string(cls) << " adjusted=" << adjusted;
}

} // namespace
} // namespace tickflow
