#pragma once

// The gateway actor's state and its route table, shared by the files that
// hold the routes (one file per area):
//   gateway_actor.cpp    dispatch: matching, methods, access, metrics
//   gateway_data.cpp     /api/v1/data/price, /ohlcv, /historical (read path)
//   gateway_fetch.cpp    fetching from providers (scheduler, failover)
//   gateway_reports.cpp  /api/v1/data/providers, /quality, /quarantine, /api/v1/stats
//   gateway_cache.cpp    /api/v1/cache/stats, /api/v1/cache/clear
//   gateway_ops.cpp      /health, /live, /ready, /info, /status, /metrics, ...
//   gateway_batch.cpp    /api/v1/data/batch, /api/v1/prefetch
//   gateway_webhooks.cpp /webhooks/{binance,polygon,test}

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/scheduler_actor.hpp"
#include "adapters/common/rest_adapter.hpp"
#include "adapters/streams/stream_protocol.hpp"
#include "api/api_error.hpp"
#include "api/api_keys.hpp"
#include "api/client_limiter.hpp"
#include "api/data_queries.hpp"
#include "api/http_server.hpp"
#include "api/metrics.hpp"
#include "api/webhook_auth.hpp"
#include "pipeline/reference/reference_cache.hpp"
#include "pipeline/schedule/priority.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

inline constexpr auto cache_timeout = std::chrono::seconds{2};

/// Hot reads of the L1 cache (price, bars) set no timeout: the cache is a
/// local actor that always answers, CAF bounces the request with an error if
/// it is gone, and the HTTP server's request-timeout still bounds the call.
/// In CAF 0.17 each request timeout is scheduled on the actor clock's thread
/// and cancelled again, waking it twice per request: the cached price served
/// 25-45% more requests/s without it (docs/PERFORMANCE.md).
inline constexpr auto l1_wait = caf::infinite;

/// Request metrics shared with the responders, which may run on any thread.
struct request_log {
  std::mutex mutex;
  api::request_metrics metrics;
};

struct gateway_state {
  topology topo;
  boost::asio::io_context* ioc = nullptr;
  std::shared_ptr<api::http_server> server;
  caf::actor cache;
  caf::actor storage; ///< the storage writer, when [storage] is enabled
  // -- read path --
  caf::actor redis; ///< the Redis reader, when [redis] is enabled (gateway_data.cpp)
  std::vector<caf::actor> validators;
  provider_handles providers;
  std::vector<std::unique_ptr<rest_adapter>> catalog; ///< static provider facts
  std::chrono::nanoseconds fetch_timeout{std::chrono::seconds{15}};
  int64_t started_ns = now_ns();
  stage_stats stats{"gateway"};
  std::shared_ptr<spdlog::logger> log = logger("gateway");
  static inline const char* name = "gateway";

  // -- access and ops --
  api::api_key_set keys;          ///< [auth] keys-file (hashes only)
  std::string admin_token;        ///< from [auth] admin-token-env; never logged
  std::string start_error;        ///< why the gateway cannot start (bad key file)
  api::client_limiter limiter;    ///< [limits], per client
  uint64_t rate_limited = 0;      ///< requests answered 429 by the limiter
  std::shared_ptr<request_log> requests = std::make_shared<request_log>();
  stage_handles stages;           ///< from the supervisor: what /status reports
  /// Webhooks: the secret of each provider that has one (never logged), the
  /// verifier (replay memory) and the stream parsers of binance/polygon.
  std::map<std::string, std::string> webhook_secrets;
  std::optional<api::webhook_verifier> webhooks;
  std::map<std::string, std::unique_ptr<stream_protocol>> webhook_parsers;
  std::map<std::pair<std::string, std::string>, uint64_t> webhook_results; ///< (provider, result)
  std::map<std::string, uint64_t> webhook_events; ///< events accepted, by provider
  log_throttle webhook_log;       ///< bad webhook bodies are logged rate-limited
  uint64_t prefetch_queued = 0;
  uint64_t prefetch_done = 0;
  uint64_t prefetch_failed = 0;

  // -- jobs --
  caf::actor jobs; ///< the jobs actor (GET /api/v1/jobs, async fetches)
  // -- scheduler --
  /// The rate-limit scheduler every provider fetch goes through (from the
  /// supervisor: (scheduler_atom, actor)); null: providers are asked directly.
  caf::actor scheduler;
  /// Fundamentals and news answers, [reference] TTLs (gateway_reference.cpp).
  reference::reference_cache reference_answers;

