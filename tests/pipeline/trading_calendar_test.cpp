#include "pipeline/model/trading_calendar.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/model/calendar.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/model/us_equity_holidays.hpp"
#include "pipeline/normalize/market_calendars.hpp"

using namespace tickflow;

namespace {

constexpr int64_t hour = 3600 * ns_per_s;
constexpr int64_t day_ns = 24 * hour;

int64_t day_of(const char* date) {
  auto t = parse_timestamp(date);
  return t.ok() ? *t / day_ns : -1;
}

std::vector<std::string> dates(const std::vector<calendar::nyse_rule_day>& xs,
                               calendar::nyse_day kind) {
  std::vector<std::string> out;
  for (auto& x : xs)
    if (x.kind == kind)
      out.push_back(format_iso8601(x.day * day_ns).substr(0, 10));
  return out;
}

} // namespace

// NYSE's published holiday calendars (the exchange's "Holidays & Trading Hours" page,
// 2023-2027 as published in 2024-2025).
TEST(UsEquityHolidays, KnownYears) {
  struct row {
    int64_t year;
    std::vector<std::string> closed;
    std::vector<std::string> early;
  };
  std::vector<row> rows{
    {2023,
     {"2023-01-02", "2023-01-16", "2023-02-20", "2023-04-07", "2023-05-29", "2023-06-19",
      "2023-07-04", "2023-09-04", "2023-11-23", "2023-12-25"},
     {"2023-07-03", "2023-11-24"}},
    {2024,
     {"2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19",
      "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25"},
     {"2024-07-03", "2024-11-29", "2024-12-24"}},
    {2025,
     {"2025-01-01", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19",
      "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25"},
     {"2025-07-03", "2025-11-28", "2025-12-24"}},
    {2026,
     {"2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19",
      "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25"},
     {"2026-11-27", "2026-12-24"}},
    {2027,
     {"2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18",
      "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24"},
     {"2027-11-26"}},
  };
  for (auto& r : rows) {
    auto xs = calendar::nyse_rule_days(r.year);
    EXPECT_EQ(dates(xs, calendar::nyse_day::closed), r.closed) << r.year;
    EXPECT_EQ(dates(xs, calendar::nyse_day::early_close), r.early) << r.year;
  }
}

TEST(UsEquityHolidays, SaturdayNewYearIsNotObservedAndNoJuneteenthBefore2022) {
  // 2022-01-01 and 2028-01-01 are Saturdays: the Friday before trades.
  EXPECT_EQ(dates(calendar::nyse_rule_days(2022), calendar::nyse_day::closed).front(),
            "2022-01-17");
  EXPECT_EQ(dates(calendar::nyse_rule_days(2028), calendar::nyse_day::closed).front(),
            "2028-01-17");
  auto y2021 = dates(calendar::nyse_rule_days(2021), calendar::nyse_day::closed);
  EXPECT_EQ(std::count(y2021.begin(), y2021.end(), "2021-06-18"), 0);
  EXPECT_EQ(y2021.size(), 9u);
  // 2020: New Year's Day a Wednesday, Good Friday April 10, July 4 a
  // Saturday (observed Friday July 3, so no early close that day).
  auto y2020 = calendar::nyse_rule_days(2020);
  EXPECT_EQ(dates(y2020, calendar::nyse_day::closed),
            (std::vector<std::string>{"2020-01-01", "2020-01-20", "2020-02-17",
                                      "2020-04-10", "2020-05-25", "2020-07-03",
                                      "2020-09-07", "2020-11-26", "2020-12-25"}));
  EXPECT_EQ(dates(y2020, calendar::nyse_day::early_close),
            (std::vector<std::string>{"2020-11-27", "2020-12-24"}));
}

