#pragma once

#include <cstdint>

#include "pipeline/flow/exponential_backoff.hpp"

namespace tickflow {

/// Delay before restarting a crashed actor: an exponential_backoff from
/// `min` up to `max` that starts over once the actor has run for
/// `reset_after` without crashing. Pure: times are parameters.
class restart_backoff {
 public:
  restart_backoff(int64_t min_ns, int64_t max_ns, int64_t reset_after_ns) noexcept
    : delays_(min_ns, max_ns), reset_after_(reset_after_ns) {}

  /// The delay for a crash at `crashed_ns` of an actor started at `started_ns`.
  int64_t on_crash(int64_t started_ns, int64_t crashed_ns) noexcept;

  /// Crashes counted in the current streak.
  uint32_t streak() const noexcept { return delays_.attempts(); }

 private:
  exponential_backoff delays_;
  int64_t reset_after_;
};

} // namespace tickflow
