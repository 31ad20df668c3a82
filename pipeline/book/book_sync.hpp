#pragma once

// Keeps an l2_book in step with a diff feed and its REST snapshots: the
// state machine a depth stream follows (buffer diffs until the snapshot,
// drop the stale ones, check the first straddles the snapshot, then check
// every diff continues the previous one). Pure: no I/O, no clock; the
// caller (an actor) feeds snapshots and diffs and obeys the outcomes, e.g.
// fetches a new snapshot when one says resync.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>

#include "pipeline/book/l2_book.hpp"

namespace tickflow::book {

/// A full book as a REST snapshot gives it.
struct book_snapshot {
  uint64_t last_update_id = 0;
  int64_t ts_event_ns = 0; ///< 0 when the wire has no time
  std::vector<level> bids;
  std::vector<level> asks;
};

/// One diff of the feed: the updates with ids first_update_id..
/// last_update_id, each level's new total size (0 removes it).
struct book_delta {
  uint64_t first_update_id = 0;    ///< first id this diff covers
  uint64_t last_update_id = 0;     ///< last id this diff covers
  uint64_t prev_last_update_id = 0; ///< the previous diff's last id, when the
                                    ///< feed says it (previous_id rule)
  int64_t ts_event_ns = 0;
  std::vector<level> bids;
  std::vector<level> asks;
};

/// How consecutive diffs chain and how the first one meets the snapshot.
enum class continuity_rule : uint8_t {
  /// Ids are consecutive: a diff's first id is the previous last id + 1;
  /// diffs with last id <= the snapshot's are stale; the first applied
  /// covers snapshot id + 1 (first <= id+1 <= last).
  consecutive_ids,
  /// Each diff names the previous diff's last id (prev == previous last);
  /// diffs with last id < the snapshot's are stale; the first applied
  /// covers the snapshot id (first <= id <= last).
  previous_id,
};

/// Why the book must be rebuilt from a new snapshot.
enum class resync_reason : uint8_t {
  none,
  gap,               ///< a diff does not continue the previous one
  snapshot_behind,   ///< the first fresh diff starts after the snapshot
  crossed,           ///< best bid >= best ask after applying a diff
  buffer_overflow,   ///< too many diffs waited for the snapshot
  checksum_mismatch, ///< the venue's checksum disagrees with the book
};

/// Stable snake_case name of a reason, for logs and stats.
std::string_view to_string(resync_reason r) noexcept;

/// Where the sync stands.
enum class sync_state : uint8_t {
  awaiting_snapshot, ///< buffering diffs; the book is not valid
  synced,            ///< the book is valid
};

/// What one call did; the caller acts on resync.
struct sync_outcome {
  uint32_t applied = 0;   ///< diffs applied to the book
  uint32_t stale = 0;     ///< diffs dropped as older than the book
  uint32_t buffered = 0;  ///< diffs kept until a snapshot arrives
  resync_reason resync = resync_reason::none;

  /// True when the caller must fetch a new snapshot.
  bool resync_needed() const noexcept { return resync != resync_reason::none; }
};

/// Settings of a book_sync.
struct sync_settings {
  continuity_rule rule = continuity_rule::consecutive_ids;
  size_t max_depth = l2_book::default_max_depth; ///< levels per side
  size_t max_buffered = 1000; ///< diffs held while awaiting a snapshot
};

/// Counters since construction (never reset).
struct sync_stats {
  uint64_t applied = 0;
  uint64_t stale = 0;
  uint64_t overflowed = 0; ///< diffs dropped when the buffer was full
  uint64_t snapshots = 0;
  uint64_t resyncs = 0;
};

/// The sync state machine around one book.
class book_sync {
 public:
  explicit book_sync(sync_settings settings = {});

  /// Feeds one diff. Awaiting a snapshot: buffered (a full buffer is
  /// emptied, the diff kept, and the outcome says buffer_overflow: the
  /// snapshot being fetched may now be too old). Synced: dropped when
  /// stale, else checked (the first against the snapshot, then continuity)
  /// and applied; a gap or a crossed book afterwards says resync, the book
  /// becomes invalid and later diffs are buffered again (the one that
  /// showed the gap is kept as the first buffered).
  sync_outcome on_delta(book_delta delta);

  /// Applies a snapshot and then the buffered diffs that follow it.
  /// Resync when the snapshot itself is crossed, when the first fresh
  /// buffered diff does not straddle the snapshot (snapshot_behind: fetch
  /// again), on a gap inside the buffer, or when a diff crosses the book.
  sync_outcome on_snapshot(book_snapshot snapshot);

  /// Invalidates the book (e.g. the feed reconnected) and empties the
  /// buffer; later diffs wait for a snapshot.
  void reset();

  /// Where the sync stands.
  sync_state state() const noexcept { return state_; }
  /// True when the book is valid.
  bool synced() const noexcept { return state_ == sync_state::synced; }
  /// The book (valid only while synced()).
  const l2_book& book() const noexcept { return book_; }
  /// Diffs waiting for a snapshot.
  size_t buffered() const noexcept { return buffer_.size(); }
  /// Counters.
  const sync_stats& stats() const noexcept { return stats_; }
  /// The settings.
  const sync_settings& settings() const noexcept { return settings_; }

 private:
  enum class verdict : uint8_t { stale, apply, gap, behind };
  verdict judge(const book_delta& d) const noexcept;
  // Applies a diff judged `apply`; resync reason or none.
  resync_reason apply(const book_delta& d);
  void invalidate(sync_outcome& out, resync_reason why);

  sync_settings settings_;
  l2_book book_;
  sync_state state_ = sync_state::awaiting_snapshot;
  bool first_applied_ = false; // a diff was applied since the snapshot
  std::deque<book_delta> buffer_;
  sync_stats stats_;
};

} // namespace tickflow::book
