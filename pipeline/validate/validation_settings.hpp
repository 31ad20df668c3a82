#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/model/error.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/validate/event_rules.hpp"

namespace tickflow {

// -- per-rule switches --------------------------------------------------------

/// What the validation engine does with an event that breaks an enabled rule.
enum class rule_action : uint8_t {
  drop, ///< reject the event: it goes to the quarantine, not downstream
  flag, ///< keep it, set the rule's quality flag, copy it to the quarantine
  pass, ///< keep it untouched; the finding is only reported and counted
};

/// "drop", "flag", "pass".
std::string_view to_string(rule_action a) noexcept;

/// Inverse of to_string; nullopt for an unknown name.
std::optional<rule_action> rule_action_from_string(
  std::string_view name) noexcept;

/// How much a finding matters: high findings are alert candidates and cost
/// the full rule weight in the quality score, low ones half of it.
enum class severity : uint8_t { low, high };

/// "low", "high".
std::string_view to_string(severity s) noexcept;

/// Switch, action and score weight of one rule.
struct rule_setting {
  bool enabled = true;
  rule_action action = rule_action::drop;
  /// Points a high-severity finding of this rule takes off the event's
  /// quality score (a low-severity one takes weight / 2), 0..100.
  int weight = 100;
};

// -- thresholds ---------------------------------------------------------------

/// Rolling z-score of log returns (rule::outlier_zscore).
struct zscore_settings {
  size_t window = 200;     ///< last N returns of the series
  double threshold = 6.0;  ///< |r - mean| / sigma above this is an outlier
  size_t min_samples = 30; ///< fewer returns in the window: rule is silent
};

/// Median absolute deviation of log returns (rule::outlier_mad).
struct mad_settings {
  size_t window = 200;     ///< last N returns of the series
  double threshold = 8.0;  ///< |r - median| / (1.4826 * MAD) above this
  size_t min_samples = 30; ///< fewer returns in the window: rule is silent
};

/// Shared by both outlier rules.
struct outlier_settings {
  /// Lower bound of sigma and of 1.4826 * MAD, in log-return units (1e-4 is
  /// one basis point), so a flat series does not turn one tick into an
  /// infinite score.
  double scale_floor = 1e-4;
  /// After this many consecutive outliers the series re-bases on the new
  /// level (window cleared, reference = the last price): a real jump stops
  /// being flagged. 0 = never.
  size_t rebase_after = 3;
};

/// Cross-provider divergence (rule::divergence).
struct divergence_settings {
  /// (max - min) / median of the providers' latest prices above this is a
  /// divergence; 0.01 = 1%.
  double max_spread = 0.01;
  /// A provider's latest price takes part when its event time is within
  /// this distance of the event being checked.
  int64_t window_ns = 30 * ns_per_s;
  /// Fewest providers (the event's included) needed to compare.
  size_t min_providers = 2;
};

/// Stale symbol detection (rule::stale_symbol, see
/// validation_engine::stale_symbols).
struct stale_symbol_settings {
  /// Expected update cadence when an instrument has no entry below; 0 = only
  /// instruments listed below are watched.
  int64_t default_cadence_ns = 60 * ns_per_s;
  /// Per-instrument cadence (canonical id -> ns); 0 = never stale.
  std::map<std::string, int64_t, std::less<>> cadence_ns;
};

/// Alert limiter (alert_limiter).
struct alert_settings {
  /// At most this many alerts per window; the rest go into one summary alert
  /// emitted when the window ends.
  size_t max_alerts = 10;
  /// Length of the rate-limit window (tumbling, opens with the first alert).
  int64_t window_ns = 60 * ns_per_s;
  /// More than this many rejects from one provider within burst_window_ns
  /// raise a reject_burst alert.
  size_t burst_rejects = 100;
  int64_t burst_window_ns = 10 * ns_per_s;
  /// The same alert (kind, instrument, provider) is raised again only after
  /// this long; repeats in between are counted, not alerted. 0 = always.
  int64_t repeat_after_ns = 300 * ns_per_s;
};

// -- all settings -------------------------------------------------------------

/// Everything the validation engine and the alert limiter need. Defaults are
/// usable as they are; validate() checks a hand-made or configured copy.
struct validation_settings {
  /// Per-rule switch, action and weight, indexed by index_of(rule).
  std::array<rule_setting, rule_count> rules = default_rules();

  /// rule::future_timestamp: event time > now + this.
  int64_t max_future_skew_ns = 5 * ns_per_s;
  /// rule::stale_event: event time < now - this; 0 = off.
  int64_t freshness_bound_ns = 0;
  /// rule::duplicate: ids (trades) / open times (closed bars) remembered per
  /// series (provider, instrument[, interval]).
  size_t duplicate_memory = 4096;

  zscore_settings zscore;
  mad_settings mad;
  outlier_settings outliers;
  divergence_settings divergence;
  stale_symbol_settings stale_symbols;
  alert_settings alerts;

  /// Capacity of the quarantine ring.
  size_t quarantine_capacity = 1024;
  /// Instruments one engine keeps state for; past it the least recently
  /// seen instrument is forgotten (its windows, ids and quality) to make
  /// room, and counted (validation_engine::evicted).
  size_t max_instruments = 10000;
  /// Weight of the newest event in the rolling quality scores (EWMA):
  /// q = q + alpha * (score - q). 0.01 ~ the last 100 events.
  double quality_alpha = 0.01;

  /// Setting of one rule.
  rule_setting& of(rule r) noexcept { return rules[index_of(r)]; }
  const rule_setting& of(rule r) const noexcept { return rules[index_of(r)]; }

  /// Whether a rule is enabled.
  bool enabled(rule r) const noexcept { return of(r).enabled; }

  /// Default switches, all enabled (weight = points a high finding costs;
  /// a low one costs half, rounded down):
  ///
  ///   rule                 action  weight  severity  effective cost
  ///   instrument_id        drop    100     high      100
  ///   positive_price       drop    100     high      100
  ///   positive_size        drop    100     high      100
  ///   ohlc_consistency     drop    100     high      100
  ///   non_negative_volume  drop    100     high      100
  ///   crossed_quote        drop    100     high      100
  ///   future_timestamp     flag     50     high       50
  ///   stale_event          flag     20     low        10
  ///   duplicate            drop     40     low        20
  ///   out_of_order         flag     20     low        10
  ///   outlier_zscore       flag     40     low        20
  ///   outlier_mad          flag     40     low        20
  ///   divergence           flag     40     high/low   40 suspect, 20 others
  ///   stale_symbol         pass      0     high       (not per event)
  static std::array<rule_setting, rule_count> default_rules() noexcept;
};

/// Default severity of a rule's findings. Divergence is high only for the
/// event of the provider that is off (see validation_engine).
severity default_severity(rule r) noexcept;

/// Checks ranges (windows > 0, min_samples <= window, thresholds > 0,
/// weights 0..100, alpha in (0, 1], capacities > 0, durations >= 0);
/// errc::config_invalid naming the first bad value otherwise.
result<void> validate(const validation_settings& s);

} // namespace tickflow
