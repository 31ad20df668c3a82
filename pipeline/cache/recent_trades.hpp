#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "pipeline/model/events.hpp"

namespace tickflow::cache {

/// What recent_trades::query found.
struct recent_answer {
  std::vector<trade> trades; ///< in the range, oldest first, at most `limit`
  /// True when nothing older can belong to the answer: `limit` trades were
  /// found, or the ring reaches back to the range's start. False: older
  /// trades of the range may be stored elsewhere (PostgreSQL, a provider).
  bool complete = false;
  int64_t oldest_ns = 0; ///< event time of the oldest trade held (0: none)
};

/// The newest trades of each instrument, at most `per_instrument` each (the
/// oldest go first): what GET /api/v1/data/trades answers from memory.
/// Instruments are bounded by the caller (the cache admits them). A full
/// ring assigns into its oldest slot, so a steady feed allocates nothing
/// (strings keep their capacity). Pure: no clock, no I/O.
class recent_trades {
 public:
  /// per_instrument = 0 keeps nothing (every query is incomplete).
  explicit recent_trades(size_t per_instrument = 256);

  /// Keeps `t` (a trade of an admitted instrument).
  void add(const trade& t);

  /// The newest `limit` trades of `instrument` with start_ns <= ts_event_ns
  /// and (end_ns == 0 or ts_event_ns <= end_ns), oldest first; start_ns 0
  /// is unbounded.
  recent_answer query(const std::string& instrument, int64_t start_ns,
                      int64_t end_ns, size_t limit) const;

  /// Trades held for every instrument.
  size_t size() const noexcept { return held_; }
  /// Instruments with a ring.
  size_t instruments() const noexcept { return rings_.size(); }
  /// The bound per instrument.
  size_t per_instrument() const noexcept { return per_instrument_; }

 private:
  struct ring {
    std::vector<trade> slots;
    size_t next = 0; ///< where the next trade goes once the ring is full
  };

  size_t per_instrument_;
  size_t held_ = 0;
  std::unordered_map<std::string, ring> rings_;
};

} // namespace tickflow::cache
