#include "pipeline/flow/jitter_backoff.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <vector>

using tickflow::jitter_backoff;

namespace {
constexpr int64_t ms = 1'000'000;
}

TEST(JitterBackoff, StaysWithinTheGrowingBound) {
  jitter_backoff b{100 * ms, 10'000 * ms, 42};
  int64_t cap = 100 * ms;
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(b.ceiling(), cap) << "attempt " << i;
    auto d = b.next();
    EXPECT_GE(d, 100 * ms);
    EXPECT_LE(d, cap);
    cap = std::min<int64_t>(cap * 2, 10'000 * ms);
  }
  EXPECT_EQ(b.attempts(), 40u);
  EXPECT_EQ(b.ceiling(), 10'000 * ms);
}

TEST(JitterBackoff, DelaysGrowWithAttempts) {
  // Averaged over many seeds, the 6th delay is far above the 1st.
  double first = 0;
  double sixth = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    jitter_backoff b{100 * ms, 60'000 * ms, seed};
    first += static_cast<double>(b.next());
    for (int i = 0; i < 4; ++i)
      b.next();
    sixth += static_cast<double>(b.next());
  }
  EXPECT_GT(sixth, first * 8); // bound grew 32x; the mean ~16x
}

TEST(JitterBackoff, JittersAcrossSeeds) {
  std::set<int64_t> seen;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    jitter_backoff b{100 * ms, 60'000 * ms, seed};
    for (int i = 0; i < 5; ++i)
      b.next();
    seen.insert(b.next());
  }
  EXPECT_GT(seen.size(), 40u); // not in step
}

TEST(JitterBackoff, SameSeedSameDelays) {
  jitter_backoff a{10 * ms, 5000 * ms, 7};
  jitter_backoff b{10 * ms, 5000 * ms, 7};
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(a.next(), b.next());
}

TEST(JitterBackoff, ResetStartsOver) {
  jitter_backoff b{100 * ms, 10'000 * ms, 3};
  for (int i = 0; i < 10; ++i)
    b.next();
  EXPECT_EQ(b.ceiling(), 10'000 * ms);
  b.reset();
  EXPECT_EQ(b.attempts(), 0u);
  EXPECT_EQ(b.ceiling(), 100 * ms);
  auto d = b.next();
  EXPECT_GE(d, 100 * ms);
  EXPECT_LE(d, 100 * ms);
  EXPECT_EQ(b.attempts(), 1u);
}

TEST(JitterBackoff, OddBoundsAreSane) {
  jitter_backoff zero{0, 0, 1};
  EXPECT_EQ(zero.next(), 1);
  jitter_backoff inverted{500, 100, 1};
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(inverted.next(), 500);
  jitter_backoff huge{1, INT64_MAX, 1};
  for (int i = 0; i < 200; ++i) {
    auto d = huge.next();
    EXPECT_GE(d, 1);
  }
  EXPECT_EQ(huge.ceiling(), INT64_MAX);
}
