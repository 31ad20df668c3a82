#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pipeline/model/events.hpp"

namespace tickflow {

/// The basic sanity rules every event passes before anyone sees it.
enum class rule : uint8_t {
  instrument_id,       ///< instrument is a canonical id
  positive_price,      ///< price (or every OHLC / bid / ask price) > 0
  positive_size,       ///< trade size > 0, quote sizes >= 0
  ohlc_consistency,    ///< low <= open, close <= high and low <= high
  non_negative_volume, ///< volume >= 0
  crossed_quote,       ///< bid <= ask
};

/// Stable snake_case name of a rule.
std::string_view to_string(rule r) noexcept;

/// Why an event was rejected.
struct rejection {
  rule why;
  std::string reason; ///< e.g. "low 101 > open 100"
};

/// First broken rule, or nullopt when the event is sane.
std::optional<rejection> check(const trade& x);
std::optional<rejection> check(const quote& x);
std::optional<rejection> check(const bar& x);

} // namespace tickflow
