#include "pipeline/ratelimit/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "tests/schedule/window_check.hpp"

namespace tickflow {
namespace {

using test::max_in_any_window;

constexpr int64_t ms = 1'000'000;
constexpr int64_t s = 1'000 * ms;

limiter_settings per_second(uint64_t n) {
  limiter_settings x;
  x.windows = {window_limit{s, n}};
  return x;
}

TEST(WindowCheck, FindsAnOverrunSomewhereInTheMiddle) {
  // 10 spread over a second, then one more 999 ms after the first.
  std::vector<int64_t> t;
  for (int i = 0; i < 10; ++i)
    t.push_back(i * 100 * ms);
  EXPECT_EQ(max_in_any_window(t, s), 10u);
  t.push_back(999 * ms);
  EXPECT_EQ(max_in_any_window(t, s), 11u);
  // Exactly one window later is a new window.
  t.back() = 1'000 * ms;
  EXPECT_EQ(max_in_any_window(t, s), 10u);
}

// A naive token bucket (10/s, capacity 10) lets 20 through in one second:
// the check must catch it, or it proves nothing.
TEST(WindowCheck, CatchesATokenBucketOverrun) {
  double tokens = 10;
  int64_t last = 0;
  std::vector<int64_t> sent;
  for (int64_t now = 0; now < 3 * s; now += 10 * ms) {
    tokens = std::min(10.0, tokens + static_cast<double>(now - last) * 10 / s);
    last = now;
    if (now >= 990 * ms && tokens >= 1) { // a quiet start fills the bucket
      tokens -= 1;
      sent.push_back(now);
    }
  }
  EXPECT_GT(max_in_any_window(sent, s), 10u);
}

struct sim_call {
  int64_t grant = 0;
  int64_t arrival = 0; ///< at the provider, between grant and completion
  int64_t done = 0;
};

/// Many callers on one limiter, with network delay on both legs; returns
/// the provider's arrival times.
std::vector<int64_t> simulate(rate_limiter& lim, uint64_t weight, int64_t until,
                              uint64_t seed, size_t* granted = nullptr) {
  std::mt19937_64 rng{seed};
  std::uniform_int_distribution<int64_t> leg{0, 80 * ms};
  std::vector<sim_call> flying;
  std::vector<int64_t> arrivals;
  std::vector<limiter_ticket> tickets;
  size_t n = 0;
  for (int64_t now = 0; now < until; now += ms) {
    // Completions first.
    for (size_t i = 0; i < flying.size();) {
      if (flying[i].done <= now) {
        lim.release(tickets[i], now);
        flying.erase(flying.begin() + static_cast<long>(i));
        tickets.erase(tickets.begin() + static_cast<long>(i));
      } else {
        ++i;
      }
    }
    // Demand is far above the limit: grant whatever may start.
    while (lim.may_start(now, weight)) {
      sim_call c;
      c.grant = now;
      c.arrival = now + leg(rng);
      c.done = c.arrival + leg(rng);
      tickets.push_back(lim.acquire(now, weight));
      flying.push_back(c);
      for (uint64_t k = 0; k < weight; ++k)
        arrivals.push_back(c.arrival);
      ++n;
    }
  }
  if (granted)
    *granted = n;
  return arrivals;
}

TEST(RateLimiter, NeverMoreThanTheLimitInAnySlidingSecond) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    rate_limiter lim{per_second(10)};
    size_t granted = 0;
    auto arrivals = simulate(lim, 1, 30 * s, seed, &granted);
    EXPECT_LE(max_in_any_window(arrivals, s), 10u) << "seed " << seed;
    // And it is not idle: most of the budget is used despite the delays.
    EXPECT_GE(granted, 150u) << "seed " << seed;
  }
}

TEST(RateLimiter, WindowsOfMinutesAndWeights) {
  limiter_settings x;
  x.windows = {window_limit{s, 20}, window_limit{60 * s, 300}};
  rate_limiter lim{x};
  auto arrivals = simulate(lim, 4, 3 * 60 * s, 7);
  EXPECT_LE(max_in_any_window(arrivals, s), 20u);
  EXPECT_LE(max_in_any_window(arrivals, 60 * s), 300u);
  EXPECT_GE(arrivals.size(), 600u); // about 300 weight a minute
}

