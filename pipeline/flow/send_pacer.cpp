#include "pipeline/flow/send_pacer.hpp"

#include <cmath>

namespace tickflow {

send_pacer::send_pacer(double per_second) noexcept {
  if (std::isfinite(per_second) && per_second > 0) {
    // Rounded up, so per_second intervals never fit inside one second.
    const double ns = std::ceil(1e9 / per_second);
    interval_ = ns < 1 ? 1 : ns > 1e18 ? int64_t{1'000'000'000'000'000'000}
                                       : static_cast<int64_t>(ns);
  }
}

int64_t send_pacer::when(int64_t now_ns) noexcept {
  if (interval_ == 0)
    return now_ns;
  const int64_t at = started_ && tat_ > now_ns ? tat_ : now_ns;
  started_ = true;
  tat_ = at + interval_;
  return at;
}

} // namespace tickflow
