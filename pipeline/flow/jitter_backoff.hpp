#pragma once

#include <cstdint>

namespace tickflow {

/// Reconnect delays with full jitter: the n-th delay (n = attempts() before
/// the call, starting at 0) is uniform in [min_ns, ceiling()], the bound
/// growing like every backoff (doubled_delay: min(max_ns, min_ns * 2^n)),
/// so many connections dropped at once do not come back in step. Pure and
/// deterministic for a given seed (its own generator, splitmix64).
class jitter_backoff {
 public:
  /// `min_ns` <= 0 is taken as 1; `max_ns` below `min_ns` as `min_ns`.
  jitter_backoff(int64_t min_ns, int64_t max_ns, uint64_t seed) noexcept;

  /// The next delay; counts one attempt.
  int64_t next() noexcept;

  /// Starts over from `min_ns` (after a connection stayed up).
  void reset() noexcept { attempts_ = 0; }

  /// Delays handed out since construction or the last reset().
  uint32_t attempts() const noexcept { return attempts_; }

  /// The upper bound of the next delay: min(max_ns, min_ns * 2^attempts()).
  int64_t ceiling() const noexcept;

 private:
  uint64_t random() noexcept;

  int64_t min_;
  int64_t max_;
  uint64_t state_;
  uint32_t attempts_ = 0;
};

} // namespace tickflow
