#pragma once

// NYSE holidays and early closes by rule, for any year (not a table), so
// the US equity calendar needs no yearly update. Special closures (days of
// mourning, storms) follow no rule: they come from a provider's holiday
// list where one is configured (trading_calendar::set_exceptions).
//
// Full-day closures, each observed on the Friday before when it falls on a
// Saturday and on the Monday after when it falls on a Sunday:
//   New Year's Day (Jan 1; a Saturday one is not observed: the Friday
//   before ends the accounting year, NYSE Rule 7.2), Martin Luther King Jr.
//   Day (3rd Monday of January), Washington's Birthday (3rd Monday of
//   February), Good Friday (2 days before Gregorian Easter), Memorial Day
//   (last Monday of May), Juneteenth (June 19, from 2022), Independence
//   Day (July 4), Labor Day (1st Monday of September), Thanksgiving (4th
//   Thursday of November), Christmas (Dec 25).
// Early closes at 13:00 New York time: the day after Thanksgiving, Dec 24
// and July 3, each when it is a weekday and not itself a closure.

#include <cstdint>
#include <vector>

namespace tickflow::calendar {

/// What a NYSE rule says of one date.
enum class nyse_day : uint8_t {
  closed,      ///< a holiday (as observed)
  early_close, ///< trading ends at 13:00 New York time
};

/// One dated rule: `day` is days since 1970-01-01.
struct nyse_rule_day {
  int64_t day = 0;
  nyse_day kind = nyse_day::closed;
};

/// Every holiday and early close of `year` by the rules above, by date
/// (every observed day falls in the same year: see New Year's Day).
std::vector<nyse_rule_day> nyse_rule_days(int64_t year);

/// Days since 1970-01-01 of Easter Sunday of `year` (Gregorian computus).
int64_t easter_sunday(int64_t year) noexcept;

/// 0 = Sunday .. 6 = Saturday of a day since 1970-01-01.
unsigned weekday(int64_t day) noexcept;

/// True if 09:30 New York time of `day` falls in daylight saving time
/// (US rules: 2nd Sunday of March to 1st Sunday of November from 2007;
/// 1st Sunday of April to last Sunday of October 1987-2006).
bool new_york_dst(int64_t day) noexcept;

} // namespace tickflow::calendar
