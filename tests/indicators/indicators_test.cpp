// The pure indicator functions (pipeline/indicators/batch.hpp) against
// reference values computed independently by
// tests/indicators/reference/make_reference.py (exact sums, the statistics
// module) on a fixed 60-bar series, to 1e-9 relative; plus hand-computed
// small cases, warm-up, a period longer than the series, flat series and
// bad parameters.

#include <cmath>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/indicators/batch.hpp"
#include "pipeline/indicators/indicator_spec.hpp"
#include "tests/indicators/indicator_support.hpp"

using namespace tickflow;
using namespace tickflow::indicators;
using namespace tickflow::test;
namespace ref = tickflow::test::reference;

namespace {

using opt = std::optional<double>;
constexpr auto none = std::nullopt;

/// Flat bars: every price `p`, volume `v`.
std::vector<ohlcv> flat_bars(size_t n, double p, double v = 10) {
  std::vector<ohlcv> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back({static_cast<int64_t>(i) * ref::day_ns, p, p, p, p, v});
  return out;
}

} // namespace

// -- against the reference table -----------------------------------------------

TEST(IndicatorReference, SmaMatches) {
  auto c = reference_closes();
  EXPECT_TRUE(same_series(*sma(c, 5), ref::sma5));
  EXPECT_TRUE(same_series(*sma(c, 20), ref::sma20));
}

TEST(IndicatorReference, EmaMatches) {
  EXPECT_TRUE(same_series(*ema(reference_closes(), 10), ref::ema10));
}

TEST(IndicatorReference, RsiWilderMatches) {
  auto c = reference_closes();
  EXPECT_TRUE(same_series(*rsi(c, 14), ref::rsi14));
  EXPECT_TRUE(same_series(*rsi(c, 5), ref::rsi5));
}

TEST(IndicatorReference, Macd12_26_9Matches) {
  auto m = macd(reference_closes(), 12, 26, 9);
  ASSERT_TRUE(m);
  EXPECT_TRUE(same_series(m->macd, ref::macd_line));
  EXPECT_TRUE(same_series(m->signal, ref::macd_signal));
  EXPECT_TRUE(same_series(m->hist, ref::macd_hist));
  // The line from slow - 1, the signal 8 bars later.
  EXPECT_FALSE(m->macd[24]);
  EXPECT_TRUE(m->macd[25]);
  EXPECT_FALSE(m->signal[32]);
  EXPECT_TRUE(m->signal[33]);
}

TEST(IndicatorReference, BollingerPopulationStdDevMatches) {
  auto c = reference_closes();
  auto b = bollinger(c, 20, 2.0);
  ASSERT_TRUE(b);
  EXPECT_TRUE(same_series(b->middle, ref::bb20_middle));
  EXPECT_TRUE(same_series(b->upper, ref::bb20_upper));
  EXPECT_TRUE(same_series(b->lower, ref::bb20_lower));
  EXPECT_TRUE(same_series(bollinger(c, 10, 1.5)->upper, ref::bb10_k1_5_upper));
}

TEST(IndicatorReference, AtrWilderMatches) {
  EXPECT_TRUE(same_series(*atr(reference_bars(), 14), ref::atr14));
}

TEST(IndicatorReference, VwapTypicalPriceMatches) {
  auto bars = reference_bars();
  EXPECT_TRUE(same_series(*vwap(bars), ref::vwap_all));
  EXPECT_TRUE(same_series(*vwap(bars, 3 * ref::day_ns), ref::vwap_3d));
}

TEST(IndicatorReference, VolatilitySampleStdDevOfLogReturnsMatches) {
  auto v = volatility(reference_closes(), 20, 365.0);
  ASSERT_TRUE(v);
  EXPECT_TRUE(same_series(v->stdev, ref::vol20));
  EXPECT_TRUE(same_series(v->annualized, ref::vol20_annualized));
}

