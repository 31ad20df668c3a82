#include "pipeline/normalize/asset_class.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tickflow {
namespace {

TEST(AssetClass, NamesAreStable) {
  struct row {
    asset_class c;
    std::string_view name;
  };
  const row rows[] = {
    {asset_class::crypto, "crypto"},   {asset_class::equity, "equity"},
    {asset_class::forex, "forex"},     {asset_class::futures, "futures"},
    {asset_class::index, "index"},
    {static_cast<asset_class>(99), "unknown"},
  };
  for (auto& r : rows)
    EXPECT_EQ(to_string(r.c), r.name);
}

TEST(AssetClass, KnowsTheDocumentedFiatCodes) {
  for (auto code : {"USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD",
                    "CNY", "HKD", "SGD", "SEK", "NOK", "DKK", "TRY", "BRL",
                    "MXN", "ZAR", "INR", "KRW", "PLN", "RUB"})
    EXPECT_TRUE(is_fiat(code)) << code;
  for (auto code : {"", "usd", "US", "USDT", "BTC", "ETH", "XAU", "EURO",
                    "USD ", " USD"})
    EXPECT_FALSE(is_fiat(code)) << '"' << code << '"';
}

TEST(AssetClass, SplitsPairsOnASingleDash) {
  struct row {
    std::string_view id;
    bool ok;
    std::string_view base;
    std::string_view quote;
  };
  const row rows[] = {
    {"BTC-USDT", true, "BTC", "USDT"},
    {"EUR-USD", true, "EUR", "USD"},
    {"A-B", true, "A", "B"},
    {"BTCUSDT", false, "", ""},
    {"", false, "", ""},
    {"-USD", false, "", ""},
    {"BTC-", false, "", ""},
    {"-", false, "", ""},
    {"BTC-USD-PERP", false, "", ""},
    {"BTC--USD", false, "", ""},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{r.id});
    std::string_view base = "untouched", quote = "untouched";
    EXPECT_EQ(split_pair(r.id, base, quote), r.ok);
    if (r.ok) {
      EXPECT_EQ(base, r.base);
      EXPECT_EQ(quote, r.quote);
    }
  }
}

TEST(AssetClass, ClassifiesByShape) {
  struct row {
    std::string_view id;
    asset_class expected;
  };
  const row rows[] = {
    {"EUR-USD", asset_class::forex},   {"USD-JPY", asset_class::forex},
    {"GBP-CHF", asset_class::forex},   {"BTC-USDT", asset_class::crypto},
    {"BTC-USD", asset_class::crypto},  {"USD-BTC", asset_class::crypto},
    {"ETH-EUR", asset_class::crypto},  {"USDT-USD", asset_class::crypto},
    {"^GSPC", asset_class::index},     {".SPX", asset_class::index},
    {"AAPL", asset_class::equity},     {"BRK.B", asset_class::equity},
    {"EURUSD=X", asset_class::equity}, {"ESZ6", asset_class::equity},
    {"", asset_class::equity},         {"BTC-USD-PERP", asset_class::equity},
  };
  for (auto& r : rows)
    EXPECT_EQ(classify_instrument(r.id), r.expected) << r.id;
}

} // namespace
} // namespace tickflow

// Found by the reference routes: detect_symbol("") threw out_of_range, which
// took the gateway actor down with it.
TEST(AssetClass, DetectingShortOrEmptySymbolsNeverThrows) {
  for (std::string_view s : {"", "A", "AB", "ABC", "-", "=X", "=F", "/"}) {
    auto d = tickflow::detect_symbol(s, {});
    EXPECT_EQ(d.canonical, std::string{s});
  }
}
