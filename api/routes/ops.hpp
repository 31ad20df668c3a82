#pragma once

// The operations routes' bodies: liveness, readiness, service facts,
// status and metrics. The gateway asks every stage, provider, writer and
// the cache for a snapshot; these render it.
//   GET /health, /live, /ready, /info, /status, /metrics (Prometheus text)
//   POST /api/v1/admin/reload (admin)

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/http_types.hpp"
#include "api/metrics.hpp"
#include "api/routes/access.hpp"
#include "api/routes/batch.hpp"
#include "api/routes/webhooks.hpp"
#include "pipeline/broadcast/book_types.hpp"
#include "pipeline/model/reports.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow::api {

/// One provider as the ops routes see it.
struct provider_view {
  std::string name;
  bool up = false; ///< its actor runs (not waiting for a restart)
  std::optional<stage_stats> stats;    ///< simulator, replay
  std::optional<provider_health> rest; ///< REST providers
  std::optional<stream_health> stream; ///< live stream connections
};

/// What every stage said when asked (a stage that did not answer in time
/// has no value).
struct ops_snapshot {
  std::vector<std::pair<std::string, std::optional<stage_stats>>> stages;
  std::vector<provider_view> providers;
  std::optional<writer_stats> redis;    ///< when [redis] is enabled
  std::optional<writer_stats> postgres; ///< when [storage] is enabled
  std::optional<cache_stats> cache;
  std::optional<broadcaster_stats> broadcaster;
  /// Instruments with validator state and instruments forgotten, summed
  /// over the validators that answered.
  uint64_t validator_instruments = 0;
  uint64_t validator_evicted = 0;
  stage_stats gateway;
};

/// The gateway's own counters, as /status and /metrics report them.
struct gateway_facts {
  int64_t started_ns = 0;
  uint64_t connections = 0;     ///< open REST connections
  uint64_t requests = 0;        ///< answered so far
  uint64_t rate_limited = 0;    ///< answered 429 by the per-client limit
  uint64_t limited_clients = 0; ///< clients the limiter tracks
  webhook_counters webhooks;
  std::vector<std::string> webhook_routes;  ///< every POST /webhooks/<name>
  std::vector<std::string> webhook_secrets; ///< providers with a secret
  prefetch_counters prefetch;
  /// The providers' reference lists (GET /api/v1/instruments).
  uint64_t reference_instruments = 0; ///< instruments the merged lists hold
  uint64_t reference_refreshed = 0;   ///< lists replaced by a new one
  uint64_t reference_failed = 0;      ///< lists that failed (the previous kept)
  uint64_t reference_dropped = 0;     ///< rows beyond [instruments] max-reference
  uint64_t reference_unresolved = 0;  ///< rows whose symbol did not resolve
  uint64_t unsent_bytes = 0;    ///< answers held unsent, all connections
  uint64_t resident_bytes = 0;  ///< the process's RSS (api/memory_budget.hpp)
  uint64_t memory_budget = 0;   ///< [gateway] max-memory (0: none)
  uint64_t memory_refusals = 0; ///< requests and upgrades refused over it
};

/// GET /health: {"status":"ok","service":"tickflow","version":..,"uptime_s":..}.
http_response health_answer(int64_t started_ns, int64_t now_ns);

/// GET /live: {"status":"alive"}.
http_response live_answer();

/// GET /ready: 200 when every configured dependency is reachable: each
/// provider's actor runs, the cache answers (and, with the simulator, data
/// reached it), the Redis / PostgreSQL writers are connected when enabled;
/// else 503 not_ready in the one error shape with the checks beside it.
http_response ready_answer(const ops_snapshot& s, const topology& topo);

/// GET /info: version, build and a summary of the effective config (no
/// secrets: names of environment variables are not shown either).
http_response info_answer(const topology& topo, uint16_t port, int64_t started_ns,
                          const access_guard& access, const webhook_gate& webhooks);

/// GET /status: every stage's counters, the providers' health, the writers
/// and the gateway's own counts.
http_response status_answer(const ops_snapshot& s, const gateway_facts& g,
                            const topology& topo, int64_t now_ns);

/// /metrics, the gateway's part: build, uptime, the request metrics,
/// connections, limits, webhooks, prefetches and reference lists.
void gateway_metrics(metric_families& m, const gateway_facts& g,
                     const request_metrics& requests, uint64_t max_connections,
                     int64_t now_ns);

/// /metrics, the pipeline's part: stages, providers, the cache, the writers.
void snapshot_metrics(metric_families& m, const ops_snapshot& s);

/// The Prometheus text response.
http_response metrics_answer(const metric_families& m);

/// POST /api/v1/admin/reload: 200 {"reloaded":["api_keys"],"api_keys":n}.
http_response reloaded(size_t api_keys);

/// POST /api/v1/admin/reload with a key file that did not load: 500.
http_response reload_failed(const std::string& why);

/// GET /openapi.json.
http_response openapi_answer();

} // namespace tickflow::api
