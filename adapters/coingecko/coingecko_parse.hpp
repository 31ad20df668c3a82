#pragma once

// CoinGecko payloads -> canonical events. Every function takes a document
// parsed by json::parse_with_number_text, so prices keep their text.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::coingecko {

/// One point of a market_chart series other than prices.
struct volume_point {
  int64_t ts_ns = 0; ///< UTC ns
  decimal value;     ///< 24 h rolling volume in the vs currency
};

/// A parsed /coins/{id}/market_chart.
struct market_chart {
  std::vector<price> prices;
  /// total_volumes, kept beside the prices: the canonical price has no
  /// volume field, so rest_adapter::parse does not return them.
  std::vector<volume_point> total_volumes;
};

/// The error a body reports, or nullopt when it is not an error body.
///   {"status":{"error_code":429,"error_message":"You've exceeded ..."}}
///   {"error":{"status":{"error_code":10002,"error_message":"..."}}}
///   {"error":"coin not found"}
/// error_code 429 -> rate_limited (Retry-After header when sent);
/// 401, 10002 (key missing), 10005 (plan), 10010/10011 (key of the other
/// plan) -> unauthorized; other codes -> provider_error. "coin not found" and
/// "invalid vs_currency" -> unknown_symbol; other messages -> provider_error.
std::optional<fetch_error> parse_error_body(const rapidjson::Value& doc,
                                            const http_reply& reply,
                                            int64_t recv_ns);

/// GET /api/v3/simple/price?ids=bitcoin&vs_currencies=usd
///     &include_last_updated_at=true
/// Price is a JSON float in the vs currency, last_updated_at Unix SECONDS:
///   {"bitcoin":{"usd":67187.3358936566,"last_updated_at":1711356300}}
/// An unknown id gives {} and an unsupported vs currency {"bitcoin":{}}:
/// both errc::unknown_symbol. Without last_updated_at (absent or null) the
/// price is kept, as of `recv_ns`, flagged quality_defaulted.
result<price> parse_simple_price(const rapidjson::Value& doc,
                                 std::string_view id, std::string_view vs,
                                 std::string_view instrument,
                                 int64_t recv_ns);

/// GET /api/v3/coins/{id}/market_chart?vs_currency=usd&days=1
/// Each point is [Unix ms, float]; the last point is "now", not aligned:
///   {"prices":[[1711843200000,69702.3087473573],...],
///    "market_caps":[[1711843200000,1370247487960.09],...],
///    "total_volumes":[[1711843200000,16408802301.8374],...]}
result<market_chart> parse_market_chart(const rapidjson::Value& doc,
                                        std::string_view instrument,
                                        int64_t recv_ns);

/// GET /api/v3/coins/{id}/ohlc?vs_currency=usd&days=7
/// [Unix ms of the candle CLOSE, open, high, low, close], no volume:
///   [[1709395200000,61942,62211,61721,61845],...]
/// Bars open at close - `span`; volume is 0 (CoinGecko has none for OHLC);
/// closed when the close time is not after `recv_ns`. The granularity comes
/// from `days` (see coingecko_adapter.hpp); a close time off the `span` grid
/// is errc::malformed, as the candles are then of another size.
result<std::vector<bar>> parse_ohlc(const rapidjson::Value& doc,
                                    interval span,
                                    std::string_view instrument,
                                    std::string_view provider_symbol,
                                    int64_t recv_ns);

} // namespace tickflow::coingecko
