#include "pipeline/validate/validation_settings.hpp"

#include <string>

namespace tickflow {

std::string_view to_string(rule_action a) noexcept {
  switch (a) {
    case rule_action::drop:
      return "drop";
    case rule_action::flag:
      return "flag";
    case rule_action::pass:
      return "pass";
  }
  return "unknown";
}

std::optional<rule_action> rule_action_from_string(
  std::string_view name) noexcept {
  for (auto a : {rule_action::drop, rule_action::flag, rule_action::pass})
    if (to_string(a) == name)
      return a;
  return std::nullopt;
}

std::string_view to_string(severity s) noexcept {
  switch (s) {
    case severity::low:
      return "low";
    case severity::high:
      return "high";
  }
  return "unknown";
}

std::array<rule_setting, rule_count>
validation_settings::default_rules() noexcept {
  std::array<rule_setting, rule_count> out{};
  auto set = [&out](rule r, rule_action action, int weight) {
    out[index_of(r)] = rule_setting{true, action, weight};
  };
  // Broken data: drop, and an event that gets through anyway scores 0.
  set(rule::instrument_id, rule_action::drop, 100);
  set(rule::positive_price, rule_action::drop, 100);
  set(rule::positive_size, rule_action::drop, 100);
  set(rule::ohlc_consistency, rule_action::drop, 100);
  set(rule::non_negative_volume, rule_action::drop, 100);
  set(rule::crossed_quote, rule_action::drop, 100);
  // Suspicious data: keep it, flagged.
  set(rule::future_timestamp, rule_action::flag, 50);
  set(rule::stale_event, rule_action::flag, 20);
  set(rule::duplicate, rule_action::drop, 40);
  set(rule::out_of_order, rule_action::flag, 20);
  set(rule::outlier_zscore, rule_action::flag, 40);
  set(rule::outlier_mad, rule_action::flag, 40);
  set(rule::divergence, rule_action::flag, 40);
  // Not about one event: only reported (stale_symbols()).
  set(rule::stale_symbol, rule_action::pass, 0);
  return out;
}

severity default_severity(rule r) noexcept {
  switch (r) {
    case rule::instrument_id:
    case rule::positive_price:
    case rule::positive_size:
    case rule::ohlc_consistency:
    case rule::non_negative_volume:
    case rule::crossed_quote:
    case rule::future_timestamp:
    case rule::divergence:
    case rule::stale_symbol:
      return severity::high;
    case rule::stale_event:
    case rule::duplicate:
    case rule::out_of_order:
    case rule::outlier_zscore:
    case rule::outlier_mad:
      return severity::low;
  }
  return severity::low;
}

namespace {

result<void> bad(std::string what) {
  return error{errc::config_invalid, std::move(what)};
}

} // namespace

result<void> validate(const validation_settings& s) {
  for (size_t i = 0; i < rule_count; ++i) {
    auto& r = s.rules[i];
    if (r.weight < 0 || r.weight > 100)
      return bad(std::string{to_string(static_cast<rule>(i))}
                 + ".weight must be 0..100, got " + std::to_string(r.weight));
  }
  if (s.max_future_skew_ns < 0)
    return bad("max_future_skew_ns must be >= 0");
  if (s.freshness_bound_ns < 0)
    return bad("freshness_bound_ns must be >= 0");
  if (s.duplicate_memory == 0)
    return bad("duplicate_memory must be > 0");
  if (s.zscore.window < 2 || s.zscore.min_samples < 2
      || s.zscore.min_samples > s.zscore.window)
    return bad("zscore: need 2 <= min_samples <= window");
  if (!(s.zscore.threshold > 0))
    return bad("zscore.threshold must be > 0");
  if (s.mad.window < 2 || s.mad.min_samples < 2
      || s.mad.min_samples > s.mad.window)
    return bad("mad: need 2 <= min_samples <= window");
  if (!(s.mad.threshold > 0))
    return bad("mad.threshold must be > 0");
  if (!(s.outliers.scale_floor > 0))
    return bad("outliers.scale_floor must be > 0");
  if (!(s.divergence.max_spread > 0))
    return bad("divergence.max_spread must be > 0");
  if (s.divergence.window_ns < 0)
    return bad("divergence.window_ns must be >= 0");
  if (s.divergence.min_providers < 2)
    return bad("divergence.min_providers must be >= 2");
  if (s.stale_symbols.default_cadence_ns < 0)
    return bad("stale_symbols.default_cadence_ns must be >= 0");
  for (auto& [id, cadence] : s.stale_symbols.cadence_ns)
    if (cadence < 0)
      return bad("stale_symbols.cadence_ns[" + id + "] must be >= 0");
  if (s.alerts.max_alerts == 0)
    return bad("alerts.max_alerts must be > 0");
  if (s.alerts.window_ns <= 0)
    return bad("alerts.window_ns must be > 0");
  if (s.alerts.burst_rejects == 0)
    return bad("alerts.burst_rejects must be > 0");
  if (s.alerts.burst_window_ns <= 0)
    return bad("alerts.burst_window_ns must be > 0");
  if (s.alerts.repeat_after_ns < 0)
    return bad("alerts.repeat_after_ns must be >= 0");
  if (s.quarantine_capacity == 0)
    return bad("quarantine_capacity must be > 0");
  if (s.max_instruments == 0)
    return bad("max_instruments must be > 0");
  if (!(s.quality_alpha > 0 && s.quality_alpha <= 1))
    return bad("quality_alpha must be in (0, 1]");
  return {};
}

} // namespace tickflow
