#pragma once

// The inverse of the cache writer's PUBLISH payload (redis_schema.hpp
// publish_payload, events rendered by api/event_json): what a gateway node
// receives on <prefix>:events:<instrument> back into canonical events.
//
//   {"type":"trade","origin":"ingest-1","data":{"instrument":"BTC-USDT",
//    "provider":"simulator","provider_symbol":"BTCUSDT","price":"65000.12",
//    "size":"0.015","side":"buy","trade_id":"17","ts":1700000000123000000,
//    "time":"2023-11-14T22:13:20.123Z","ts_recv":1700000000123400000,
//    "flags":[]}}
//
// "origin" (the publishing node's [cluster] node-id) is optional; "data" is
// decoded by event_codec.hpp, the decoder the Redis reader uses too.
// Pure: no I/O, never throws; bad input is a typed error.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <rapidjson/document.h>

#include "adapters/redis/redis_schema.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"
#include "pipeline/validate/quarantine.hpp"

namespace tickflow::redis {

/// One decoded PUBLISH payload. `event` holds the alternative of `kind`
/// (price, quote for ticker, bar, trade, feed_status, quarantined_event: the
/// index is the entry_kind).
struct published_event {
  entry_kind kind = entry_kind::trade;
  std::string origin; ///< the publisher's node id; "" when untagged
  std::variant<price, quote, bar, trade, feed_status, quarantined_event> event;
};

/// Inverse of to_string(entry_kind); nullopt for an unknown name.
std::optional<entry_kind> entry_kind_from_string(std::string_view name) noexcept;

/// Decodes one PUBLISH payload. Errors (context names the field):
/// - errc::malformed: not JSON, not an object, "type" unknown, "origin" not
///   a string, "data" not an object;
/// - errc::missing_field: "type" or "data" is absent;
/// - an error of the event (event_codec.hpp), its context prefixed "data.".
result<published_event> decode_published(std::string_view payload);

/// Decodes one parsed payload (an element of a stream entry's array).
result<published_event> decode_published(const rapidjson::Value& payload);

/// Decodes the "e" field of a stream entry (redis_streams.hpp), a JSON array
/// of payloads: calls `each` with every element's decode_published() result,
/// in order. errc::malformed (and no call) when `events` is not an array.
result<void> for_each_stream_event(
  std::string_view events,
  const std::function<void(result<published_event>&&)>& each);

/// Adds a decoded event to `batch`: trades, quotes (tickers), bars and
/// statuses go in;
/// a price (and a quarantined event, which is not an event of the
/// pipeline) is left out (false), as the trade that set it is published too
/// and carries the same values.
bool add_to_batch(published_event&& e, event_batch& batch);

} // namespace tickflow::redis
