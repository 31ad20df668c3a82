#include "pipeline/ratelimit/retry_policy.hpp"

#include <algorithm>

#include "pipeline/flow/exponential_backoff.hpp"

namespace tickflow {

std::string_view to_string(failure_kind k) noexcept {
  switch (k) {
    case failure_kind::final: return "final";
    case failure_kind::transient: return "transient";
    case failure_kind::rate_limited: return "rate_limited";
    case failure_kind::banned: return "banned";
  }
  return "unknown";
}

failure_kind classify_failure(errc code, long http_status) noexcept {
  if (http_status == 418)
    return failure_kind::banned;
  switch (code) {
    case errc::rate_limited:
      return failure_kind::rate_limited;
    case errc::unavailable:
    case errc::provider_error:
      return failure_kind::transient;
    default:
      return failure_kind::final;
  }
}

int64_t backoff_ns(const retry_settings& s, uint32_t attempt, double unit) noexcept {
  auto d = doubled_delay(s.backoff_min_ns, s.backoff_max_ns,
                         attempt > 0 ? attempt - 1 : 0);
  unit = std::clamp(unit, 0.0, 1.0);
  auto half = d / 2;
  return half + static_cast<int64_t>(static_cast<double>(d - half) * unit);
}

int64_t pause_ns(const retry_settings& s, failure_kind kind,
                 int64_t retry_after_ns) noexcept {
  switch (kind) {
    case failure_kind::rate_limited:
      return retry_after_ns > 0 ? retry_after_ns : s.rate_limit_pause_ns;
    case failure_kind::banned:
      return retry_after_ns > 0 ? retry_after_ns : s.ban_pause_ns;
    default:
      return 0;
  }
}

int64_t retry_delay_ns(const retry_settings& s, uint32_t attempt,
                       int64_t retry_after_ns, double unit) noexcept {
  return std::max(backoff_ns(s, attempt, unit), retry_after_ns);
}

} // namespace tickflow
