#pragma once

#include <caf/all.hpp>

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

/// Spawns the jobs actor ([jobs], [watchlist]). It runs the scheduled jobs
/// (refresh-crypto, refresh-stocks, health-probe; warm and backfill at
/// start) and the async fetch jobs. Every fetch is an internal call to the
/// gateway's own data routes, so it takes the whole read path (L1, Redis,
/// Postgres, the scheduler's failover) at its own priority: refresh and warm
/// LOW, backfill BATCH, async MEDIUM. Give it the gateway with
/// (internal_atom, caf::actor gateway).
/// Answers:
///   (jobs_atom)                       -> std::string  GET /api/v1/jobs body
///   (run_atom, std::string name)      -> int32_t      a run_verdict
///   (async_atom, std::vector<std::string> targets, std::vector<std::string> labels)
///                                     -> std::string  job id, "" when full
///   (job_atom, std::string id)        -> std::string  body, "" when unknown
caf::actor spawn_jobs(caf::actor_system& sys, const topology& topo);

} // namespace tickflow
