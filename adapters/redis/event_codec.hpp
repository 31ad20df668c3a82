#pragma once

// The JSON of events as the cache stores and publishes them, back into
// model values: the one decoder of what api/event_json (append_json, the
// one encoder: REST, WebSocket and the cache writer's Redis values and
// PUBLISH payloads are its bytes) writes. The Redis reader decodes stored
// prices and bars with it, the cluster subscriber the "data" of published
// events (redis_events_decode.hpp). A trade, for example:
//
//   {"instrument":"BTC-USDT","provider":"simulator","provider_symbol":
//    "BTCUSDT","price":"65000.12","size":"0.015","side":"buy","trade_id":
//    "17","ts":1700000000123000000,"time":"2023-11-14T22:13:20.123Z",
//    "ts_recv":1700000000123400000,"flags":[]}
//
// Decimals are exact strings, times integer ns; the ISO "time" twins are
// ignored. A bar's ts_recv_ns is not written: it decodes as 0. A price's
// trade_id is a string, or null (or absent) for a price no trade set. The
// quality flag names are pipeline's (quality_flag_names).
//
// Errors, the first problem wins (context names the field): the common
// fields (instrument, provider), then the kind's own fields, then their
// values, then the flags:
// - errc::missing_field: a field is absent ("flags" included);
// - errc::bad_number: a decimal or integer field does not parse exactly;
// - errc::malformed: a field of another JSON type, an instrument that is not
//   canonical, an unknown provider, side, interval or flag.
// Pure: no I/O, never throws.

#include <string_view>

#include <rapidjson/document.h>

#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"
#include "pipeline/validate/quarantine.hpp"

namespace tickflow::redis {

/// A trade object.
result<trade> decode_trade(const rapidjson::Value& v);

/// A quote object (published as a "ticker").
result<quote> decode_quote(const rapidjson::Value& v);

/// A bar object: instrument, provider, provider_symbol, interval,
/// open_time (ns), open, high, low, close, volume, trades, closed, flags.
result<bar> decode_bar(const rapidjson::Value& v);

/// A price object: instrument, provider, price, trade_id, ts, ts_recv,
/// flags.
result<price> decode_price(const rapidjson::Value& v);

/// A feed status object (api append_json of a feed_status): provider,
/// connection, state, gap_start and gap_end (ns or null), reason, ts.
result<feed_status> decode_feed_status(const rapidjson::Value& v);

/// A quarantined event (api append_json of a quarantined_event): seq, rule,
/// reason, dropped, provider, instrument (any text: a bad id is a reason to
/// be quarantined), type, event_time and seen (ISO-8601 or null), flags,
/// fields (an object of at most 64 strings), node (optional).
result<quarantined_event> decode_quarantined(const rapidjson::Value& v);

/// decode_price of a JSON text; errc::malformed "not a JSON object" for text
/// that is not one.
result<price> parse_price_json(std::string_view json);

/// decode_bar of a JSON text; errc::malformed "not a JSON object" for text
/// that is not one.
result<bar> parse_bar_json(std::string_view json);

} // namespace tickflow::redis
