#pragma once

// The contract of a provider's live WebSocket dialect: pure message builders
// and a pure frame parser. No I/O here: actors/stream_provider_actor owns the
// websocketpp connection, the reconnects and the watchdog; this says what to
// send and what a received frame means.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow {

/// A kind of live stream.
enum class stream_kind : uint8_t {
  trades,     ///< every trade (Binance trade, Polygon T./XT., Finnhub trade)
  agg_trades, ///< Binance aggTrade (trade_id = aggregate id)
  quotes,     ///< top of book (Binance bookTicker, Polygon Q.)
  bars,       ///< bars of `span` (Binance kline_<i>, Polygon A. = 1s, AM. = 1m)
};

std::string_view to_string(stream_kind k) noexcept;

/// One thing a consumer wants from a provider's stream.
struct stream_subscription {
  std::string instrument;      ///< canonical id ("BTC-USDT", "AAPL")
  stream_kind kind = stream_kind::trades;
  interval span = interval::m1; ///< bars only

  friend bool operator==(const stream_subscription& a, const stream_subscription& b) {
    return a.instrument == b.instrument && a.kind == b.kind
           && (a.kind != stream_kind::bars || a.span == b.span);
  }
};

/// What one received frame meant.
struct stream_frame {
  event_batch events;              ///< canonical events, ts_recv_ns = the frame's receive time
  std::vector<std::string> replies; ///< frames to send back at once (pong)
  bool heartbeat = false;          ///< a keep-alive or status: the link is alive
  std::string control;             ///< a control message worth a log line ("auth_success")
  bool auth_failed = false;        ///< the provider refused the credentials
};

/// A provider's WebSocket dialect.
class stream_protocol {
 public:
  virtual ~stream_protocol() = default;

  virtual provider id() const noexcept = 0;

  /// Path and query to connect to, appended to the configured ws(s):// base
  /// ("/stream" for Binance combined streams, "/stocks" for Polygon,
  /// "/?token=KEY" for Finnhub). Values in `secrets` must never be logged.
  virtual std::string path(const credentials& cred,
                           std::vector<std::string>& secrets) const = 0;

  /// Frames to send as soon as the connection is open (Polygon auth), in
  /// order. They may carry the key: never log them.
  virtual std::vector<std::string> on_open(const credentials& cred) const = 0;

  /// Frames that subscribe to / unsubscribe from `subs`, in order (Binance
  /// puts many streams in one message; `next_id` numbers its requests).
  /// errc::unknown_symbol for an instrument it cannot map,
  /// errc::invalid_argument for a kind or interval it does not stream.
  virtual result<std::vector<std::string>>
  subscribe(const std::vector<stream_subscription>& subs, uint64_t& next_id) const = 0;
  virtual result<std::vector<std::string>>
  unsubscribe(const std::vector<stream_subscription>& subs, uint64_t& next_id) const = 0;

  /// At most this many subscriptions on one connection (Binance: 1024).
  virtual size_t max_streams_per_connection() const noexcept = 0;
  /// At most this many frames sent per second on one connection (Binance: 5).
  virtual double max_outgoing_per_second() const noexcept = 0;

  /// Parses one text frame received at `recv_ns`. Never throws; garbage is
  /// errc::malformed (the caller counts it and goes on). Frames above
  /// max_stream_frame_bytes are malformed unread. Polygon and Finnhub send
  /// several events per frame: when some are bad, the result is the first
  /// error and `out` still holds the good ones (pass them on).
  virtual result<void> parse(std::string_view frame, int64_t recv_ns,
                             stream_frame& out) const = 0;

  /// The REST request that recovers what `sub` missed in [from_ns, to_ns],
  /// or nullopt when the provider offers none (the gap is then reported).
  virtual std::optional<fetch_request>
  backfill(const stream_subscription& sub, int64_t from_ns, int64_t to_ns) const = 0;

  /// Whether a full page answering `req` (a backfill() request) can be
  /// continued from its newest row. False where the provider ignores the
  /// start time and always serves the newest rows (Binance raw trades).
  virtual bool backfill_pages(const fetch_request& req) const noexcept {
    (void) req;
    return true;
  }
};

/// Largest text frame a parser reads (larger ones are errc::malformed).
inline constexpr size_t max_stream_frame_bytes = size_t{4} << 20;

/// `subs` without repeats (first kept, order kept), cut into groups of at
/// most `per_connection` (0: one group): one group per connection.
std::vector<std::vector<stream_subscription>>
spread_subscriptions(const std::vector<stream_subscription>& subs,
                     size_t per_connection);

/// The stream dialect of a provider (its descriptor's), or nullptr for one
/// without. Defined in adapters/registry.cpp.
std::unique_ptr<stream_protocol> make_stream_protocol(provider p,
                                                      const adapter_options& opts);

} // namespace tickflow
