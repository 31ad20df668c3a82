#pragma once

// The middle of the pipeline: sharder -> validators -> router.
//   sharder:    where every provider's canonical events enter (each provider
//               parses its own frames); shards them by instrument hash over
//               the validators, so all state of one symbol lives in one
//               validator and its order is kept;
//   validator:  the validation engine (rules, quality, quarantine, alerts);
//   router:     fans every accepted batch out to the sinks (cache, broadcaster).
// Each stage acks its upstream per flow.hpp; each replies to stats_atom.

#include <vector>

#include <caf/all.hpp>

#include "actors/alerter_actor.hpp"
#include "actors/flow.hpp"
#include "actors/storage_writer_actor.hpp"

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Index of the validator that owns `instrument` among `count`.
size_t shard_of(std::string_view instrument, size_t count) noexcept;

/// The sharder's messages.
using sharder_actor = batch_sink_actor::extend<
  caf::reacts_to<ack_atom>,
  caf::replies_to<reload_atom, std::vector<batch_sink_actor>>::with<bool>>;

/// The sharder: takes event_batch from every provider (and webhooks), sends
/// each event to validator shard_of(instrument) within the credit of that
/// link (feed statuses to validator 0), acks its upstream per flow.hpp.
/// Also answers drain_atom and (reload_atom, validators): a resized pool,
/// answered once the old pool handled what it was sent.
sharder_actor spawn_sharder(caf::actor_system& sys, const topology& topo,
                            std::vector<batch_sink_actor> validators);

/// A validator's messages: (writer_atom, sink) adds a place its quarantined
/// events go from now on (storage, the streams); (quarantine_atom, events)
/// are other nodes' quarantined events, kept in a ring of their own and
/// listed with its own; tick_atom is its own health timer.
using validator_actor = batch_sink_actor::extend_with<quarantine_sink_actor>::extend<
  caf::reacts_to<ack_atom>, caf::reacts_to<tick_atom>,
  caf::reacts_to<writer_atom, quarantine_sink_actor>,
  caf::replies_to<quality_atom, std::string>::with<validator_quality>,
  caf::replies_to<quarantine_atom, std::string, uint64_t>::with<quarantine_page>>;

/// Validator `index`: runs the validation engine ([validator], pipeline/validate)
/// on every batch, passes accepted events to `router`, sends alerts to
/// `alerter` (may be null), watches `watched` for staleness. Also answers
/// (quality_atom, instrument) -> validator_quality and
/// (quarantine_atom, instrument, limit) -> quarantine_page.
validator_actor spawn_validator(caf::actor_system& sys, const topology& topo,
                                size_t index, batch_sink_actor router,
                                alerter_actor alerter,
                                std::vector<std::string> watched);

/// Every registered provider, in id order (the registry's table).
std::vector<provider> all_providers();

/// The router's messages.
using router_actor = batch_sink_actor::extend<caf::reacts_to<ack_atom>>;

/// The router: fans every event_batch out to `sinks` (one shared message),
/// within the credit of each link; acks its upstream per flow.hpp.
router_actor spawn_router(caf::actor_system& sys, const topology& topo,
                          std::vector<batch_sink_actor> sinks);

} // namespace tickflow
