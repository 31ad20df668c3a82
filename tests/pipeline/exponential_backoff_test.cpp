// The one backoff rule (pipeline/flow/exponential_backoff): doubled_delay and
// the retry loop's exponential_backoff, which restart_backoff, jitter_backoff
// and the scheduler's retry_policy grow by too (their own tests pin their
// values).

#include "pipeline/flow/exponential_backoff.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "pipeline/flow/jitter_backoff.hpp"

using namespace tickflow;

namespace {
constexpr int64_t ms = 1'000'000;
constexpr int64_t max64 = std::numeric_limits<int64_t>::max();
}

TEST(DoubledDelay, DoublesUpToTheCap) {
  struct row {
    int64_t min_ns, max_ns;
    uint32_t doublings;
    int64_t want;
  } rows[] = {
    {100 * ms, 5000 * ms, 0, 100 * ms},
    {100 * ms, 5000 * ms, 1, 200 * ms},
    {100 * ms, 5000 * ms, 5, 3200 * ms},
    {100 * ms, 5000 * ms, 6, 5000 * ms},
    {100 * ms, 5000 * ms, 4'000'000'000u, 5000 * ms},
    {3, 100, 10, 100},
    {1, max64, 62, int64_t{1} << 62},
    {1, max64, 63, max64},
    {1, max64, 1000, max64},
    {max64 / 2 + 1, max64, 1, max64},
    {0, 100, 50, 0},        // 0 stays 0
    {-5, 100, 3, 0},        // negative is 0
    {200, 100, 3, 100},     // a cap below the start caps it
    {100 * ms, 100 * ms, 9, 100 * ms},
  };
  for (auto& r : rows)
    EXPECT_EQ(doubled_delay(r.min_ns, r.max_ns, r.doublings), r.want)
      << r.min_ns << " " << r.max_ns << " " << r.doublings;
}

TEST(ExponentialBackoff, NextDoublesAndResetStartsOver) {
  exponential_backoff b{100 * ms, 1000 * ms};
  EXPECT_EQ(b.current(), 100 * ms);
  EXPECT_EQ(b.attempts(), 0u);
  int64_t want[] = {100, 200, 400, 800, 1000, 1000};
  for (auto w : want)
    EXPECT_EQ(b.next(), w * ms);
  EXPECT_EQ(b.attempts(), 6u);
  EXPECT_EQ(b.current(), 1000 * ms);
  b.reset();
  EXPECT_EQ(b.attempts(), 0u);
  EXPECT_EQ(b.next(), 100 * ms);
  EXPECT_EQ(b.current(), 200 * ms);
}

TEST(ExponentialBackoff, OddBoundsAreSane) {
  exponential_backoff zero{0, 0}; // 1 ns, never 0: a retry must wait
  EXPECT_EQ(zero.next(), 1);
  EXPECT_EQ(zero.next(), 1);
  exponential_backoff inverted{500, 100}; // the cap is raised to the start
  EXPECT_EQ(inverted.next(), 500);
  EXPECT_EQ(inverted.next(), 500);
  exponential_backoff wide{1, max64};
  int64_t last = 0;
  for (int i = 0; i < 100; ++i) {
    auto d = wide.next();
    EXPECT_GE(d, last);
    last = d;
  }
  EXPECT_EQ(last, max64);
}

TEST(ExponentialBackoff, JitterSharesTheBound) {
  jitter_backoff j{100 * ms, 3000 * ms, 7};
  for (uint32_t n = 0; n < 8; ++n) {
    EXPECT_EQ(j.ceiling(), doubled_delay(100 * ms, 3000 * ms, n)) << n;
    j.next();
  }
}
