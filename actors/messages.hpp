#pragma once

// The one place where the canonical model meets CAF: atoms, inspect()
// overloads (CAF 0.17 signature) and the message types between actors.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "api/http_types.hpp"
#include "api/ws_server.hpp"
#include "adapters/common/rest_adapter.hpp"
#include "adapters/streams/stream_health.hpp"
#include "pipeline/model/events.hpp"
#include "pipeline/topology/topology.hpp"
#include "pipeline/schedule/priority.hpp"
#include "pipeline/validate/alert_limiter.hpp"
#include "pipeline/validate/quality_report.hpp"
#include "pipeline/validate/quarantine.hpp"

namespace tickflow {

// -- atoms (CAF 0.17: at most 10 characters) ------------------------------------

using tick_atom = caf::atom_constant<caf::atom("tick")>;
using ack_atom = caf::atom_constant<caf::atom("ack")>;
using start_atom = caf::atom_constant<caf::atom("start")>;
using stats_atom = caf::atom_constant<caf::atom("stats")>;
using get_price_atom = caf::atom_constant<caf::atom("getprice")>;
using get_bars_atom = caf::atom_constant<caf::atom("getbars")>;
using ready_atom = caf::atom_constant<caf::atom("ready")>;
using restart_atom = caf::atom_constant<caf::atom("restart")>;
using providers_atom = caf::atom_constant<caf::atom("providers")>;
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;
using ws_open_atom = caf::atom_constant<caf::atom("wsopen")>;
using ws_text_atom = caf::atom_constant<caf::atom("wstext")>;
using ws_close_atom = caf::atom_constant<caf::atom("wsclose")>;
using fetch_atom = caf::atom_constant<caf::atom("fetch")>;
using health_atom = caf::atom_constant<caf::atom("health")>;
using quality_atom = caf::atom_constant<caf::atom("quality")>;
using cache_stats_atom = caf::atom_constant<caf::atom("cachestats")>;
using quarantine_atom = caf::atom_constant<caf::atom("quarantin")>;
using writer_atom = caf::atom_constant<caf::atom("writer")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using retry_atom = caf::atom_constant<caf::atom("retry")>;
using reload_atom = caf::atom_constant<caf::atom("reload")>;
/// A drain marker: a stage answers it once everything it received before
/// has passed it and every stage after it (writers: flushed).
using drain_atom = caf::atom_constant<caf::atom("drain")>;
using fill_atom = caf::atom_constant<caf::atom("fill")>;
using clear_atom = caf::atom_constant<caf::atom("clear")>;
using redis_atom = caf::atom_constant<caf::atom("redis")>;
using capture_atom = caf::atom_constant<caf::atom("capture")>;
using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
using unsubscribe_atom = caf::atom_constant<caf::atom("unsubscr")>;

// -- inspect() for the canonical model ------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, decimal& x) {
  return f(caf::meta::type_name("decimal"), x.mantissa, x.scale);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trade& x) {
  return f(caf::meta::type_name("trade"), x.instrument, x.provider_symbol,
           x.source, x.price, x.size, x.aggressor, x.trade_id, x.ts_event_ns,
           x.ts_recv_ns, x.flags);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, quote& x) {
  return f(caf::meta::type_name("quote"), x.instrument, x.provider_symbol,
           x.source, x.bid_price, x.bid_size, x.ask_price, x.ask_size,
           x.ts_event_ns, x.ts_recv_ns, x.flags);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bar& x) {
  return f(caf::meta::type_name("bar"), x.instrument, x.provider_symbol,
           x.source, x.span, x.open_time_ns, x.open, x.high, x.low, x.close,
           x.volume, x.trade_count, x.closed, x.ts_recv_ns, x.flags);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, price& x) {
  return f(caf::meta::type_name("price"), x.instrument, x.source, x.value,
           x.trade_id, x.ts_event_ns, x.ts_recv_ns, x.flags);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, feed_status& x) {
  return f(caf::meta::type_name("feed_status"), x.source, x.connection, x.state,
           x.gap_start_ns, x.gap_end_ns, x.reason, x.ts_ns);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, event_batch& x) {
  return f(caf::meta::type_name("event_batch"), x.trades, x.quotes, x.bars,
           x.statuses);
}

