#pragma once

// Binance USD-M futures order-book depth (fapi.binance.com /
// fstream.binance.com): the REST snapshot, the diff stream frames and the
// snapshot request with its weight. Pure: no I/O, no clock. Unlike spot,
// the snapshot carries E/T and each diff names the previous diff's last id
// (pu): sync with book::continuity_rule::previous_id.

#include <string_view>

#include <rapidjson/document.h>

#include "adapters/binance/binance_depth.hpp"
#include "pipeline/book/book_sync.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::binance {

/// GET: the USD-M futures order-book snapshot.
constexpr std::string_view futures_depth_path = "/fapi/v1/depth";

/// GET /fapi/v1/depth?symbol=BTCUSDT&limit=5 (E message output time and T
/// transaction time, ms; E becomes ts_event_ns):
///   {"lastUpdateId":1027024,"E":1589436922972,"T":1589436922959,
///    "bids":[["4.00000000","431.00000000"]],
///    "asks":[["4.00000200","12.00000000"]]}
/// Errors: errc::malformed (not JSON, not an object), errc::missing_field
/// (E and T included), errc::bad_number, errc::out_of_range.
result<book::book_snapshot> parse_futures_depth_snapshot(std::string_view body);

/// A futures diff frame, raw or combined ({"stream":"btcusdt@depth@100ms",
/// "data":{...}}); E and T ms, pu the previous diff's u:
///   {"e":"depthUpdate","E":123456789,"T":123456788,"s":"BTCUSDT",
///    "U":157,"u":160,"pu":149,"b":[["0.0024","10"]],"a":[["0.0026","100"]]}
/// E becomes delta.ts_event_ns, T ts_transaction_ns, pu
/// delta.prev_last_update_id. Errors as parse_depth_update, plus
/// errc::missing_field for T and pu.
result<depth_update> parse_futures_depth_update(std::string_view frame);
/// The same for an already parsed frame.
result<depth_update> parse_futures_depth_update(const rapidjson::Value& doc);

/// Request weight of GET /fapi/v1/depth for `limit`: 5, 10, 20, 50 -> 2,
/// 100 -> 5, 500 -> 10, 1000 -> 20; 0 for any other limit.
int futures_depth_weight(int limit) noexcept;

/// GET /fapi/v1/depth?symbol=<symbol>&limit=<limit> and its weight.
/// Errors: errc::unknown_symbol (empty symbol), errc::invalid_argument
/// (limit not one of 5, 10, 20, 50, 100, 500, 1000).
result<depth_request> build_futures_depth_request(std::string_view symbol,
                                                  int limit);

} // namespace tickflow::binance
