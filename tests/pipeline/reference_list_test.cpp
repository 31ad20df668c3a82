// pipeline/reference/reference_list: the providers' reference lists,
// resolved, bounded and merged; and the [instruments] keys.

#include "pipeline/reference/reference_list.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/topology/topology.hpp"

namespace tickflow {
namespace {

decimal dec(int64_t m, uint8_t s) { return decimal::from_parts(m, s); }

reference_instrument row(std::string symbol, asset_class cls, decimal tick = {},
                         decimal lot = {}) {
  reference_instrument x;
  x.symbol = symbol;
  x.native = std::move(symbol);
  x.cls = cls;
  x.tick_size = tick;
  x.lot_size = lot;
  return x;
}

std::vector<std::string> ids(const reference_lists& l) {
  std::vector<std::string> out;
  for (auto& e : l.merged())
    out.push_back(e.id);
  return out;
}

TEST(ReferenceLists, ResolvesAndMergesAcrossProviders) {
  reference_lists l{100};
  auto& r = shape_resolver();
  auto a = l.set("binance", {row("BTC-USDT", asset_class::crypto, dec(1, 2), dec(1, 5))}, r);
  EXPECT_EQ(a.kept, 1u);
  auto b = l.set("polygon", {row("X:BTCUSD", asset_class::crypto), row("A", asset_class::equity),
                             row("C:EURUSD", asset_class::forex)}, r);
  EXPECT_EQ(b.kept, 3u);
  l.set("coinbase", {row("BTCUSDT", asset_class::crypto, dec(1, 1))}, r);
  EXPECT_EQ(ids(l), (std::vector<std::string>{"A", "BTC-USD", "BTC-USDT", "EUR-USD"}));
  auto* btc = l.find("BTC-USDT");
  ASSERT_NE(btc, nullptr);
  // Same id from two providers: one entry listing both; the sizes of the
  // first provider by name that has them.
  EXPECT_EQ(btc->providers, (std::vector<std::string>{"binance", "coinbase"}));
  EXPECT_EQ(btc->tick_size, dec(1, 2));
  EXPECT_EQ(btc->lot_size, dec(1, 5));
  EXPECT_EQ(l.find("EUR-USD")->cls, asset_class::forex);
  EXPECT_EQ(l.find("NOPE"), nullptr);
  EXPECT_EQ(l.rows_of("polygon"), 3u);
}

TEST(ReferenceLists, ALaterSizeFillsAGap) {
  reference_lists l{100};
  auto& r = shape_resolver();
  l.set("a", {row("ESZ4", asset_class::futures)}, r);
  l.set("b", {row("ESZ4", asset_class::futures, dec(25, 2))}, r);
  ASSERT_EQ(l.merged().size(), 1u);
  EXPECT_EQ(l.merged()[0].tick_size, dec(25, 2));
  EXPECT_EQ(l.merged()[0].cls, asset_class::futures); // as the provider says
}

TEST(ReferenceLists, ReplacingAListForgetsItsOldRows) {
  reference_lists l{100};
  auto& r = shape_resolver();
  l.set("p", {row("AAPL", asset_class::equity), row("MSFT", asset_class::equity)}, r);
  l.set("p", {row("MSFT", asset_class::equity)}, r);
  EXPECT_EQ(ids(l), (std::vector<std::string>{"MSFT"}));
  l.set("q", {row("IBM", asset_class::equity)}, r);
  EXPECT_EQ(l.providers(), (std::vector<std::string>{"p", "q"}));
  l.remove("p");
  EXPECT_EQ(ids(l), (std::vector<std::string>{"IBM"}));
  EXPECT_EQ(l.providers(), (std::vector<std::string>{"q"}));
  l.remove("nobody");
  EXPECT_EQ(l.merged().size(), 1u);
}

TEST(ReferenceLists, BoundedOverAllProviders) {
  reference_lists l{3};
  auto& r = shape_resolver();
  auto a = l.set("a", {row("A1", asset_class::equity), row("A2", asset_class::equity)}, r);
  EXPECT_EQ(a.kept, 2u);
  auto b = l.set("b", {row("B1", asset_class::equity), row("B2", asset_class::equity),
                       row("B3", asset_class::equity)}, r);
  EXPECT_EQ(b.kept, 1u);
  EXPECT_EQ(b.dropped, 2u);
  EXPECT_EQ(l.dropped(), 2u);
  EXPECT_EQ(l.merged().size(), 3u);
  // Replacing a's list frees its room for itself, not beyond the bound.
  auto a2 = l.set("a", {row("A1", asset_class::equity), row("A2", asset_class::equity),
                        row("A3", asset_class::equity)}, r);
  EXPECT_EQ(a2.kept, 2u);
  EXPECT_EQ(l.dropped(), 3u);
  reference_lists none{0};
  EXPECT_EQ(none.set("a", {row("A1", asset_class::equity)}, r).dropped, 1u);
  EXPECT_TRUE(none.merged().empty());
}

TEST(ReferenceLists, UnresolvedSymbolsAreCountedAndDropped) {
  reference_lists l{10};
  auto out = l.set("p", {row("", asset_class::equity), row("bad symbol!", asset_class::equity),
                         row("AAPL", asset_class::equity)}, shape_resolver());
  EXPECT_EQ(out.kept, 1u);
  EXPECT_EQ(out.unresolved, 2u);
  EXPECT_EQ(l.unresolved(), 2u);
}

TEST(ReferenceLists, PageGapUsesHalfTheBudget) {
  struct row {
    uint64_t per_second, per_minute;
    int64_t want_ms;
  };
  const row rows[] = {{0, 0, 0}, {10, 0, 200}, {0, 5, 24'000}, {10, 1200, 200}, {1, 1200, 2'000}};
  for (auto& r : rows) {
    provider_limits l;
    l.per_second = r.per_second;
    l.per_minute = r.per_minute;
    EXPECT_EQ(reference_page_gap_ns(l), r.want_ms * 1'000'000) << r.per_second << "/" << r.per_minute;
  }
}

TEST(InstrumentsSettings, DefaultsAndKeys) {
  const std::string base = "[simulator]\nsymbols = BTC-USDT:1\n";
  auto d = load_topology(base, "t.ini");
  ASSERT_TRUE(d.ok()) << d.err().context;
  EXPECT_TRUE(d->instruments.reference_lists);
  EXPECT_EQ(d->instruments.refresh_ns, 12 * 3600 * 1'000'000'000LL);
  EXPECT_EQ(d->instruments.max_reference, 100'000u);
  auto t = load_topology(base + "[instruments]\nreference-lists = false\nrefresh = 30m\n"
                         "max-reference = 5\n", "t.ini");
  ASSERT_TRUE(t.ok()) << t.err().context;
  EXPECT_FALSE(t->instruments.reference_lists);
  EXPECT_EQ(t->instruments.refresh_ns, 1800 * 1'000'000'000LL);
  EXPECT_EQ(t->instruments.max_reference, 5u);
  for (auto bad : {"refresh = 1s\n", "max-reference = -1\n", "reference-lists = maybe\n",
                   "refersh = 1h\n"})
    EXPECT_FALSE(load_topology(base + "[instruments]\n" + bad, "t.ini").ok()) << bad;
}

} // namespace
} // namespace tickflow
