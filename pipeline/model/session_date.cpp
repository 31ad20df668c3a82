#include "pipeline/model/session_date.hpp"

#include "pipeline/model/calendar.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::sessions {

namespace {

constexpr int64_t hour_ns = 3'600 * ns_per_s;
constexpr int64_t day_ns = 24 * hour_ns;

using calendar::days_from_civil;

// Floor division of ns by a day: the day number (negative before 1970).
int64_t day_of(int64_t ns) noexcept {
  return ns / day_ns - (ns % day_ns < 0 ? 1 : 0);
}

// Day of the week of a day number: 0 Sunday .. 6 Saturday (1970-01-01 was
// a Thursday).
int64_t weekday(int64_t days) noexcept {
  auto w = (days + 4) % 7;
  return w < 0 ? w + 7 : w;
}

// Day number of the n-th Sunday (n >= 1) of a month.
int64_t nth_sunday(int64_t year, unsigned month, int64_t n) noexcept {
  auto first = days_from_civil(year, month, 1);
  return first + (7 - weekday(first)) % 7 + 7 * (n - 1);
}

// Day number of the last Sunday of a month (not December).
int64_t last_sunday(int64_t year, unsigned month) noexcept {
  auto last = days_from_civil(year, month + 1, 1) - 1;
  return last - weekday(last);
}

// The local days daylight time starts and ends in `year` (both Sundays).
struct dst_days {
  int64_t start;
  int64_t end;
};

dst_days dst_of(int64_t year) noexcept {
  if (year >= 2007)
    return {nth_sunday(year, 3, 2), nth_sunday(year, 11, 1)};
  return {nth_sunday(year, 4, 1), last_sunday(year, 10)};
}

} // namespace

bool us_dst_in_effect(int64_t wall_ns) noexcept {
  auto days = day_of(wall_ns);
  auto hour = (wall_ns - days * day_ns) / hour_ns;
  auto d = dst_of(calendar::civil_from_days(days).year);
  // Spring: 00:00-02:59 standard (02:xx does not exist); autumn: 00:00-01:59
  // daylight (01:xx happens twice), 02:00 on standard.
  bool after_start = days > d.start || (days == d.start && hour >= 3);
  bool before_end = days < d.end || (days == d.end && hour < 2);
  return after_start && before_end;
}

int64_t us_eastern_to_utc_ns(int64_t wall_ns) noexcept {
  return wall_ns + (us_dst_in_effect(wall_ns) ? 4 : 5) * hour_ns;
}

int64_t us_eastern_offset_ns(int64_t utc_ns) noexcept {
  // In standard-time wall clock, daylight time runs from 02:00 of the
  // spring Sunday to 01:00 of the autumn one (02:00 daylight).
  auto wall = utc_ns - 5 * hour_ns;
  auto d = dst_of(calendar::civil_from_days(day_of(wall)).year);
  bool dst = wall >= d.start * day_ns + 2 * hour_ns
             && wall < d.end * day_ns + 1 * hour_ns;
  return (dst ? -4 : -5) * hour_ns;
}

int64_t local_day_ns(int64_t ts_ns, int64_t offset_ns) noexcept {
  return day_of(ts_ns + offset_ns) * day_ns;
}

int64_t us_session_day_ns(int64_t ts_ns) noexcept {
  auto offset = us_eastern_offset_ns(ts_ns);
  auto local = ts_ns + offset;
  if (local - day_of(local) * day_ns == 0)
    return local_day_ns(ts_ns, offset);
  return local_day_ns(ts_ns, 0);
}

int64_t period_open_ns(interval span, int64_t day_ns_value) noexcept {
  if (span == interval::w1) {
    auto w = weekday(day_of(day_ns_value));
    if (w == 6)
      day_ns_value += 2 * day_ns;
    else if (w == 0)
      day_ns_value += day_ns;
  }
  return bar_open_time(span, day_ns_value);
}

bool is_session_span(interval span) noexcept {
  return span == interval::d1 || span == interval::d3 || span == interval::w1
         || span == interval::mo1;
}

} // namespace tickflow::sessions
