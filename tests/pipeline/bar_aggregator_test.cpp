#include "pipeline/normalize/bar_aggregator.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/binance/binance_provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {
namespace {

// 2023-11-14T22:14:00Z: aligned to the minute (and so to the second).
constexpr int64_t t0 = 1'700'000'040 * ns_per_s;

decimal dec(std::string_view text) {
  auto x = decimal::parse(text);
  EXPECT_TRUE(x) << text;
  return x ? *x : decimal{};
}

trade make_trade(std::string instrument, std::string_view price,
                 std::string_view size, int64_t ts_ns) {
  trade t;
  t.provider_symbol = instrument + "@P";
  t.instrument = std::move(instrument);
  t.source = providers::binance;
  t.price = dec(price);
  t.size = dec(size);
  t.aggressor = side::buy;
  t.ts_event_ns = ts_ns;
  t.ts_recv_ns = ts_ns + 1000;
  return t;
}

// What a bar should hold; prices as text.
struct expected_bar {
  std::string instrument;
  interval span;
  int64_t open_time_ns;
  std::string open, high, low, close, volume;
  uint64_t trade_count;
  bool closed;
};

void expect_bar(const bar& b, const expected_bar& e) {
  SCOPED_TRACE(e.instrument + " " + std::string{to_string(e.span)});
  EXPECT_EQ(b.instrument, e.instrument);
  EXPECT_EQ(b.provider_symbol, e.instrument + "@P");
  EXPECT_EQ(b.source, providers::binance);
  EXPECT_EQ(b.span, e.span);
  EXPECT_EQ(b.open_time_ns, e.open_time_ns);
  EXPECT_EQ(b.open.to_string(), e.open);
  EXPECT_EQ(b.high.to_string(), e.high);
  EXPECT_EQ(b.low.to_string(), e.low);
  EXPECT_EQ(b.close.to_string(), e.close);
  EXPECT_EQ(b.volume.to_string(), e.volume);
  EXPECT_EQ(b.trade_count, e.trade_count);
  EXPECT_EQ(b.closed, e.closed);
}

void expect_bars(const std::vector<bar>& got,
                 const std::vector<expected_bar>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    expect_bar(got[i], want[i]);
}

std::vector<bar> open_bars(const bar_aggregator& agg) {
  std::vector<bar> out;
  agg.open_bars(out);
  return out;
}

TEST(BarAggregator, FirstTradeOpensABarPerInterval) {
  bar_aggregator agg{{interval::s1, interval::m1}};
  std::vector<bar> closed;
  auto t = make_trade("BTC-USDT", "65000.12", "0.015", t0 + 1'500 * ns_per_ms);
  t.flags = quality_synthetic | quality_outlier;
  agg.add(t, closed);
  EXPECT_TRUE(closed.empty());
  auto open = open_bars(agg);
  expect_bars(open, {
    {"BTC-USDT", interval::s1, t0 + ns_per_s, "65000.12", "65000.12",
     "65000.12", "65000.12", "0.015", 1, false},
    {"BTC-USDT", interval::m1, t0, "65000.12", "65000.12", "65000.12",
     "65000.12", "0.015", 1, false},
  });
  for (auto& b : open) {
    EXPECT_EQ(b.ts_recv_ns, t.ts_recv_ns);
    EXPECT_EQ(b.flags, uint32_t{quality_synthetic}); // provenance only
  }
  EXPECT_EQ(agg.late_trades(), 0u);
}

TEST(BarAggregator, FoldsTradesOfTheSameBar) {
  struct row {
    const char* price;
    const char* size;
    int64_t offset_ms;
    const char* high;
    const char* low;
    const char* volume;
  };
  const row rows[] = {
    {"100", "1", 0, "100", "100", "1"},
    {"101.5", "0.5", 100, "101.5", "100", "1.5"},
    {"99.25", "2", 200, "101.5", "99.25", "3.5"},
    {"100", "0.001", 999, "101.5", "99.25", "3.501"},
  };
  bar_aggregator agg{{interval::s1}};
  std::vector<bar> closed;
  uint64_t n = 0;
  for (auto& r : rows) {
    agg.add(make_trade("ETH-USDT", r.price, r.size,
                       t0 + r.offset_ms * ns_per_ms),
            closed);
    ++n;
    auto open = open_bars(agg);
    ASSERT_EQ(open.size(), 1u);
    expect_bar(open[0], {"ETH-USDT", interval::s1, t0, "100", r.high, r.low,
                         r.price, r.volume, n, false});
  }
  EXPECT_TRUE(closed.empty());
}

TEST(BarAggregator, TradeInALaterBarClosesTheOpenOneAndGapsStayGaps) {
  bar_aggregator agg{{interval::s1, interval::m1}};
  std::vector<bar> closed;
  agg.add(make_trade("BTC-USDT", "10", "1", t0 + 100 * ns_per_ms), closed);
  agg.add(make_trade("BTC-USDT", "12", "1", t0 + 500 * ns_per_ms), closed);
  EXPECT_TRUE(closed.empty());

  agg.add(make_trade("BTC-USDT", "11", "2", t0 + 1'200 * ns_per_ms), closed);
  expect_bars(closed, {{"BTC-USDT", interval::s1, t0, "10", "12", "10", "12",
                        "2", 2, true}});

  // Nothing traded in [t0+2s, t0+3s): no empty bar for it.
  closed.clear();
  agg.add(make_trade("BTC-USDT", "9", "3", t0 + 3'700 * ns_per_ms), closed);
  expect_bars(closed, {{"BTC-USDT", interval::s1, t0 + ns_per_s, "11", "11",
                        "11", "11", "2", 1, true}});

  // Next minute: both intervals close, in the order they were configured.
  closed.clear();
  agg.add(make_trade("BTC-USDT", "8", "1", t0 + 61 * ns_per_s), closed);
  expect_bars(closed, {
    {"BTC-USDT", interval::s1, t0 + 3 * ns_per_s, "9", "9", "9", "9", "3", 1,
     true},
    {"BTC-USDT", interval::m1, t0, "10", "12", "9", "9", "7", 4, true},
  });
  expect_bars(open_bars(agg), {
    {"BTC-USDT", interval::s1, t0 + 61 * ns_per_s, "8", "8", "8", "8", "1", 1,
     false},
    {"BTC-USDT", interval::m1, t0 + 60 * ns_per_s, "8", "8", "8", "8", "1", 1,
     false},
  });
  EXPECT_EQ(agg.late_trades(), 0u);
}

TEST(BarAggregator, InstrumentsHaveTheirOwnBars) {
  bar_aggregator agg{{interval::s1}};
  std::vector<bar> closed;
  agg.add(make_trade("BTC-USDT", "10", "1", t0), closed);
  agg.add(make_trade("ETH-USDT", "20", "1", t0 + 1), closed);
  agg.add(make_trade("BTC-USDT", "11", "1", t0 + ns_per_s), closed);
  expect_bars(closed, {{"BTC-USDT", interval::s1, t0, "10", "10", "10", "10",
                        "1", 1, true}});
  expect_bars(open_bars(agg), {
    {"BTC-USDT", interval::s1, t0 + ns_per_s, "11", "11", "11", "11", "1", 1,
     false},
    {"ETH-USDT", interval::s1, t0, "20", "20", "20", "20", "1", 1, false},
  });
}

TEST(BarAggregator, LateTradesAreCountedAndIgnored) {
  bar_aggregator agg{{interval::s1, interval::m1}};
  std::vector<bar> closed;
  agg.add(make_trade("BTC-USDT", "100", "1", t0 + 2'500 * ns_per_ms), closed);
  // Late for 1s (its bar opened at t0+1s) but inside the open 1m bar.
  agg.add(make_trade("BTC-USDT", "50", "1", t0 + 1'900 * ns_per_ms), closed);
  // Late for both intervals: the minute before.
  agg.add(make_trade("BTC-USDT", "200", "1", t0 - ns_per_s), closed);
  EXPECT_TRUE(closed.empty());
  EXPECT_EQ(agg.late_trades(), 2u); // once per trade, not per interval
  expect_bars(open_bars(agg), {
    {"BTC-USDT", interval::s1, t0 + 2 * ns_per_s, "100", "100", "100", "100",
     "1", 1, false},
    {"BTC-USDT", interval::m1, t0, "100", "100", "50", "50", "2", 2, false},
  });
}

TEST(BarAggregator, CloseUntilClosesBarsThatEnded) {
  struct row {
    int64_t now_ns;
    std::vector<interval> closes;
  };
  const row rows[] = {
    {t0 + 2 * ns_per_s - 1, {}},
    {t0 + 2 * ns_per_s, {interval::s1}},
    {t0 + 2 * ns_per_s, {}}, // already closed: not again
    {t0 + 60 * ns_per_s - 1, {}},
    {t0 + 60 * ns_per_s, {interval::m1}},
    {t0 + 3600 * ns_per_s, {}},
  };
  bar_aggregator agg{{interval::s1, interval::m1}};
  std::vector<bar> closed;
  agg.add(make_trade("BTC-USDT", "7", "1", t0 + 1'500 * ns_per_ms), closed);
  for (auto& r : rows) {
    SCOPED_TRACE(r.now_ns - t0);
    closed.clear();
    agg.close_until(r.now_ns, closed);
    ASSERT_EQ(closed.size(), r.closes.size());
    for (size_t i = 0; i < closed.size(); ++i) {
      EXPECT_EQ(closed[i].span, r.closes[i]);
      EXPECT_TRUE(closed[i].closed);
      EXPECT_EQ(closed[i].trade_count, 1u);
    }
  }
  EXPECT_TRUE(open_bars(agg).empty());
}

TEST(BarAggregator, TradeForABarAlreadyClosedOnTimeIsLate) {
  bar_aggregator agg{{interval::s1}};
  std::vector<bar> closed;
  agg.add(make_trade("BTC-USDT", "7", "1", t0 + 100), closed);
  agg.close_until(t0 + ns_per_s, closed);
  ASSERT_EQ(closed.size(), 1u);

  closed.clear();
  agg.add(make_trade("BTC-USDT", "8", "1", t0 + 200), closed); // same bar
  EXPECT_EQ(agg.late_trades(), 1u);
  EXPECT_TRUE(open_bars(agg).empty());

  agg.add(make_trade("BTC-USDT", "9", "1", t0 + 5 * ns_per_s), closed);
  EXPECT_TRUE(closed.empty()); // the old bar was emitted once already
  expect_bars(open_bars(agg), {{"BTC-USDT", interval::s1, t0 + 5 * ns_per_s,
                                "9", "9", "9", "9", "1", 1, false}});
}

TEST(BarAggregator, VolumeOverflowKeepsTheVolumeAndCountsTheTrade) {
  bar_aggregator agg{{interval::s1}};
  std::vector<bar> closed;
  agg.add(make_trade("BTC-USDT", "1", "999999999999999999", t0), closed);
  agg.add(make_trade("BTC-USDT", "2", "999999999999999999", t0 + 1), closed);
  auto open = open_bars(agg);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].volume.to_string(), "999999999999999999");
  EXPECT_EQ(open[0].trade_count, 2u);
  EXPECT_EQ(open[0].close.to_string(), "2");
}

TEST(BarAggregator, MonthBarsFollowTheCalendar) {
  constexpr int64_t jan_1 = 1'704'067'200 * ns_per_s; // 2024-01-01T00:00Z
  constexpr int64_t feb_1 = 1'706'745'600 * ns_per_s; // 2024-02-01T00:00Z
  bar_aggregator agg{{interval::mo1}};
  std::vector<bar> closed;
  agg.add(make_trade("BTC-USDT", "1", "1", jan_1), closed);
  agg.add(make_trade("BTC-USDT", "2", "1", feb_1 - ns_per_s), closed); // Jan 31
  agg.close_until(feb_1 - 1, closed);
  EXPECT_TRUE(closed.empty());
  EXPECT_EQ(agg.late_trades(), 0u);
  agg.close_until(feb_1, closed);
  expect_bars(closed, {{"BTC-USDT", interval::mo1, jan_1, "1", "2", "1", "2",
                        "2", 2, true}});
}

TEST(BarAggregator, RepeatedIntervalsCountOnce) {
  bar_aggregator agg{{interval::m1, interval::m1}};
  std::vector<bar> closed;
  agg.add(make_trade("BTC-USDT", "1", "1", t0), closed);
  expect_bars(open_bars(agg), {{"BTC-USDT", interval::m1, t0, "1", "1", "1",
                                "1", "1", 1, false}});
}

TEST(BarAggregator, NoIntervalsNoBars) {
  bar_aggregator agg{std::vector<interval>{}};
  std::vector<bar> closed;
  agg.add(make_trade("BTC-USDT", "1", "1", t0), closed);
  agg.close_until(t0 + 3600 * ns_per_s, closed);
  EXPECT_TRUE(closed.empty());
  EXPECT_TRUE(open_bars(agg).empty());
}

} // namespace
} // namespace tickflow
