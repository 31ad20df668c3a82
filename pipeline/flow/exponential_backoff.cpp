#include "pipeline/flow/exponential_backoff.hpp"

#include <algorithm>
#include <limits>

namespace tickflow {

int64_t doubled_delay(int64_t min_ns, int64_t max_ns,
                      uint32_t doublings) noexcept {
  int64_t d = std::max<int64_t>(min_ns, 0);
  // Stops at the cap (at most 63 rounds), so nothing overflows; 0 stays 0.
  for (uint32_t i = 0; i < doublings && d > 0 && d < max_ns; ++i)
    d = d > max_ns / 2 ? max_ns : d * 2;
  return std::min(d, max_ns);
}

exponential_backoff::exponential_backoff(int64_t min_ns,
                                         int64_t max_ns) noexcept
  : min_(min_ns > 0 ? min_ns : 1), max_(max_ns > min_ ? max_ns : min_) {
  // nop
}

int64_t exponential_backoff::next() noexcept {
  auto delay = current();
  if (attempts_ < std::numeric_limits<uint32_t>::max())
    ++attempts_;
  return delay;
}

} // namespace tickflow
