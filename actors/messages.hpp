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
#include "pipeline/model/reports.hpp"
#include "pipeline/model/events.hpp"
#include "pipeline/model/trading_calendar.hpp"
#include "pipeline/model/reports.hpp"
#include "pipeline/model/tick_lookups.hpp"
#include "pipeline/topology/topology.hpp"
#include "pipeline/ratelimit/priority.hpp"
#include "pipeline/reference/reference_list.hpp"
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
using get_quote_atom = caf::atom_constant<caf::atom("getquote")>;
using get_trades_atom = caf::atom_constant<caf::atom("gettrades")>;
using ready_atom = caf::atom_constant<caf::atom("ready")>;
using restart_atom = caf::atom_constant<caf::atom("restart")>;
using providers_atom = caf::atom_constant<caf::atom("providers")>;
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;
using ws_open_atom = caf::atom_constant<caf::atom("wsopen")>;
using ws_text_atom = caf::atom_constant<caf::atom("wstext")>;
using ws_close_atom = caf::atom_constant<caf::atom("wsclose")>;
using fetch_atom = caf::atom_constant<caf::atom("fetch")>;
/// A provider's published market holidays (actors/gateway_calendar.cpp).
using holidays_atom = caf::atom_constant<caf::atom("holidays")>;
/// A page of a provider's reference list (actors/gateway_instruments.cpp).
using reflist_atom = caf::atom_constant<caf::atom("reflist")>;
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
/// A stream shard lost entries before this node read them (Redis Streams).
using gap_atom = caf::atom_constant<caf::atom("gap")>;
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
// (the plain counters and replies are pipeline/model/reports.hpp)

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stage_stats& x) {
  return f(caf::meta::type_name("stage_stats"), x.name, x.batches_in,
           x.events_in, x.events_out, x.rejected, x.dropped, x.held);
}

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

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, price_reply& x) {
  return f(caf::meta::type_name("price_reply"), x.status, x.value);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cache_stats& x) {
  return f(caf::meta::type_name("cache_stats"), x.price_hits, x.price_misses,
           x.bars_hits, x.bars_misses, x.instruments, x.series, x.bars,
           x.bars_evicted, x.instruments_refused, x.entries, x.bytes,
           x.max_entries, x.max_bytes, x.evicted_capacity, x.evicted_bytes,
           x.expired, x.cleared, x.fills);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bars_fill& x) {
  return f(caf::meta::type_name("bars_fill"), x.instrument, x.span, x.bars,
           x.from_ns, x.to_ns, x.open_ended);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bars_query& x) {
  return f(caf::meta::type_name("bars_query"), x.instrument, x.span, x.limit,
           x.start_ns, x.end_ns);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bars_reply& x) {
  return f(caf::meta::type_name("bars_reply"), x.status, x.bars);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, quote_reply& x) {
  return f(caf::meta::type_name("quote_reply"), x.status, x.value);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trades_query& x) {
  return f(caf::meta::type_name("trades_query"), x.instrument, x.start_ns,
           x.end_ns, x.limit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trades_reply& x) {
  return f(caf::meta::type_name("trades_reply"), x.status, x.trades,
           x.complete);
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

/// The live provider actors, in [providers] enabled order; the supervisor
/// sends it to the gateway at start and after every restart.
struct provider_handles {
  std::vector<std::string> names;
  /// REST providers and the simulator: they differ in interface, receivers
  /// tell them apart by name (docs/ARCHITECTURE.md, "Typed interfaces").
  std::vector<caf::actor> actors; // untyped: mixed provider kinds
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, provider_handles& x) {
  return f(caf::meta::type_name("provider_handles"), x.names, x.actors);
}

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
typename Inspector::result_type inspect(Inspector& f, corporate_action& x) {
  return f(caf::meta::type_name("corporate_action"), x.instrument, x.source,
           x.kind, x.ex_date_ns, x.split_to, x.split_from, x.amount,
           x.currency, x.pay_date_ns, x.ts_recv_ns);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trading_session& x) {
  return f(caf::meta::type_name("trading_session"), x.open_ns, x.close_ns);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_exception& x) {
  return f(caf::meta::type_name("session_exception"), x.day, x.session);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fetch_request& x) {
  return f(caf::meta::type_name("fetch_request"), x.kind, x.instrument, x.span,
           x.start_ns, x.end_ns, x.limit, x.aggregated, x.query, x.adjusted, x.page);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fetch_result& x) {
  return f(caf::meta::type_name("fetch_result"), x.prices, x.bars, x.quotes,
           x.trades, x.profiles, x.news, x.actions, x.next_page);
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
// A page of a provider's reference list, from its REST actor to the gateway (local only).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tickflow::reference_page)