TEST(UsEquityHolidays, EasterAndDaylightSaving) {
  struct row {
    int64_t year;
    const char* easter;
  };
  for (auto r : std::vector<row>{{2019, "2019-04-21"}, {2023, "2023-04-09"},
                                 {2024, "2024-03-31"}, {2038, "2038-04-25"}})
    EXPECT_EQ(calendar::easter_sunday(r.year), day_of(r.easter)) << r.year;
  struct dst_row {
    const char* date;
    bool summer;
  };
  for (auto r : std::vector<dst_row>{{"2023-03-11", false}, {"2023-03-12", true},
                                     {"2023-11-04", true}, {"2023-11-05", false},
                                     {"2006-04-01", false}, {"2006-04-02", true},
                                     {"2006-10-28", true}, {"2006-10-29", false}})
    EXPECT_EQ(calendar::new_york_dst(day_of(r.date)), r.summer) << r.date;
}

TEST(TradingCalendar, UsEquitySessions) {
  trading_calendar cal{calendar_rules::us_equity};
  struct row {
    const char* date;
    const char* open; // "" when closed
    const char* close;
  };
  std::vector<row> rows{
    {"2023-01-13", "2023-01-13T14:30:00Z", "2023-01-13T21:00:00Z"}, // Friday, winter
    {"2023-01-14", "", ""},                                         // Saturday
    {"2023-01-15", "", ""},                                         // Sunday
    {"2023-01-16", "", ""},                                         // MLK day
    {"2023-01-17", "2023-01-17T14:30:00Z", "2023-01-17T21:00:00Z"},
    {"2023-07-03", "2023-07-03T13:30:00Z", "2023-07-03T17:00:00Z"}, // summer, early
    {"2023-07-05", "2023-07-05T13:30:00Z", "2023-07-05T20:00:00Z"},
    {"2020-01-01", "", ""},
    {"2020-11-27", "2020-11-27T14:30:00Z", "2020-11-27T18:00:00Z"}, // day after Thanksgiving
  };
  for (auto& r : rows) {
    auto s = cal.session(day_of(r.date));
    if (*r.open == '\0') {
      EXPECT_FALSE(s.open()) << r.date;
      continue;
    }
    ASSERT_TRUE(s.open()) << r.date;
    EXPECT_EQ(format_iso8601(s.open_ns), r.open) << r.date;
    EXPECT_EQ(format_iso8601(s.close_ns), r.close) << r.date;
  }
}

TEST(TradingCalendar, CryptoAndForex) {
  trading_calendar crypto;
  trading_calendar fx{calendar_rules::closed_saturday};
  EXPECT_TRUE(crypto.always_open());
  EXPECT_FALSE(fx.always_open());
  for (auto d : {"2023-01-14", "2023-01-15", "2023-01-16", "2020-01-01"}) {
    auto s = crypto.session(day_of(d));
    EXPECT_EQ(s.open_ns, day_of(d) * day_ns) << d;
    EXPECT_EQ(s.close_ns, (day_of(d) + 1) * day_ns) << d;
  }
  EXPECT_FALSE(fx.session(day_of("2023-01-14")).open()); // Saturday
  EXPECT_TRUE(fx.session(day_of("2023-01-15")).open());
  EXPECT_TRUE(fx.session(day_of("2023-01-16")).open());
}

TEST(TradingCalendar, SlotsOfAnInterval) {
  trading_calendar cal{calendar_rules::us_equity};
  struct row {
    interval iv;
    const char* open;
    bool trades;
  };
  std::vector<row> rows{
    {interval::d1, "2023-01-13", true},
    {interval::d1, "2023-01-14", false},
    {interval::d1, "2023-01-16", false},
    {interval::w1, "2023-01-16", true}, // the week of MLK day still trades
    {interval::mo1, "2023-01-01", true},
    {interval::m1, "2023-01-13T14:29:00Z", false},
    {interval::m1, "2023-01-13T14:30:00Z", true},
    {interval::m1, "2023-01-13T20:59:00Z", true},
    {interval::m1, "2023-01-13T21:00:00Z", false},
    {interval::h1, "2023-01-13T14:00:00Z", true}, // holds 14:30
    {interval::h1, "2023-01-13T21:00:00Z", false},
    {interval::h4, "2023-01-13T12:00:00Z", true},
    {interval::h4, "2023-01-14T12:00:00Z", false},
    {interval::m5, "2023-01-16T15:00:00Z", false}, // MLK day
  };
  for (auto& r : rows) {
    auto t = parse_timestamp(r.open);
    ASSERT_TRUE(t.ok()) << r.open;
    EXPECT_EQ(cal.slot_open(r.iv, *t), r.trades) << r.open << " " << to_string(r.iv);
  }
}

