#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/model/events.hpp"
#include "pipeline/validate/event_rules.hpp"

namespace tickflow {

/// A dropped or flagged event as kept by the quarantine.
struct quarantined_event {
  uint64_t seq = 0;     ///< 1, 2, ... in order of arrival, never reused
  rule why = rule::instrument_id; ///< the drop finding, else the first flag
  std::string reason;   ///< that finding's reason
  bool dropped = false; ///< false: flagged and passed on
  provider source{};
  std::string instrument;
  int64_t event_time_ns = 0; ///< ts_event_ns; open_time_ns for a bar
  int64_t seen_ns = 0;       ///< `now` of the check
  uint32_t flags = 0;        ///< the event's quality flags after the check
  std::string type;          ///< "trade", "quote" or "bar"
  /// Key fields as text, e.g. {"id","42"}, {"price","65000.1"}.
  std::vector<std::pair<std::string, std::string>> fields;
  /// The node that validated it ([cluster] node-id), for events another node
  /// quarantined (they arrive on the event streams); "" = this node.
  std::string node;
};

/// Minimal rendering of an event for the quarantine (type + key fields).
void render(const trade& x, quarantined_event& out);
void render(const quote& x, quarantined_event& out);
void render(const bar& x, quarantined_event& out);

/// A bounded ring of the most recent rejected or flagged events. Eviction
/// forgets the event, never the count: every counter only grows.
class quarantine {
 public:
  /// Counters since construction.
  struct counters {
    uint64_t added = 0;   ///< events ever quarantined
    uint64_t evicted = 0; ///< pushed out of the ring by newer ones
    uint64_t dropped = 0; ///< of `added`, dropped events
    uint64_t flagged = 0; ///< of `added`, flagged events
    std::array<uint64_t, rule_count> by_rule{}; ///< of `added`, by `why`
  };

  /// Keeps at most `capacity` events (at least 1).
  explicit quarantine(size_t capacity = 1024);

  /// Stores `x` (its seq is assigned here), evicting the oldest when full.
  void add(quarantined_event x);

  /// Up to n most recent events, newest first; only those of `instrument`
  /// when it is not empty.
  std::vector<quarantined_event> recent(size_t n,
                                        std::string_view instrument = {}) const;

  /// Events held now (<= capacity).
  size_t size() const noexcept { return ring_.size(); }

  /// Most events held.
  size_t capacity() const noexcept { return capacity_; }

  /// Counters (never reset).
  const counters& totals() const noexcept { return totals_; }

 private:
  size_t capacity_;
  std::vector<quarantined_event> ring_; // next_ is the oldest when full
  size_t next_ = 0;
  counters totals_;
};

} // namespace tickflow