  ~gateway_state();

  /// True if `provider` is in [providers] enabled.
  bool enabled(const std::string& provider) const;

  /// The live REST provider actors to ask, in config order; only `only`
  /// when it is set.
  std::vector<std::pair<std::string, caf::actor>> rest_chain(const std::string& only) const;
};

using gateway_ptr = caf::stateful_actor<gateway_state>*;

// -- responses ------------------------------------------------------------------

/// A JSON response.
api::http_response json(unsigned status, std::string body);

/// The one error shape: {"error":{"code":..,"message":..,"field":..}}.
api::http_response fail(unsigned status, std::string code, std::string message,
                        std::string field = {});

/// The reply for a lookup that found nothing.
api::http_response not_found(lookup_status status, const std::string& instrument);

// -- routes -----------------------------------------------------------------------

/// Who may call a route.
enum class route_access : uint8_t {
  open,  ///< anyone who reaches the port (health, metrics, dashboard)
  api,   ///< API clients (a key when [auth] keys are configured)
  admin, ///< only with the admin token; off without one
};

using route_handler = std::function<void(gateway_ptr, const http_call&)>;

struct route {
  std::string method;  ///< "GET" (HEAD is served by GET routes) or "POST"
  std::string pattern; ///< "/api/v1/data/price", "/api/v1/jobs/{id}"
  route_handler handle;
  route_access access = route_access::api;
};

std::vector<route> data_routes();    ///< gateway_data.cpp
std::vector<route> report_routes();  ///< gateway_reports.cpp
std::vector<route> cache_routes();   ///< gateway_cache.cpp
std::vector<route> ops_routes();     ///< gateway_ops.cpp
std::vector<route> batch_routes();   ///< gateway_batch.cpp: batch, prefetch
std::vector<route> webhook_routes(); ///< gateway_webhooks.cpp
std::vector<route> dashboard_routes(); ///< gateway_dashboard.cpp: /, /dashboard/*
std::vector<route> jobs_routes();      ///< gateway_jobs.cpp: /api/v1/jobs*, fetch/async
std::vector<route> technical_routes(); ///< gateway_technical.cpp: /api/v1/technical/{symbol}
std::vector<route> reference_routes(); ///< gateway_reference.cpp: fundamentals, news

// -- access and ops --

/// Every route of every area, in dispatch order (the OpenAPI document lists
/// exactly these; tests/gateway checks it).
const std::vector<route>& all_gateway_routes();

/// Loads what [auth] and [webhooks] point at (the key file, the admin token
/// and the webhook secrets from the environment); sets start_error when the
/// key file cannot be read or parsed. gateway_ops.cpp.
void load_access(gateway_ptr self);

// -- fetching from providers (gateway_fetch.cpp) ----------------------------------

/// How a fetch from the providers ended.
struct chain_outcome {
  bool ok = false;
  fetch_reply reply; ///< ok: what the serving provider returned (reply.provider)
  /// Providers tried before the one that served, with why they did not,
  /// as "<provider>: <reason>" ("binance: provider_error: HTTP 500",
  /// "binance: unavailable: circuit open", "binance: stale (...)"): say so
  /// when the first choice did not serve.
  std::vector<std::string> passed;
  api::http_response error; ///< !ok: the response to send
};

using fetch_done = std::function<void(chain_outcome)>;

/// Fetches `req` from the providers: only `only` when it is set, else down
/// the chain; calls done exactly once.
void fetch_from_providers(gateway_ptr self, fetch_request req, std::string only,
                          priority prio, fetch_done done);

/// True if some REST provider could be asked for `instrument` at all.
bool can_fetch(gateway_ptr self, const std::string& instrument);

// -- the read path (gateway_data.cpp) ---------------------------------------------

/// Bars read down the read path: which step answered ("l1", "redis",
/// "postgres", a provider, "postgres+<provider>") and the bars, oldest
/// first, one per open time, at most the query's limit.
using bars_delivery = std::function<void(const std::string& source, std::vector<bar> bars)>;

/// Reads the bars of `q` as /ohlcv does (L1, Redis, Postgres, then the
/// providers; fills the L1) and hands them to `deliver`; what fails (unknown
/// instrument, providers failing) is answered through `fail_reply` in the
/// one error shape. Used by gateway_technical.cpp.
void read_bars(gateway_ptr self, api::ohlcv_query q, priority prio,
               api::responder fail_reply, bars_delivery deliver);

} // namespace tickflow
