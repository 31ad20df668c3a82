#include "pipeline/flow/send_pacer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <vector>

using tickflow::send_pacer;

namespace {

constexpr int64_t s = 1'000'000'000;
constexpr int64_t t0 = 1'700'000'000 * s;

// The most frames any half-open window [t, t + 1 s) holds.
size_t busiest_second(const std::vector<int64_t>& times) {
  size_t best = 0;
  std::deque<int64_t> window;
  for (auto t : times) {
    window.push_back(t);
    while (window.front() <= t - s)
      window.pop_front();
    best = std::max(best, window.size());
  }
  return best;
}

} // namespace

TEST(SendPacer, BurstIsSpreadOut) {
  send_pacer p{5};
  std::vector<int64_t> times;
  for (int i = 0; i < 23; ++i)
    times.push_back(p.when(t0)); // all asked at once
  EXPECT_EQ(times.front(), t0);
  for (size_t i = 1; i < times.size(); ++i)
    EXPECT_GE(times[i], times[i - 1]);
  EXPECT_LE(busiest_second(times), 5u);
  EXPECT_EQ(p.interval_ns(), 200'000'000);
}

TEST(SendPacer, NoWindowOverNForIrregularTraffic) {
  for (double rate : {1.0, 3.0, 5.0, 7.0, 10.0}) {
    send_pacer p{rate};
    std::vector<int64_t> times;
    int64_t now = t0;
    uint64_t x = 12345;
    for (int i = 0; i < 500; ++i) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      now += static_cast<int64_t>((x >> 33) % (400'000'000)); // 0..0.4 s apart
      auto at = p.when(now);
      EXPECT_GE(at, now);
      times.push_back(at);
    }
    EXPECT_LE(busiest_second(times), static_cast<size_t>(rate)) << rate;
  }
}

TEST(SendPacer, IdleLinkSendsAtOnce) {
  send_pacer p{5};
  EXPECT_EQ(p.when(t0), t0);
  EXPECT_EQ(p.when(t0 + 10 * s), t0 + 10 * s);
  EXPECT_EQ(p.when(t0 + 10 * s), t0 + 10 * s + 200'000'000);
}

TEST(SendPacer, UnpacedWhenRateIsNotPositive) {
  send_pacer p{0};
  EXPECT_EQ(p.when(t0), t0);
  EXPECT_EQ(p.when(t0), t0);
  EXPECT_EQ(p.interval_ns(), 0);
}

TEST(SendPacer, FractionalRateRoundsTheSpacingUp) {
  send_pacer p{3};
  EXPECT_EQ(p.interval_ns(), 333'333'334); // 3 * that > 1 s
}
