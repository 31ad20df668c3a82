#include "pipeline/cache/bar_series.hpp"

#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/model/time.hpp"

using namespace tickflow;
using namespace tickflow::cache;

namespace {

constexpr int64_t minute = 60 * ns_per_s;
constexpr int64_t t0 = 1'700'000'040 * ns_per_s; // a minute start
constexpr int64_t none_before = std::numeric_limits<int64_t>::min();

int64_t at(int i) { return t0 + i * minute; }

bar make_bar(int i, const char* close = "1") {
  bar b;
  b.instrument = "BTC-USDT";
  b.span = interval::m1;
  b.open_time_ns = at(i);
  b.close = *decimal::parse(close);
  b.closed = true;
  return b;
}

std::vector<bar> bars_of(std::initializer_list<int> xs) {
  std::vector<bar> out;
  for (int i : xs)
    out.push_back(make_bar(i));
  return out;
}

std::vector<int64_t> opens(const std::vector<bar>& xs) {
  std::vector<int64_t> out;
  for (auto& b : xs)
    out.push_back(b.open_time_ns);
  return out;
}

} // namespace

TEST(BarSeries, LiveBarsAnswerNewestQueries) {
  bar_series s{interval::m1, 100};
  for (int i = 0; i < 5; ++i)
    s.add_live(make_bar(i));
  auto a = s.query(0, 0, 3);
  EXPECT_TRUE(a.complete);
  EXPECT_EQ(opens(a.bars), (std::vector<int64_t>{at(2), at(3), at(4)}));
  // More than the feed has: still served from the live series.
  auto all = s.query(0, 0, 100);
  EXPECT_TRUE(all.complete);
  EXPECT_EQ(all.bars.size(), 5u);
  // A range inside the live span is complete; one reaching before it is not.
  EXPECT_TRUE(s.query(at(1), at(3), 100).complete);
  EXPECT_FALSE(s.query(at(-3), at(3), 100).complete);
  EXPECT_EQ(s.tail(), tail_kind::live);
}

TEST(BarSeries, UpdatesOfTheSameOpenTimeReplace) {
  bar_series s{interval::m1, 100};
  s.add_live(make_bar(0, "1"));
  s.add_live(make_bar(0, "2"));
  ASSERT_EQ(s.bars().size(), 1u);
  EXPECT_EQ(s.bars()[0].close.to_string(), "2");
}

TEST(BarSeries, TheBoundEvictsTheOldestAndShrinksCoverage) {
  bar_series s{interval::m1, 3};
  size_t evicted = 0;
  for (int i = 0; i < 5; ++i)
    evicted += s.add_live(make_bar(i));
  EXPECT_EQ(evicted, 2u);
  ASSERT_EQ(s.spans().size(), 1u);
  EXPECT_EQ(s.spans()[0].from_ns, at(2));
  EXPECT_FALSE(s.query(at(1), at(4), 100).complete); // minute 1 was evicted
  EXPECT_TRUE(s.query(at(2), at(4), 100).complete);
}

TEST(BarSeries, ARangeFillIsCompleteOnlyInsideItsRange) {
  bar_series s{interval::m1, 100};
  s.fill(bars_of({0, 1, 2, 3, 4}), at(0), at(4), false);
  EXPECT_TRUE(s.query(at(0), at(4), 100).complete);
  EXPECT_TRUE(s.query(at(1), at(3) + 30 * ns_per_s, 100).complete);
  EXPECT_FALSE(s.query(at(0), at(5), 100).complete);
  EXPECT_FALSE(s.query(0, 0, 3).complete); // newest bars: not known to be newest
  EXPECT_EQ(s.tail(), tail_kind::closed);
}

TEST(BarSeries, AFillWithGapsInTheDataIsStillCompleteForItsRange) {
  // The source had no bar in minute 2 (no trades): the range is complete.
  bar_series s{interval::m1, 100};
  s.fill(bars_of({0, 1, 3}), at(0), at(3), false);
  auto a = s.query(at(0), at(3), 100);
  EXPECT_TRUE(a.complete);
  EXPECT_EQ(a.bars.size(), 3u);
}

