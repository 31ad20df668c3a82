#pragma once

// Canonical events as JSON, the body of POST /webhooks/test:
//
//   {"events":[
//     {"type":"trade","instrument":"TEST-USD","price":"101.25","size":"0.5",
//      "side":"buy","trade_id":"t-1","ts":"2025-01-02T03:04:05.123Z"},
//     {"type":"quote","instrument":"TEST-USD","bid":"101.20","bid_size":"3",
//      "ask":"101.30","ask_size":"2","ts":1735787045123000000},
//     {"type":"bar","instrument":"TEST-USD","interval":"1m",
//      "open_time":"2025-01-02T03:04:00Z","open":"101","high":"102",
//      "low":"100.5","close":"101.25","volume":"12.5","trades":7,"closed":true}
//   ]}
//
// Every event may name its "provider" (any provider name; default
// "simulator"). Prices and sizes are decimal strings (exact, never JSON
// numbers). Times ("ts", "open_time") are ISO-8601 strings or integers of
// s/ms/us/ns since the epoch (by magnitude). "side" is buy, sell or unknown
// (default); "trade_id", "trades" and "closed" (default true) are optional.

#include <cstdint>
#include <string_view>

#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::api {

/// Parses the body above into canonical events received at `recv_ns`.
/// Errors (context "events[2].price: ..." names the field):
/// errc::malformed (not JSON, not an object, no "events" array, an unknown
/// "type"), errc::missing_field, errc::bad_number, errc::invalid_argument
/// (a non-canonical instrument, an unknown provider, side or interval, a bad
/// time), errc::out_of_range (no events or more than `max_events`).
result<event_batch> parse_canonical_events(std::string_view body, int64_t recv_ns,
                                           size_t max_events);

} // namespace tickflow::api
