#include "adapters/alpha_vantage/us_eastern_time.hpp"

#include <string>

#include "pipeline/model/calendar.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::alpha_vantage {

namespace {

constexpr int64_t hour_ns = 3'600 * ns_per_s;
constexpr int64_t day_ns = 24 * hour_ns;

using calendar::days_from_civil;

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

} // namespace

bool us_dst_in_effect(int64_t wall_ns) noexcept {
  auto days = wall_ns / day_ns - (wall_ns % day_ns < 0 ? 1 : 0);
  auto hour = (wall_ns - days * day_ns) / hour_ns;
  auto year = calendar::civil_from_days(days).year;
  int64_t start = 0;
  int64_t end = 0;
  if (year >= 2007) {
    start = nth_sunday(year, 3, 2);
    end = nth_sunday(year, 11, 1);
  } else {
    start = nth_sunday(year, 4, 1);
    end = last_sunday(year, 10);
  }
  // Spring: 00:00-02:59 standard (02:xx does not exist); autumn: 00:00-01:59
  // daylight (01:xx happens twice), 02:00 on standard.
  bool after_start = days > start || (days == start && hour >= 3);
  bool before_end = days < end || (days == end && hour < 2);
  return after_start && before_end;
}

int64_t us_eastern_to_utc_ns(int64_t wall_ns) noexcept {
  return wall_ns + (us_dst_in_effect(wall_ns) ? 4 : 5) * hour_ns;
}

result<int64_t> parse_zoned_time(std::string_view text,
                                 std::string_view zone) {
  // "YYYY-MM-DD HH:MM:SS" -> "YYYY-MM-DDTHH:MM:SSZ", which parse_timestamp
  // checks digit by digit (ranges, days per month).
  if (text.size() != 19 || text[10] != ' ')
    return error{errc::invalid_argument,
                 "expected \"YYYY-MM-DD HH:MM:SS\": \""
                   + std::string{text.substr(0, 32)} + "\""};
  std::string iso{text};
  iso[10] = 'T';
  iso.push_back('Z');
  auto wall = parse_timestamp(iso);
  if (!wall)
    return wall;
  if (zone == "US/Eastern" || zone == "America/New_York")
    return us_eastern_to_utc_ns(*wall);
  if (zone == "UTC")
    return *wall;
  return error{errc::invalid_argument,
               "unsupported time zone \"" + std::string{zone.substr(0, 32)}
                 + "\""};
}

} // namespace tickflow::alpha_vantage
