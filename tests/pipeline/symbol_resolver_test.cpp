#include "pipeline/normalize/symbol_resolver.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tickflow {
namespace {

struct row {
  std::string_view symbol;
  resolve_status status;
  std::string_view canonical;
  asset_class cls;
};

void check(const symbol_resolver& r, const row& x) {
  SCOPED_TRACE(std::string{x.symbol});
  auto got = r.resolve(x.symbol);
  EXPECT_EQ(got.status, x.status);
  if (x.status == resolve_status::ok) {
    EXPECT_EQ(got.canonical, x.canonical);
    EXPECT_EQ(got.cls, x.cls);
  }
}

TEST(SymbolResolver, EveryWayOfWritingAPairIsOneInstrument) {
  const row rows[] = {
    {"BTCUSDT", resolve_status::ok, "BTC-USDT", asset_class::crypto},
    {"btcusdt", resolve_status::ok, "BTC-USDT", asset_class::crypto},
    {"BTC/USDT", resolve_status::ok, "BTC-USDT", asset_class::crypto},
    {"btc/usdt", resolve_status::ok, "BTC-USDT", asset_class::crypto},
    {"BTC-USDT", resolve_status::ok, "BTC-USDT", asset_class::crypto},
    {"BINANCE:BTCUSDT", resolve_status::ok, "BTC-USDT", asset_class::crypto},
    {"binance:btcusdt", resolve_status::ok, "BTC-USDT", asset_class::crypto},
    // USD and USDT are different instruments.
    {"X:BTCUSD", resolve_status::ok, "BTC-USD", asset_class::crypto},
    {"BTC-USD", resolve_status::ok, "BTC-USD", asset_class::crypto},
    {"BTCUSD", resolve_status::ok, "BTC-USD", asset_class::crypto},
    {"COINBASE:BTC-USD", resolve_status::ok, "BTC-USD", asset_class::crypto},
    {"X:ETHEUR", resolve_status::ok, "ETH-EUR", asset_class::crypto},
    // A coin Polygon lists that we don't know: X: still makes it a pair.
    {"X:FOOUSD", resolve_status::ok, "FOO-USD", asset_class::crypto},
    {"ETHBTC", resolve_status::ok, "ETH-BTC", asset_class::crypto},
    {"EURUSD=X", resolve_status::ok, "EUR-USD", asset_class::forex},
    {"C:EURUSD", resolve_status::ok, "EUR-USD", asset_class::forex},
    {"EUR/USD", resolve_status::ok, "EUR-USD", asset_class::forex},
    {"eurusd", resolve_status::ok, "EUR-USD", asset_class::forex},
    {"JPY=X", resolve_status::ok, "USD-JPY", asset_class::forex},
    {"AAPL", resolve_status::ok, "AAPL", asset_class::equity},
    {"aapl", resolve_status::ok, "AAPL", asset_class::equity},
    {"NASDAQ:AAPL", resolve_status::ok, "AAPL", asset_class::equity},
    {"BRK.B", resolve_status::ok, "BRK.B", asset_class::equity},
    {"BRK-B", resolve_status::ok, "BRK-B", asset_class::equity},
    {"ESZ4", resolve_status::ok, "ESZ4", asset_class::futures},
    {"esz4", resolve_status::ok, "ESZ4", asset_class::futures},
    {"ES=F", resolve_status::ok, "ES=F", asset_class::futures},
    {"I:SPX", resolve_status::ok, "I:SPX", asset_class::equity},
    // Not symbols at all.
    {"", resolve_status::invalid, "", asset_class::equity},
    {"-BTC", resolve_status::invalid, "", asset_class::equity},
    {"BTC USDT", resolve_status::invalid, "", asset_class::equity},
    {"BTC%00", resolve_status::invalid, "", asset_class::equity},
    {"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", resolve_status::invalid, "",
     asset_class::equity},
  };
  for (auto& x : rows)
    check(shape_resolver(), x);
}

TEST(SymbolResolver, ABareCoinWithNothingConfiguredStaysBare) {
  auto got = shape_resolver().resolve("btc");
  EXPECT_EQ(got.status, resolve_status::ok);
  EXPECT_EQ(got.canonical, "BTC");
  EXPECT_TRUE(got.bare);
  EXPECT_EQ(got.cls, asset_class::crypto);
}

TEST(SymbolResolver, ABareCoinTakesTheDefaultQuoteOfItsClass) {
  symbol_resolver r{{"BTC-USD", "BTC-USDT"}, {{asset_class::crypto, "USDT"}}};
  const row rows[] = {
    {"BTC", resolve_status::ok, "BTC-USDT", asset_class::crypto},
    {"eth", resolve_status::ok, "ETH-USDT", asset_class::crypto},
    // A pair keeps its own quote.
    {"BTC-USD", resolve_status::ok, "BTC-USD", asset_class::crypto},
    {"AAPL", resolve_status::ok, "AAPL", asset_class::equity},
  };
  for (auto& x : rows)
    check(r, x);
  EXPECT_FALSE(r.resolve("BTC").bare);
}

TEST(SymbolResolver, ABareCoinIsTheOneKnownInstrumentOfThatBase) {
  symbol_resolver r{{"BTC-USDT", "ETH-USDT", "SOL-USDT", "AAPL", "ETH-USDT"}, {}};
  EXPECT_EQ(r.known().size(), 4u); // duplicates ignored
  const row rows[] = {
    {"BTC", resolve_status::ok, "BTC-USDT", asset_class::crypto},
    {"sol", resolve_status::ok, "SOL-USDT", asset_class::crypto},
    // Nothing known of XRP: bare, each provider adds its quote.
    {"XRP", resolve_status::ok, "XRP", asset_class::crypto},
  };
  for (auto& x : rows)
    check(r, x);
}

TEST(SymbolResolver, SeveralKnownInstrumentsOfABareCoinAreAmbiguous) {
  symbol_resolver r{{"BTC-USDT", "BTC-USD", "BTC-EUR", "ETH-USDT"}, {}};
  auto got = r.resolve("BTC");
  EXPECT_EQ(got.status, resolve_status::ambiguous);
  EXPECT_EQ(got.candidates, (std::vector<std::string>{"BTC-EUR", "BTC-USD", "BTC-USDT"}));
  // The full pair is never ambiguous.
  EXPECT_EQ(r.resolve("BTCUSD").canonical, "BTC-USD");
  EXPECT_EQ(r.resolve("ETH").canonical, "ETH-USDT");
}

TEST(SymbolResolver, OverridesWinOverTheShape) {
  symbol_resolver r{{"SOL-USDT"}, {{asset_class::crypto, "USDT"}},
                    {{"SOL", asset_class::equity}}};
  auto got = r.resolve("SOL");
  EXPECT_EQ(got.status, resolve_status::ok);
  EXPECT_EQ(got.canonical, "SOL");
  EXPECT_EQ(got.cls, asset_class::equity);
}

} // namespace
} // namespace tickflow
