#pragma once

// Proleptic Gregorian calendar arithmetic in UTC (after H. Hinnant's
// days_from_civil / civil_from_days), shared by interval.cpp and time.cpp.

#include <cstdint>

namespace tickflow::calendar {

/// A calendar date.
struct civil_date {
  int64_t year;
  unsigned month; ///< 1..12
  unsigned day;   ///< 1..31
};

/// Days since 1970-01-01 of a date.
inline int64_t days_from_civil(int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = static_cast<unsigned>(y - era * 400);                 // [0, 399]
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; // [0, 365]
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

/// The date `z` days after 1970-01-01 (inverse of days_from_civil).
inline civil_date civil_from_days(int64_t z) noexcept {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);       // [0, 146096]
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);   // [0, 365]
  unsigned mp = (5 * doy + 2) / 153;                        // [0, 11]
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  return {y, m, d};
}

} // namespace tickflow::calendar
