#pragma once

// The rate-limit scheduler: one actor owns every REST provider's budget
// (rolling windows, weights, concurrency, pauses and bans), the wait queues
// by priority, the circuit breakers, the coalescing of identical requests,
// the merging of BATCH requests and the counters of /api/v1/stats. Every
// upstream REST call asks it; it calls the REST provider actors when a
// call is granted. The rules live in pipeline/schedule/.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "pipeline/schedule/priority.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

using scheduler_atom = caf::atom_constant<caf::atom("scheduler")>;
using failover_atom = caf::atom_constant<caf::atom("failover")>;
using sched_stats_atom = caf::atom_constant<caf::atom("schedstats")>;

/// One call through the scheduler: (fetch_atom, sched_fetch) -> fetch_reply.
/// A refusal is a fetch_reply with ok = false: rate_limited (budget spent,
/// queue full, paused by Retry-After, banned) or unavailable (circuit open,
/// provider restarting), so the caller can go on to the next provider.
struct sched_fetch {
  std::string provider;
  fetch_request request;
  priority prio = priority::high;
  /// No other provider could serve: wait up to [scheduler] max-wait for a
  /// grant and retry failures; otherwise wait at most failover-wait and
  /// never retry (the next provider is the better retry).
  bool last_choice = true;
  /// When set, the call goes to this actor (answering fetch_atom like a REST
  /// provider actor) instead of the provider's own, on the same budget: the
  /// stream backfills, whose REST actor does not forward into the pipeline.
  caf::actor via;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sched_fetch& x) {
  return f(caf::meta::type_name("sched_fetch"), x.provider, x.request, x.prio,
           x.last_choice, x.via);
}

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

/// Spawns the scheduler. It learns the REST provider actors from
/// provider_handles messages (the supervisor sends them at start and after
/// every restart). Answers
///   (fetch_atom, sched_fetch) -> fetch_reply
///   (failover_atom, std::string provider)  a caller went past it (counted)
///   (sched_stats_atom) -> scheduler_stats
///   (stats_atom) -> stage_stats
caf::actor spawn_scheduler(caf::actor_system& sys, const topology& topo);

} // namespace tickflow

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::scheduler_stats)
