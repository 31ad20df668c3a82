#pragma once

#include <array>
#include <cstdint>

#include "pipeline/validate/event_rules.hpp"
#include "pipeline/validate/finding.hpp"

namespace tickflow {

/// Rolling data quality of a provider, an instrument or a whole engine.
struct quality_report {
  /// Exponentially weighted mean of the event scores: 100 before the first
  /// event, then score += alpha * (event score - score) per event (dropped
  /// events included), alpha = validation_settings::quality_alpha.
  double score = 100;
  uint64_t events = 0;   ///< events checked
  uint64_t accepted = 0; ///< passed on (flagged or not)
  uint64_t flagged = 0;  ///< accepted with at least one flag-action finding
  uint64_t dropped = 0;  ///< rejected
  /// Findings per rule, whatever their action (pass included).
  std::array<uint64_t, rule_count> by_rule{};

  /// Findings of one rule.
  uint64_t findings(rule r) const noexcept { return by_rule[index_of(r)]; }

  /// Folds one verdict in.
  void record(const verdict& v, double alpha) noexcept;

  /// Combines the reports of several engines (validator shards): counts
  /// add up, scores average weighted by events.
  static quality_report merge(const quality_report& a,
                              const quality_report& b) noexcept;
};

} // namespace tickflow
