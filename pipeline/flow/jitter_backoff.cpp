#include "pipeline/flow/jitter_backoff.hpp"

#include <limits>

#include "pipeline/flow/exponential_backoff.hpp"

namespace tickflow {

jitter_backoff::jitter_backoff(int64_t min_ns, int64_t max_ns,
                               uint64_t seed) noexcept
  : min_(min_ns > 0 ? min_ns : 1),
    max_(max_ns > min_ ? max_ns : min_),
    state_(seed) {
  // nop
}

int64_t jitter_backoff::ceiling() const noexcept {
  return doubled_delay(min_, max_, attempts_);
}

uint64_t jitter_backoff::random() noexcept {
  // splitmix64: small, fast and the same on every platform.
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int64_t jitter_backoff::next() noexcept {
  const int64_t hi = ceiling();
  const auto span = static_cast<uint64_t>(hi - min_) + 1;
  const auto delay = min_ + static_cast<int64_t>(random() % span);
  if (attempts_ < std::numeric_limits<uint32_t>::max())
    ++attempts_;
  return delay;
}

} // namespace tickflow
