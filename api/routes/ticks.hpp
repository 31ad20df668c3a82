#pragma once

// The routes of what the pipeline already ingests, tick by tick:
//   GET /api/v1/data/quote?symbol=&provider=&max_age=
//       the newest best bid/ask (the cache), else a provider that serves quotes
//   GET /api/v1/data/trades?symbol=&start=&end=&limit=&provider=
//       recent trades from memory (the cache's per-instrument ring), older
//       ones from PostgreSQL where stored, then a provider that serves trades
// The queries, the decisions between those steps and the bodies; no CAF, no
// clock (the actors wire it: actors/gateway_ticks.cpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_error.hpp"
#include "api/http_types.hpp"
#include "api/routes/data.hpp"
#include "pipeline/model/events.hpp"
#include "pipeline/model/tick_lookups.hpp"
#include "pipeline/normalize/symbol_resolver.hpp"

namespace tickflow::api {

// -- queries --------------------------------------------------------------------

/// GET /api/v1/data/quote?symbol=BTC-USDT
struct quote_query {
  std::string instrument; ///< canonical (symbol= resolved)
  std::string requested;  ///< symbol= as written (trimmed)
  std::string provider;   ///< provider=: ask that provider alone; "" when absent
  /// max_age= (api/routes/freshness): an older quote goes on to the providers.
  std::optional<int64_t> max_age_ns;
};

/// GET /api/v1/data/trades?symbol=&start=&end=&limit=
struct trades_request {
  std::string instrument;
  std::string requested;
  std::string provider;
  int64_t start_ns = 0; ///< 0: unbounded
  int64_t end_ns = 0;   ///< 0: unbounded (inclusive otherwise)
  size_t limit = 100;   ///< 1..1000: the newest `limit` trades of the range
};

/// symbol=, provider= and max_age= as the price route reads them (400
/// missing or invalid "symbol", ambiguous_symbol, invalid "provider" or
/// "max_age").
api_result<quote_query> parse_quote_query(const http_request& req,
                                          const symbol_resolver& symbols = shape_resolver());

/// As the quote query, plus start=/end= (query_reader::range: 400 "start",
/// "end") and limit= (an integer in 1..1000, 400 "limit").
api_result<trades_request> parse_trades_query(const http_request& req,
                                              const symbol_resolver& symbols = shape_resolver());

/// The lookup of a trades request (what the cache and Postgres are asked).
trades_query lookup_of(const trades_request& r);

// -- the trades read path -----------------------------------------------------------

/// What to do after a step of the trades read path.
enum class trades_step : uint8_t {
  answer,        ///< answer with what was found (possibly no trades)
  ask_storage,   ///< ask PostgreSQL for the older trades
  ask_provider,  ///< ask the providers that serve trades
  unknown,       ///< 404 unknown_symbol: no step knows the instrument
};

/// After the memory step: complete -> answer; else Postgres when stored;
/// else a provider when nothing was found and one serves trades; else the
/// answer (an instrument the cache does not know, with nothing found and
/// no one to ask, is unknown).
trades_step after_memory(const trades_reply& memory, bool storage, bool fetchable);

/// After the Postgres step (`found`: trades of memory and Postgres merged):
/// a provider when nothing was found and one serves trades, else the answer
/// (unknown when nothing knows the instrument).
trades_step after_storage(size_t found, lookup_status memory, bool fetchable);

/// Trades of both lists in [start_ns, end_ns] (0: unbounded), each once
/// (same provider and trade id; without an id, same time, price and size),
/// oldest first, the newest `limit` kept.
std::vector<trade> merge_trades(std::vector<trade> a, const std::vector<trade>& b,
                                int64_t start_ns, int64_t end_ns, size_t limit);

// -- bodies ---------------------------------------------------------------------

/// Body of GET /api/v1/data/quote: the quote object (event_json: bid/ask
/// prices and sizes, ts, source) plus provenance (freshness from the quote's
/// own time).
std::string quote_body(const quote& q, const provenance& from);

/// Body of GET /api/v1/data/trades:
///   {"instrument":..,"count":n,"trades":[...], provenance}
/// (as_of: the newest trade's time).
std::string trades_body(std::string_view instrument, const std::vector<trade>& trades,
                        provenance from);

} // namespace tickflow::api
