#include "pipeline/flow/restart_backoff.hpp"

#include <gtest/gtest.h>

using tickflow::restart_backoff;

namespace {
constexpr int64_t ms = 1'000'000;
}

TEST(RestartBackoff, DoublesUpToTheCap) {
  restart_backoff b{100 * ms, 1000 * ms, 60'000 * ms};
  int64_t expected[] = {100, 200, 400, 800, 1000, 1000};
  int64_t t = 0;
  for (auto e : expected) {
    EXPECT_EQ(b.on_crash(t, t + 10 * ms), e * ms);
    t += 20 * ms;
  }
  EXPECT_EQ(b.streak(), 6u);
}

TEST(RestartBackoff, ResetsAfterAHealthyRun) {
  restart_backoff b{100 * ms, 1000 * ms, 5000 * ms};
  EXPECT_EQ(b.on_crash(0, 1 * ms), 100 * ms);
  EXPECT_EQ(b.on_crash(0, 2 * ms), 200 * ms);
  EXPECT_EQ(b.on_crash(0, 6000 * ms), 100 * ms); // ran 6 s: streak reset
}

TEST(RestartBackoff, NeverOverflows) {
  restart_backoff b{1, INT64_MAX, INT64_MAX};
  int64_t last = 0;
  for (int i = 0; i < 200; ++i) {
    auto d = b.on_crash(0, 1);
    EXPECT_GE(d, last);
    last = d;
  }
  EXPECT_EQ(last, INT64_MAX);
}
