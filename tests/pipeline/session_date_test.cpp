#include "pipeline/model/session_date.hpp"

#include <gtest/gtest.h>

#include <string>

#include "pipeline/model/time.hpp"

namespace tickflow {
namespace {

constexpr int64_t hour_ns = 3'600 * ns_per_s;

int64_t at(const char* iso) {
  return *parse_timestamp(iso);
}

TEST(SessionDate, UsEasternOffsetFollowsTheDstRule) {
  struct row {
    const char* utc;
    int hours;
  };
  const row rows[] = {
    {"2020-01-02T05:00:00Z", -5},
    {"2020-06-01T04:00:00Z", -4},
    // 2024: 10 March 02:00 EST (07:00Z) to 3 November 02:00 EDT (06:00Z).
    {"2024-03-10T06:59:59Z", -5},
    {"2024-03-10T07:00:00Z", -4},
    {"2024-11-03T05:59:59Z", -4},
    {"2024-11-03T06:00:00Z", -5},
    // 1987-2006 rule: 2 April 2006 to 29 October 2006.
    {"2006-03-15T12:00:00Z", -5},
    {"2006-04-02T07:00:00Z", -4},
    {"2006-10-29T05:59:59Z", -4},
    {"2006-10-29T06:00:00Z", -5},
  };
  for (auto& r : rows)
    EXPECT_EQ(sessions::us_eastern_offset_ns(at(r.utc)), r.hours * hour_ns) << r.utc;
}

TEST(SessionDate, UsSessionDayOfDailyStamps) {
  struct row {
    const char* stamp;
    const char* day;
  };
  const row rows[] = {
    {"2020-01-02T05:00:00Z", "2020-01-02T00:00:00Z"}, // Eastern midnight, EST
    {"2020-06-01T04:00:00Z", "2020-06-01T00:00:00Z"}, // Eastern midnight, EDT
    {"2019-09-24T04:00:00Z", "2019-09-24T00:00:00Z"},
    {"2020-03-09T04:00:00Z", "2020-03-09T00:00:00Z"}, // first day of DST 2020
    {"2020-11-02T05:00:00Z", "2020-11-02T00:00:00Z"}, // first day after it
    {"2020-01-02T00:00:00Z", "2020-01-02T00:00:00Z"}, // a UTC-day stamp
    {"2021-04-04T00:00:00Z", "2021-04-04T00:00:00Z"},
  };
  for (auto& r : rows)
    EXPECT_EQ(format_iso8601(sessions::us_session_day_ns(at(r.stamp))), r.day) << r.stamp;
}

TEST(SessionDate, LocalDayOfAnInstant) {
  struct row {
    const char* stamp;
    int offset_hours;
    const char* day;
  };
  const row rows[] = {
    {"2020-09-01T13:30:00Z", -5, "2020-09-01T00:00:00Z"}, // NYSE open
    {"2020-01-06T00:00:00Z", 9, "2020-01-06T00:00:00Z"},  // Tokyo 09:00
    {"2020-01-05T15:00:00Z", 9, "2020-01-06T00:00:00Z"},  // Tokyo midnight
    {"2020-01-02T00:00:00Z", 0, "2020-01-02T00:00:00Z"},
    {"1969-12-31T23:00:00Z", 0, "1969-12-31T00:00:00Z"},  // before the epoch
  };
  for (auto& r : rows)
    EXPECT_EQ(format_iso8601(sessions::local_day_ns(at(r.stamp), r.offset_hours * hour_ns)),
              r.day)
      << r.stamp;
}

TEST(SessionDate, PeriodOpenOfASessionDay) {
  struct row {
    interval span;
    const char* day;
    const char* open;
  };
  const row rows[] = {
    {interval::d1, "2020-01-02T00:00:00Z", "2020-01-02T00:00:00Z"},
    {interval::w1, "2020-01-08T00:00:00Z", "2020-01-06T00:00:00Z"}, // Wednesday
    {interval::w1, "2020-01-06T00:00:00Z", "2020-01-06T00:00:00Z"}, // Monday
    {interval::w1, "2020-01-05T00:00:00Z", "2020-01-06T00:00:00Z"}, // Sunday stamp
    {interval::w1, "2020-01-04T00:00:00Z", "2020-01-06T00:00:00Z"}, // Saturday stamp
    {interval::mo1, "2020-01-31T00:00:00Z", "2020-01-01T00:00:00Z"},
  };
  for (auto& r : rows)
    EXPECT_EQ(format_iso8601(sessions::period_open_ns(r.span, at(r.day))), r.open)
      << to_string(r.span) << " " << r.day;
}

TEST(SessionDate, SessionSpans) {
  EXPECT_TRUE(sessions::is_session_span(interval::d1));
  EXPECT_TRUE(sessions::is_session_span(interval::d3));
  EXPECT_TRUE(sessions::is_session_span(interval::w1));
  EXPECT_TRUE(sessions::is_session_span(interval::mo1));
  EXPECT_FALSE(sessions::is_session_span(interval::h12));
  EXPECT_FALSE(sessions::is_session_span(interval::m1));
}

} // namespace
} // namespace tickflow