TEST(RateLimiter, CountsACallInFlightUntilItEnds) {
  rate_limiter lim{per_second(2)};
  auto a = lim.acquire(0, 1);
  auto b = lim.acquire(0, 1);
  EXPECT_EQ(lim.next_grant(5 * s, 1), never_ns); // both still in flight
  lim.release(a, 5 * s);
  // Done at 5 s: counted until 6 s.
  EXPECT_EQ(lim.next_grant(5 * s, 2), never_ns); // b still holds one
  EXPECT_EQ(lim.next_grant(5 * s, 1), 6 * s);
  lim.release(b, 5'500 * ms);
  EXPECT_EQ(lim.next_grant(5'600 * ms, 2), 6'500 * ms);
}

TEST(RateLimiter, DailyQuota) {
  limiter_settings x;
  x.windows = {window_limit{24 * 3600 * s, 25}};
  rate_limiter lim{x};
  for (int i = 0; i < 25; ++i) {
    ASSERT_TRUE(lim.may_start(i * s, 1)) << i;
    auto t = lim.acquire(i * s, 1);
    lim.release(t, i * s);
  }
  EXPECT_FALSE(lim.may_start(3600 * s, 1));
  EXPECT_EQ(lim.next_grant(3600 * s, 1), 24 * 3600 * s); // the first one expires
}

TEST(RateLimiter, ConcurrencyCap) {
  limiter_settings x;
  x.concurrency = 2;
  rate_limiter lim{x};
  auto a = lim.acquire(0, 1);
  lim.acquire(0, 1);
  EXPECT_EQ(lim.next_grant(0, 1), never_ns);
  lim.release(a, 1);
  EXPECT_EQ(lim.next_grant(1, 1), 1);
}

TEST(RateLimiter, BurstShapesCallsApart) {
  auto x = per_second(10);
  x.burst = 2;
  rate_limiter lim{x};
  EXPECT_TRUE(lim.may_start(0, 1));
  lim.acquire(0, 1);
  EXPECT_TRUE(lim.may_start(0, 1));
  lim.acquire(0, 1);
  // Then one per 100 ms.
  EXPECT_EQ(lim.next_grant(0, 1), 100 * ms);
  EXPECT_FALSE(lim.can_ever(3)); // heavier than the burst
  EXPECT_TRUE(lim.can_ever(2));
}

TEST(RateLimiter, ProviderReportedWeightIsCounted) {
  limiter_settings x;
  x.windows = {window_limit{60 * s, 100}};
  rate_limiter lim{x};
  auto t = lim.acquire(0, 1);
  lim.release(t, 0);
  // Another client on the same IP used 95 more: the header says 96.
  lim.observe_used(60 * s, 96, 0);
  EXPECT_EQ(lim.used(60 * s, 0), 96u);
  EXPECT_TRUE(lim.may_start(0, 4));
  EXPECT_FALSE(lim.may_start(0, 5));
  // A lower report never lowers the count (it may lag).
  lim.observe_used(60 * s, 10, 0);
  EXPECT_EQ(lim.used(60 * s, 0), 96u);
  // Unknown window lengths are ignored.
  lim.observe_used(s, 1000, 0);
  EXPECT_EQ(lim.used(60 * s, 0), 96u);
}

TEST(RateLimiter, PausesForRetryAfterAndBans) {
  rate_limiter lim{per_second(10)};
  lim.pause_until(30 * s);
  EXPECT_EQ(lim.next_grant(s, 1), 30 * s);
  lim.pause_until(10 * s); // a shorter pause never shortens the longer one
  EXPECT_EQ(lim.paused_until(), 30 * s);
}

TEST(RateLimiter, CancelledCallsDoNotCount) {
  rate_limiter lim{per_second(1)};
  auto t = lim.acquire(0, 1);
  lim.cancel(t);
  EXPECT_TRUE(lim.may_start(0, 1));
  lim.release(t, 0); // already cancelled: nothing happens
  EXPECT_TRUE(lim.may_start(0, 1));
}

TEST(RateLimiter, WeightAboveALimitCanNeverStart) {
  rate_limiter lim{per_second(3)};
  EXPECT_FALSE(lim.can_ever(4));
  EXPECT_EQ(lim.next_grant(0, 4), never_ns);
}

TEST(RollingWindow, RoundsStampsUpAndMerges) {
  rolling_window w{window_limit{s, 100}};
  w.add(1, 1);          // rounded up to 1 ms
  w.add(999'999, 2);    // same grain
  EXPECT_EQ(w.used(0), 3u);
  EXPECT_EQ(w.used(s), 3u);          // counted until 1 ms + 1 s
  EXPECT_EQ(w.used(s + ms), 0u);
  w.add(5 * s, 1);
  w.add(4 * s, 1); // earlier than the newest: taken as the newest
  EXPECT_EQ(w.used(6 * s - 1), 2u);
  EXPECT_EQ(w.time_until_at_most(5 * s, 0), 6 * s);
}

} // namespace
} // namespace tickflow
