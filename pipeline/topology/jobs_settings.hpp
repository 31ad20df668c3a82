#pragma once

// Settings of the jobs area ([jobs], [watchlist]); filled by
// pipeline/topology/topology_jobs.cpp.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/jobs/job_schedule.hpp"
#include "pipeline/model/interval.hpp"

namespace tickflow {

/// [jobs]: scheduled work of the jobs actor.
struct jobs_settings {
  bool enabled = true;
  job_schedule refresh_crypto = job_schedule::every(5 * 60 * 1'000'000'000LL);
  job_schedule refresh_stocks = job_schedule::every(15 * 60 * 1'000'000'000LL);
  job_schedule health_probe = job_schedule::every(60 * 1'000'000'000LL);
  bool warm_at_start = true;     ///< fetch every watchlist price once at start
  bool backfill_at_start = true; ///< fill holes in stored series at start
  interval backfill_interval = interval::d1;
  int64_t backfill_lookback_ns = 30LL * 24 * 3600 * 1'000'000'000; ///< how far back
  size_t async_capacity = 1000;  ///< async fetch jobs remembered
  uint64_t async_result_bytes = 64ull << 20; ///< their results kept, in bytes
  /// [watchlist]: symbols refreshed, warmed and backfilled.
  std::vector<std::string> crypto;
  std::vector<std::string> stocks;
};

} // namespace tickflow
