#include "pipeline/normalize/price_adjust.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tickflow {
namespace {

decimal d(const char* text) {
  return *decimal::parse(text);
}

TEST(PriceAdjust, ScaleByRoundsHalfAwayFromZeroAtTheLargestScale) {
  struct row {
    const char* x;
    const char* num;
    const char* den;
    const char* expected;
  };
  const row rows[] = {
    {"74.06", "72.5", "75.0875", "71.5079"},
    // EODHD AAPL 2022-01-03: close 182.01, adjusted_close 179.2736.
    {"177.83", "179.2736", "182.01", "175.1564"},
    {"182.88", "179.2736", "182.01", "180.1305"},
    {"177.71", "179.2736", "182.01", "175.0382"},
    // Yahoo AAPL 2020-08-31: open, adjclose, close as recorded doubles.
    {"127.58000183105469", "125.82673645019531", "129.0399932861328", "124.403100603979"},
    {"-3", "1", "3", "-1"},
    {"2", "1", "3", "1"},
    {"1", "1", "2", "1"},   // 0.5 -> 1
    {"-1", "1", "2", "-1"}, // -0.5 -> -1
    {"10", "3", "-2", "-15"},
    {"0", "5", "7", "0"},
  };
  for (auto& r : rows) {
    auto v = scale_by(d(r.x), d(r.num), d(r.den));
    ASSERT_TRUE(v) << r.x << " * " << r.num << " / " << r.den << ": " << v.err().context;
    EXPECT_EQ(v->to_string(), r.expected) << r.x << " * " << r.num << " / " << r.den;
  }
}

TEST(PriceAdjust, ScaleByDropsDigitsThatDoNotFit) {
  // 0.999999999999999999 * 10^17 at 18 fractional digits would need 35
  // significant ones; the exact 99999999999999999.9 keeps 18.
  auto v = scale_by(d("0.999999999999999999"), d("100000000000000000"), d("1"));
  ASSERT_TRUE(v) << v.err().context;
  EXPECT_EQ(v->to_string(), "99999999999999999.9");
  // 1/3 of 10^17 at scale 18 is rounded to fit: 18 digits, scale 1.
  auto third = scale_by(d("0.100000000000000000"), d("100000000000000000"), d("0.3"));
  ASSERT_TRUE(third) << third.err().context;
  EXPECT_EQ(third->to_string(), "33333333333333333.3");
  EXPECT_FALSE(scale_by(d("1"), d("1"), d("0")));
  // 10^17 * 10^17 does not fit in 18 digits at any scale.
  auto big = scale_by(d("100000000000000000"), d("100000000000000000"), d("1"));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.err().code, errc::out_of_range);
}

bar make(const char* o, const char* h, const char* l, const char* c, const char* v) {
  bar b;
  b.instrument = "AAPL";
  b.span = interval::d1;
  b.open_time_ns = 1'641'168'000'000'000'000; // 2022-01-03T00:00:00Z
  b.open = d(o);
  b.high = d(h);
  b.low = d(l);
  b.close = d(c);
  b.volume = d(v);
  b.closed = true;
  return b;
}

TEST(PriceAdjust, AdjustBarScalesOpenHighLowAndTakesTheAdjustedClose) {
  auto b = make("177.83", "182.88", "177.71", "182.01", "104487900");
  auto a = adjust_bar(b, d("179.2736"));
  ASSERT_TRUE(a) << a.err().context;
  EXPECT_EQ(a->open, d("175.1564"));
  EXPECT_EQ(a->high, d("180.1305"));
  EXPECT_EQ(a->low, d("175.0382"));
  EXPECT_EQ(a->close, d("179.2736"));
  EXPECT_EQ(a->volume, d("104487900")); // as traded
  EXPECT_EQ(a->open_time_ns, b.open_time_ns);
  EXPECT_EQ(a->instrument, "AAPL");
  EXPECT_TRUE(a->closed);
}

TEST(PriceAdjust, AdjustBarWithoutAnEventKeepsTheBar) {
  auto b = make("187.15", "188.44", "183.89", "185.64", "82488300");
  auto a = adjust_bar(b, d("185.64"));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->open, b.open);
  EXPECT_EQ(a->high, b.high);
  EXPECT_EQ(a->low, b.low);
  EXPECT_EQ(a->close, b.close);
}

TEST(PriceAdjust, AdjustBarNeedsAPositiveClose) {
  for (auto* close : {"0", "-1"}) {
    auto a = adjust_bar(make("1", "1", "1", close, "1"), d("1"));
    ASSERT_FALSE(a) << close;
    EXPECT_EQ(a.err().code, errc::invalid_argument);
  }
}

} // namespace
} // namespace tickflow