// -- actor-level messages -----------------------------------------------------------

/// Counters every pipeline stage reports on stats_atom.
struct stage_stats {
  std::string name;
  uint64_t batches_in = 0;
  uint64_t events_in = 0;
  uint64_t events_out = 0;
  uint64_t rejected = 0;  ///< bad data, counted by reason in the logs
  uint64_t dropped = 0;   ///< overflow policy "drop"
  uint64_t held = 0;      ///< upstream acks held back right now (backpressure)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stage_stats& x) {
  return f(caf::meta::type_name("stage_stats"), x.name, x.batches_in,
           x.events_in, x.events_out, x.rejected, x.dropped, x.held);
}

/// Counters of a cache or storage writer, answered to (stats_atom, writer_atom).
/// Batches count what reached the writer after filtering (the storage writer
/// keeps closed bars and trades only).
struct writer_stats {
  std::string name;
  uint64_t batches_in = 0;  ///< event batches received
  uint64_t events_in = 0;   ///< events in them
  uint64_t written = 0;     ///< batches written to the server (live path)
  uint64_t journaled = 0;   ///< batches appended to the journal
  uint64_t replayed = 0;    ///< journaled batches written after an outage/restart
  uint64_t dropped = 0;     ///< batches lost to the journal's bound policy
  uint64_t failures = 0;    ///< failed writes / connects
  uint64_t pending = 0;     ///< journaled batches not yet in the server
  uint64_t acked_seq = 0;   ///< journal: every sequence <= this is in the server
  uint64_t next_seq = 0;    ///< journal: the sequence of the next append
  bool connected = false;   ///< the server answered the last call
  std::string last_error;   ///< the last failure (never a password)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, writer_stats& x) {
  return f(caf::meta::type_name("writer_stats"), x.name, x.batches_in,
           x.events_in, x.written, x.journaled, x.replayed, x.dropped,
           x.failures, x.pending, x.acked_seq, x.next_seq, x.connected,
           x.last_error);
}

/// Bound ports of the network-facing actors, answered to start_atom.
struct listen_ports {
  uint16_t rest = 0;
  uint16_t ws = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, listen_ports& x) {
  return f(caf::meta::type_name("listen_ports"), x.rest, x.ws);
}

/// What a lookup found.
enum class lookup_status : uint8_t {
  ok,       ///< found
  unknown,  ///< instrument is not known to tickflow
  no_data,  ///< known, but nothing has arrived yet
};

/// Reply to get_price_atom.
struct price_reply {
  lookup_status status = lookup_status::unknown;
  price value;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, price_reply& x) {
  return f(caf::meta::type_name("price_reply"), x.status, x.value);
}

/// Counters of the in-process cache (L1), for GET /api/v1/cache/stats.
struct cache_stats {
  uint64_t price_hits = 0;
  uint64_t price_misses = 0;
  uint64_t bars_hits = 0;       ///< complete answers
  uint64_t bars_misses = 0;     ///< nothing, or not known to be complete
  uint64_t instruments = 0;     ///< known now
  uint64_t series = 0;          ///< (instrument, interval) bar series held
  uint64_t bars = 0;            ///< bars held
  uint64_t bars_evicted = 0;    ///< pushed out of a full series
  uint64_t instruments_refused = 0; ///< new instruments refused: cache full
  uint64_t entries = 0;         ///< L1 entries (prices + series)
  uint64_t bytes = 0;           ///< L1 bytes (estimated)
  uint64_t max_entries = 0;
  uint64_t max_bytes = 0;
  uint64_t evicted_capacity = 0; ///< entries pushed out by max-entries
  uint64_t evicted_bytes = 0;    ///< entries pushed out by max-bytes
  uint64_t expired = 0;          ///< entries dropped past their TTL
  uint64_t cleared = 0;          ///< entries removed by a cache clear
  uint64_t fills = 0;            ///< read-through fills received
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cache_stats& x) {
  return f(caf::meta::type_name("cache_stats"), x.price_hits, x.price_misses,
           x.bars_hits, x.bars_misses, x.instruments, x.series, x.bars,
           x.bars_evicted, x.instruments_refused, x.entries, x.bytes,
           x.max_entries, x.max_bytes, x.evicted_capacity, x.evicted_bytes,
           x.expired, x.cleared, x.fills);
}

