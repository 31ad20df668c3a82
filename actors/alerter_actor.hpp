#pragma once

#include <caf/all.hpp>

#include "actors/flow.hpp"

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// The alerter's messages: alerts in, its counters out.
using alerter_actor = stats_actor::extend<caf::reacts_to<alert>>;

/// Spawns the alerter, detached (HTTP POSTs block only it): every `alert` it
/// receives is logged and POSTed as JSON (api/quality_json.hpp alert_body) to
/// each [alerts] url. The validators' alert_limiter has already rate-limited
/// them; a failed POST is logged and counted, never retried in a loop.
/// Answers (stats_atom) -> stage_stats (events_in: alerts, events_out: POSTs
/// that got a 2xx, dropped: POSTs that failed).
alerter_actor spawn_alerter(caf::actor_system& sys, const topology& topo);

} // namespace tickflow
