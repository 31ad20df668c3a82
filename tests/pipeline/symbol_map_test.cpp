#include "pipeline/normalize/symbol_map.hpp"

#include <gtest/gtest.h>

namespace tickflow {
namespace {

symbol_map binance_like() {
  symbol_map m;
  m.add("BTC-USDT", "BTCUSDT");
  m.add("ETH-USDT", "ETHUSDT");
  return m;
}

TEST(SymbolMap, MapsBothWays) {
  auto m = binance_like();
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.to_canonical("BTCUSDT"), "BTC-USDT");
  EXPECT_EQ(m.to_canonical("ETHUSDT"), "ETH-USDT");
  EXPECT_EQ(m.to_provider("BTC-USDT"), "BTCUSDT");
  EXPECT_EQ(m.to_provider("ETH-USDT"), "ETHUSDT");
}

TEST(SymbolMap, UnknownIsEmpty) {
  auto m = binance_like();
  struct row {
    std::string_view name;
  };
  const row rows[] = {{""}, {"XRPUSDT"}, {"btcusdt"}, {"BTC-USDT"},
                      {std::string_view{"BTCUSDT\0", 8}}};
  for (auto& r : rows)
    EXPECT_TRUE(m.to_canonical(r.name).empty()) << r.name;
  EXPECT_TRUE(m.to_provider("BTCUSDT").empty());
  EXPECT_TRUE(m.to_provider("XRP-USDT").empty());
  EXPECT_TRUE(symbol_map{}.to_canonical("BTCUSDT").empty());
}

TEST(SymbolMap, ReplacingAPairKeepsBothWaysOneToOne) {
  auto m = binance_like();
  m.add("BTC-USDT", "XBTUSDT"); // new provider symbol for a known id
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.to_canonical("XBTUSDT"), "BTC-USDT");
  EXPECT_TRUE(m.to_canonical("BTCUSDT").empty());
  EXPECT_EQ(m.to_provider("BTC-USDT"), "XBTUSDT");

  m.add("ETH-USD", "ETHUSDT"); // known provider symbol, new id
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.to_canonical("ETHUSDT"), "ETH-USD");
  EXPECT_TRUE(m.to_provider("ETH-USDT").empty());

  m.add("ETH-USD", "ETHUSDT"); // same pair again: no change
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.to_provider("ETH-USD"), "ETHUSDT");
}

TEST(SymbolMap, LookupsPointIntoTheMap) {
  auto m = binance_like();
  std::string key = "BTCUSDT";
  auto id = m.to_canonical(key);
  key = "changed"; // the result does not borrow the argument
  EXPECT_EQ(id, "BTC-USDT");
}

} // namespace
} // namespace tickflow