TEST(BarSeries, AdjacentAndOverlappingFillsMerge) {
  bar_series s{interval::m1, 100};
  s.fill(bars_of({0, 1, 2}), at(0), at(2), false);
  s.fill(bars_of({3, 4}), at(3), at(4), false);
  s.fill(bars_of({8, 9}), at(8), at(9), false);
  ASSERT_EQ(s.spans().size(), 2u);
  EXPECT_TRUE(s.query(at(0), at(4), 100).complete);
  EXPECT_FALSE(s.query(at(0), at(9), 100).complete); // 5..7 unknown
  s.fill(bars_of({5, 6, 7}), at(5) - 10, at(7) + 10, false); // rounded to slots
  ASSERT_EQ(s.spans().size(), 1u);
  EXPECT_TRUE(s.query(at(0), at(9), 100).complete);
}

TEST(BarSeries, NewestFillsAreOpenEnded) {
  bar_series s{interval::m1, 100};
  // The newest 3 bars of a source that has more.
  s.fill(bars_of({7, 8, 9}), at(7), at(9), true);
  EXPECT_EQ(s.tail(), tail_kind::filled);
  EXPECT_TRUE(s.query(0, 0, 3).complete);
  EXPECT_TRUE(s.query(0, 0, 2).complete);
  EXPECT_FALSE(s.query(0, 0, 10).complete); // older bars exist elsewhere
  // A source that had only these bars: nothing exists before them.
  bar_series all{interval::m1, 100};
  all.fill(bars_of({7, 8, 9}), none_before, at(9), true);
  EXPECT_TRUE(all.query(0, 0, 10).complete);
}

TEST(BarSeries, ABoundedFillReachingTheNewestBarEndsAnOpenClaim) {
  // Bars a provider returned for a past range may reach the cache through
  // the pipeline first (as live bars): the gateway's fill corrects that.
  bar_series s{interval::m1, 100};
  for (int i = 0; i < 3; ++i)
    s.add_live(make_bar(i));
  EXPECT_TRUE(s.query(0, 0, 10).complete);
  s.fill(bars_of({0, 1, 2}), at(0), at(2), false);
  EXPECT_EQ(s.tail(), tail_kind::closed);
  EXPECT_FALSE(s.query(0, 0, 10).complete);
  EXPECT_TRUE(s.query(at(0), at(2), 10).complete);
  // A later live bar in the next slot makes it live again.
  s.add_live(make_bar(3));
  EXPECT_EQ(s.tail(), tail_kind::live);
  EXPECT_TRUE(s.query(0, 0, 10).complete);
}

TEST(BarSeries, LiveBarsInsideAFilledRangeChangeNoCoverage) {
  bar_series s{interval::m1, 100};
  s.fill(bars_of({0, 1, 2}), at(0), at(2), false);
  s.add_live(make_bar(1, "7")); // the pipeline's copy of a fetched bar
  EXPECT_EQ(s.tail(), tail_kind::closed);
  EXPECT_FALSE(s.query(0, 0, 10).complete);
  EXPECT_EQ(s.query(at(1), at(1), 1).bars[0].close.to_string(), "7");
}

TEST(BarSeries, ALiveBarAfterAGapStartsANewSpan) {
  bar_series s{interval::m1, 100};
  s.fill(bars_of({0, 1}), at(0), at(1), false);
  s.add_live(make_bar(5));
  ASSERT_EQ(s.spans().size(), 2u);
  EXPECT_FALSE(s.query(at(0), at(5), 100).complete);
  EXPECT_TRUE(s.query(at(5), 0, 100).complete);
}

TEST(BarSeries, EmptyAnswersAreNeverComplete) {
  bar_series s{interval::m1, 100};
  s.fill({}, at(0), at(9), false);
  EXPECT_FALSE(s.query(at(0), at(9), 10).complete);
  EXPECT_TRUE(s.query(at(0), at(9), 10).bars.empty());
}

TEST(BarSeries, SpansAreBounded) {
  bar_series s{interval::m1, 10'000};
  for (int i = 0; i < 100; ++i)
    s.fill(bars_of({3 * i}), at(3 * i), at(3 * i), false);
  EXPECT_LE(s.spans().size(), bar_series::max_spans);
  EXPECT_TRUE(s.query(at(297), at(297), 1).complete); // the newest are kept
}

TEST(BarSeries, BytesGrowWithBars) {
  bar_series s{interval::m1, 100};
  auto empty = s.approx_bytes();
  s.add_live(make_bar(0));
  s.add_live(make_bar(1));
  EXPECT_GE(s.approx_bytes(), empty + 2 * sizeof(bar));
}
