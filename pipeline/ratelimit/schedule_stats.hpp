#pragma once

// The scheduler's counters, answered to sched_stats_atom and rendered by
// GET /api/v1/stats (api/routes/reports). Plain values, no CAF.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/ratelimit/priority.hpp"

namespace tickflow {

/// One provider's counters and state, for /api/v1/stats.
struct provider_schedule_stats {
  std::string provider;
  uint64_t calls = 0;           ///< upstream calls made (a merged one counts once)
  uint64_t saved_cache = 0;     ///< answered by an identical answer still fresh
  uint64_t saved_coalesced = 0; ///< joined an identical call queued or in flight
  uint64_t saved_merged = 0;    ///< rode in another call's merged BATCH request
  uint64_t denied = 0;          ///< refused: budget, queue, pause, ban, circuit
  uint64_t retried = 0;         ///< retries after a failure
  uint64_t failed_over = 0;     ///< callers that went on to the next provider
  uint64_t failures = 0;        ///< upstream calls that failed
  uint64_t in_flight = 0;
  uint64_t queued = 0;
  std::string circuit;          ///< closed, open, half_open
  uint64_t circuit_opened = 0;  ///< times it opened
  int64_t paused_for_ms = 0;    ///< Retry-After or ban still running
  bool banned = false;          ///< the pause is a ban (HTTP 418)
  /// {"second"|"minute"|"day", used, limit} of each configured window.
  std::vector<std::pair<std::string, std::pair<uint64_t, uint64_t>>> windows;
};

/// Answer to sched_stats_atom.
struct scheduler_stats {
  std::vector<provider_schedule_stats> providers;
  std::array<uint64_t, priority_count> queue_depth{}; ///< by priority, all providers
  bool shared = false;        ///< budgets drawn from Redis
  uint64_t shared_errors = 0; ///< Redis budget calls that failed (local limits held)
};

} // namespace tickflow
