#pragma once

#include <cstdint>
#include <string_view>

#include "pipeline/model/error.hpp"

namespace tickflow {

/// Bar intervals. Names follow the common exchange spelling ("1m", "1h", "1M").
enum class interval : uint8_t {
  s1, m1, m3, m5, m15, m30, h1, h2, h4, h6, h8, h12, d1, d3, w1, mo1,
};

/// "1s", "1m", ..., "1w", "1M".
std::string_view to_string(interval iv) noexcept;

/// Parses a name as printed by to_string; errc::invalid_argument otherwise.
result<interval> parse_interval(std::string_view name);

/// Length in nanoseconds; a month counts as 30 days (only for bounds).
int64_t interval_ns(interval iv) noexcept;

/// Start of the bar (UTC, ns) that contains ts_ns. Weeks start on Monday,
/// months on the 1st (calendar arithmetic in UTC).
int64_t bar_open_time(interval iv, int64_t ts_ns) noexcept;

} // namespace tickflow
