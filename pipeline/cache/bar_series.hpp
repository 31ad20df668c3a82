#pragma once

// One (instrument, interval) bar series of the L1 with what it is known to
// cover, so the cache can tell a complete answer from a partial one.
//
// Bars come from two places: the live pipeline (every bar the validators
// pass, in time order) and read-through fills (the answer Redis, Postgres or
// a provider gave to a query, with the range that answer covers). Coverage
// is a small set of disjoint spans of open times; the newest span may be
// open-ended ("complete up to now"), either because the live pipeline feeds
// it or because a fill of a "newest bars" query said so (the cache's TTL
// bounds how long that claim is believed). Pure: no clock.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "pipeline/model/events.hpp"

namespace tickflow::cache {

/// A span of bar open times [from_ns, to_ns] known to be complete.
struct covered_span {
  int64_t from_ns = 0; ///< INT64_MIN: nothing exists before to_ns
  int64_t to_ns = 0;
};

/// How far the newest span reaches.
enum class tail_kind : uint8_t {
  closed,    ///< up to its to_ns only
  live,      ///< up to now: the live pipeline feeds it
  filled,    ///< up to now: a fill of a "newest bars" answer said so
};

/// What query() found.
struct series_answer {
  std::vector<bar> bars; ///< the newest `limit` bars of the range, oldest first
  bool complete = false; ///< coverage proves no bar of the answer is missing
};

class bar_series {
 public:
  /// Spans kept at most; older ones are forgotten beyond it.
  static constexpr size_t max_spans = 16;

  /// An empty series of `span` bars holding at most `max_bars` (>= 1).
  explicit bar_series(interval span = interval::m1, size_t max_bars = 1000);

  /// A bar of the live pipeline: stored (replacing the bar of the same open
  /// time) and, when it is newer than the covered spans, the newest span
  /// becomes live up to it. Returns the bars evicted by the bound.
  size_t add_live(const bar& b);

  /// A read-through answer: `bars` are every bar with open times in
  /// [from_ns, to_ns] (from INT64_MIN: none before), up to now when
  /// `open_ended`. A bounded fill that reaches the newest held bar ends an
  /// open-ended claim (the live feed would have bars after it). Returns the
  /// bars evicted by the bound.
  size_t fill(const std::vector<bar>& bars, int64_t from_ns, int64_t to_ns,
              bool open_ended);

  /// The newest `limit` bars with open times in [start_ns, end_ns] (0 =
  /// unbounded on that side) and whether they are complete: every slot the
  /// answer needs lies in one covered span. Without a start, a live series
  /// answers with what it holds (the bars since the feed started).
  series_answer query(int64_t start_ns, int64_t end_ns, size_t limit) const;

  /// Bars held, oldest first.
  const std::deque<bar>& bars() const noexcept { return bars_; }

  /// Covered spans, oldest first.
  const std::vector<covered_span>& spans() const noexcept { return spans_; }

  tail_kind tail() const noexcept { return tail_; }
  interval span() const noexcept { return span_; }
  size_t max_bars() const noexcept { return max_bars_; }

  /// Approximate bytes held (for the L1's byte bound).
  size_t approx_bytes() const noexcept;

 private:
  // Stores b in open-time order, replacing an equal open time.
  void store(const bar& b);
  // Drops the oldest bars beyond max_bars_ and the coverage below them.
  size_t enforce_bound();
  // Adds [from, to] to the spans, merging overlapping or adjacent ones;
  // returns the index of the span that now holds it.
  size_t cover(int64_t from_ns, int64_t to_ns);
  // True when b lies in a covered span.
  bool covered(int64_t open_ns) const noexcept;

  interval span_;
  size_t max_bars_;
  std::deque<bar> bars_;
  std::vector<covered_span> spans_;
  tail_kind tail_ = tail_kind::closed;
};

} // namespace tickflow::cache
