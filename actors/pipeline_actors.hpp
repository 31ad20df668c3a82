#pragma once

// The middle of the pipeline: normalizer -> validators -> router.
//   normalizer: raw provider frames -> canonical events (adapters' parsers),
//               sharded by instrument hash over the validators, so all state
//               of one symbol lives in one validator and its order is kept;
//   validator:  basic sanity rules (pipeline/validate), bad events counted;
//   router:     fans every accepted batch out to the sinks (cache, broadcaster).
// Each stage acks its upstream per flow.hpp; each replies to stats_atom.

#include <vector>

#include <caf/all.hpp>

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Index of the validator that owns `instrument` among `count`.
size_t shard_of(std::string_view instrument, size_t count) noexcept;

caf::actor spawn_normalizer(caf::actor_system& sys, const topology& topo,
                            std::vector<caf::actor> validators);

caf::actor spawn_validator(caf::actor_system& sys, const topology& topo,
                           size_t index, caf::actor router);

caf::actor spawn_router(caf::actor_system& sys, const topology& topo,
                        std::vector<caf::actor> sinks);

} // namespace tickflow
