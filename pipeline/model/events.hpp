#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/decimal.hpp"
#include "pipeline/model/interval.hpp"
#include "pipeline/model/provider.hpp"

namespace tickflow {

// -- instrument ids -----------------------------------------------------------

/// True for a canonical instrument id: 1 to 32 characters of A-Z, 0-9 and
/// '-', '.', '=', '_', '/', ':' ("BTC-USDT", "AAPL", "BRK.B", "EURUSD=X",
/// "ESZ6"), starting with a letter or digit. Lowercase is not canonical.
bool is_canonical_instrument(std::string_view id) noexcept;

// -- event types --------------------------------------------------------------

/// Which side initiated a trade.
enum class side : uint8_t { unknown, buy, sell };

std::string_view to_string(side s) noexcept;

/// Quality flags carried by events (bit mask). Validators set them; nothing
/// is dropped silently.
enum quality_flag : uint32_t {
  quality_none = 0,
  quality_backfilled = 1u << 0,  ///< recovered by a REST backfill
  quality_outlier = 1u << 1,     ///< outside the rolling z-score / MAD band
  quality_stale = 1u << 2,       ///< older than the freshness bound
  quality_divergent = 1u << 3,   ///< disagrees with other providers
  quality_duplicate = 1u << 4,   ///< seen before (provider id / open time)
  quality_out_of_order = 1u << 5,///< older than the last event of its series
  quality_future = 1u << 6,      ///< timestamp ahead of the clock beyond skew
  quality_synthetic = 1u << 7,   ///< made up by a synthetic feed
  quality_replayed = 1u << 8,    ///< a journal replay that crossed nodes late
  /// An optional field the provider left out was defaulted (a price without
  /// its time: the receive time stands in), not refused.
  quality_defaulted = 1u << 9,
};

/// The names of the quality flags in bit order: quality_flag_names[i] names
/// the flag 1u << i. Every JSON form of an event (REST, WebSocket, Redis
/// values and PUBLISH payloads) writes and reads these names, so a new flag
/// is added here, next to its bit, and nowhere else.
inline constexpr std::string_view quality_flag_names[] = {
  "backfilled", "outlier",      "stale",  "divergent",
  "duplicate",  "out_of_order", "future", "synthetic",
  "replayed",   "defaulted",
};

/// The flag named `name` (one bit of the mask); nullopt for an unknown name.
std::optional<quality_flag> quality_flag_from_string(std::string_view name) noexcept;

/// One executed trade, normalized across providers.
struct trade {
  std::string instrument;      ///< canonical id, e.g. "BTC-USDT"
  std::string provider_symbol; ///< the provider's own symbol, e.g. "BTCUSDT"
  provider source{};
  decimal price;
  decimal size;
  side aggressor = side::unknown;
  std::string trade_id;        ///< provider-assigned
  int64_t ts_event_ns = 0;     ///< provider clock, UTC ns
  int64_t ts_recv_ns = 0;      ///< our wall clock when the payload arrived
  uint32_t flags = quality_none;
};

/// Top of book.
struct quote {
  std::string instrument;
  std::string provider_symbol;
  provider source{};
  decimal bid_price;
  decimal bid_size;
  decimal ask_price;
  decimal ask_size;
  int64_t ts_event_ns = 0;
  int64_t ts_recv_ns = 0;
  uint32_t flags = quality_none;
};

/// OHLCV bar. `closed` is false while the bar is still being built.
struct bar {
  std::string instrument;
  std::string provider_symbol;
  provider source{};
  interval span = interval::m1;
  int64_t open_time_ns = 0; ///< start of the bar, UTC ns
  decimal open;
  decimal high;
  decimal low;
  decimal close;
  decimal volume;
  uint64_t trade_count = 0;
  bool closed = false;
  int64_t ts_recv_ns = 0;
  uint32_t flags = quality_none;
};

/// Latest known price of an instrument (from its last trade or a quote/ticker).
struct price {
  std::string instrument;
  provider source{};
  decimal value;
  std::string trade_id; ///< id of the trade that set it, when there is one
  int64_t ts_event_ns = 0;
  int64_t ts_recv_ns = 0;
  uint32_t flags = quality_none;
};

/// The price a trade sets (its price, id, times, source and flags).
price price_of(const trade& t);

/// What happened to a provider's live feed.
enum class feed_state : uint8_t {
  connected,    ///< first connection up, subscriptions sent
  disconnected, ///< the connection dropped (gap_start_ns: last message seen)
  reconnected,  ///< back, subscriptions restored (gap: [gap_start_ns, gap_end_ns])
  degraded,     ///< subscribed but silent beyond the stale bound
  backfilled,   ///< the gap [gap_start_ns, gap_end_ns] was recovered over REST
};

std::string_view to_string(feed_state s) noexcept;

/// A status event: a feed's state change, so consumers know about gaps.
/// It travels with the events (event_batch::statuses) to the cache and the
/// WebSocket channel "status:<provider>".
struct feed_status {
  provider source{};
  std::string connection;   ///< which connection of the provider ("<provider>#0")
  feed_state state = feed_state::connected;
  int64_t gap_start_ns = 0; ///< last message before the gap (0: none)
  int64_t gap_end_ns = 0;   ///< first message after it (0: still open)
  std::string reason;       ///< human-readable ("stale for 30s", "closed 1006")
  int64_t ts_ns = 0;        ///< when tickflow saw the change
};

/// What flows between pipeline stages: a batch of canonical events, and the
/// feed status changes that came with them.
struct event_batch {
  std::vector<trade> trades;
  std::vector<quote> quotes;
  std::vector<bar> bars;
  std::vector<feed_status> statuses;

  /// Market events only (statuses are not events).
  size_t size() const noexcept {
    return trades.size() + quotes.size() + bars.size();
  }
  /// Nothing to pass on: no events and no statuses.
  bool empty() const noexcept { return size() == 0 && statuses.empty(); }
};

} // namespace tickflow