TEST(IndicatorReference, ComputeGivesTheDefinedPointsOnly) {
  auto bars = reference_bars();
  auto spec = parse_indicator("rsi14", 0, 500);
  ASSERT_TRUE(spec);
  auto points = compute(*spec, bars);
  ASSERT_TRUE(points);
  ASSERT_EQ(points->size(), bars.size() - 14);
  EXPECT_EQ(points->front().t_ns, bars[14].t_ns);
  EXPECT_TRUE(close_enough(points->front().values[0], *ref::rsi14[14]));
  auto m = compute(*parse_indicator("macd", 0, 500), bars);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->size(), bars.size() - 33); // warm-up slow + signal - 2
  EXPECT_TRUE(close_enough(m->back().values[0], *ref::macd_line.back()));
  EXPECT_TRUE(close_enough(m->back().values[1], *ref::macd_signal.back()));
  EXPECT_TRUE(close_enough(m->back().values[2], *ref::macd_hist.back()));
  indicator_spec vol;
  vol.kind = indicator_kind::volatility;
  vol.period = 20;
  vol.bars_per_year = 365;
  auto v = compute(vol, bars);
  ASSERT_TRUE(v);
  EXPECT_TRUE(close_enough(v->back().values[1], *ref::vol20_annualized.back()));
}

// -- small cases by hand --------------------------------------------------------

TEST(IndicatorByHand, SmaAndEma) {
  std::vector<double> x{1, 2, 3, 4, 5};
  EXPECT_TRUE(same_series(*sma(x, 3), {none, none, 2.0, 3.0, 4.0}));
  // alpha 0.5, seeded with mean(1,2,3) = 2: 0.5*4 + 0.5*2 = 3, then 4.
  EXPECT_TRUE(same_series(*ema(x, 3), {none, none, 2.0, 3.0, 4.0}));
  EXPECT_TRUE(same_series(*sma(x, 1), {1.0, 2.0, 3.0, 4.0, 5.0}));
  std::vector<double> y{2, 4, 6, 8, 4};
  // seed (2+4+6)/3 = 4; 0.5*8 + 0.5*4 = 6; 0.5*4 + 0.5*6 = 5.
  EXPECT_TRUE(same_series(*ema(y, 3), {none, none, 4.0, 6.0, 5.0}));
}

TEST(IndicatorByHand, RsiWilder) {
  // Changes +1 -1 +2: avg gain 1, avg loss 1/3 -> RS 3 -> RSI 75.
  // Next change -1: gain (1*2+0)/3 = 2/3, loss (1/3*2+1)/3 = 5/9 -> RS 1.2.
  std::vector<double> c{10, 11, 10, 12, 11};
  EXPECT_TRUE(same_series(*rsi(c, 3), {none, none, none, 75.0, 100 - 100 / 2.2}));
}

TEST(IndicatorByHand, AtrAndVwap) {
  std::vector<ohlcv> b{{0, 10, 12, 9, 11, 1},
                       {1, 11, 13, 10, 12, 3},  // TR max(3, 2, 1) = 3
                       {2, 12, 12, 8, 9, 0},    // TR max(4, 0, 4) = 4
                       {3, 9, 15, 9, 14, 4}};   // TR max(6, 6, 0) = 6
  // Period 2: mean(3, 4) = 3.5, then (3.5 + 6) / 2 = 4.75.
  EXPECT_TRUE(same_series(*atr(b, 2), {none, none, 3.5, 4.75}));
  // Typical prices 32/3, 35/3, 29/3, 38/3; volumes 1, 3, 0, 4.
  double v1 = 32.0 / 3;
  double v2 = (32.0 / 3 + 35.0) / 4;
  double v4 = (32.0 / 3 + 35.0 + 38.0 / 3 * 4) / 8;
  EXPECT_TRUE(same_series(*vwap(b), {v1, v2, v2, v4}));
}

TEST(IndicatorByHand, BollingerAndVolatility) {
  std::vector<double> c{1, 2, 3, 4};
  // mean 2.5, population variance 1.25.
  auto b = bollinger(c, 4, 2.0);
  EXPECT_TRUE(same_series(b->upper, {none, none, none, 2.5 + 2 * std::sqrt(1.25)}));
  // Returns ln 2, ln 1.5, ln(4/3): sample std dev of the last 2 at index 3.
  auto v = volatility(c, 2, 4.0);
  double r1 = std::log(1.5), r2 = std::log(4.0 / 3);
  double sd = std::fabs(r1 - r2) / std::sqrt(2.0);
  EXPECT_TRUE(same_series(v->stdev, {none, none, std::fabs(std::log(2.0) - r1) / std::sqrt(2.0), sd}));
  EXPECT_TRUE(close_enough(*v->annualized[3], sd * 2));
}

