#pragma once

// What to do after an upstream call failed: retry after a backoff with
// jitter, honour the provider's Retry-After, stay away during a ban.

#include <cstdint>
#include <string_view>

#include "pipeline/model/error.hpp"

namespace tickflow {

struct retry_settings {
  uint32_t max_retries = 2;                  ///< retries of one call after its first try
  int64_t backoff_min_ns = 200'000'000;      ///< first retry delay (before jitter)
  int64_t backoff_max_ns = 10'000'000'000;   ///< cap on the delay
  int64_t rate_limit_pause_ns = 1'000'000'000; ///< a 429 without Retry-After pauses this long
  int64_t ban_pause_ns = 120'000'000'000;      ///< a 418 without Retry-After pauses this long
};

/// How a failure is handled.
enum class failure_kind : uint8_t {
  final,        ///< the answer is the answer (unknown symbol, no data, bad key,
                ///< a body that does not parse: asking again gives the same)
  transient,    ///< transport, timeout, 5xx: retry, counts for the breaker
  rate_limited, ///< 429: pause the provider until Retry-After, then retry
  banned,       ///< 418: no call to the provider until the ban ends
};

std::string_view to_string(failure_kind k) noexcept;

/// The kind of a failure from its code and the upstream HTTP status (0: none).
failure_kind classify_failure(errc code, long http_status) noexcept;

/// Delay before retry number `attempt` (1-based): min * 2^(attempt-1) capped
/// at max, then "equal jitter": half of it fixed, half scaled by `unit`
/// (a uniform random number in [0, 1)), so retries of many callers spread.
int64_t backoff_ns(const retry_settings& s, uint32_t attempt, double unit) noexcept;

/// How long the provider must be left alone after a failure of `kind` that
/// said `retry_after_ns` (0: nothing said): the provider's word when given,
/// else the configured pause; 0 for the other kinds.
int64_t pause_ns(const retry_settings& s, failure_kind kind,
                 int64_t retry_after_ns) noexcept;

/// Delay before retry `attempt`: the backoff, but never before the
/// provider's Retry-After.
int64_t retry_delay_ns(const retry_settings& s, uint32_t attempt,
                       int64_t retry_after_ns, double unit) noexcept;

} // namespace tickflow