/// A read-through fill of the L1, sent as (fill_atom, bars_fill): `bars` are
/// every bar of the series with open times in [from_ns, to_ns] (from_ns
/// INT64_MIN: none before), up to now when `open_ended` (an answer for the
/// newest bars).
struct bars_fill {
  std::string instrument;
  interval span = interval::m1;
  std::vector<bar> bars;
  int64_t from_ns = 0;
  int64_t to_ns = 0;
  bool open_ended = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bars_fill& x) {
  return f(caf::meta::type_name("bars_fill"), x.instrument, x.span, x.bars,
           x.from_ns, x.to_ns, x.open_ended);
}

/// Argument of get_bars_atom: the newest `limit` bars in [start, end].
struct bars_query {
  std::string instrument;
  interval span = interval::m1;
  size_t limit = 100;
  int64_t start_ns = 0; ///< 0: unbounded
  int64_t end_ns = 0;   ///< 0: unbounded
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bars_query& x) {
  return f(caf::meta::type_name("bars_query"), x.instrument, x.span, x.limit,
           x.start_ns, x.end_ns);
}

/// Reply to get_bars_atom, oldest bar first.
struct bars_reply {
  lookup_status status = lookup_status::unknown;
  std::vector<bar> bars;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bars_reply& x) {
  return f(caf::meta::type_name("bars_reply"), x.status, x.bars);
}

/// Reply of a provider actor to (fetch_atom, fetch_request).
struct fetch_reply {
  std::string provider; ///< who answered ("binance")
  bool ok = false;
  fetch_result data;    ///< when ok
  fetch_error failure;  ///< when not ok
  int64_t latency_ns = 0;
  long http_status = 0;      ///< status of the upstream answer (0: none came)
  int64_t used_weight = -1;  ///< X-MBX-USED-WEIGHT-1M when the provider sent it
};

/// Health of one provider, for /api/v1/data/providers.
struct provider_health {
  std::string provider;
  bool key_configured = false;
  uint64_t requests = 0;
  uint64_t successes = 0;
  uint64_t failures = 0;
  int64_t last_success_ns = 0;
  int64_t last_error_ns = 0;
  std::string last_error;     ///< "rate_limited: ..." (never a secret)
  int64_t last_latency_ns = 0;
};

/// The live provider actors, in [providers] enabled order; the supervisor
/// sends it to the gateway at start and after every restart.
struct provider_handles {
  std::vector<std::string> names;
  std::vector<caf::actor> actors;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, provider_handles& x) {
  return f(caf::meta::type_name("provider_handles"), x.names, x.actors);
}

/// The pipeline stages the gateway reports on (/status, /metrics, /ready)
/// and feeds (webhooks); the supervisor sends it once it built them.
struct stage_handles {
  caf::actor intake; ///< the sharder: where events enter the pipeline
  std::vector<std::string> names; ///< a name per actor, same order
  std::vector<caf::actor> actors; ///< every stage but the providers and the gateway
  caf::actor cache_writer;        ///< null unless [redis] is enabled
  caf::actor storage_writer;      ///< null unless [storage] is enabled
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stage_handles& x) {
  return f(caf::meta::type_name("stage_handles"), x.intake, x.names,
           x.actors, x.cache_writer, x.storage_writer);
}

