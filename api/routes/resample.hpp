#pragma once

// ohlcv and historical for an interval nobody has: when the read path
// answers with no bars, the same range is read at a finer interval the
// pipeline builds live (or 1m, which stores and providers commonly hold)
// and resampled (pipeline/normalize/bar_resampler). The answer says
// "resampled_from". Pure: the gateway does the reading.

#include <vector>

#include "api/routes/data.hpp"
#include "pipeline/model/interval.hpp"

namespace tickflow::api {

/// Most finer bars one resampled answer reads.
inline constexpr size_t max_finer_bars = 50'000;

/// The finer intervals to try for `target`, coarsest first: those that
/// build it and are built live (`live`), or 1m.
std::vector<interval> resample_plan(interval target, const std::vector<interval>& live);

/// The query for the `fine` bars of `q`'s range: start at the open of its
/// first bar, end at the last fine bar of its last one, as many bars as
/// `q.limit` bars need (at most max_finer_bars).
ohlcv_query finer_query(const ohlcv_query& q, interval fine);

} // namespace tickflow::api
