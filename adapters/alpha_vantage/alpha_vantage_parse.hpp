#pragma once

// Alpha Vantage payloads -> canonical events. Alpha Vantage quotes every
// number ("168.18"); documents come from json::parse_with_number_text,
// whose readers take number text in either form.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::alpha_vantage {

/// The error an HTTP 200 body reports instead of data, or nullopt:
///   {"Note":"Thank you for using Alpha Vantage! Our standard API call
///            frequency is 5 calls per minute and 500 calls per day. ..."}
///   {"Information":"... Our standard API rate limit is 25 requests per
///                   day. ..."}
///   {"Error Message":"Invalid API call. Please retry or visit the
///                     documentation (...) for TIME_SERIES_DAILY."}
/// "Note" (the per-minute limit) -> rate_limited, retry after 60 s.
/// "Information" -> rate_limited until the next 00:00 UTC (the daily quota;
/// Alpha Vantage sends no Retry-After), except the "premium endpoint" /
/// "premium feature" texts, which no wait cures -> unauthorized.
/// "Error Message" -> unauthorized when it is about the apikey,
/// unknown_symbol for "Invalid API call" (what an unknown symbol gets),
/// provider_error otherwise. The message is kept, with the key Alpha
/// Vantage echoes ("detected your API key as XXXX") replaced by "***".
std::optional<fetch_error> parse_error_body(const rapidjson::Value& doc,
                                            int64_t recv_ns);

/// TIME_SERIES_DAILY, TIME_SERIES_DAILY_ADJUSTED and TIME_SERIES_INTRADAY.
/// Rows are newest first, keyed by local time; values are strings:
///   {"Meta Data":{"2. Symbol":"IBM","5. Time Zone":"US/Eastern",...},
///    "Time Series (Daily)":{"2024-06-07":{"1. open":"168.18",
///      "2. high":"171.305","3. low":"168.06","4. close":"170.01",
///      "5. volume":"3475495"}}}
/// The adjusted series adds "5. adjusted close", moves the volume to
/// "6. volume" and adds "7. dividend amount" / "8. split coefficient"
/// (ignored). Daily bars carry the traded prices, or with `adjusted` the
/// prices scaled by "5. adjusted close" / "4. close" (adjust_bar; without
/// that field errc::missing_field). Intraday rows are taken as they come
/// (the request's adjusted= says which they are). Intraday series are keyed
/// "Time Series (5min)" with "YYYY-MM-DD HH:MM:SS" in Meta Data's
/// "6. Time Zone" (the bar's start), converted to UTC with the US DST rule.
/// Daily bars are stamped at 00:00 UTC of their date (the US/Eastern trading
/// date), like tickflow's own 1d bars. Bars come back oldest first; closed
/// when open + span is not after `recv_ns`.
/// Spans: m1, m5, m15, m30, h1 (intraday) and d1.
result<std::vector<bar>> parse_time_series(const rapidjson::Value& doc,
                                           interval span,
                                           std::string_view instrument,
                                           std::string_view provider_symbol,
                                           int64_t recv_ns, bool adjusted = false);

/// GLOBAL_QUOTE:
///   {"Global Quote":{"01. symbol":"IBM","05. price":"166.2000",
///                    "07. latest trading day":"2024-04-30",...}}
/// The price is stamped at 00:00 UTC of the latest trading day (the payload
/// has no time of day). An unknown symbol gives {"Global Quote":{}}:
/// errc::unknown_symbol.
result<price> parse_global_quote(const rapidjson::Value& doc,
                                 std::string_view instrument,
                                 std::string_view provider_symbol,
                                 int64_t recv_ns);

/// Alpha Vantage's name of an intraday span ("5min"; "60min" for h1), or
/// "" for a span it has no intraday series of.
std::string_view intraday_name(interval span) noexcept;

} // namespace tickflow::alpha_vantage
