#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/events.hpp"

namespace tickflow {

/// Every validation rule, in the order the validation engine applies them.
/// The first six are the stateless sanity rules that check() below runs; the
/// others need state (time, memory of ids, rolling windows, other providers)
/// and live in validation_engine. Values are stable: new rules go last.
enum class rule : uint8_t {
  instrument_id,       ///< instrument is a canonical id
  positive_price,      ///< price (or every OHLC / bid / ask price) > 0
  positive_size,       ///< trade size > 0, quote sizes >= 0
  ohlc_consistency,    ///< low <= open, close <= high and low <= high
  non_negative_volume, ///< volume >= 0
  crossed_quote,       ///< bid <= ask
  future_timestamp,    ///< event time not ahead of now beyond the skew
  stale_event,         ///< event time not older than the freshness bound
  duplicate,           ///< trade id / closed bar open time not seen before
  out_of_order,        ///< not older than the last event of its series
  outlier_zscore,      ///< log return within k sigma of the rolling mean
  outlier_mad,         ///< log return within k scaled MADs of the median
  divergence,          ///< price agrees with the other providers
  stale_symbol,        ///< the instrument updates within its cadence
};

/// Number of rules (size of per-rule tables).
constexpr size_t rule_count = static_cast<size_t>(rule::stale_symbol) + 1;

/// Stable snake_case name of a rule.
std::string_view to_string(rule r) noexcept;

/// Inverse of to_string; nullopt for an unknown name.
std::optional<rule> rule_from_string(std::string_view name) noexcept;

/// Position of a rule in per-rule tables.
constexpr size_t index_of(rule r) noexcept { return static_cast<size_t>(r); }

/// Why an event was rejected.
struct rejection {
  rule why;
  std::string reason; ///< e.g. "low 101 > open 100"
};

/// First broken rule, or nullopt when the event is sane.
std::optional<rejection> check(const trade& x);
std::optional<rejection> check(const quote& x);
std::optional<rejection> check(const bar& x);

/// Appends one rejection per broken sanity rule (the first broken condition
/// of each rule, rules in enum order) to `out`; appends nothing (and does not
/// allocate) when the event is sane. check(x) is the first of these.
void check_all(const trade& x, std::vector<rejection>& out);
void check_all(const quote& x, std::vector<rejection>& out);
void check_all(const bar& x, std::vector<rejection>& out);

} // namespace tickflow
