#include "pipeline/model/us_equity_holidays.hpp"

#include <algorithm>

#include "pipeline/model/calendar.hpp"

namespace tickflow::calendar {

namespace {

/// The n-th (1-based) `wd` weekday of a month.
int64_t nth_weekday(int64_t year, unsigned month, unsigned wd, unsigned n) noexcept {
  auto first = days_from_civil(year, month, 1);
  auto shift = (wd + 7 - weekday(first)) % 7;
  return first + shift + 7 * (n - 1);
}

/// The last `wd` weekday of a month.
int64_t last_weekday(int64_t year, unsigned month, unsigned wd) noexcept {
  auto next = month == 12 ? days_from_civil(year + 1, 1, 1)
                          : days_from_civil(year, month + 1, 1);
  auto last = next - 1;
  return last - (weekday(last) + 7 - wd) % 7;
}

/// A fixed-date holiday as observed: Saturday -> Friday, Sunday -> Monday.
int64_t observed(int64_t day) noexcept {
  switch (weekday(day)) {
    case 6: return day - 1;
    case 0: return day + 1;
    default: return day;
  }
}

bool is_weekday(int64_t day) noexcept {
  auto wd = weekday(day);
  return wd != 0 && wd != 6;
}

} // namespace

unsigned weekday(int64_t day) noexcept {
  // 1970-01-01 was a Thursday (4).
  return static_cast<unsigned>(((day % 7) + 7 + 4) % 7);
}

int64_t easter_sunday(int64_t year) noexcept {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  auto a = year % 19;
  auto b = year / 100;
  auto c = year % 100;
  auto d = b / 4;
  auto e = b % 4;
  auto f = (b + 8) / 25;
  auto g = (b - f + 1) / 3;
  auto h = (19 * a + b - d - g + 15) % 30;
  auto i = c / 4;
  auto k = c % 4;
  auto l = (32 + 2 * e + 2 * i - h - k) % 7;
  auto m = (a + 11 * h + 22 * l) / 451;
  auto month = static_cast<unsigned>((h + l - 7 * m + 114) / 31);
  auto day = static_cast<unsigned>((h + l - 7 * m + 114) % 31 + 1);
  return days_from_civil(year, month, day);
}

bool new_york_dst(int64_t day) noexcept {
  auto year = civil_from_days(day).year;
  int64_t start = 0, end = 0;
  if (year >= 2007) {
    start = nth_weekday(year, 3, 0, 2);
    end = nth_weekday(year, 11, 0, 1);
  } else {
    start = nth_weekday(year, 4, 0, 1);
    end = last_weekday(year, 10, 0);
  }
  // The switch happens at 02:00 local, so 09:30 of the start Sunday is
  // already summer time and 09:30 of the end Sunday is winter time.
  return day >= start && day < end;
}

std::vector<nyse_rule_day> nyse_rule_days(int64_t year) {
  std::vector<nyse_rule_day> out;
  auto closed = [&](int64_t d) { out.push_back({d, nyse_day::closed}); };
  auto new_year = days_from_civil(year, 1, 1);
  if (weekday(new_year) != 6)
    closed(observed(new_year));
  closed(nth_weekday(year, 1, 1, 3));  // Martin Luther King Jr. Day
  closed(nth_weekday(year, 2, 1, 3));  // Washington's Birthday
  closed(easter_sunday(year) - 2);     // Good Friday
  closed(last_weekday(year, 5, 1));    // Memorial Day
  if (year >= 2022)
    closed(observed(days_from_civil(year, 6, 19))); // Juneteenth
  closed(observed(days_from_civil(year, 7, 4)));    // Independence Day
  closed(nth_weekday(year, 9, 1, 1));               // Labor Day
  auto thanksgiving = nth_weekday(year, 11, 4, 4);
  closed(thanksgiving);
  closed(observed(days_from_civil(year, 12, 25))); // Christmas
  auto is_closed = [&](int64_t d) {
    return std::any_of(out.begin(), out.end(),
                       [d](const nyse_rule_day& x) { return x.day == d; });
  };
  std::vector<nyse_rule_day> early;
  for (auto d : {days_from_civil(year, 7, 3), thanksgiving + 1,
                 days_from_civil(year, 12, 24)})
    if (is_weekday(d) && !is_closed(d))
      early.push_back({d, nyse_day::early_close});
  out.insert(out.end(), early.begin(), early.end());
  std::sort(out.begin(), out.end(), [](const nyse_rule_day& a, const nyse_rule_day& b) {
    return a.day < b.day;
  });
  return out;
}

} // namespace tickflow::calendar
