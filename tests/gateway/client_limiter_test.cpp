// api/client_limiter: per-client token buckets, time as a parameter.

#include <gtest/gtest.h>

#include "api/client_limiter.hpp"

using namespace tickflow::api;

namespace {
constexpr int64_t s = 1'000'000'000;
}

TEST(ClientLimiter, ABurstPassesThenTheRateApplies) {
  client_limiter l;
  client_rate r{2, 3}; // 2/s, burst 3
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(l.acquire("a", r, 0).allowed) << i;
  auto refused = l.acquire("a", r, 0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_ns, s / 2); // one token every 0.5 s
  EXPECT_FALSE(l.acquire("a", r, s / 4).allowed);
  EXPECT_TRUE(l.acquire("a", r, s / 2).allowed);
  EXPECT_FALSE(l.acquire("a", r, s / 2).allowed);
}

TEST(ClientLimiter, EachClientHasItsOwnBucket) {
  client_limiter l;
  client_rate r{1, 1};
  EXPECT_TRUE(l.acquire("a", r, 0).allowed);
  EXPECT_FALSE(l.acquire("a", r, 0).allowed);
  EXPECT_TRUE(l.acquire("b", r, 0).allowed);
  EXPECT_EQ(l.tracked(), 2u);
}

TEST(ClientLimiter, ARefillNeverExceedsTheBurst) {
  client_limiter l;
  client_rate r{100, 2};
  EXPECT_TRUE(l.acquire("a", r, 0).allowed);
  // An hour later the bucket holds the burst (2), not 360000.
  EXPECT_TRUE(l.acquire("a", r, 3600 * s).allowed);
  EXPECT_TRUE(l.acquire("a", r, 3600 * s).allowed);
  EXPECT_FALSE(l.acquire("a", r, 3600 * s).allowed);
}

TEST(ClientLimiter, ZeroRateMeansNoLimitAndNoTracking) {
  client_limiter l;
  for (int i = 0; i < 1000; ++i)
    EXPECT_TRUE(l.acquire("a", {0, 1}, 0).allowed);
  EXPECT_EQ(l.tracked(), 0u);
}

TEST(ClientLimiter, ForgetsTheLongestIdleClientBeyondItsBound) {
  client_limiter l{2};
  client_rate r{1, 1};
  EXPECT_TRUE(l.acquire("a", r, 0).allowed);
  EXPECT_TRUE(l.acquire("b", r, 0).allowed);
  EXPECT_FALSE(l.acquire("a", r, 0).allowed); // a is now the most recent
  EXPECT_TRUE(l.acquire("c", r, 0).allowed);  // b, idle longest, is forgotten
  EXPECT_EQ(l.tracked(), 2u);
  EXPECT_FALSE(l.acquire("a", r, 0).allowed); // a was kept, still empty
  EXPECT_TRUE(l.acquire("b", r, 0).allowed);  // b starts full again
}

TEST(ClientLimiter, AClockGoingBackAddsNoTokens) {
  client_limiter l;
  client_rate r{1, 1};
  EXPECT_TRUE(l.acquire("a", r, 10 * s).allowed);
  EXPECT_FALSE(l.acquire("a", r, 5 * s).allowed);
}

TEST(RetryAfter, RoundsUpToWholeSecondsAndIsAtLeastOne) {
  EXPECT_EQ(retry_after_seconds(0), 1);
  EXPECT_EQ(retry_after_seconds(1), 1);
  EXPECT_EQ(retry_after_seconds(s), 1);
  EXPECT_EQ(retry_after_seconds(s + 1), 2);
  EXPECT_EQ(retry_after_seconds(-5), 1);
}
