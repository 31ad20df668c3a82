#pragma once

// The rate-limit scheduler: one actor owns every REST provider's budget
// (rolling windows, weights, concurrency, pauses and bans), the wait queues
// by priority, the circuit breakers, the coalescing of identical requests,
// the merging of BATCH requests and the counters of /api/v1/stats. Every
// upstream REST call asks it; it calls the REST provider actors when a
// call is granted. The rules live in pipeline/ratelimit/.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <caf/all.hpp>

#include "actors/flow.hpp"
#include "actors/messages.hpp"
#include "actors/rest_provider_actor.hpp"
#include "pipeline/ratelimit/priority.hpp"
#include "pipeline/ratelimit/schedule_stats.hpp"
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
  fetch_actor via;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sched_fetch& x) {
  return f(caf::meta::type_name("sched_fetch"), x.provider, x.request, x.prio,
           x.last_choice, x.via);
}

/// What a caller of the scheduler needs: one fetch through it.
using sched_fetch_actor =
  caf::typed_actor<caf::replies_to<fetch_atom, sched_fetch>::with<fetch_reply>>;

/// The scheduler's messages ((tick_atom, provider) and (retry_atom, id): its
/// own timers).
using scheduler_actor = stats_actor::extend_with<sched_fetch_actor>::extend<
  caf::reacts_to<provider_handles>, caf::reacts_to<tick_atom, std::string>,
  caf::reacts_to<retry_atom, uint64_t>, caf::reacts_to<failover_atom, std::string>,
  caf::reacts_to<reload_atom, topology>,
  caf::replies_to<sched_stats_atom>::with<scheduler_stats>>;

/// Spawns the scheduler. It learns the REST provider actors from
/// provider_handles messages (the supervisor sends them at start and after
/// every restart). Answers
///   (fetch_atom, sched_fetch) -> fetch_reply
///   (failover_atom, std::string provider)  a caller went past it (counted)
///   (sched_stats_atom) -> scheduler_stats
///   (stats_atom) -> stage_stats
scheduler_actor spawn_scheduler(caf::actor_system& sys, const topology& topo);

} // namespace tickflow

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::scheduler_stats)
