#pragma once

#include <cstdint>

namespace tickflow {

/// `min_ns` doubled `doublings` times, capped at `max_ns`, without overflow:
/// min(max_ns, min_ns * 2^doublings). A `min_ns` <= 0 is taken as 0 (and
/// stays 0); a `max_ns` below `min_ns` caps it at `max_ns`. Every backoff of
/// the project (retries, reconnects, restarts) grows by this rule.
int64_t doubled_delay(int64_t min_ns, int64_t max_ns,
                      uint32_t doublings) noexcept;

/// The delays of a retry loop: `min_ns`, then twice as long after every
/// failure, up to `max_ns`; reset() starts over once the peer answers. Used
/// by every actor that retries a server (Redis, Postgres); restart_backoff
/// and jitter_backoff grow the same way. Pure: the caller schedules.
class exponential_backoff {
 public:
  /// `min_ns` <= 0 is taken as 1; `max_ns` below `min_ns` as `min_ns`.
  exponential_backoff(int64_t min_ns, int64_t max_ns) noexcept;

  /// The delay to wait now; counts one attempt, so the next one doubles.
  int64_t next() noexcept;

  /// The delay next() returns, without counting it.
  int64_t current() const noexcept {
    return doubled_delay(min_, max_, attempts_);
  }

  /// Starts over from `min_ns` (the peer answered).
  void reset() noexcept { attempts_ = 0; }

  /// Delays handed out since construction or the last reset().
  uint32_t attempts() const noexcept { return attempts_; }

 private:
  int64_t min_;
  int64_t max_;
  uint32_t attempts_ = 0;
};

} // namespace tickflow
