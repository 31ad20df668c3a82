#include "pipeline/normalize/bar_resampler.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/model/time.hpp"

namespace tickflow {
namespace {

constexpr int64_t min_ns = 60'000'000'000;
constexpr int64_t hour_ns = 60 * min_ns;
constexpr int64_t day_ns = 24 * hour_ns;

decimal d(const char* text) {
  return *decimal::parse(text);
}

bar make(interval span, int64_t open_ns, const char* o, const char* h, const char* l,
         const char* c, const char* v, bool closed = true, uint64_t trades = 1) {
  bar b;
  b.instrument = "BTC-USDT";
  b.span = span;
  b.open_time_ns = open_ns;
  b.open = d(o);
  b.high = d(h);
  b.low = d(l);
  b.close = d(c);
  b.volume = d(v);
  b.trade_count = trades;
  b.closed = closed;
  return b;
}

TEST(BarResampler, WhichIntervalsBuildWhich) {
  struct row {
    interval coarse;
    interval fine;
    bool ok;
  };
  const row rows[] = {
    {interval::m5, interval::m1, true},   {interval::m5, interval::s1, true},
    {interval::m5, interval::m3, false},  {interval::h1, interval::m1, true},
    {interval::h1, interval::m15, true},  {interval::h1, interval::m30, true},
    {interval::h4, interval::h2, true},   {interval::h12, interval::h8, false},
    {interval::d1, interval::h1, true},   {interval::d1, interval::h8, true},
    {interval::d3, interval::d1, true},   {interval::w1, interval::d1, true},
    {interval::w1, interval::d3, false},  {interval::mo1, interval::d1, true},
    {interval::mo1, interval::w1, false}, {interval::mo1, interval::h1, true},
    {interval::m1, interval::m1, false},  {interval::m1, interval::m5, false},
    {interval::d1, interval::mo1, false},
  };
  for (auto& r : rows)
    EXPECT_EQ(resamples_from(r.coarse, r.fine), r.ok)
      << to_string(r.fine) << " -> " << to_string(r.coarse);
  EXPECT_EQ(finer_sources(interval::m5), (std::vector<interval>{interval::m1, interval::s1}));
  EXPECT_EQ(finer_sources(interval::h1),
            (std::vector<interval>{interval::m30, interval::m15, interval::m5, interval::m3,
                                   interval::m1, interval::s1}));
  EXPECT_TRUE(finer_sources(interval::s1).empty());
}

TEST(BarResampler, FiveMinutesFromOneMinuteWithExactSums) {
  auto t0 = *parse_timestamp("2024-03-01T10:00:00Z");
  std::vector<bar> fine = {
    make(interval::m1, t0 + 0 * min_ns, "100.10", "101.00", "99.90", "100.50", "0.1", true, 3),
    make(interval::m1, t0 + 1 * min_ns, "100.50", "102.25", "100.40", "102.00", "0.2", true, 2),
    make(interval::m1, t0 + 2 * min_ns, "102.00", "102.10", "98.05", "99.00", "0.000000001"),
    make(interval::m1, t0 + 3 * min_ns, "99.00", "99.50", "98.80", "99.20", "1.7"),
    make(interval::m1, t0 + 4 * min_ns, "99.20", "99.30", "99.10", "99.25", "0"),
    // The next 5m bar: only its first minute so far, still open.
    make(interval::m1, t0 + 5 * min_ns, "99.25", "99.40", "99.00", "99.35", "0.3", false),
  };
  auto got = resample_bars(fine, interval::m5);
  ASSERT_EQ(got.size(), 2u);
  auto& a = got[0];
  EXPECT_EQ(a.span, interval::m5);
  EXPECT_EQ(a.open_time_ns, t0);
  EXPECT_EQ(a.instrument, "BTC-USDT");
  EXPECT_EQ(a.open, d("100.10"));
  EXPECT_EQ(a.high, d("102.25"));
  EXPECT_EQ(a.low, d("98.05"));
  EXPECT_EQ(a.close, d("99.25"));
  EXPECT_EQ(a.volume.to_string(), "2.000000001"); // exact: 0.1+0.2+1e-9+1.7+0
  EXPECT_EQ(a.trade_count, 8u); // 3 + 2 + 1 + 1 + 1
  EXPECT_TRUE(a.closed);
  auto& b = got[1];
  EXPECT_EQ(b.open_time_ns, t0 + 5 * min_ns);
  EXPECT_EQ(b.open, d("99.25"));
  EXPECT_EQ(b.close, d("99.35"));
  EXPECT_FALSE(b.closed);
}

TEST(BarResampler, OrderDuplicatesGapsAndFlags) {
  auto t0 = *parse_timestamp("2024-03-01T00:00:00Z");
  auto x = make(interval::m1, t0 + 2 * min_ns, "3", "3", "3", "3", "1");
  x.flags = quality_backfilled;
  std::vector<bar> fine = {
    x,
    make(interval::m1, t0, "1", "1", "1", "1", "1"),
    make(interval::m1, t0, "2", "2", "2", "2", "5"), // a later copy of t0 wins
    // Minutes 3 and 4 missing; the bar still ends where the last one does.
    make(interval::m1, t0 + 10 * min_ns, "9", "9", "9", "9", "1"),
  };
  auto got = resample_bars(fine, interval::m5);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].open, d("2"));
  EXPECT_EQ(got[0].close, d("3"));
  EXPECT_EQ(got[0].volume, d("6"));
  EXPECT_EQ(got[0].flags, static_cast<uint32_t>(quality_backfilled));
  EXPECT_FALSE(got[0].closed); // its last minute (4) never came
  EXPECT_EQ(got[1].open_time_ns, t0 + 10 * min_ns);
  EXPECT_TRUE(resample_bars({}, interval::h1).empty());
}

