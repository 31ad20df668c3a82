#include "pipeline/model/trading_calendar.hpp"

#include <algorithm>
#include <limits>

#include "pipeline/model/calendar.hpp"
#include "pipeline/model/saturating.hpp"
#include "pipeline/model/us_equity_holidays.hpp"

namespace tickflow {

namespace {

constexpr int64_t minute_ns = 60'000'000'000;
constexpr int64_t hour_ns = 60 * minute_ns;
constexpr int64_t day_ns = 24 * hour_ns;

int64_t floor_div(int64_t a, int64_t b) noexcept {
  auto q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

trading_session whole_day(int64_t day) noexcept {
  return {day * day_ns, (day + 1) * day_ns};
}

trading_session us_equity_session(int64_t day) {
  auto wd = calendar::weekday(day);
  if (wd == 0 || wd == 6)
    return {};
  auto year = calendar::civil_from_days(day).year;
  int64_t close_local = 16 * hour_ns;
  for (auto& x : calendar::nyse_rule_days(year)) {
    if (x.day != day)
      continue;
    if (x.kind == calendar::nyse_day::closed)
      return {};
    close_local = 13 * hour_ns;
  }
  // New York is UTC-4 in summer, UTC-5 in winter.
  auto offset = calendar::new_york_dst(day) ? 4 * hour_ns : 5 * hour_ns;
  auto midnight = day * day_ns + offset;
  return {midnight + 9 * hour_ns + 30 * minute_ns, midnight + close_local};
}

} // namespace

trading_session rule_session(calendar_rules rules, int64_t day) {
  switch (rules) {
    case calendar_rules::always_open:
      return whole_day(day);
    case calendar_rules::closed_saturday:
      return calendar::weekday(day) == 6 ? trading_session{} : whole_day(day);
    case calendar_rules::us_equity:
      return us_equity_session(day);
  }
  return whole_day(day);
}

void trading_calendar::set_exceptions(std::vector<session_exception> xs) {
  std::stable_sort(xs.begin(), xs.end(),
                   [](const session_exception& a, const session_exception& b) {
                     return a.day < b.day;
                   });
  // The last one of a date wins: keep the last of each run of equal days.
  std::vector<session_exception> out;
  for (auto& x : xs) {
    if (!out.empty() && out.back().day == x.day)
      out.back() = x;
    else
      out.push_back(x);
  }
  exceptions_ = std::move(out);
}

trading_session trading_calendar::session(int64_t day) const {
  auto it = std::lower_bound(exceptions_.begin(), exceptions_.end(), day,
                             [](const session_exception& x, int64_t d) { return x.day < d; });
  if (it != exceptions_.end() && it->day == day)
    return it->session;
  return tickflow::rule_session(rules_, day);
}

bool trading_calendar::slot_open(interval iv, int64_t open_ns) const {
  if (always_open())
    return true;
  auto first_day = floor_div(open_ns, day_ns);
  if (interval_ns(iv) >= day_ns) {
    // The dates the bar covers: months differ in length, and 31 days after
    // the 1st always lands in the next month.
    // Saturated: a bar of 2262 (the int64 ns edge) is valid input; the
    // last month then ends where the range does.
    auto end_ns = saturated_add(open_ns, iv == interval::mo1 ? 31 * day_ns : interval_ns(iv));
    if (iv == interval::mo1 && end_ns != std::numeric_limits<int64_t>::max())
      end_ns = bar_open_time(iv, end_ns);
    for (auto d = first_day, last = floor_div(end_ns - 1, day_ns); d <= last; ++d)
      if (session(d).open())
        return true;
    return false;
  }
  auto end_ns = saturated_add(open_ns, interval_ns(iv));
  // A session may begin the evening before its date (a provider's futures
  // hours), so the dates either side are asked too.
  for (auto d = first_day - 1; d <= floor_div(end_ns - 1, day_ns) + 1; ++d) {
    auto s = session(d);
    if (s.open() && s.open_ns < end_ns && s.close_ns > open_ns)
      return true;
  }
  return false;
}

} // namespace tickflow
