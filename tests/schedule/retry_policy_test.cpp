#include "pipeline/ratelimit/retry_policy.hpp"

#include <gtest/gtest.h>

namespace tickflow {
namespace {

constexpr int64_t ms = 1'000'000;
constexpr int64_t s = 1'000 * ms;

TEST(RetryPolicy, ClassifiesFailures) {
  EXPECT_EQ(classify_failure(errc::rate_limited, 418), failure_kind::banned);
  EXPECT_EQ(classify_failure(errc::rate_limited, 429), failure_kind::rate_limited);
  EXPECT_EQ(classify_failure(errc::rate_limited, 200), failure_kind::rate_limited); // body said so
  EXPECT_EQ(classify_failure(errc::provider_error, 500), failure_kind::transient);
  EXPECT_EQ(classify_failure(errc::unavailable, 0), failure_kind::transient); // timeout
  for (auto c : {errc::unknown_symbol, errc::not_found, errc::invalid_argument,
                 errc::unauthorized, errc::malformed})
    EXPECT_EQ(classify_failure(c, 200), failure_kind::final) << to_string(c);
}

TEST(RetryPolicy, BackoffDoublesUpToTheCapWithJitter) {
  retry_settings r;
  r.backoff_min_ns = 100 * ms;
  r.backoff_max_ns = 1 * s;
  // unit 0 is the fixed half, unit ~1 the full delay.
  EXPECT_EQ(backoff_ns(r, 1, 0.0), 50 * ms);
  EXPECT_EQ(backoff_ns(r, 1, 1.0), 100 * ms);
  EXPECT_EQ(backoff_ns(r, 2, 1.0), 200 * ms);
  EXPECT_EQ(backoff_ns(r, 3, 1.0), 400 * ms);
  EXPECT_EQ(backoff_ns(r, 5, 1.0), 1 * s);  // 1.6 s capped
  EXPECT_EQ(backoff_ns(r, 60, 1.0), 1 * s); // no overflow
  EXPECT_EQ(backoff_ns(r, 2, 0.5), 150 * ms);
  for (double u = 0; u < 1; u += 0.1) {
    auto d = backoff_ns(r, 3, u);
    EXPECT_GE(d, 200 * ms);
    EXPECT_LE(d, 400 * ms);
  }
}

TEST(RetryPolicy, RetryAfterWinsOverAShorterBackoff) {
  retry_settings r;
  r.backoff_min_ns = 100 * ms;
  EXPECT_EQ(retry_delay_ns(r, 1, 3 * s, 0.5), 3 * s);
  EXPECT_EQ(retry_delay_ns(r, 1, 0, 1.0), 100 * ms);
}

TEST(RetryPolicy, PausesFollowTheProviderOrTheConfig) {
  retry_settings r;
  r.rate_limit_pause_ns = 2 * s;
  r.ban_pause_ns = 120 * s;
  EXPECT_EQ(pause_ns(r, failure_kind::rate_limited, 7 * s), 7 * s);
  EXPECT_EQ(pause_ns(r, failure_kind::rate_limited, 0), 2 * s);
  EXPECT_EQ(pause_ns(r, failure_kind::banned, 600 * s), 600 * s);
  EXPECT_EQ(pause_ns(r, failure_kind::banned, 0), 120 * s);
  EXPECT_EQ(pause_ns(r, failure_kind::transient, 5 * s), 0);
  EXPECT_EQ(pause_ns(r, failure_kind::final, 5 * s), 0);
}

} // namespace
} // namespace tickflow
