#pragma once

#include <vector>

#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>

#include "actors/books_actor.hpp"
#include "actors/broadcaster_actor.hpp"
#include "actors/cache_actor.hpp"
#include "actors/cache_writer_actor.hpp"
#include "actors/flow.hpp"
#include "actors/jobs_actor.hpp"
#include "actors/pipeline_actors.hpp"
#include "actors/redis_reader_actor.hpp"
#include "actors/scheduler_actor.hpp"
#include "actors/storage_writer_actor.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// The pipeline stages the gateway reports on (/status, /metrics, /ready)
/// and feeds (webhooks); the supervisor sends it once it built them.
struct stage_handles {
  batch_sink_actor intake; ///< the sharder: where events enter the pipeline
  std::vector<std::string> names; ///< a name per actor, same order
  std::vector<stats_actor> actors; ///< every stage but the providers and the gateway
  cache_writer_actor cache_writer;     ///< null unless [redis] is enabled
  storage_writer_actor storage_writer; ///< null unless [storage] is enabled
  broadcaster_actor broadcaster;       ///< its instruments and clients, for /metrics
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stage_handles& x) {
  return f(caf::meta::type_name("stage_handles"), x.intake, x.names,
           x.actors, x.cache_writer, x.storage_writer, x.broadcaster);
}

/// The gateway's messages: the handles the supervisor hands it, the REST
/// server's calls (http_call, from its I/O thread) and the jobs actor's
/// internal calls.
using gateway_actor = stats_actor::extend_with<internal_calls_actor>::extend<
  caf::replies_to<start_atom>::with<uint16_t>, caf::reacts_to<provider_handles>,
  caf::reacts_to<reload_atom, topology>,
  caf::reacts_to<reload_atom, std::vector<validator_actor>>,
  caf::reacts_to<writer_atom, storage_writer_actor>,
  caf::reacts_to<scheduler_atom, scheduler_actor>,
  caf::reacts_to<redis_atom, redis_reader_actor>, caf::reacts_to<stage_handles>,
  caf::reacts_to<jobs_atom, jobs_actor>, caf::reacts_to<http_call>,
  caf::reacts_to<holidays_atom>, caf::reacts_to<reflist_atom>,
  caf::reacts_to<reflist_atom, std::string>, caf::reacts_to<books_atom, books_actor>>;

/// Spawns the gateway: it owns the REST server ([gateway], HTTP/1.1
/// keep-alive on `ioc`), routes requests (the route tables of
/// actors/gateway_*.cpp, documented in api/openapi.json and docs/API.md),
/// checks access ([auth]: API keys, loopback rule, admin token) and
/// per-client limits ([limits]) before a route runs, and counts every
/// answer per route for /metrics. Data queries go to the cache actor, then
/// the REST provider actors on a miss; webhooks ([webhooks]) feed the
/// sharder. Errors use the one JSON error shape (api_error.hpp).
/// Answers (start_atom) -> uint16_t bound port (or an error: a bad
/// [auth] keys-file), stats_atom; takes provider_handles and stage_handles
/// from the supervisor.
gateway_actor spawn_gateway(caf::actor_system& sys, const topology& topo,
                            boost::asio::io_context& ioc, cache_actor cache,
                            std::vector<validator_actor> validators);

} // namespace tickflow
