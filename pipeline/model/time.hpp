#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/model/error.hpp"

namespace tickflow {

/// All timestamps in tickflow are int64 nanoseconds since the Unix epoch, UTC.
constexpr int64_t ns_per_us = 1'000;
constexpr int64_t ns_per_ms = 1'000'000;
constexpr int64_t ns_per_s = 1'000'000'000;

/// "2024-01-02T03:04:05.123456789Z" with the shortest of 0/3/6/9 fraction
/// digits that is exact ("2024-01-02T03:04:05Z", ".123Z", ...).
std::string format_iso8601(int64_t ts_ns);

/// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff...]Z" (or +00:00) and plain
/// integers (seconds, ms, us or ns by magnitude). errc::invalid_argument on
/// anything else.
result<int64_t> parse_timestamp(std::string_view text);

} // namespace tickflow