/// A validator's rolling quality, answered to (quality_atom, instrument):
/// `subject` is the instrument's report (overall when instrument is "").
struct validator_quality {
  quality_report subject;
  std::vector<std::pair<std::string, quality_report>> providers;
  std::vector<std::string> stale; ///< instruments silent beyond their cadence
  uint64_t instruments = 0;       ///< instruments with state in this validator
  uint64_t evicted = 0;           ///< instruments forgotten ([validator] max-instruments)
};

/// A validator's recent quarantine, answered to
/// (quarantine_atom, std::string instrument, uint64_t limit).
struct quarantine_page {
  std::vector<quarantined_event> events; ///< newest first
  quarantine::counters totals;
};

/// One REST request with the means to answer it (local only: holds a callback).
struct http_call {
  api::http_request request;
  api::responder reply;
  /// Values of the route pattern's {name} segments ("/api/v1/jobs/{id}").
  std::vector<std::pair<std::string, std::string>> path_params;
  /// Priority of the upstream calls it may cause: consumers are urgent;
  /// the jobs actor's internal calls are low (refresh) or batch (backfill).
  priority prio = priority::urgent;

  /// The value of path segment {name}, or "".
  std::string path_param(const std::string& name) const {
    for (auto& [k, v] : path_params)
      if (k == name)
        return v;
    return {};
  }
};

/// A WebSocket client that just connected (local only: holds a weak handle).
struct ws_opened {
  uint64_t id = 0;
  api::ws_client client;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, asset_profile& x) {
  return f(caf::meta::type_name("asset_profile"), x.instrument,
           x.provider_symbol, x.source, x.name, x.asset_type, x.description,
           x.exchange, x.currency, x.country, x.sector, x.industry, x.homepage,
           x.logo, x.ipo_date, x.market_cap, x.shares_outstanding, x.pe_ratio,
           x.eps, x.dividend_yield, x.beta, x.week52_high, x.week52_low,
           x.ts_recv_ns);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, news_item& x) {
  return f(caf::meta::type_name("news_item"), x.id, x.title, x.url, x.summary,
           x.publisher, x.image, x.instruments, x.source, x.published_ns,
           x.ts_recv_ns);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fetch_request& x) {
  return f(caf::meta::type_name("fetch_request"), x.kind, x.instrument, x.span,
           x.start_ns, x.end_ns, x.limit, x.aggregated, x.query);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fetch_result& x) {
  return f(caf::meta::type_name("fetch_result"), x.prices, x.bars, x.quotes,
           x.trades, x.profiles, x.news);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fetch_error& x) {
  return f(caf::meta::type_name("fetch_error"), x.code, x.message,
           x.retry_after_ns);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fetch_reply& x) {
  return f(caf::meta::type_name("fetch_reply"), x.provider, x.ok, x.data,
           x.failure, x.latency_ns, x.http_status, x.used_weight);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fetch_batch& x) {
  return f(caf::meta::type_name("fetch_batch"), x.kind, x.instruments);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, provider_health& x) {
  return f(caf::meta::type_name("provider_health"), x.provider,
           x.key_configured, x.requests, x.successes, x.failures,
           x.last_success_ns, x.last_error_ns, x.last_error, x.last_latency_ns);
}

/// stream_health (adapters/streams/stream_health.hpp): answered to health_atom.

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stream_health& x) {
  return f(caf::meta::type_name("stream_health"), x.provider, x.connection,
           x.state, x.subscriptions, x.frames, x.events, x.malformed, x.binary,
           x.oversize, x.duplicates, x.gaps, x.backfill_requests, x.backfilled,
           x.backfill_failures, x.reconnects, x.dropped, x.sent,
           x.connected_since_ns, x.last_message_ns, x.last_error);
}

} // namespace tickflow

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::http_call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::ws_opened)
// Local-only reports of the validators (not meant for the wire).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::validator_quality)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::quarantine_page)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<tickflow::quarantined_event>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::alert)
// A reloaded configuration, handed from main to the supervisor and on (local only).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::topology)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::jobs_settings)
