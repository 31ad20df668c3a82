#pragma once

// US/Eastern wall-clock time -> UTC, with the US daylight saving rule.
// Alpha Vantage stamps intraday rows in the "Time Zone" of its Meta Data,
// normally US/Eastern ("2024-06-07 19:55:00" is 23:55 UTC in summer, the
// same text in January is 00:55 UTC the next day).
//
// Rule (Energy Policy Act of 2005, from 2007): DST starts on the second
// Sunday of March at 02:00 local standard time and ends on the first Sunday
// of November at 02:00 local daylight time. Before 2007 (the 1987-2006
// rule, also used for earlier years): first Sunday of April to last Sunday
// of October. Times that do not exist or occur twice are read like Python's
// zoneinfo with fold=0: the skipped hour 02:00-02:59 of the spring Sunday
// is taken as standard time (02:30 -> 07:30 UTC) and the repeated hour
// 01:00-01:59 of the autumn Sunday as daylight time (01:30 -> 05:30 UTC).

#include <cstdint>
#include <string_view>

#include "pipeline/model/error.hpp"

namespace tickflow::alpha_vantage {

/// True when US daylight saving time is in effect at a US/Eastern wall-clock
/// time, given as the ns that wall clock would mean in UTC
/// (parse_timestamp("2024-07-01T12:00:00Z") for 12:00 local).
bool us_dst_in_effect(int64_t wall_ns) noexcept;

/// UTC ns of a US/Eastern wall-clock time given like us_dst_in_effect's:
/// wall + 4 h under daylight time, wall + 5 h otherwise.
int64_t us_eastern_to_utc_ns(int64_t wall_ns) noexcept;

/// Parses Alpha Vantage's "YYYY-MM-DD HH:MM:SS" in `zone` into UTC ns.
/// Zones: "US/Eastern" and "America/New_York" (DST rule above), "UTC".
/// errc::invalid_argument for another zone or a malformed / impossible time
/// (context names the text).
result<int64_t> parse_zoned_time(std::string_view text, std::string_view zone);

} // namespace tickflow::alpha_vantage
