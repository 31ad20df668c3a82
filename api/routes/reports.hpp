#pragma once

// The report routes' queries and bodies:
//   GET /api/v1/data/providers   every provider, its health and data quality
//   GET /api/v1/data/quality?symbol=
//   GET /api/v1/data/quarantine?symbol=&limit=
//   GET /api/v1/stats            the scheduler's counters and the L1's hits

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/api_error.hpp"
#include "api/http_types.hpp"
#include "pipeline/model/reports.hpp"
#include "pipeline/ratelimit/schedule_stats.hpp"
#include "pipeline/validate/quality_report.hpp"

namespace tickflow::api {

// -- queries --------------------------------------------------------------------

/// GET /api/v1/data/quarantine?symbol=&limit=
struct quarantine_query {
  std::string instrument; ///< "" = every instrument
  size_t limit = 50;      ///< 1..1000
};

/// GET /api/v1/data/quality?symbol=
struct quality_query {
  std::string instrument; ///< "" = overall
};

/// symbol optional (canonical when given), limit 1..1000 (default 50).
api_result<quarantine_query> parse_quarantine_query(const http_request& req);

/// symbol optional (canonical when given).
api_result<quality_query> parse_quality_query(const http_request& req);

// -- providers ------------------------------------------------------------------

/// One provider as GET /api/v1/data/providers lists it.
struct provider_listing {
  std::string name;
  std::vector<std::string> asset_classes;
  std::vector<std::string> data_types;
  std::vector<std::string> intervals;
  bool needs_key = false;
  bool enabled = false;        ///< in [providers] enabled
  bool key_configured = false; ///< its key variable is set (never the key)
  bool has_health = false;     ///< the provider actor answered
  uint64_t requests = 0;
  uint64_t successes = 0;
  uint64_t failures = 0;
  int64_t last_success_ns = 0;
  int64_t last_error_ns = 0;
  std::string last_error;
  int64_t last_latency_ns = 0;
  std::optional<quality_report> quality; ///< rolling data quality, when seen
};

/// Copies a provider actor's health into the listing of the same name.
void add_health(std::vector<provider_listing>& xs, const provider_health& h);

/// Copies the validators' per-provider quality into the listings.
void add_quality(std::vector<provider_listing>& xs, const validator_quality& q);

/// Body of GET /api/v1/data/providers:
///   {"providers":[{"name":..,"asset_classes":[..],"data_types":[..],
///     "intervals":[..],"needs_key":..,"enabled":..,"key_configured":..,
///     "health":{"status":"ok|degraded|failing|idle","requests":..,
///     "successes":..,"failures":..,"last_success":ISO|null,
///     "last_error":{"at":ISO,"message":..}|null,"last_latency_ms":..}|null,
///     "quality":{..}|null}]}
std::string providers_body(const std::vector<provider_listing>& xs);

// -- quality and quarantine -----------------------------------------------------

/// Folds the validators' reports: the subject and each provider merged, the
/// stale instruments joined.
validator_quality merge_quality(const std::vector<validator_quality>& xs);

/// Body of GET /api/v1/data/quality from every validator's report
/// (`instrument` "" is the overall subject).
std::string quality_answer(const std::string& instrument,
                           const std::vector<validator_quality>& xs);

/// Body of GET /api/v1/data/quarantine from every validator's page: the
/// newest `limit` events of all, and the counters summed.
std::string quarantine_answer(const std::vector<quarantine_page>& pages,
                              size_t limit);

// -- stats ----------------------------------------------------------------------

/// GET /api/v1/stats body: the scheduler's counters per provider, their
/// totals, queue depth per priority, and the L1 cache's hits (calls the
/// read path saved before any provider was considered; left out when the
/// cache did not answer: `l1` null).
std::string stats_body(const scheduler_stats& s, const cache_stats* l1);

} // namespace tickflow::api
