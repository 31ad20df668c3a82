#pragma once

// The bar values indicators compute on. Bars carry exact decimals; the
// indicators work in double, so a bar is converted once, at the edge
// (to_ohlcv), and never travels back as a price.

#include <cstdint>
#include <vector>

#include "pipeline/model/events.hpp"

namespace tickflow::indicators {

/// One bar's values as doubles, keyed by its open time.
struct ohlcv {
  int64_t t_ns = 0; ///< open time of the bar, UTC ns
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
  double volume = 0;
};

/// The nearest doubles of a bar's decimals.
ohlcv to_ohlcv(const bar& b) noexcept;

/// Bars sorted by open time with one bar per open time (the last given for
/// a time wins), converted.
std::vector<ohlcv> to_series(const std::vector<bar>& bars);

/// The closes of `xs`, in order.
std::vector<double> closes_of(const std::vector<ohlcv>& xs);

} // namespace tickflow::indicators
