#pragma once

// Finnhub REST replies -> canonical events. Prices and volumes are JSON
// numbers, read exactly from their text (adapters/common/exact_json.hpp);
// REST timestamps are Unix seconds.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/exact_json.hpp"
#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::finnhub {

/// What a parser needs besides the payload.
struct parse_context {
  std::string instrument;       ///< canonical id the caller asked for
  std::string provider_symbol;  ///< Finnhub symbol it was mapped to
  interval span = interval::d1; ///< candles: their interval
  size_t limit = 0;             ///< candles: keep the last `limit` (0 all)
  int64_t recv_ns = 0;          ///< stamps ts_recv_ns; closes finished bars
};

// -- parsers ------------------------------------------------------------------
// Errors: errc::malformed / missing_field / bad_number / out_of_range
// (context names the field, e.g. "c[2]").

/// GET /api/v1/quote: c current price, h/l/o day high/low/open, pc previous
/// close, t Unix SECONDS of c; d/dp (change) may be null and are ignored:
///   {"c":261.74,"h":263.31,"l":260.68,"o":261.07,"pc":259.45,"t":1582641000}
/// c, h, l, o, pc and t are required. An unknown symbol answers all zeros
/// ({"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,"t":0}):
/// errc::unknown_symbol (c and t both zero).
result<price> parse_quote(const json::exact_document& doc,
                          const parse_context& ctx);
result<price> parse_quote(std::string_view body, const parse_context& ctx);

/// GET /api/v1/stock/candle: parallel arrays, t the bar start in Unix
/// SECONDS, s "ok" or "no_data":
///   {"c":[217.68,221.03,219.89],"h":[222.49,221.5,220.94],
///    "l":[217.19,217.1402,218.83],"o":[221.03,218.55,220],"s":"ok",
///    "t":[1569297600,1569384000,1569470400],
///    "v":[33463820,24018876,20730608]}
/// Bars come back in time order, the last ctx.limit of them.
/// errc::not_found for "s":"no_data" or empty arrays; errc::malformed when
/// the arrays differ in length.
result<std::vector<bar>> parse_candles(const json::exact_document& doc,
                                       const parse_context& ctx);
result<std::vector<bar>> parse_candles(std::string_view body,
                                       const parse_context& ctx);

// -- errors -------------------------------------------------------------------

/// The typed error of a Finnhub reply, or nullopt when `reply` is a 2xx whose
/// body is not an error. `doc` is the parsed body (nullptr when it is not
/// JSON). Error bodies are {"error":"..."}, e.g. {"error":"Invalid API
/// key."} (401), {"error":"You don't have access to this resource."} (403),
/// {"error":"API limit reached. Please try again later. Remaining Limit:
/// 0"} (429). The HTTP status decides first (classify_http_status: 401/403
/// unauthorized, 429 rate_limited with Retry-After relative to now_ns, 404
/// not_found). What is left as provider_error (another status, or an error
/// body on a 2xx) is unauthorized when the message names the API key, a
/// token or access, rate_limited when it says "limit reached". The
/// provider's message is kept.
/// Parse errors become fetch errors with fold_parse_error
/// (adapters/common/provider_errors.hpp).
std::optional<fetch_error> classify_error(const http_reply& reply,
                                          const json::exact_document* doc,
                                          int64_t now_ns);

} // namespace tickflow::finnhub