// -- warm-up and short series ---------------------------------------------------

TEST(IndicatorWarmUp, FirstValuesAbsent) {
  auto c = reference_closes();
  auto s = *sma(c, 20);
  for (size_t i = 0; i < 19; ++i)
    EXPECT_FALSE(s[i]) << i;
  EXPECT_TRUE(s[19]);
  auto r = *rsi(c, 14);
  EXPECT_FALSE(r[13]);
  EXPECT_TRUE(r[14]);
  EXPECT_EQ(parse_indicator("sma20", 0, 500)->warmup(), 19u);
  EXPECT_EQ(parse_indicator("ema10", 0, 500)->warmup(), 9u);
  EXPECT_EQ(parse_indicator("rsi14", 0, 500)->warmup(), 14u);
  EXPECT_EQ(parse_indicator("atr14", 0, 500)->warmup(), 14u);
  EXPECT_EQ(parse_indicator("bb20", 0, 500)->warmup(), 19u);
  EXPECT_EQ(parse_indicator("vol20", 0, 500)->warmup(), 20u);
  EXPECT_EQ(parse_indicator("macd", 0, 500)->warmup(), 33u);
  EXPECT_EQ(parse_indicator("vwap", 0, 500)->warmup(), 0u);
}

TEST(IndicatorWarmUp, PeriodLongerThanTheSeriesGivesNoValues) {
  std::vector<double> c{1, 2, 3};
  auto all_absent = [](const series& s) {
    for (auto& x : s)
      if (x)
        return false;
    return s.size() == 3;
  };
  EXPECT_TRUE(all_absent(*sma(c, 4)));
  EXPECT_TRUE(all_absent(*ema(c, 4)));
  EXPECT_TRUE(all_absent(*rsi(c, 3))); // needs 4 closes
  EXPECT_TRUE(all_absent(macd(c, 2, 5, 2)->macd));
  EXPECT_TRUE(all_absent(bollinger(c, 5, 2)->middle));
  EXPECT_TRUE(all_absent(volatility(c, 3, 365)->stdev));
  std::vector<ohlcv> b{{0, 1, 2, 0.5, 1, 1}, {1, 1, 2, 0.5, 1, 1}};
  EXPECT_EQ(atr(b, 2)->size(), 2u);
  EXPECT_FALSE((*atr(b, 2))[1]);
  EXPECT_TRUE(sma({}, 3)->empty());
  auto empty = compute(*parse_indicator("rsi14", 0, 500), {});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

// -- flat series ------------------------------------------------------------------

TEST(IndicatorFlat, NoLossesIsRsi100AndZeroRangeCollapses) {
  auto bars = flat_bars(40, 50.0);
  auto c = closes_of(bars);
  auto flat_rsi = *rsi(c, 14);
  for (auto& x : flat_rsi) {
    if (x) {
      EXPECT_EQ(*x, 100.0); // no losses (and no gains): 100
    }
  }
  std::vector<double> up;
  for (int i = 0; i < 20; ++i)
    up.push_back(10 + i);
  EXPECT_EQ((*rsi(up, 14))[19], 100.0);
  std::vector<double> down;
  for (int i = 0; i < 20; ++i)
    down.push_back(100 - i);
  EXPECT_EQ((*rsi(down, 14))[19], 0.0);
  auto b = bollinger(c, 20, 2.0);
  EXPECT_EQ(*b->upper[39], 50.0);
  EXPECT_EQ(*b->lower[39], 50.0);
  EXPECT_EQ((*atr(bars, 14))[39], 0.0);
  EXPECT_EQ(*volatility(c, 20, 365)->stdev[39], 0.0);
  auto m = macd(c, 12, 26, 9);
  ASSERT_TRUE(m->hist[39]);
  EXPECT_EQ(*m->hist[39], 0.0);
  EXPECT_EQ((*vwap(bars))[39], 50.0);
  // No volume at all: no VWAP.
  auto no_volume = *vwap(flat_bars(3, 50.0, 0));
  for (auto& x : no_volume)
    EXPECT_FALSE(x);
}

TEST(IndicatorFlat, NonPositiveCloseHasNoLogReturn) {
  std::vector<double> c{1, 2, 0, 2, 3, 4, 5};
  auto v = volatility(c, 2, 365);
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->stdev[2]); // ln(0/2)
  EXPECT_FALSE(v->stdev[3]); // ln(2/0), and the window holds index 2
  EXPECT_FALSE(v->stdev[4]); // the window holds index 3
  EXPECT_TRUE(v->stdev[5]);
}

