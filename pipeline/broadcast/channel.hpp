#pragma once

// Live channel names of the WebSocket API (docs/WEBSOCKET.md, "Channels")
// and the shape of a client command. Pure: api/ws_protocol parses the JSON
// of a command and renders the messages; the subscription book decides
// with these values.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::broadcast {

/// Kinds of live channel a WebSocket client can subscribe to.
enum class channel_kind : uint8_t {
  trades, quotes, bars, status, indicator,
  book,     ///< "book:<ID>[:<depth>]": the top-N levels, snapshot then deltas
  book_top, ///< "book_top:<ID>": best bid/ask changes
};

/// Depth of a "book:<ID>" channel without one; "book:<ID>:<depth>" takes
/// 1..max_book_depth.
inline constexpr size_t default_book_depth = 20;
inline constexpr size_t max_book_depth = 1000;

/// A parsed channel name: "trades:BTC-USDT", "quotes:AAPL",
/// "bars:1m:BTC-USDT", "status:binance" (one provider's feed status),
/// "status:*" (every provider's) or "ind:rsi14:1m:BTC-USDT" (an indicator
/// of the closed bars of an interval).
struct channel {
  channel_kind kind = channel_kind::trades;
  interval span = interval::m1; ///< bars and indicator only
  std::string instrument;       ///< status: the provider name, or "*"
  std::string indicator;        ///< indicator only: its name ("rsi14")
  size_t depth = default_book_depth; ///< book only: levels per side

  /// The canonical name, as a client writes it.
  std::string name() const;
};

/// Parses a channel name; the instrument is resolved to its canonical id
/// ("trades:btcusdt" is "trades:BTC-USDT"). errc::invalid_argument (context
/// says why) for an unknown kind, a bad interval, a symbol that is no
/// instrument or an unknown provider.
result<channel> parse_channel(std::string_view name);

/// Channel names an event belongs to.
std::string channel_of(const trade& x);  ///< "trades:<instrument>"
std::string channel_of(const quote& x);  ///< "quotes:<instrument>"
std::string channel_of(const bar& x);    ///< "bars:<interval>:<instrument>"
std::string channel_of(const feed_status& x); ///< "status:<provider>"

/// The channel every provider's status goes to as well.
inline constexpr std::string_view all_status_channel = "status:*";

/// A message from a client:
///   {"op":"subscribe","channels":["trades:BTC-USDT","bars:1m:BTC-USDT"]}
///   {"op":"unsubscribe","channels":[...]}
///   {"op":"ping"}
struct client_command {
  enum class op_kind : uint8_t { subscribe, unsubscribe, ping, resync } op;
  std::vector<std::string> channels;
};

/// Client input quoted in an error context: at most 64 bytes, ASCII only
/// (other bytes become '?', so a cut never leaves broken UTF-8), "..." when
/// cut.
std::string echo_input(std::string_view text);

} // namespace tickflow::broadcast
