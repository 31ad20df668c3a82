#pragma once

// Who holds which live channel, for the subscription book: one slot per
// channel with its subscribers, the conflation key of each slot's frames,
// the live indicator series and the last status of every feed connection.
// Pure: no I/O, no clock.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pipeline/broadcast/channel.hpp"
#include "pipeline/indicators/live_series.hpp"
#include "pipeline/model/events.hpp"
#include "pipeline/topology/indicators_settings.hpp"

namespace tickflow::broadcast {

// -- conflation keys ---------------------------------------------------------------

/// Conflation key of a frame: the channel's id in the high half; bars add
/// their open time (seconds) in the low half, so the last update of every
/// bar survives conflation. 0 (no_key): never conflated.
using frame_key = uint64_t;
inline constexpr frame_key no_key = 0;
/// Heartbeats: below every channel's key, one per client queue.
inline constexpr frame_key heartbeat_key = 1;

/// A client as the index knows it; the book's clients derive from it.
struct subscriber {
  uint64_t id = 0;
  std::set<std::string> channels; ///< canonical names held
};

/// One channel's subscribers.
struct channel_slot {
  uint32_t id = 0; ///< unique per channel, assigned on first use
  std::vector<subscriber*> subscribers;
  /// Sequence number of the channel's last event sent ("seq"); mutable:
  /// counting frames does not change who listens.
  mutable uint64_t seq = 0;

  frame_key key() const noexcept { return static_cast<frame_key>(id) << 32; }
};

/// True if `key` belongs to the channel of slot `id`.
inline bool of_channel(frame_key key, uint32_t id) noexcept {
  return (key >> 32) == id;
}

/// The key of a bar update: its channel and its open time.
inline frame_key bar_key(const channel_slot& slot, const bar& b) noexcept {
  auto secs = static_cast<uint64_t>(b.open_time_ns / 1'000'000'000);
  return slot.key() | (secs & 0xffffffffu);
}

/// A live indicator channel ("ind:rsi14:1m:BTC-USDT"): its subscribers and
/// the indicator fed with the closed bars of its interval.
struct indicator_slot {
  channel_slot slot;
  interval span = interval::m1;
  std::optional<indicators::live_series> series;
};

/// The channels of one instrument.
struct instrument_slots {
  channel_slot trades;
  channel_slot quotes;
  std::map<interval, channel_slot> bars;
  std::map<std::string, indicator_slot> indicators; ///< by channel name
  std::map<size_t, channel_slot> books; ///< "book:<ID>:<depth>", by depth
  channel_slot book_top;                ///< "book_top:<ID>"
};

// -- the index ---------------------------------------------------------------------

class channel_index {
 public:
  explicit channel_index(indicators_settings cfg) : cfg_(cfg) {}

  /// The slot of a channel, created (and numbered) on first use.
  channel_slot& slot_of(const channel& c);

  /// Puts `s` on channel `c`; the slot's id.
  uint32_t add(const channel& c, subscriber& s);

  /// Takes `s` off channel `c`; the slot's id.
  uint32_t remove(const channel& c, subscriber& s);

  /// The slots of an instrument's channels, if any were ever used.
  instrument_slots* find(const std::string& instrument);

  /// "status:<provider>" (nullptr if never used) and "status:*".
  channel_slot* status_slot(std::string_view provider);
  const channel_slot& all_statuses() const noexcept { return status_all_; }

  // -- statuses -------------------------------------------------------------------

  /// Keeps the last status of each (provider, connection), for snapshots.
  void remember(const feed_status& s);
  /// The last statuses of `provider`'s connections ("*": every provider).
  std::vector<feed_status> statuses_for(const std::string& provider) const;

  // -- indicators -----------------------------------------------------------------

  /// Why an indicator channel cannot be served, if it cannot
  /// ([indicators] live, max-period).
  std::optional<std::string> refuse_indicator(const channel& c) const;

  /// The indicator channel's slot; its live series is made on first use.
  indicator_slot& indicator_of(const channel& c);

  /// Seeds an indicator channel with stored bars (closed ones only).
  void seed_indicator(const channel& c, const std::vector<bar>& stored);

  /// Feeds closed bars to the indicator channels of their series; calls
  /// f(const indicator_slot&, const std::string& channel, const point&) for
  /// each new value. A channel nobody holds any more starts afresh.
  template <class F>
  void on_closed_bars(const std::vector<bar>& bars, F&& f) {
    for (auto& b : bars) {
      if (!b.closed)
        continue;
      auto i = instruments_.find(b.instrument);
      if (i == instruments_.end())
        continue;
      for (auto& [name, x] : i->second.indicators) {
        if (x.span != b.span || !x.series)
          continue;
        if (x.slot.subscribers.empty()) {
          x.series->reset();
          continue;
        }
        if (auto p = x.series->on_closed_bar(indicators::to_ohlcv(b)))
          f(x, name, *p);
      }
    }
  }

  const indicators_settings& indicator_settings() const noexcept { return cfg_; }

 private:
  indicators_settings cfg_; ///< [indicators]: live, max-period, seed-bars
  std::unordered_map<std::string, instrument_slots> instruments_; ///< nodes: slots stay put
  std::map<std::string, channel_slot, std::less<>> status_slots_; ///< by provider
  channel_slot status_all_;                                       ///< "status:*"
  std::map<std::pair<std::string, std::string>, feed_status> last_status_;
  uint32_t next_id_ = 0;
};

} // namespace tickflow::broadcast
