#pragma once

// Bars of a coarser interval built from finer bars of the same instrument
// (1h from 1m, 1d from 1h, 1w from 1d, 1M from 1d): what ohlcv and
// historical answer when no provider, cache or store has the interval
// itself. Prices are copied and volumes summed as exact decimals. Pure.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/model/events.hpp"
#include "pipeline/model/interval.hpp"

#include <optional>

namespace tickflow {

/// True if every `coarse` bar is a whole number of `fine` bars: `fine` is
/// shorter and its bars never straddle a `coarse` boundary (1m -> 5m, 1h ->
/// 1d, 1d -> 1w and 1M; not 3m -> 5m, 1d -> 3d is fine, 3d -> 1w is not).
bool resamples_from(interval coarse, interval fine) noexcept;

/// The intervals `coarse` can be built from, coarsest first.
std::vector<interval> finer_sources(interval coarse);

/// End (exclusive) of the `iv` bar that opens at open_ns: the next month's
/// first for 1M, else open_ns plus the interval.
int64_t bar_close_time(interval iv, int64_t open_ns) noexcept;

/// Builds the `coarse` bars of `fine` (one instrument, one finer interval,
/// any order; of two bars with one open time the later in `fine` counts).
/// Each coarse bar: the first open, the highest high, the lowest low, the
/// last close, the summed volume and trade count, every flag of its bars;
/// closed once its last fine bar is closed and ends at the coarse bar's
/// end. A volume sum that overflows keeps the sum so far. Oldest first.
std::vector<bar> resample_bars(const std::vector<bar>& fine, interval coarse);

/// The live interval a `coarse` series is built from: the coarsest of
/// `live` that builds it (resamples_from); nullopt when none does.
std::optional<interval> live_source(interval coarse, const std::vector<interval>& live);

/// Live coarse bars from live finer ones, for the WebSocket channels of
/// intervals nobody builds ("bars:5m:BTC-USDT" from 1m bars). A live series
/// sends updates of its open bar and then the bar once more, closed; the
/// coarse bar is every closed finer bar of its window plus the open one.
class live_resampler {
public:
  /// Folds `fine` into its instrument's `coarse` series and returns the
  /// coarse bar as it now stands; nullptr when `fine` is too old for it
  /// (before the open coarse bar, or a finer bar already folded closed).
  /// A finer bar of a later window starts the next coarse bar.
  const bar* add(const bar& fine, interval coarse);

  /// Forgets every series `keep(instrument, coarse)` says no to.
  template <class Keep>
  void retain(Keep&& keep) {
    for (auto i = series_.begin(); i != series_.end();)
      i = keep(i->first.first, i->first.second) ? std::next(i) : series_.erase(i);
  }

  /// Series held.
  size_t size() const noexcept { return series_.size(); }

private:
  struct series {
    int64_t open_ns = 0;         ///< the open coarse bar's open time
    bar done;                    ///< closed finer bars folded so far
    bool has_done = false;
    int64_t last_done_ns = 0;    ///< open time of the last closed finer bar
    bar current;                 ///< the open finer bar, latest update
    bool has_current = false;
    bar out;                     ///< what add() returned last
  };
  std::map<std::pair<std::string, interval>, series> series_;
};

} // namespace tickflow
