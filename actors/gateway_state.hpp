#pragma once

// The gateway actor's state, split by area, and its route table. The routes
// only dispatch, ask other actors and hand the answers to the pure code of
// api/routes/<area> (query parsing and JSON rendering):
//   gateway_actor.cpp     dispatch: matching, methods, access, metrics
//   gateway_fetch.cpp     fetching from providers (scheduler, failover)
//   gateway_data.cpp      price, ohlcv, historical, technical (the read
//                         path), batch, prefetch
//   gateway_reports.cpp   providers, quality, quarantine, stats, cache
//   gateway_ops.cpp       health, ready, info, status, metrics, reload,
//                         dashboard; what [auth] loads at start
//   gateway_jobs.cpp      jobs, async fetches
//   gateway_reference.cpp fundamentals, news
//   gateway_instruments.cpp the instruments search
//   gateway_ticks.cpp     quote, trades (cache, Postgres, providers)
//   gateway_webhooks.cpp  /webhooks/{binance,polygon,test}

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/gateway_actor.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/scheduler_actor.hpp"
#include "adapters/common/rest_adapter.hpp"
#include "adapters/streams/stream_protocol.hpp"
#include "api/http_server.hpp"
#include "api/metrics.hpp"
#include "api/routes/access.hpp"
#include "api/routes/batch.hpp"
#include "api/routes/common.hpp"
#include "api/routes/data.hpp"
#include "api/routes/instruments.hpp"
#include "api/routes/webhooks.hpp"
#include "pipeline/normalize/market_calendars.hpp"
#include "pipeline/normalize/symbol_resolver.hpp"
#include "pipeline/reference/reference_cache.hpp"
#include "pipeline/reference/reference_list.hpp"
#include "pipeline/ratelimit/priority.hpp"
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

/// The read path: who answers data questions and how to reach them.
struct gateway_reads {
  cache_actor cache;
  redis_reader_actor redis;     ///< the Redis reader, when [redis] is enabled
  storage_writer_actor storage; ///< the storage writer, when [storage] is enabled
  /// The rate-limit scheduler every provider fetch goes through (from the
  /// supervisor: (scheduler_atom, actor)); null: providers are asked directly.
  scheduler_actor scheduler;
  std::vector<validator_actor> validators; ///< quality and quarantine
  books_actor books; ///< order books (from the supervisor: (books_atom, actor))
  provider_handles providers;         ///< the live provider actors
  std::vector<std::unique_ptr<rest_adapter>> catalog; ///< static provider facts
  std::chrono::nanoseconds fetch_timeout{std::chrono::seconds{15}};
  api::prefetch_counters prefetch;
};

/// Access and operations: who may call, what is counted, what is reported.
struct gateway_ops {
  api::access_guard access;
  std::string start_error; ///< why the gateway cannot start (bad key file)
  std::shared_ptr<request_log> requests = std::make_shared<request_log>();
  stage_handles stages; ///< from the supervisor: what /status reports
  jobs_actor jobs;      ///< the jobs actor (GET /api/v1/jobs, async fetches)
  int64_t started_ns = now_ns();
};

/// Webhooks: the gate (secrets, verifier, counters) and the stream parsers
/// of the providers that push.
struct gateway_webhooks {
  api::webhook_gate gate;
  std::map<std::string, std::unique_ptr<stream_protocol>> parsers;
  log_throttle log; ///< bad webhook bodies are logged rate-limited
};

/// One provider's reference list while it is paged (gateway_instruments.cpp).
struct reflist_fetch {
  rest_provider_actor actor;
  std::vector<reference_instrument> rows; ///< the pages so far
  std::string page;                       ///< the page asked next ("" first)
  size_t pages = 0;                       ///< pages answered
  uint64_t overflow = 0;                  ///< rows beyond the bound, dropped
};

/// The providers' reference lists the instruments search reads
/// ([instruments]; gateway_instruments.cpp).
struct gateway_reflists {
  reference_lists lists;
  std::map<std::string, reflist_fetch> paging; ///< lists being fetched, by provider
  bool started = false;  ///< the periodic refresh runs
  uint64_t refreshed = 0; ///< lists replaced by a complete new one
  uint64_t failures = 0;  ///< lists that failed (the previous one kept)
  /// Bumped whenever the lists or the config change: the catalog below is
  /// rebuilt then (with 100k rows it takes tens of ms; a search a few).
  uint64_t version = 1;
  uint64_t catalog_version = 0; ///< the version `catalog` was built at
  std::vector<std::string> catalog_seen; ///< the seen ids it was built with
  std::vector<api::instrument_info> catalog;
};

