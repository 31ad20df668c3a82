#include "pipeline/cache/range_gaps.hpp"

#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/model/time.hpp"

using namespace tickflow;
using namespace tickflow::cache;

namespace {

constexpr int64_t minute = 60 * ns_per_s;
constexpr int64_t day = 86'400 * ns_per_s;
constexpr int64_t t0 = 1'700'000'040 * ns_per_s; // 2023-11-14T22:14:00Z, a minute start

/// Open times of minutes t0 + i for each i.
std::vector<int64_t> minutes(std::initializer_list<int> xs) {
  std::vector<int64_t> out;
  for (int i : xs)
    out.push_back(t0 + i * minute);
  return out;
}

slot_range range(int first, int last) {
  return {t0 + first * minute, t0 + last * minute,
          static_cast<size_t>(last - first + 1)};
}

/// Midnight UTC of a civil date (days since 1970 computed by hand).
int64_t utc_day(int days_since_epoch) { return days_since_epoch * day; }

} // namespace

TEST(RangeGaps, NothingHeldIsOneRange) {
  auto gaps = missing_ranges(interval::m1, t0, t0 + 9 * minute, {}, 4);
  EXPECT_EQ(gaps, (std::vector<slot_range>{range(0, 9)}));
}

TEST(RangeGaps, EverythingHeldIsNoRange) {
  auto gaps = missing_ranges(interval::m1, t0, t0 + 4 * minute,
                             minutes({4, 3, 2, 1, 0, 2}), 4); // any order, dups
  EXPECT_TRUE(gaps.empty());
}

TEST(RangeGaps, AdjacentMissingSlotsMergeIntoOneRange) {
  auto gaps = missing_ranges(interval::m1, t0, t0 + 9 * minute,
                             minutes({0, 1, 2, 3, 4, 7}), 4);
  EXPECT_EQ(gaps, (std::vector<slot_range>{range(5, 6), range(8, 9)}));
}

TEST(RangeGaps, LeadingAndTrailingGaps) {
  auto gaps = missing_ranges(interval::m1, t0, t0 + 9 * minute,
                             minutes({3, 4, 5}), 4);
  EXPECT_EQ(gaps, (std::vector<slot_range>{range(0, 2), range(6, 9)}));
}

TEST(RangeGaps, BoundsAreRoundedToSlots) {
  // Start inside minute 0 begins at minute 1; end inside minute 5 ends there.
  auto gaps = missing_ranges(interval::m1, t0 + 30 * ns_per_s,
                             t0 + 5 * minute + 59 * ns_per_s, minutes({1, 2}), 4);
  EXPECT_EQ(gaps, (std::vector<slot_range>{range(3, 5)}));
  // A range without any slot start.
  EXPECT_TRUE(missing_ranges(interval::m1, t0 + 1, t0 + 59 * ns_per_s, {}, 4).empty());
}

TEST(RangeGaps, HeldTimesOutsideTheRangeOrUnalignedAreHandled) {
  std::vector<int64_t> held = minutes({-5, 20});
  held.push_back(t0 + 2 * minute + 17 * ns_per_s); // counts for minute 2
  auto gaps = missing_ranges(interval::m1, t0, t0 + 4 * minute, held, 4);
  EXPECT_EQ(gaps, (std::vector<slot_range>{range(0, 1), range(3, 4)}));
}

TEST(RangeGaps, TooManyRangesMergeAcrossTheNarrowestHeldRuns) {
  // Missing: 1, 3, 5-6, 10, 12; held runs between them: 2 (1), 4 (1),
  // 7-9 (3), 11 (1). With two ranges the widest run (7-9) splits.
  auto gaps = missing_ranges(interval::m1, t0, t0 + 12 * minute,
                             minutes({0, 2, 4, 7, 8, 9, 11}), 2);
  EXPECT_EQ(gaps, (std::vector<slot_range>{range(1, 6), range(10, 12)}));
  auto one = missing_ranges(interval::m1, t0, t0 + 12 * minute,
                            minutes({0, 2, 4, 7, 8, 9, 11}), 1);
  EXPECT_EQ(one, (std::vector<slot_range>{range(1, 12)}));
  auto zero_is_one = missing_ranges(interval::m1, t0, t0 + 12 * minute,
                                    minutes({0, 2, 4, 7, 8, 9, 11}), 0);
  EXPECT_EQ(zero_is_one, one);
}

TEST(RangeGaps, CalendarMonthsAreSlots) {
  // 2024-01-01 is day 19723; months Jan..May 2024, February and April held.
  int64_t jan = utc_day(19723), feb = utc_day(19754), mar = utc_day(19783),
          apr = utc_day(19814), may = utc_day(19844);
  EXPECT_EQ(next_slot(interval::mo1, jan), feb);
  EXPECT_EQ(next_slot(interval::mo1, feb), mar); // 29 days (leap year)
  EXPECT_EQ(previous_slot(interval::mo1, mar), feb);
  EXPECT_EQ(count_slots(interval::mo1, jan, may), 5u);
  auto gaps = missing_ranges(interval::mo1, jan, may, {feb, apr}, 4);
  EXPECT_EQ(gaps, (std::vector<slot_range>{{jan, jan, 1}, {mar, mar, 1}, {may, may, 1}}));
}

