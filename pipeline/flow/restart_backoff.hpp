#pragma once

#include <cstdint>

namespace tickflow {

/// Delay before restarting a crashed actor: doubles from `min` up to `max`
/// with every crash, and starts over from `min` once the actor has run for
/// `reset_after` without crashing. Pure: times are parameters.
class restart_backoff {
 public:
  restart_backoff(int64_t min_ns, int64_t max_ns, int64_t reset_after_ns) noexcept
    : min_(min_ns), max_(max_ns), reset_after_(reset_after_ns) {}

  /// The delay for a crash at `crashed_ns` of an actor started at `started_ns`.
  int64_t on_crash(int64_t started_ns, int64_t crashed_ns) noexcept;

  /// Crashes counted in the current streak.
  uint32_t streak() const noexcept { return streak_; }

 private:
  int64_t min_;
  int64_t max_;
  int64_t reset_after_;
  uint32_t streak_ = 0;
};

} // namespace tickflow