struct gateway_state {
  topology topo;
  boost::asio::io_context* ioc = nullptr;
  std::shared_ptr<api::http_server> server;
  gateway_reads reads;
  gateway_ops ops;
  gateway_webhooks hooks;
  /// Resolves every symbol= to its canonical id: shapes, [failover]
  /// default-quotes and overrides, and the configured instruments.
  symbol_resolver symbols;
  /// Bar intervals the pipeline builds live: what ohlcv resamples from.
  std::vector<interval> live_spans;
  /// Trading calendars per asset class, with the providers' holidays
  /// (gateway_calendar.cpp).
  market_calendars calendars;
  bool holidays_started = false; ///< the periodic refresh runs
  /// The providers' reference lists for GET /api/v1/instruments.
  gateway_reflists reflists;
  /// Fundamentals and news answers, [reference] TTLs (gateway_reference.cpp).
  reference::reference_cache reference_answers;
  stage_stats stats{"gateway"};
  std::shared_ptr<spdlog::logger> log = logger("gateway");
  static inline const char* name = "gateway";

  ~gateway_state();

  /// True if `provider` is in [providers] enabled.
  bool enabled(const std::string& provider) const;

  /// The live REST provider actors to ask, in config order; only `only`
  /// when it is set.
  std::vector<std::pair<std::string, rest_provider_actor>>
  rest_chain(const std::string& only) const;
};

using gateway_ptr = gateway_actor::stateful_pointer<gateway_state>;

// -- routes -----------------------------------------------------------------------

/// Who may call a route: open (health, metrics, dashboard), api (API
/// clients: a key when [auth] keys are configured), admin (the admin token).
using route_access = api::access_level;

using route_handler = std::function<void(gateway_ptr, const http_call&)>;

struct route {
  std::string method;  ///< "GET" (HEAD is served by GET routes) or "POST"
  std::string pattern; ///< "/api/v1/data/price", "/api/v1/jobs/{id}"
  route_handler handle;
  route_access access = route_access::api;
};

std::vector<route> data_routes();      ///< gateway_data.cpp: price, ohlcv, ...
std::vector<route> batch_routes();     ///< gateway_data.cpp: batch, prefetch
std::vector<route> technical_routes(); ///< gateway_data.cpp: technical
std::vector<route> report_routes();    ///< gateway_reports.cpp
std::vector<route> cache_routes();     ///< gateway_reports.cpp: cache
std::vector<route> ops_routes();       ///< gateway_ops.cpp
std::vector<route> dashboard_routes(); ///< gateway_ops.cpp: /, /dashboard/*
std::vector<route> webhook_routes();   ///< gateway_webhooks.cpp
std::vector<route> jobs_routes();      ///< gateway_jobs.cpp
std::vector<route> reference_routes(); ///< gateway_reference.cpp
std::vector<route> instruments_routes(); ///< gateway_instruments.cpp
std::vector<route> ticks_routes();     ///< gateway_ticks.cpp: quote, trades
std::vector<route> corporate_actions_routes(); ///< gateway_corporate_actions.cpp
std::vector<route> book_routes();      ///< gateway_book.cpp: order books

/// Every route of every area, in dispatch order (the OpenAPI document lists
/// exactly these; tests/gateway checks it).
const std::vector<route>& all_gateway_routes();

/// Answers `call` with the error of `r` and returns nullptr, or returns
/// the parsed value.
template <class T>
T* parsed(api::api_result<T>& r, const http_call& call) {
  if (auto* e = std::get_if<api::api_error>(&r)) {
    call.reply(api::error_response(*e));
    return nullptr;
  }
  return &std::get<T>(r);
}

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

/// The enabled REST providers whose adapters serve `kind`, in config order.
std::vector<std::string> serving_providers(const gateway_state& st, fetch_kind kind);

/// The trading calendar of `instrument`: its asset class's, when a REST
/// provider that would be asked for its bars serves that class; else null
/// (always open: a closure is assumed only where a provider knows the
/// market). gateway_calendar.cpp.
std::shared_ptr<const trading_calendar> calendar_of(const gateway_state& st,
                                                    const std::string& instrument);

/// Starts the periodic refresh of the providers' market holidays (once;
/// the provider actors must be known).
void start_holiday_refresh(gateway_ptr self);

/// Asks every REST provider that publishes holidays for them and applies
/// the answers to `calendars`; then asks again after holiday_refresh.
void refresh_holidays(gateway_ptr self);

/// Starts the periodic refresh of the providers' reference lists (once;
/// the provider actors must be known; nothing when [instruments]
/// reference-lists is false). gateway_instruments.cpp.
void start_reference_refresh(gateway_ptr self);

/// Asks every enabled REST provider that publishes a reference list for it
/// (one not still being paged) and forgets the lists of providers no longer
/// enabled; then asks again after [instruments] refresh.
void refresh_reference_lists(gateway_ptr self);

/// Asks the next page of `provider`'s reference list.
void next_reference_page(gateway_ptr self, const std::string& provider);

} // namespace tickflow
