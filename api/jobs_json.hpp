#pragma once

// JSON bodies of the jobs routes.

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/jobs/job_board.hpp"

namespace tickflow::api {

/// GET /api/v1/jobs:
///   {"jobs":[{"name":..,"schedule":"every 5m","running":false,
///     "next_run":ISO|null,"runs":n,"last_run":ISO|null,"result":"ok|failed"|null,
///     "duration_ms":n|null,"items":n|null,"failed":n|null,"message":..|null}]}
std::string jobs_body(const std::vector<job_status>& jobs);

/// GET /api/v1/jobs/{id}:
///   {"id":"j-1","state":"queued|running|done","submitted":ISO,"finished":ISO|null,
///    "total":n,"done":n,"failed":n,
///    "results":[{"symbol":..,"status":200,"body":{..}}|null, ...]}
/// results[i] is null while item i is pending; "body" is what the data
/// route answered for it (a price or ohlcv body, or the error shape).
std::string async_job_body(const async_job& job);

} // namespace tickflow::api
