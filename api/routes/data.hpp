#pragma once

// The data routes' queries and bodies:
//   GET /api/v1/data/price?symbol=&provider=&max_age=
//   GET /api/v1/data/ohlcv?symbol=&interval=&limit=&start=&end=&provider=&validate=
//   GET /api/v1/data/historical (as ohlcv, start required)
// Every data body says where it came from and how fresh it is (provenance).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_error.hpp"
#include "api/http_types.hpp"
#include "pipeline/model/events.hpp"
#include "pipeline/model/interval.hpp"
#include "pipeline/normalize/symbol_resolver.hpp"

namespace tickflow::api {

// -- queries --------------------------------------------------------------------

/// GET /api/v1/data/price?symbol=BTC-USDT
struct price_query {
  std::string instrument; ///< canonical (symbol= resolved)
  std::string requested;  ///< symbol= as the client wrote it (trimmed)
  std::string provider;   ///< provider= (lowercased), "" when absent
  /// max_age= in ns (api/routes/freshness): a cached price older than this
  /// by its event time goes on to the providers; nullopt when absent.
  std::optional<int64_t> max_age_ns;
};

/// GET /api/v1/data/ohlcv?symbol=&interval=&limit=&start=&end=
struct ohlcv_query {
  std::string instrument;       ///< canonical (symbol= resolved)
  std::string requested;        ///< symbol= as written; "" when not from a query
  std::string provider;         ///< provider=, "" when absent
  interval span = interval::m1; ///< default 1m
  size_t limit = 100;           ///< 1..5000, default 100
  int64_t start_ns = 0;         ///< 0: unbounded (also start=0: no bar predates the epoch)
  int64_t end_ns = 0;           ///< 0: unbounded (end=0 is refused)
  bool start_given = false;     ///< start= was in the query (even 0 or 1970-01-01)
  bool validate = false;        ///< validate=true: each bar carries its findings
  /// adjusted=true: bars adjusted for splits and dividends; false (the
  /// default): as traded. Absent with a provider= that publishes adjusted
  /// bars only: true (docs/API.md "Adjusted prices").
  bool adjusted = false;
};

/// adjusted= when the query has none: true when `provider` names a
/// provider whose bars are adjusted only (provider_info::raw_bars false).
bool adjusted_by_default(std::string_view provider) noexcept;

/// provider= must name a known provider (400 invalid_parameter "provider");
/// max_age= whole seconds in 0..604800 (400 invalid_parameter "max_age").
/// Missing symbol: 400 missing_parameter field "symbol"; a symbol that
/// resolves to no instrument id: 400 invalid_parameter field "symbol"; to
/// several: 400 ambiguous_symbol with the candidates.
api_result<price_query> parse_price_query(const http_request& req,
                                          const symbol_resolver& symbols = shape_resolver());

/// As above, plus: bad interval -> 400 invalid_parameter "interval"; limit not
/// an integer in 1..5000 -> 400 "limit"; unparsable start/end or start > end ->
/// 400 "start"/"end" (timestamps via parse_timestamp); validate or adjusted
/// not true/false/1/0 -> 400 "validate" / "adjusted".
api_result<ohlcv_query> parse_ohlcv_query(const http_request& req,
                                          const symbol_resolver& symbols = shape_resolver());

/// GET /api/v1/data/historical: as ohlcv, and start is required (400
/// missing_parameter "start").
api_result<ohlcv_query> parse_historical_query(const http_request& req,
                                               const symbol_resolver& symbols = shape_resolver());

// -- bodies ---------------------------------------------------------------------

/// How fresh a value is, from its age and the interval it covers:
/// end-of-day for bars of a day or longer; else by the age past the
/// interval (a bar is as of its start and current for its whole span):
/// realtime (< 5 s), near-realtime (< 60 s), delayed (< 1 day), end-of-day
/// (older). span_ns is 0 for prices.
std::string_view freshness_class(int64_t age_ns, int64_t span_ns = 0) noexcept;

/// Where an answer came from and how fresh it is; on every data response.
struct provenance {
  std::string source = "l1"; ///< l1, redis, postgres, or a provider name
  bool cached = true;
  int64_t as_of_ns = 0;      ///< event time of the newest value in the answer
  int64_t now_ns = 0;        ///< when the answer was made
  /// Providers tried before the one that served, "name: reason" each:
  /// rendered as "failover":[{"provider":..,"reason":..}] when not empty.
  std::vector<std::string> failover;
  /// symbol= as the client wrote it: "requested":.. when not empty, beside
  /// the canonical "instrument".
  std::string requested{};
  /// The finer interval the bars were built from: "resampled_from":"1m"
  /// when not empty.
  std::string resampled_from{};
  /// Bars only: "adjusted":true|false, which series they are.
  std::optional<bool> adjusted{};
};

/// Appends ,"source":..,"cached":..,"as_of":..,"age_ms":..,"freshness":..
/// (and "requested", "resampled_from", "failover" when set) to an object
/// being written; span_ns: the bars' interval, 0 for a price or a quote.
void append_provenance(std::string& out, const provenance& from, int64_t span_ns = 0);

/// Body of GET /api/v1/data/price: the price object (event_json) plus
/// "source", "cached", "as_of" (ISO-8601), "age_ms" and "freshness".
std::string price_body(const price& p, const provenance& from);

/// Body of GET /api/v1/data/ohlcv:
///   {"instrument":..,"interval":..,"count":n,"bars":[...],
///    "source":..,"cached":..,"as_of":..,"age_ms":..,"freshness":..}
/// (freshness from the age and the interval).
/// With `validate`, every bar also carries "findings": the sanity rules it
/// breaks ([{"rule":..,"reason":..}], empty when sane), beside its "flags".
std::string ohlcv_body(std::string_view instrument, interval span,
                       const std::vector<bar>& bars, const provenance& from,
                       bool validate = false);

/// The price a provider's answer holds: its last price, or the close of
/// its last bar (e.g. a previous-close bar) as of the bar's end.
std::optional<price> price_of(const std::vector<price>& prices,
                              const std::vector<bar>& bars);

} // namespace tickflow::api