TEST(RangeGaps, WeeksStartOnMonday) {
  int64_t monday = utc_day(19723); // 2024-01-01 was a Monday
  auto gaps = missing_ranges(interval::w1, monday - day, monday + 14 * day, {}, 4);
  EXPECT_EQ(gaps, (std::vector<slot_range>{{monday, monday + 14 * day, 3}}));
}

TEST(RangeGaps, NewestSlotsStart) {
  // The newest 3 minutes of [0, 9] begin at minute 7.
  EXPECT_EQ(newest_slots_start(interval::m1, t0, t0 + 9 * minute, 3), t0 + 7 * minute);
  // Fewer slots than asked: the range start.
  EXPECT_EQ(newest_slots_start(interval::m1, t0, t0 + 2 * minute, 50), t0);
  EXPECT_EQ(newest_slots_start(interval::m1, t0, t0 + 9 * minute, 1), t0 + 9 * minute);
  int64_t jan = utc_day(19723), mar = utc_day(19783), may = utc_day(19844);
  EXPECT_EQ(newest_slots_start(interval::mo1, jan, may, 3), mar);
}

TEST(RangeGaps, CountSlots) {
  EXPECT_EQ(count_slots(interval::m1, t0, t0), 1u);
  EXPECT_EQ(count_slots(interval::m1, t0, t0 + 59 * minute), 60u);
  EXPECT_EQ(count_slots(interval::m1, t0 + minute, t0), 0u);
  EXPECT_EQ(first_slot_at_or_after(interval::m1, t0 + 1), t0 + minute);
  EXPECT_EQ(first_slot_at_or_after(interval::m1, t0), t0);
}

// -- with a trading calendar -------------------------------------------------

namespace {

int64_t at(const char* text) {
  auto t = parse_timestamp(text);
  return t.ok() ? *t : -1;
}

const trading_calendar& us_equity() {
  static const trading_calendar cal{calendar_rules::us_equity};
  return cal;
}

} // namespace

TEST(SessionGaps, AWeekendAndAHolidayAreNoGaps) {
  // Friday 2023-01-13 and Tuesday 2023-01-17 held; 14, 15 (weekend) and 16
  // (Martin Luther King Jr. Day) are no slots.
  std::vector<int64_t> held{at("2023-01-13"), at("2023-01-17")};
  EXPECT_TRUE(missing_ranges(interval::d1, us_equity(), at("2023-01-13"),
                             at("2023-01-17"), held, 4)
                .empty());
  EXPECT_FALSE(any_open_slot(interval::d1, us_equity(), at("2023-01-14"), at("2023-01-16")));
  EXPECT_EQ(count_slots(interval::d1, us_equity(), at("2023-01-13"), at("2023-01-17")), 2u);
  // New Year's Day 2020 between two held dates.
  EXPECT_TRUE(missing_ranges(interval::d1, us_equity(), at("2019-12-31"), at("2020-01-02"),
                             {at("2019-12-31"), at("2020-01-02")}, 4)
                .empty());
  // Without the calendar the same dates are gaps.
  EXPECT_EQ(missing_ranges(interval::d1, at("2023-01-13"), at("2023-01-17"), held, 4).size(),
            1u);
}

TEST(SessionGaps, MissingTradingDaysAcrossAWeekendAreOneRange) {
  // Friday and Tuesday missing, Thursday and Wednesday held: one range
  // Friday..Tuesday of 2 trading slots.
  auto gaps = missing_ranges(interval::d1, us_equity(), at("2023-01-12"), at("2023-01-18"),
                             {at("2023-01-12"), at("2023-01-18")}, 4);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0], (slot_range{at("2023-01-13"), at("2023-01-17"), 2}));
  // A range that begins or ends on a closed date begins and ends on slots.
  gaps = missing_ranges(interval::d1, us_equity(), at("2023-01-14"), at("2023-01-21"), {}, 4);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0], (slot_range{at("2023-01-17"), at("2023-01-20"), 4}));
}

