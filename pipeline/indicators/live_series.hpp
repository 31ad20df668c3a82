#pragma once

// One live indicator channel ("ind:rsi14:1m:BTC-USDT"): the incremental
// state fed with the closed bars of its instrument and interval, seeded from
// stored bars when the first client subscribes. Closed bars that arrive
// while the stored ones are on their way are held and fed after them, so
// the order is kept and no bar counts twice (a bar not newer than the last
// one fed is skipped). Pure: the owner (the broadcaster) does the I/O.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "pipeline/indicators/indicator_spec.hpp"

namespace tickflow::indicators {

/// The spec of a live channel's indicator name ("rsi14") on `span` bars:
/// volatility annualized by bars_per_year(span); VWAP of intraday bars
/// starting again every UTC day (a session), of 1d and longer cumulative.
/// Errors as parse_indicator (periods up to max_period).
result<indicator_spec> live_spec(std::string_view name, interval span,
                                 size_t max_period);

class live_series {
 public:
  /// `max_held`: closed bars held while unseeded, at most (the oldest go).
  live_series(const indicator_spec& spec, size_t max_held);

  const indicator_spec& spec() const noexcept { return spec_; }

  bool seeded() const noexcept { return seeded_; }

  /// Feeds the stored bars (any order; one per open time, the last given
  /// wins) and then the bars held meanwhile; from now on closed bars are fed
  /// as they come. Returns last(). A second seed() is ignored.
  std::optional<point> seed(std::vector<ohlcv> stored);

  /// A closed bar of the series: held while unseeded (nullopt); else fed
  /// when newer than the last bar fed, and its point returned (nullopt in
  /// warm-up, or for a bar that is not newer).
  std::optional<point> on_closed_bar(const ohlcv& b);

  /// The newest point, if the indicator has one yet.
  const std::optional<point>& last() const noexcept { return last_; }

  /// Bars fed so far.
  size_t bars_fed() const noexcept { return fed_; }

  /// Back to a fresh, unseeded state (no one listens any more).
  void reset();

 private:
  std::optional<point> feed(const ohlcv& b);

  indicator_spec spec_;
  size_t max_held_;
  indicator_state state_;
  std::vector<ohlcv> held_;
  std::optional<point> last_;
  int64_t last_t_ns_ = std::numeric_limits<int64_t>::min();
  size_t fed_ = 0;
  bool seeded_ = false;
};

} // namespace tickflow::indicators
