#include "pipeline/indicators/ohlcv.hpp"

#include <algorithm>

namespace tickflow::indicators {

ohlcv to_ohlcv(const bar& b) noexcept {
  return {b.open_time_ns,     b.open.to_double(),  b.high.to_double(),
          b.low.to_double(),  b.close.to_double(), b.volume.to_double()};
}

std::vector<ohlcv> to_series(const std::vector<bar>& bars) {
  std::vector<ohlcv> out;
  out.reserve(bars.size());
  for (auto& b : bars)
    out.push_back(to_ohlcv(b));
  // Stable: of bars with the same open time, the last given stays last.
  std::stable_sort(out.begin(), out.end(), [](const ohlcv& a, const ohlcv& b) {
    return a.t_ns < b.t_ns;
  });
  std::vector<ohlcv> unique;
  unique.reserve(out.size());
  for (auto& x : out) {
    if (!unique.empty() && unique.back().t_ns == x.t_ns)
      unique.back() = x;
    else
      unique.push_back(x);
  }
  return unique;
}

std::vector<double> closes_of(const std::vector<ohlcv>& xs) {
  std::vector<double> out;
  out.reserve(xs.size());
  for (auto& x : xs)
    out.push_back(x.close);
  return out;
}

} // namespace tickflow::indicators