TEST(SessionGaps, IntradaySlotsAreTheSessionOnly) {
  // 1h bars of Friday 2023-01-13 (14:30-21:00Z): slots 14:00..20:00Z.
  auto gaps = missing_ranges(interval::h1, us_equity(), at("2023-01-13T00:00:00Z"),
                             at("2023-01-17T23:00:00Z"), {}, 4);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].first_ns, at("2023-01-13T14:00:00Z"));
  EXPECT_EQ(gaps[0].last_ns, at("2023-01-17T20:00:00Z"));
  EXPECT_EQ(gaps[0].slots, 14u); // 7 on Friday, 7 on Tuesday
  // Held Friday afternoon and Tuesday morning: two gaps, split by the
  // held slots; the weekend and the holiday between add nothing.
  gaps = missing_ranges(interval::h1, us_equity(), at("2023-01-13T00:00:00Z"),
                        at("2023-01-17T23:00:00Z"),
                        {at("2023-01-13T20:00:00Z"), at("2023-01-17T14:00:00Z"),
                         at("2023-01-14T12:00:00Z")}, // closed: ignored
                        4);
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_EQ(gaps[0], (slot_range{at("2023-01-13T14:00:00Z"), at("2023-01-13T19:00:00Z"), 6}));
  EXPECT_EQ(gaps[1], (slot_range{at("2023-01-17T15:00:00Z"), at("2023-01-17T20:00:00Z"), 6}));
  // Everything held across the weekend: no gap.
  std::vector<int64_t> all;
  for (auto h = 14; h <= 20; ++h) {
    all.push_back(at("2023-01-13T00:00:00Z") + h * 3600 * ns_per_s);
    all.push_back(at("2023-01-17T00:00:00Z") + h * 3600 * ns_per_s);
  }
  EXPECT_TRUE(missing_ranges(interval::h1, us_equity(), at("2023-01-13T00:00:00Z"),
                             at("2023-01-17T23:00:00Z"), all, 4)
                .empty());
}

TEST(SessionGaps, MergesAcrossTheNarrowestHeldRuns) {
  // Daily bars Mon 2023-01-09 .. Fri 2023-01-20 (9 trading days, MLK off),
  // held: 10, 12, 13, 18. Gaps: 9 | 11 | 17 | 19..20; 2 ranges allowed:
  // split at the widest held run (12, 13).
  auto gaps = missing_ranges(interval::d1, us_equity(), at("2023-01-09"), at("2023-01-20"),
                             {at("2023-01-10"), at("2023-01-12"), at("2023-01-13"),
                              at("2023-01-18")},
                             2);
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_EQ(gaps[0], (slot_range{at("2023-01-09"), at("2023-01-11"), 3}));
  EXPECT_EQ(gaps[1], (slot_range{at("2023-01-17"), at("2023-01-20"), 4}));
}

TEST(SessionGaps, NewestSlotsStartCountsTradingSlots) {
  // The newest 5 daily bars up to Tuesday 2023-01-17: 10, 11, 12, 13, 17.
  EXPECT_EQ(newest_slots_start(interval::d1, us_equity(), 0, at("2023-01-17"), 5),
            at("2023-01-10"));
  EXPECT_EQ(newest_slots_start(interval::d1, us_equity(), at("2023-01-12"), at("2023-01-17"), 5),
            at("2023-01-12"));
  // The newest 8 hourly bars up to Tuesday 16:00Z: 14, 15, 16 Tuesday and
  // 16..20 Friday.
  EXPECT_EQ(newest_slots_start(interval::h1, us_equity(), 0, at("2023-01-17T16:59:00Z"), 8),
            at("2023-01-13T16:00:00Z"));
  // A long look-back (250 trading days of 2023 up to its last one).
  EXPECT_EQ(count_slots(interval::d1, us_equity(), at("2023-01-01"), at("2023-12-31")), 250u);
  EXPECT_EQ(newest_slots_start(interval::d1, us_equity(), 0, at("2023-12-31"), 250),
            at("2023-01-03"));
  // 24/7: the calendar-free answer.
  trading_calendar crypto;
  EXPECT_EQ(newest_slots_start(interval::d1, crypto, 0, at("2023-01-17"), 5),
            at("2023-01-13"));
}

// The last month the int64 ns range holds (2262-04) has no successor inside
// it: its next slot is the end of the range, so walks over months end (one
// hung the gateway on ohlcv ... end=9223372036854775807&interval=1M).
TEST(RangeGaps, TheLastMonthOfTheRangeEndsTheWalk) {
  auto jan = parse_timestamp("2262-01-01");
  auto apr = parse_timestamp("2262-04-01");
  ASSERT_TRUE(jan.ok() && apr.ok());
  EXPECT_EQ(next_slot(interval::mo1, *apr), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(count_slots(interval::mo1, *jan, *apr), 4u);
  EXPECT_EQ(newest_slots_start(interval::mo1, 0, std::numeric_limits<int64_t>::max(), 2),
            *parse_timestamp("2262-03-01"));
  trading_calendar equities{calendar_rules::us_equity};
  EXPECT_EQ(count_slots(interval::mo1, equities, *jan, *apr), 4u);
  EXPECT_EQ(newest_slots_start(interval::mo1, equities, 0, std::numeric_limits<int64_t>::max(),
                               5000),
            0);
}
