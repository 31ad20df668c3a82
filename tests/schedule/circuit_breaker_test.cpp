#include "pipeline/ratelimit/circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace tickflow {
namespace {

constexpr int64_t s = 1'000'000'000;

breaker_settings three_in_ten() {
  return breaker_settings{3, 10 * s, 30 * s};
}

TEST(CircuitBreaker, OpensAfterThresholdFailuresInTheWindow) {
  circuit_breaker b{three_in_ten()};
  b.on_failure(0);
  b.on_failure(1 * s);
  EXPECT_EQ(b.state(2 * s), circuit_state::closed);
  EXPECT_TRUE(b.allow(2 * s));
  b.on_failure(2 * s);
  EXPECT_EQ(b.state(2 * s), circuit_state::open);
  EXPECT_FALSE(b.allow(3 * s));
  EXPECT_EQ(b.probe_at(), 32 * s);
  EXPECT_EQ(b.opened_count(), 1u);
}

TEST(CircuitBreaker, FailuresSpreadBeyondTheWindowDoNotOpenIt) {
  circuit_breaker b{three_in_ten()};
  for (int i = 0; i < 10; ++i)
    b.on_failure(i * 6 * s);
  EXPECT_EQ(b.state(60 * s), circuit_state::closed);
}

TEST(CircuitBreaker, HalfOpenLetsExactlyOneProbeThrough) {
  circuit_breaker b{three_in_ten()};
  for (int i = 0; i < 3; ++i)
    b.on_failure(0);
  EXPECT_FALSE(b.would_allow(29 * s));
  EXPECT_EQ(b.state(30 * s), circuit_state::half_open);
  EXPECT_TRUE(b.would_allow(30 * s));
  EXPECT_TRUE(b.allow(30 * s));   // the probe
  EXPECT_FALSE(b.allow(30 * s));  // no second one while it is out
  EXPECT_FALSE(b.allow(31 * s));
  b.on_success(31 * s);
  EXPECT_EQ(b.state(31 * s), circuit_state::closed);
  EXPECT_TRUE(b.allow(31 * s));
  EXPECT_TRUE(b.allow(31 * s));
}

TEST(CircuitBreaker, AFailedProbeOpensItAgain) {
  circuit_breaker b{three_in_ten()};
  for (int i = 0; i < 3; ++i)
    b.on_failure(0);
  EXPECT_TRUE(b.allow(30 * s));
  b.on_failure(31 * s);
  EXPECT_EQ(b.state(31 * s), circuit_state::open);
  EXPECT_FALSE(b.allow(60 * s));
  EXPECT_TRUE(b.allow(61 * s)); // next probe after another cooldown
  EXPECT_EQ(b.opened_count(), 2u);
}

TEST(CircuitBreaker, ThresholdZeroNeverOpens) {
  circuit_breaker b{breaker_settings{0, 10 * s, 30 * s}};
  for (int i = 0; i < 100; ++i)
    b.on_failure(0);
  EXPECT_EQ(b.state(0), circuit_state::closed);
}

TEST(CircuitBreaker, StatesHaveStableNames) {
  EXPECT_EQ(to_string(circuit_state::closed), "closed");
  EXPECT_EQ(to_string(circuit_state::open), "open");
  EXPECT_EQ(to_string(circuit_state::half_open), "half_open");
}

} // namespace
} // namespace tickflow
