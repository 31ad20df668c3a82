#pragma once

#include <caf/all.hpp>

#include "actors/flow.hpp"

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Anything that fetches like a REST provider (sched_fetch::via).
using fetch_actor =
  caf::typed_actor<caf::replies_to<fetch_atom, fetch_request>::with<fetch_reply>>;

/// A REST provider's messages. It answers no stats_atom (the supervisor's
/// stats list shows it "unavailable"); acks are those of forwarded batches.
using rest_provider_actor = fetch_actor::extend<
  caf::replies_to<fetch_atom, fetch_batch>::with<fetch_reply>,
  caf::replies_to<holidays_atom>::with<std::vector<session_exception>>,
  caf::replies_to<reflist_atom, std::string>::with<reference_page>,
  caf::replies_to<health_atom>::with<provider_health>, caf::reacts_to<ack_atom>>;

/// Spawns one REST provider actor, detached (its own thread: libcurl blocks
/// only it). It owns the provider's adapter, a curl client (connection reuse,
/// timeouts, body limit, gzip) and its credentials, read once from the
/// environment variable named in the config. Answers
///   (fetch_atom, fetch_request) -> fetch_reply
///   (health_atom) -> provider_health
///   (holidays_atom) -> std::vector<session_exception>  its market holidays
///                      (adapters/holiday_sources; an error when it has none)
///   (reflist_atom, std::string page) -> reference_page  one page of its
///                      reference list ("" the first; adapters/reference_lists;
///                      an error when it has none, a failed call or body)
/// and forwards every fetched bar batch to `intake` (the sharder), so
/// fetched data is validated, cached and broadcast like streamed data.
/// `intake` may be null: a stream's backfill actor forwards nothing.
rest_provider_actor spawn_rest_provider(caf::actor_system& sys,
                                        const rest_provider_settings& settings,
                                        batch_sink_actor intake);

} // namespace tickflow
