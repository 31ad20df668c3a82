#include "api/client_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace tickflow::api {

client_limiter::client_limiter(size_t max_clients)
    : max_clients_(std::max<size_t>(1, max_clients)) {
  // nop
}

limit_decision client_limiter::acquire(const std::string& client,
                                       client_rate rate, int64_t now_ns) {
  if (!(rate.requests_per_second > 0))
    return {};
  auto burst = static_cast<double>(std::max<uint32_t>(1, rate.burst));
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(client);
    it = buckets_.emplace(client, bucket{burst, now_ns, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  auto& b = it->second;
  // Refill for the time since the last request (a clock going back adds
  // nothing).
  if (now_ns > b.last_ns) {
    auto elapsed_s = static_cast<double>(now_ns - b.last_ns) / 1e9;
    b.tokens = std::min(burst, b.tokens + elapsed_s * rate.requests_per_second);
    b.last_ns = now_ns;
  }
  b.tokens = std::min(b.tokens, burst); // the client's burst may have shrunk
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return {};
  }
  auto missing_s = (1 - b.tokens) / rate.requests_per_second;
  return {false, std::max<int64_t>(1, static_cast<int64_t>(std::ceil(missing_s * 1e9)))};
}

int64_t retry_after_seconds(int64_t ns) noexcept {
  constexpr int64_t second = 1'000'000'000;
  return std::max<int64_t>(1, (std::max<int64_t>(0, ns) + second - 1) / second);
}

} // namespace tickflow::api
