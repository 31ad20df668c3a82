#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/provider.hpp"
#include "pipeline/validate/event_rules.hpp"
#include "pipeline/validate/validation_settings.hpp"

namespace tickflow {

/// One broken rule, as found by the validation engine.
struct finding {
  rule which = rule::instrument_id;
  severity level = severity::low;
  rule_action action = rule_action::pass; ///< what the engine did about it
  /// Exact values: "price 0 <= 0", "<provider> 105 is 4.9% off the median
  /// 100.1 of 3 providers (...)".
  std::string reason;
  std::string instrument;
  provider source{}; ///< provider of the event
  /// The provider the finding points at when it is not the source: for
  /// rule::divergence, the provider farthest from the median (when one is).
  std::optional<provider> suspect;

  /// suspect when there is one, else source.
  provider blamed() const noexcept { return suspect ? *suspect : source; }
};

/// What happened to an event.
enum class event_action : uint8_t { accept, drop };

/// "accept", "drop".
std::string_view to_string(event_action a) noexcept;

/// Result of validation_engine::check.
struct verdict {
  event_action action = event_action::accept;
  /// Broken rules, in the order they were applied (enum order).
  std::vector<finding> findings;
  /// 100 minus the weights of the findings (low severity: half), clamped to
  /// 0..100.
  int score = 100;
  /// Quality flags this check set on the event (flag actions only).
  uint32_t flags = 0;

  bool accepted() const noexcept { return action == event_action::accept; }

  /// First finding of a rule, or nullptr.
  const finding* find(rule r) const noexcept;
};

/// Result of validation_engine::check(event_batch&).
struct batch_verdict {
  size_t accepted = 0; ///< events kept (flagged ones included)
  size_t flagged = 0;  ///< kept with at least one flag finding
  size_t dropped = 0;  ///< events removed from the batch
  /// Every finding of every event, in the order checked (feed them to an
  /// alert_limiter).
  std::vector<finding> findings;
};

} // namespace tickflow