// The last bars the int64 ns range can hold (2262-04-11T23:47:16Z) are
// valid input: asking whether they trade must not overflow (UBSan).
TEST(TradingCalendar, BarsAtTheEdgeOfTheRange) {
  trading_calendar cal{calendar_rules::us_equity};
  auto last = parse_timestamp("2262-04-11T23:47:16Z");
  ASSERT_TRUE(last.ok());
  // Its week (Monday 2262-04-07) and month trade; its minute, a Friday
  // evening after the close, does not.
  EXPECT_TRUE(cal.slot_open(interval::w1, bar_open_time(interval::w1, *last)));
  EXPECT_TRUE(cal.slot_open(interval::mo1, bar_open_time(interval::mo1, *last)));
  EXPECT_FALSE(cal.slot_open(interval::m1, bar_open_time(interval::m1, *last)));
  EXPECT_FALSE(cal.slot_open(interval::h1, bar_open_time(interval::h1, *last)));
  auto saturday = parse_timestamp("2262-04-05");
  ASSERT_TRUE(saturday.ok());
  EXPECT_FALSE(cal.slot_open(interval::d1, *saturday));
}

TEST(TradingCalendar, ProviderDatesOverrideTheRules) {
  trading_calendar cal{calendar_rules::us_equity};
  auto carter = day_of("2025-01-09"); // a national day of mourning: no rule
  auto fri = day_of("2020-11-27");
  EXPECT_TRUE(cal.session(carter).open());
  cal.set_exceptions({{fri, {fri * day_ns + 14 * hour, fri * day_ns + 17 * hour}},
                      {carter, {}},
                      {fri, {fri * day_ns + 14 * hour + hour / 2, fri * day_ns + 18 * hour}}});
  EXPECT_FALSE(cal.session(carter).open());
  ASSERT_EQ(cal.exceptions().size(), 2u);
  EXPECT_EQ(format_iso8601(cal.session(fri).close_ns), "2020-11-27T18:00:00Z"); // last wins
  EXPECT_TRUE(cal.session(day_of("2025-01-10")).open());
  trading_calendar crypto;
  crypto.set_exceptions({{carter, {}}});
  EXPECT_FALSE(crypto.always_open());
  EXPECT_FALSE(crypto.slot_open(interval::d1, carter * day_ns));
}

TEST(MarketCalendars, FollowTheAssetClass) {
  market_calendars cals;
  EXPECT_TRUE(cals.of(asset_class::crypto)->always_open());
  EXPECT_EQ(cals.of(asset_class::equity)->rules(), calendar_rules::us_equity);
  EXPECT_EQ(cals.of(asset_class::index)->rules(), calendar_rules::us_equity);
  EXPECT_EQ(cals.of(asset_class::forex)->rules(), calendar_rules::closed_saturday);
  EXPECT_EQ(cals.of(asset_class::futures)->rules(), calendar_rules::closed_saturday);
  auto before = cals.of(asset_class::equity);
  auto carter = day_of("2025-01-09");
  cals.set_exceptions(asset_class::equity, {{carter, {}}});
  EXPECT_FALSE(cals.of(asset_class::equity)->session(carter).open());
  EXPECT_TRUE(before->session(carter).open()); // a reader keeps what it got
}
