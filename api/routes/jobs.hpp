#pragma once

// The jobs routes' bodies: scheduled jobs, running one now, async fetch
// jobs (api/jobs_json renders the jobs' own state).
//   GET  /api/v1/jobs              the scheduled jobs
//   POST /api/v1/jobs/{name}/run   (admin) start a job now
//   GET  /api/v1/jobs/{id}         an async job's progress and results
//   POST /api/v1/data/fetch/async  queue price or ohlcv fetches of many symbols

#include <string>
#include <variant>
#include <vector>

#include "api/http_types.hpp"

namespace tickflow::api {

/// An async fetch, checked: one internal GET per symbol.
struct async_fetch {
  std::vector<std::string> targets; ///< "/api/v1/data/price?symbol=BTC-USDT"
  std::vector<std::string> labels;  ///< the symbols, same order
};

/// Symbols one async fetch may hold.
inline constexpr size_t max_async_symbols = 1000;

/// POST /api/v1/data/fetch/async
///   {"symbols":["BTC-USDT","AAPL"],"type":"price"|"ohlcv","interval":"1m","limit":100}
/// (interval, limit, start, end only with type ohlcv); 400 invalid_body
/// naming the field otherwise.
std::variant<async_fetch, http_response> parse_fetch_async(const std::string& body);

/// 202 {"job_id":"j-1","status_url":"/api/v1/jobs/j-1"}; 503 too_many_jobs
/// when the jobs actor had no free slot (`id` "").
http_response async_accepted(const std::string& id);

/// GET /api/v1/jobs/{id}: the job's body, or 404 unknown_job (`body` "").
http_response job_answer(const std::string& id, const std::string& body);

/// POST /api/v1/jobs/{name}/run: 202 started, 409 job_running, 404 unknown_job.
http_response job_started(const std::string& name);
http_response job_running(const std::string& name);
http_response unknown_job(const std::string& name);

/// 503: the jobs actor did not answer in time (or is not there yet).
http_response jobs_unavailable();

} // namespace tickflow::api
