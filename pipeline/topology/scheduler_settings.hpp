#pragma once

// Settings of the scheduler area; filled by pipeline/topology/topology_scheduler.cpp.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pipeline/ratelimit/failover.hpp"
#include "pipeline/ratelimit/provider_limits.hpp"
#include "pipeline/ratelimit/retry_policy.hpp"

namespace tickflow {

/// [scheduler], [limits.<provider>], [failover]: the rate-limit scheduler
/// every upstream REST call goes through.
struct scheduler_settings {
  /// Draw on one budget per provider key in Redis ([redis] host/port), so
  /// several tickflow processes together stay under each limit.
  bool shared = false;
  std::string key_prefix = "tickflow"; ///< Redis keys: <prefix>:budget:<provider>:<key>
  size_t queue_bound = 1024;           ///< calls waiting per provider
  int64_t max_wait_ns = 3'000'000'000; ///< wait for a grant at the last provider of a chain
  int64_t failover_wait_ns = 250'000'000; ///< ... when another provider could serve
  int64_t fresh_for_ns = 1'000'000'000;   ///< an identical answer this young is reused
  size_t fresh_entries = 10000;           ///< answers kept for reuse
  retry_settings retry;
  /// Limits of every REST provider (built-in defaults, then config).
  std::map<std::string, provider_limits> limits = default_limit_table();
  failover_settings failover;
};

} // namespace tickflow
