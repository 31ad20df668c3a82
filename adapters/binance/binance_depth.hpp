#pragma once

// Binance spot order-book depth: the REST snapshot, the diff stream frames
// and the snapshot request (with its request weight). Pure: no I/O, no
// clock. Prices and quantities are decimal strings parsed exactly; times
// are Unix ms and become ns. The shared level and frame readers are also
// used by the USD-M futures parsers (binance_futures_depth).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/book/book_sync.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::binance {

/// Most levels one side of a snapshot or a diff may carry (the largest
/// snapshot limit): longer arrays are errc::out_of_range, not parsed.
constexpr size_t max_depth_levels = 5000;

/// GET: the spot order-book snapshot.
constexpr std::string_view depth_path = "/api/v3/depth";
/// The diff stream event type.
constexpr std::string_view depth_update_event = "depthUpdate";

/// One diff frame of a symbol's depth stream.
struct depth_update {
  std::string symbol;      ///< "BNBBTC", as the frame names it
  book::book_delta delta;  ///< U, u (pu for futures), E as ts_event_ns
  int64_t ts_transaction_ns = 0; ///< futures T; 0 on spot
};

/// A snapshot request and what Binance charges for it.
struct depth_request {
  outbound_request request;
  int weight = 0; ///< request weight for the scheduler's budget
};

/// Reads `name` of `obj`, an array of [price, qty, ...] decimal-string
/// pairs, into `out` (cleared first): errc::missing_field, errc::malformed
/// ("<name>[i]: expected [price, qty]"), errc::bad_number, errc::out_of_range
/// (more than max_depth_levels levels, a price <= 0 or a negative qty).
result<void> parse_levels(const rapidjson::Value& obj, const char* name,
                          std::vector<book::level>& out);

/// A wire time in ms at field `name` as ns; errc::out_of_range when
/// negative or past the int64 ns range.
result<int64_t> ms_field_to_ns(const char* name, int64_t ms);

/// errc::malformed when the diff's first id is after its last id.
result<void> check_update_range(const book::book_delta& delta);

/// The payload of a depthUpdate frame, raw or wrapped in a combined-stream
/// object ({"stream":"...","data":{...}}); errc::malformed when `doc` is
/// neither an object nor a wrapper around one.
result<const rapidjson::Value*> depth_payload(const rapidjson::Value& doc);

/// GET /api/v3/depth?symbol=BNBBTC&limit=5 (spot has no time on the wire,
/// so ts_event_ns is 0):
///   {"lastUpdateId":1027024,
///    "bids":[["4.00000000","431.00000000"]],
///    "asks":[["4.00000200","12.00000000"]]}
/// Errors: errc::malformed (not JSON, not an object), errc::missing_field,
/// errc::bad_number, errc::out_of_range (see parse_levels).
result<book::book_snapshot> parse_depth_snapshot(std::string_view body);

/// A spot diff frame, raw (<symbol>@depth@100ms on /ws) or combined
/// (/stream?streams=...: {"stream":"bnbbtc@depth@100ms","data":{...}}):
///   {"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,
///    "b":[["0.0024","10"]],"a":[["0.0026","100"]]}
/// E is ms; U..u are the update ids the diff covers (they pass 2^32); a
/// qty of "0" or "0.00000000" removes the level; b or a may be empty.
/// Errors: errc::malformed (not JSON, another event type, U > u),
/// errc::missing_field, errc::bad_number, errc::out_of_range.
result<depth_update> parse_depth_update(std::string_view frame);
/// The same for an already parsed frame.
result<depth_update> parse_depth_update(const rapidjson::Value& doc);

/// Request weight of GET /api/v3/depth for `limit`: 1-100 -> 5, 101-500
/// -> 25, 501-1000 -> 50, 1001-5000 -> 250; 0 outside 1..5000.
int depth_weight(int limit) noexcept;

/// GET /api/v3/depth?symbol=<symbol>&limit=<limit> and its weight.
/// Errors: errc::unknown_symbol (empty symbol), errc::invalid_argument
/// (limit outside 1..5000).
result<depth_request> build_depth_request(std::string_view symbol,
                                          int limit);

} // namespace tickflow::binance
