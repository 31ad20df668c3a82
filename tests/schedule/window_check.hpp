#pragma once

// The check every rate test uses: the most requests seen in any half-open
// window [t, t + window), over every start t (it suffices to start at each
// request: the count only grows when a window starts at one).

#include <algorithm>
#include <cstdint>
#include <vector>

namespace tickflow::test {

/// The largest number of `times` (ns, any order) inside any [t, t + window).
inline size_t max_in_any_window(std::vector<int64_t> times, int64_t window_ns) {
  std::sort(times.begin(), times.end());
  size_t best = 0;
  size_t j = 0;
  for (size_t i = 0; i < times.size(); ++i) {
    j = std::max(j, i);
    while (j < times.size() && times[j] < times[i] + window_ns)
      ++j;
    best = std::max(best, j - i);
  }
  return best;
}

} // namespace tickflow::test
