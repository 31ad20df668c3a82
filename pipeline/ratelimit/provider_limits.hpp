#pragma once

// What one provider (its key) allows: rolling windows, burst, weights,
// concurrency, its circuit breaker. Built-in defaults follow each
// provider's published free-tier limits (its descriptor's, see
// pipeline/providers/provider_info.hpp), so a provider enabled without a
// [limits.<provider>] section is still never overrun.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/ratelimit/circuit_breaker.hpp"
#include "pipeline/ratelimit/rate_limiter.hpp"

namespace tickflow {

/// [limits.<provider>]
struct provider_limits {
  uint64_t per_second = 0; ///< weight per rolling second; 0: no limit
  uint64_t per_minute = 0; ///< ... per rolling minute
  uint64_t per_day = 0;    ///< ... per rolling day (daily quotas)
  uint64_t burst = 0;      ///< calls back to back (GCRA shaping); 0: off
  uint32_t concurrency = 1; ///< calls in flight at once
  /// Weight of a call per fetch kind ("price" -> 2); absent kinds weigh 1.
  std::vector<std::pair<std::string, uint64_t>> weights;
  /// Weight of one merged (multi-symbol) request; 0: the kind's weight.
  uint64_t batch_weight = 0;
  /// Instruments one merged request may carry (1: no merging).
  size_t max_batch = 1;
  breaker_settings breaker;

  /// The limiter for these limits.
  limiter_settings limiter() const;

  /// Weight of a call of `kind` ("price", "bars", ...).
  uint64_t weight_of(std::string_view kind) const;
};

/// The built-in limits of `provider`: its descriptor's published free tier;
/// a generous 10/s for one without (or an unknown name).
provider_limits default_limits(std::string_view provider);

/// The published limits of every provider that has them, by name.
std::map<std::string, provider_limits> default_limit_table();

} // namespace tickflow