TEST(BarResampler, DaysBuildWeeksFromMondayAndMonthsFromTheFirst) {
  // 2024-02-26 is a Monday; February 2024 has 29 days.
  auto mon = *parse_timestamp("2024-02-26");
  std::vector<bar> days;
  for (int i = 0; i < 7; ++i)
    days.push_back(make(interval::d1, mon + i * day_ns, "1", "2", "1", "1", "1"));
  auto weeks = resample_bars(days, interval::w1);
  ASSERT_EQ(weeks.size(), 1u);
  EXPECT_EQ(weeks[0].open_time_ns, mon);
  EXPECT_TRUE(weeks[0].closed);
  EXPECT_EQ(weeks[0].volume, d("7"));
  auto months = resample_bars(days, interval::mo1);
  ASSERT_EQ(months.size(), 2u);
  EXPECT_EQ(months[0].open_time_ns, *parse_timestamp("2024-02-01"));
  EXPECT_EQ(months[0].volume, d("4")); // 26, 27, 28, 29
  EXPECT_TRUE(months[0].closed);       // the 29th ends February
  EXPECT_EQ(months[1].open_time_ns, *parse_timestamp("2024-03-01"));
  EXPECT_FALSE(months[1].closed);
}

TEST(BarResampler, LiveSourceIsTheCoarsestThatBuildsIt) {
  std::vector<interval> live = {interval::s1, interval::m1, interval::m15};
  EXPECT_EQ(live_source(interval::m5, live), interval::m1);
  EXPECT_EQ(live_source(interval::h1, live), interval::m15);
  EXPECT_EQ(live_source(interval::m3, live), interval::m1);
  EXPECT_EQ(live_source(interval::m1, live), interval::s1);
  EXPECT_FALSE(live_source(interval::s1, live));
  EXPECT_FALSE(live_source(interval::h1, {}));
}

TEST(LiveResampler, OpenUpdatesThenClosedBarsMakeTheCoarseBar) {
  auto t0 = *parse_timestamp("2024-03-01T10:00:00Z");
  live_resampler r;
  struct step {
    bar fine;
    bool answered;
    const char* close;
    const char* volume;
    bool closed;
    int64_t open_ns;
  };
  const step steps[] = {
    {make(interval::m1, t0, "10", "11", "9", "10.5", "1", false), true, "10.5", "1", false, t0},
    {make(interval::m1, t0, "10", "12", "9", "11", "2", false), true, "11", "2", false, t0},
    {make(interval::m1, t0, "10", "12", "9", "11.5", "3", true), true, "11.5", "3", false, t0},
    // A repeat of a final minute changes nothing.
    {make(interval::m1, t0, "10", "12", "9", "11.5", "3", true), false, "", "", false, 0},
    {make(interval::m1, t0 + min_ns, "11.5", "13", "11", "12", "0.5", false), true, "12",
     "3.5", false, t0},
    {make(interval::m1, t0 + 4 * min_ns, "12", "12", "8", "8.5", "1", true), true, "8.5",
     "4", true, t0},
    // The next window starts a new coarse bar; the old one no longer moves.
    {make(interval::m1, t0 + 5 * min_ns, "8.5", "9", "8", "9", "2", false), true, "9", "2",
     false, t0 + 5 * min_ns},
    {make(interval::m1, t0 + 3 * min_ns, "1", "1", "1", "1", "1", true), false, "", "", false,
     0},
  };
  for (size_t i = 0; i < std::size(steps); ++i) {
    SCOPED_TRACE(i);
    auto& s = steps[i];
    auto* got = r.add(s.fine, interval::m5);
    ASSERT_EQ(got != nullptr, s.answered);
    if (!got)
      continue;
    EXPECT_EQ(got->span, interval::m5);
    EXPECT_EQ(got->open_time_ns, s.open_ns);
    EXPECT_EQ(got->close, d(s.close));
    EXPECT_EQ(got->volume, d(s.volume));
    EXPECT_EQ(got->closed, s.closed);
  }
  // The high of the first window counted both minutes.
  EXPECT_EQ(r.size(), 1u);
  r.retain([](const std::string&, interval) { return false; });
  EXPECT_EQ(r.size(), 0u);
}

TEST(BarResampler, CloseTimes) {
  auto jan31 = *parse_timestamp("2024-01-01");
  EXPECT_EQ(bar_close_time(interval::mo1, jan31), *parse_timestamp("2024-02-01"));
  EXPECT_EQ(bar_close_time(interval::h1, 0), hour_ns);
}

} // namespace
} // namespace tickflow
