#include "pipeline/flow/restart_backoff.hpp"

#include <algorithm>

namespace tickflow {

int64_t restart_backoff::on_crash(int64_t started_ns, int64_t crashed_ns) noexcept {
  if (crashed_ns - started_ns >= reset_after_)
    streak_ = 0;
  auto delay = std::max<int64_t>(min_, 1);
  for (uint32_t i = 0; i < streak_ && delay < max_; ++i)
    delay = delay > max_ / 2 ? max_ : delay * 2;
  ++streak_;
  return std::min(delay, max_);
}

} // namespace tickflow
