#pragma once

// EODHD payloads -> canonical events. Documents come from
// json::parse_with_number_text, so prices keep their text.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::eodhd {

/// The error a non-2xx reply reports, or nullopt for 2xx. EODHD documents
/// its error bodies as text/html: 404 "Ticker Not Found." -> unknown_symbol
/// (message: the body, trimmed); other statuses by classify_http_status
/// (401/403 unauthorized, 429 rate_limited with Retry-After seconds, 404
/// not_found, else provider_error), whatever the body.
std::optional<fetch_error> parse_error_reply(const http_reply& reply,
                                             int64_t recv_ns);

/// GET /api/eod/AAPL.US?api_token=...&fmt=json&from=2022-01-03&to=2022-01-04
///     &period=d
/// An array of rows, oldest first; prices are JSON numbers, volume an
/// integer, date the trading date:
///   [{"date":"2022-01-03","open":177.83,"high":182.88,"low":177.71,
///     "close":182.01,"adjusted_close":179.2736,"volume":104487900},...]
/// Bars carry the traded prices, or with `adjusted` the prices scaled by
/// adjusted_close / close (adjust_bar, pipeline/normalize/price_adjust;
/// errc::missing_field without adjusted_close), and open at
/// 00:00 UTC of their date, floored to the Monday of the week (w1) or the
/// 1st of the month (mo1) like tickflow's own bars. Closed when open + span
/// is not after `recv_ns` (a month counts 30 days). A body that is not an
/// array (the bare number of filter=last_close, an object) is
/// errc::malformed.
result<std::vector<bar>> parse_eod(const rapidjson::Value& doc, interval span,
                                   std::string_view instrument,
                                   std::string_view provider_symbol,
                                   int64_t recv_ns, bool adjusted = false);

} // namespace tickflow::eodhd