// -- bad parameters ----------------------------------------------------------------

TEST(IndicatorParams, BadParametersAreErrors) {
  std::vector<double> c{1, 2, 3};
  EXPECT_EQ(sma(c, 0).err().code, errc::invalid_argument);
  EXPECT_FALSE(ema(c, 0));
  EXPECT_FALSE(rsi(c, 0));
  EXPECT_FALSE(macd(c, 0, 26, 9));
  EXPECT_FALSE(macd(c, 26, 26, 9));
  EXPECT_FALSE(macd(c, 30, 26, 9));
  EXPECT_FALSE(macd(c, 12, 26, 0));
  EXPECT_FALSE(bollinger(c, 0, 2));
  EXPECT_FALSE(bollinger(c, 20, 0));
  EXPECT_FALSE(bollinger(c, 20, -1));
  EXPECT_FALSE(bollinger(c, 20, std::nan("")));
  EXPECT_FALSE(atr({}, 0));
  EXPECT_FALSE(vwap({}, -1));
  EXPECT_FALSE(volatility(c, 1, 365));
  EXPECT_FALSE(volatility(c, 20, 0));
  EXPECT_FALSE(volatility(c, 20, -5));
  EXPECT_FALSE(volatility(c, 20, INFINITY));
}

TEST(IndicatorParams, NamesParseWithPeriodsAndLimits) {
  auto rsi14 = parse_indicator("rsi", 0, 500);
  ASSERT_TRUE(rsi14);
  EXPECT_EQ(rsi14->name(), "rsi14");
  EXPECT_EQ(parse_indicator("sma", 0, 500)->name(), "sma20");
  EXPECT_EQ(parse_indicator("sma", 50, 500)->name(), "sma50");      // period=50
  EXPECT_EQ(parse_indicator("sma7", 50, 500)->name(), "sma7");      // its own wins
  EXPECT_EQ(parse_indicator("bollinger20", 0, 500)->name(), "bb20");
  EXPECT_EQ(parse_indicator("volatility30", 0, 500)->name(), "vol30");
  EXPECT_EQ(parse_indicator("macd", 14, 500)->name(), "macd");
  EXPECT_EQ(parse_indicator("vwap", 14, 500)->name(), "vwap");
  EXPECT_EQ(parse_indicator("ema500", 0, 500)->period, 500u);
  for (auto bad : {"", "rsx", "RSI", "rsi0", "rsi501", "rsi14x", "rsi-3", "macd12",
                   "vwap5", "vol1", "14", "rsi99999999999999999999"}) {
    auto r = parse_indicator(bad, 0, 500);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.err().code, errc::invalid_argument) << bad;
    }
  }
  indicator_spec m;
  m.kind = indicator_kind::macd;
  m.fast = 26;
  m.slow = 12;
  EXPECT_FALSE(validate(m, 500));
  m.fast = 5;
  m.slow = 600;
  EXPECT_FALSE(validate(m, 500));
  m.slow = 35;
  EXPECT_TRUE(validate(m, 500));
}

TEST(IndicatorParams, BarsPerYearFollowTheInterval) {
  EXPECT_DOUBLE_EQ(bars_per_year(interval::d1), 365.0);
  EXPECT_DOUBLE_EQ(bars_per_year(interval::h1), 365.0 * 24);
  EXPECT_DOUBLE_EQ(bars_per_year(interval::m1), 365.0 * 24 * 60);
  EXPECT_DOUBLE_EQ(bars_per_year(interval::mo1), 12.0);
}

TEST(IndicatorParams, BarsConvertAtTheEdgeSortedAndUnique) {
  bar a, b, c;
  a.open_time_ns = 2;
  a.close = *decimal::parse("101.5");
  b.open_time_ns = 1;
  b.close = *decimal::parse("100.25");
  c.open_time_ns = 2;
  c.close = *decimal::parse("102.75"); // the same open time, given later: wins
  auto s = to_series({a, b, c});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].t_ns, 1);
  EXPECT_EQ(s[0].close, 100.25);
  EXPECT_EQ(s[1].close, 102.75);
}
