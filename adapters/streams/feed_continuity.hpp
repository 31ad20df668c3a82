#pragma once

// Continuity of one live connection's feed: drops what was already passed
// on (duplicates after a reconnect, replays, backfill overlap) and finds the
// holes (skipped trade ids, skipped bar open times, the time a
// connection was down). Pure: times are parameters, memory is bounded per
// series.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "adapters/streams/stream_protocol.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow {

/// A stretch of a subscription's data that the live feed did not deliver.
struct feed_gap {
  stream_subscription sub;
  int64_t from_ns = 0; ///< last event time seen before the hole (UTC ns)
  int64_t to_ns = 0;   ///< first event time after it / the reconnect time
  std::string why;     ///< "trade ids 100..104 missing", "reconnect", ...
};

/// Per-connection continuity state.
///
/// Series: trades by (instrument, id space: trade / aggregate trade), quotes
/// by instrument, bars by (instrument, span). Integer trade ids of a
/// provider with consecutive ids (with the "a" prefix of aggregate ids
/// stripped) are remembered as a few ranges, other ids in a ring of the last
/// `memory_per_series` ids; closed bar open times in a ring of the same size.
///
/// Skips are reported only where the provider promises none: its descriptor
/// says so (stream_traits::consecutive_ids: trade ids consecutive per
/// symbol, a bar for every interval; Binance). Other feeds skip quiet
/// seconds or number trades sparsely, so their events are only deduplicated.
class feed_continuity {
 public:
  explicit feed_continuity(size_t memory_per_series = 4096);

  /// Live events, in place: drops what was already passed on (trades by
  /// (instrument, trade_id); closed bars by (instrument, span, open time);
  /// an open-bar update after that bar closed) and returns the gaps found:
  /// trade ids that skip and bar open times that skip by more than one span.
  /// `subs` names the subscription a gap belongs to (one matching the event;
  /// otherwise one is made from the event).
  std::vector<feed_gap> on_live(const std::vector<stream_subscription>& subs,
                                event_batch& b);

  /// Events recovered over REST, in place: keeps only those never passed on
  /// (open bars are dropped: the live feed will close them) and sets
  /// quality_backfilled on them; they count as passed on afterwards.
  void on_backfill(event_batch& b);

  /// After a disconnect: one gap per subscription of `subs` that has seen
  /// data, [last event time seen (at most down_ns), up_ns]. The first id or
  /// open-time skip of those series after this is not reported again.
  std::vector<feed_gap> on_reconnect(const std::vector<stream_subscription>& subs,
                                     int64_t down_ns, int64_t up_ns);

  /// Events dropped as already passed on, since construction.
  uint64_t dropped() const noexcept { return dropped_; }

 private:
  struct trade_series {
    std::vector<std::pair<int64_t, int64_t>> ranges; // [lo, hi] passed, sorted
    bool have_last = false;
    int64_t last_id = 0;            // highest integer id passed on live
    int64_t last_event_ns = 0;      // event time of the newest trade passed
    std::unordered_set<std::string> seen; // non-integer ids
    std::deque<std::string> order;        // ring order of `seen`
    bool resync = false;            // next skip already covered by a reconnect gap
  };
  struct bar_series {
    std::unordered_set<int64_t> closed; // open times of closed bars passed on
    std::deque<int64_t> order;          // ring order of `closed`
    int64_t last_open_ns = 0;           // newest open time passed (open or closed)
    bool have_last = false;
    int64_t last_event_ns = 0;
    bool resync = false;
  };
  struct quote_series {
    int64_t last_event_ns = 0;
  };

  using trade_key = std::pair<std::string, bool>;     // instrument, aggTrade ids
  using bar_key = std::pair<std::string, interval>;

  bool trade_passed(trade_series& s, const std::string& id, bool integer,
                    int64_t n) const;
  void remember_trade(trade_series& s, const std::string& id, bool integer,
                      int64_t n);
  bool bar_closed(const bar_series& s, int64_t open_ns) const;
  void remember_closed_bar(bar_series& s, int64_t open_ns);

  size_t memory_;
  std::map<trade_key, trade_series> trades_;

  /// The series of `x` (raw and aggregate ids kept apart: `agg`); `integer`
  /// and `n` say whether its id is an integer and which.
  trade_series& series_of(const trade& x, bool& integer, int64_t& n, bool& agg);
  std::map<bar_key, bar_series> bars_;
  std::map<std::string, quote_series> quotes_;
  uint64_t dropped_ = 0;
};

} // namespace tickflow
