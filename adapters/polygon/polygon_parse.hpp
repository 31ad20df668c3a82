#pragma once

// Polygon.io (now Massive) REST replies -> canonical events. Prices and sizes
// are JSON numbers on this API; they are read from their text, never through
// double (adapters/common/exact_json.hpp). Exponent text such as
// 1.35647456e+08 is legal JSON and is converted exactly by shifting the
// point; a value that does not fit a decimal exactly is an error.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/exact_json.hpp"
#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::polygon {

/// What a parser needs besides the payload.
struct parse_context {
  std::string instrument;       ///< canonical id the caller asked for
  std::string provider_symbol;  ///< Polygon ticker it was mapped to
  interval span = interval::d1; ///< bars: their interval
  int64_t recv_ns = 0;          ///< stamps ts_recv_ns; closes finished bars
};

// -- parsers ------------------------------------------------------------------
// Errors: errc::malformed / missing_field / bad_number (context names the
// field, e.g. "results[1].o"), errc::not_found when the reply holds no data.

/// GET /v2/aggs/ticker/{ticker}/range/... Prices and volume are numbers
/// (volume fractional for crypto, possibly in exponent form), t is the bar
/// start in Unix ms, n the trade count (optional):
///   {"ticker":"AAPL","status":"OK","resultsCount":2,"adjusted":true,
///    "results":[{"o":74.06,"h":75.15,"l":73.7975,"c":75.0875,
///    "v":135647456,"vw":74.6099,"t":1577941200000,"n":1}, ...]}
/// Bars come back in time order whatever the requested sort.
/// errc::not_found for "resultsCount":0 / no "results" / an empty array.
result<std::vector<bar>> parse_aggs(const json::exact_document& doc,
                                    const parse_context& ctx);
result<std::vector<bar>> parse_aggs(std::string_view body,
                                    const parse_context& ctx);

/// GET /v2/aggs/ticker/{ticker}/prev: the previous day's bar (span d1), same
/// fields as aggs plus "T" (ticker), no "n":
///   {"ticker":"AAPL","status":"OK","resultsCount":1,"results":[{"T":"AAPL",
///    "o":115.55,"h":117.59,"l":114.13,"c":115.97,"v":131704427,
///    "vw":116.3058,"t":1605042000000}]}
result<bar> parse_prev_close(const json::exact_document& doc,
                             const parse_context& ctx);
result<bar> parse_prev_close(std::string_view body, const parse_context& ctx);

/// The price a previous-close bar stands for: its close, stamped with the
/// bar's start (the API gives no close time).
price price_of_prev_close(const bar& b);

/// GET /v2/last/trade/{ticker}: p price, s size, i trade id (string), t SIP
/// timestamp in Unix ns (int64; the docs' values lost precision in a double
/// and end in 00, they are read as int64 anyway), y/f other ns clocks:
///   {"status":"OK","results":{"T":"AAPL","c":[37],"i":"118749",
///    "p":129.8473,"s":25,"t":1617901342969834000,"x":4,"z":3}}
result<price> parse_last_trade(const json::exact_document& doc,
                               const parse_context& ctx);
result<price> parse_last_trade(std::string_view body,
                               const parse_context& ctx);

/// GET /v3/trades/{ticker}: results[] of trades, price and size numbers
/// (size fractional for crypto), id the trade id (string, the "i" of the
/// live stream), sip_timestamp Unix ns (crypto trades have only
/// participant_timestamp, used then):
///   {"results":[{"conditions":[12,41],"exchange":11,"id":"1",
///    "participant_timestamp":1517562000015577000,"price":171.55,
///    "sequence_number":1063,"sip_timestamp":1517562000016036600,
///    "size":100,"tape":3}],"status":"OK","request_id":"...",
///    "next_url":"..."}
/// No "results" or an empty array is an empty list (a quiet stretch).
result<std::vector<trade>> parse_trades(const json::exact_document& doc,
                                        const parse_context& ctx);

/// GET /v2/last/nbbo/{ticker}: p/s bid price/size, P/S ask price/size (sizes
/// as published: round lots per the docs), t SIP timestamp in Unix ns:
///   {"status":"OK","results":{"T":"AAPL","p":127.96,"s":1,"P":127.98,
///    "S":7,"t":1617827221349730300,"x":11,"X":19,"z":3}}
result<quote> parse_last_nbbo(const json::exact_document& doc,
                              const parse_context& ctx);
result<quote> parse_last_nbbo(std::string_view body, const parse_context& ctx);

// -- errors -------------------------------------------------------------------

/// The typed error of a Polygon/Massive reply, or nullopt when `reply` is a
/// 2xx whose body is not an error. `doc` is the parsed body (nullptr when it
/// is not JSON). Error bodies:
///   {"status":"ERROR","request_id":"...","error":"API Key was not provided"}
///   {"status":"NOT_AUTHORIZED","request_id":"...","message":"You are not
///    entitled to this data. ..."}
///   {"status":"NOT_FOUND","request_id":"...","message":"Data not found."}
/// NOT_AUTHORIZED and messages naming the API key are unauthorized,
/// NOT_FOUND is not_found, 429 (or a "maximum requests" message) is
/// rate_limited with Retry-After (relative to now_ns); otherwise the HTTP
/// status decides (classify_http_status), provider_error for an ERROR body
/// on a 2xx. The provider's message is kept.
/// Parse errors become fetch errors with fold_parse_error
/// (adapters/common/provider_errors.hpp).
std::optional<fetch_error> classify_error(const http_reply& reply,
                                          const json::exact_document* doc,
                                          int64_t now_ns);

} // namespace tickflow::polygon
