#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/broadcast/channel.hpp"
#include "pipeline/indicators/indicator_spec.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::api {

// The channel model and the command's shape are pure (pipeline/broadcast);
// this file parses and renders their JSON.
using broadcast::all_status_channel;
using broadcast::channel;
using broadcast::channel_kind;
using broadcast::channel_of;
using broadcast::client_command;
using broadcast::parse_channel;

/// Parses a client message. errc::malformed for invalid JSON or a wrong
/// shape, errc::invalid_argument for an unknown op (context says which).
result<client_command> parse_client_command(std::string_view text);

// -- server messages (one JSON object per frame) --------------------------------

/// {"type":"trade","channel":"trades:BTC-USDT","data":{...event_json...}}
std::string event_message(const trade& x);
std::string event_message(const quote& x);
std::string event_message(const bar& x);
/// {"type":"status","channel":"status:binance","data":{"provider":"binance",
///  "connection":"binance#0","state":"reconnected","gap_start":..,
///  "gap_end":..,"reason":"..","ts":..,"time":".."}} (gap_* null when 0)
std::string event_message(const feed_status& x);

/// The JSON object of a feed status (the "data" of a status message).
void append_json(std::string& out, const feed_status& x);

/// {"type":"snapshot","channel":"trades:BTC-USDT","price":{...}|null}: the
/// last price, for a trades or quotes channel (null: none yet).
std::string price_snapshot_message(std::string_view channel, const price* last);

/// {"type":"snapshot","channel":"bars:1m:BTC-USDT","bars":[...]}: the newest
/// bars, oldest first.
std::string bars_snapshot_message(std::string_view channel,
                                  const std::vector<bar>& bars);

/// {"type":"snapshot","channel":"status:*","statuses":[...]}: the last status
/// of each provider's connections the channel covers.
std::string status_snapshot_message(std::string_view channel,
                                    const std::vector<feed_status>& last);

/// Sent once when a client connects:
/// {"type":"hello","server":"tickflow","version":"..","heartbeat_ms":15000,
///  "max_channels":256,"snapshot_bars":100}
struct hello_info {
  std::string version;
  int64_t heartbeat_ms = 0;
  size_t max_channels = 0;
  size_t snapshot_bars = 0;
};
std::string hello_message(const hello_info& x);

/// {"type":"heartbeat","ts":..,"time":".."}: sent to a client that was sent
/// nothing for a heartbeat interval.
std::string heartbeat_message(int64_t now_ns);

/// {"type":"conflation","active":true} when a client falls behind (from now
/// on it gets the newest update per channel), {"type":"conflation",
/// "active":false,"dropped":N} when it caught up (N updates were dropped).
std::string conflation_message(bool active, uint64_t dropped);

/// {"type":"subscribed","channels":[...]} / {"type":"unsubscribed",...}
std::string subscribed_message(const std::vector<std::string>& channels);
std::string unsubscribed_message(const std::vector<std::string>& channels);

/// {"type":"indicator","channel":"ind:rsi14:1m:BTC-USDT","data":{"t":"..",
///  "ts":..,"value":..}}: a value of a closed bar (fields by
/// indicators::value_names).
std::string indicator_message(std::string_view channel,
                              indicators::indicator_kind kind,
                              const indicators::point& p);

/// {"type":"snapshot","channel":"ind:..","data":{..}|null,"warmup":N,
///  "bars":M}: the newest value (null while warming up), the bars the
/// indicator needs before its first value and the bars it was fed.
std::string indicator_snapshot_message(std::string_view channel,
                                       indicators::indicator_kind kind,
                                       const std::optional<indicators::point>& last,
                                       size_t warmup, size_t bars);

/// {"type":"pong"}
std::string pong_message();

/// {"type":"gap","channel":"trades:BTC-USDT","reason":"..."}: events of the
/// channel were lost before they reached this node; a fresh snapshot
/// follows.
std::string gap_message(std::string_view channel, std::string_view reason);

/// {"type":"error","code":"unknown_channel","message":"...","channel":"..."}
/// (channel omitted when empty).
std::string error_message(std::string_view code, std::string_view message,
                          std::string_view channel = {});

} // namespace tickflow::api
