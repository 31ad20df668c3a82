#pragma once

// A provider-neutral L2 order book: price levels with exact decimals, one
// sorted vector per side, a bound on the levels kept per side. Pure: no I/O,
// no clock; the caller passes update ids and event times.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "pipeline/model/decimal.hpp"

namespace tickflow::book {

/// One price level: the total size resting at `price`.
struct level {
  decimal price;
  decimal size;
};

inline bool operator==(const level& a, const level& b) noexcept {
  return a.price == b.price && a.size == b.size;
}
inline bool operator!=(const level& a, const level& b) noexcept {
  return !(a == b);
}

/// Which side of the book.
enum class side : uint8_t { bid, ask };

/// What one level update did to the book.
enum class delta_effect : uint8_t {
  inserted,  ///< a new level
  updated,   ///< an existing level got a new size
  removed,   ///< size 0 removed an existing level
  absent,    ///< size 0 for a level the book does not hold: a no-op
  truncated, ///< a new level beyond max_depth: dropped (counted)
  rejected,  ///< price <= 0 or size < 0: ignored (counted)
};

/// An L2 book. Bids are served best (highest) first, asks best (lowest)
/// first. Each side keeps at most max_depth levels: a snapshot or an insert
/// that would go past it drops the worst levels (counted in
/// truncated_levels()). A book so bounded may show fewer levels than the
/// venue once inner levels are removed; the next snapshot restores it.
class l2_book {
 public:
  /// Default bound per side.
  static constexpr size_t default_max_depth = 1000;

  /// An empty book keeping at most `max_depth` levels per side (0 means 1).
  explicit l2_book(size_t max_depth = default_max_depth);

  /// Replaces both sides with the given levels (any order; a repeated price
  /// keeps its last size; size-0 and rejected levels are skipped) and sets
  /// the last update id and event time.
  void apply_snapshot(const std::vector<level>& bids,
                      const std::vector<level>& asks, uint64_t update_id,
                      int64_t ts_event_ns);

  /// Sets the size of one level: size 0 removes it (absent: a no-op).
  delta_effect apply(side s, decimal price, decimal size);

  /// Records the id and event time of the last update applied.
  void set_last_update(uint64_t update_id, int64_t ts_event_ns) noexcept {
    last_update_id_ = update_id;
    ts_event_ns_ = ts_event_ns;
  }

  /// Empties both sides and forgets the last update (counters stay).
  void clear() noexcept;

  /// The best bid (highest price), if any.
  std::optional<level> best_bid() const noexcept;
  /// The best ask (lowest price), if any.
  std::optional<level> best_ask() const noexcept;

  /// True when both sides hold levels and best bid >= best ask (crossed or
  /// locked): a consistent book never is.
  bool crossed() const noexcept;

  /// Levels held on side `s`.
  size_t depth(side s) const noexcept { return of(s).size(); }

  /// The i-th best level of side `s` (0 is the best). Precondition:
  /// i < depth(s).
  const level& at(side s, size_t i) const noexcept {
    const auto& v = of(s);
    return v[v.size() - 1 - i];
  }

  /// The best `n` levels of side `s`, best first, appended to `out`.
  void top(side s, size_t n, std::vector<level>& out) const;

  /// The best `n` levels of side `s`, best first.
  std::vector<level> top(side s, size_t n) const;

  /// Id of the last update applied (the snapshot's, then each delta's).
  uint64_t last_update_id() const noexcept { return last_update_id_; }
  /// Event time of the last update applied, ns (0 when none).
  int64_t ts_event_ns() const noexcept { return ts_event_ns_; }
  /// The bound on levels per side.
  size_t max_depth() const noexcept { return max_depth_; }

  /// Levels dropped because a side was full, since construction.
  uint64_t truncated_levels() const noexcept { return truncated_; }
  /// Levels ignored for a non-positive price or negative size.
  uint64_t rejected_levels() const noexcept { return rejected_; }

 private:
  // Storage order puts the best level at the back: updates cluster near the
  // top of the book, so inserts and erases there move few elements. Bids
  // are stored ascending, asks descending. Why vectors (a quick local loop,
  // -O2, the shared 2-core dev machine): 1000 levels a side, 2M random
  // updates within the best 50 (a quarter removals): 6.5 M applies/s here
  // against 5.2 M for std::map, no allocation per insert, and top-N reads
  // are contiguous. The BADGERBTC replay (78 diffs on a 440/1301-level
  // book) runs through book_sync at about 4.2 M diffs/s (~240 ns a diff);
  // parsing a diff frame costs ~2.2 us, ten times more.
  std::vector<level>& of(side s) noexcept {
    return s == side::bid ? bids_ : asks_;
  }
  const std::vector<level>& of(side s) const noexcept {
    return s == side::bid ? bids_ : asks_;
  }
  void fill_side(side s, const std::vector<level>& levels);

  size_t max_depth_;
  std::vector<level> bids_;
  std::vector<level> asks_;
  uint64_t last_update_id_ = 0;
  int64_t ts_event_ns_ = 0;
  uint64_t truncated_ = 0;
  uint64_t rejected_ = 0;
};

} // namespace tickflow::book
