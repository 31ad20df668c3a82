#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::api {

/// Kinds of live channel a WebSocket client can subscribe to.
enum class channel_kind : uint8_t { trades, quotes, bars };

/// A parsed channel name: "trades:BTC-USDT", "quotes:AAPL", "bars:1m:BTC-USDT".
struct channel {
  channel_kind kind = channel_kind::trades;
  interval span = interval::m1; ///< bars only
  std::string instrument;

  /// The canonical name, as a client writes it.
  std::string name() const;
};

/// Parses a channel name. errc::invalid_argument (context says why) for an
/// unknown kind, a bad interval or a non-canonical instrument id.
result<channel> parse_channel(std::string_view name);

/// Channel names an event belongs to.
std::string channel_of(const trade& x);  ///< "trades:<instrument>"
std::string channel_of(const quote& x);  ///< "quotes:<instrument>"
std::string channel_of(const bar& x);    ///< "bars:<interval>:<instrument>"

/// A message from a client:
///   {"op":"subscribe","channels":["trades:BTC-USDT","bars:1m:BTC-USDT"]}
///   {"op":"unsubscribe","channels":[...]}
///   {"op":"ping"}
struct client_command {
  enum class op_kind : uint8_t { subscribe, unsubscribe, ping } op;
  std::vector<std::string> channels;
};

/// Parses a client message. errc::malformed for invalid JSON or a wrong
/// shape, errc::invalid_argument for an unknown op (context says which).
result<client_command> parse_client_command(std::string_view text);

// -- server messages (one JSON object per frame) --------------------------------

/// {"type":"trade","channel":"trades:BTC-USDT","data":{...event_json...}}
std::string event_message(const trade& x);
std::string event_message(const quote& x);
std::string event_message(const bar& x);

/// {"type":"subscribed","channels":[...]} / {"type":"unsubscribed",...}
std::string subscribed_message(const std::vector<std::string>& channels);
std::string unsubscribed_message(const std::vector<std::string>& channels);

/// {"type":"pong"}
std::string pong_message();

/// {"type":"error","code":"unknown_channel","message":"...","channel":"..."}
/// (channel omitted when empty).
std::string error_message(std::string_view code, std::string_view message,
                          std::string_view channel = {});

} // namespace tickflow::api
