#pragma once

#include <caf/all.hpp>

#include "actors/messages.hpp"

#include "pipeline/topology/topology.hpp"

namespace tickflow {

using jobs_atom = caf::atom_constant<caf::atom("jobs")>;
using run_atom = caf::atom_constant<caf::atom("run")>;
using job_atom = caf::atom_constant<caf::atom("job")>;
using async_atom = caf::atom_constant<caf::atom("async")>;
using internal_atom = caf::atom_constant<caf::atom("internal")>;
using job_item_atom = caf::atom_constant<caf::atom("jobitem")>;

/// What (run_atom, name) answers.
enum class run_verdict : int32_t { started = 0, unknown = 1, running = 2 };

/// What the jobs actor needs of the gateway: internal calls of its routes.
using internal_calls_actor = caf::typed_actor<caf::reacts_to<internal_atom, http_call>>;

/// The jobs actor's messages (tick_atom, job_item_atom: its own timer and
/// the answers of its internal calls; it answers no stats_atom).
using jobs_actor = caf::typed_actor<
  caf::reacts_to<internal_atom, internal_calls_actor>, caf::reacts_to<tick_atom>,
  caf::reacts_to<job_item_atom, std::string, uint64_t, uint32_t, std::string>,
  caf::reacts_to<reload_atom, jobs_settings>,
  caf::replies_to<jobs_atom>::with<std::string>,
  caf::replies_to<run_atom, std::string>::with<int32_t>,
  caf::replies_to<async_atom, std::vector<std::string>,
                  std::vector<std::string>>::with<std::string>,
  caf::replies_to<job_atom, std::string>::with<std::string>>;

/// Spawns the jobs actor ([jobs], [watchlist]). It runs the scheduled jobs
/// (refresh-crypto, refresh-stocks, health-probe; warm and backfill at
/// start) and the async fetch jobs. Every fetch is an internal call to the
/// gateway's own data routes, so it takes the whole read path (L1, Redis,
/// Postgres, the scheduler's failover) at its own priority: refresh and warm
/// LOW, backfill BATCH, async MEDIUM. Give it the gateway with
/// (internal_atom, gateway).
/// Answers:
///   (jobs_atom)                       -> std::string  GET /api/v1/jobs body
///   (run_atom, std::string name)      -> int32_t      a run_verdict
///   (async_atom, std::vector<std::string> targets, std::vector<std::string> labels)
///                                     -> std::string  job id, "" when full
///   (job_atom, std::string id)        -> std::string  body, "" when unknown
jobs_actor spawn_jobs(caf::actor_system& sys, const topology& topo);

} // namespace tickflow
