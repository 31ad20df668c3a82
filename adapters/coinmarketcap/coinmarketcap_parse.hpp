#pragma once

// CoinMarketCap payloads -> canonical events. Documents come from
// json::parse_with_number_text, so prices keep their text.

#include <cstdint>
#include <optional>
#include <string_view>

#include <rapidjson/document.h>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::coinmarketcap {

/// The error `status` reports, or nullopt when status.error_code is 0 or
/// there is no status object:
///   {"status":{"error_code":1008,"error_message":"You've exceeded ..."}}
/// 1001-1007 (key invalid, missing, inactive, expired, required, plan,
/// disabled) -> unauthorized; 1008 (per minute) and 1011 (per IP) ->
/// rate_limited, retry after 60 s (limits reset every 60 s); 1009 (daily)
/// -> rate_limited until the next 00:00 UTC; 1010 (monthly) -> rate_limited,
/// retry unknown; 400 saying `Invalid value for "symbol"` -> unknown_symbol;
/// anything else -> provider_error. A Retry-After header wins when present.
std::optional<fetch_error> parse_status(const rapidjson::Value& doc,
                                        const http_reply& reply,
                                        int64_t recv_ns);

/// GET /v1/cryptocurrency/quotes/latest?symbol=BTC&convert=USD, and the v2
/// shapes of the same endpoint. Price is a JSON float in `convert`,
/// last_updated ISO-8601 UTC:
///   v1 symbol=  {"status":{"error_code":0,...},"data":{"BTC":{"id":1,
///               "symbol":"BTC","quote":{"USD":{"price":6602.60701122,
///               "last_updated":"2018-08-09T21:56:28.000Z"}}}}}
///   v2 id=/slug= {"data":{"1":{...same object...}}}  (keyed by id)
///   v2 symbol=   {"data":{"BTC":[{...},{...}]}}      (array per symbol)
/// The entry is data[symbol], else the only member of data. In an array the
/// entry whose symbol matches with the best (lowest) cmc_rank wins. The price
/// stamps ts_event_ns with quote.<convert>.last_updated. Errors:
/// unknown_symbol (symbol not in data, empty array), not_found (price null),
/// malformed / missing_field / bad_number (context "data.1.quote.USD.price").
result<price> parse_quotes_latest(const rapidjson::Value& doc,
                                  std::string_view symbol,
                                  std::string_view convert,
                                  std::string_view instrument,
                                  int64_t recv_ns);

} // namespace tickflow::coinmarketcap
