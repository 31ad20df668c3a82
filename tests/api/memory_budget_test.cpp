// The process-wide memory budget (api/memory_budget): RSS against a limit,
// sampled at most every 50 ms.

#include <gtest/gtest.h>

#include "api/memory_budget.hpp"

using tickflow::api::memory_budget;
using tickflow::api::resident_bytes;

TEST(MemoryBudget, ResidentBytesAreThoseOfThisProcess) {
  auto rss = resident_bytes();
  EXPECT_GT(rss, uint64_t{1} << 20); // a gtest binary holds more than 1 MiB
  EXPECT_LT(rss, uint64_t{64} << 30);
}

TEST(MemoryBudget, NoLimitIsNeverOver) {
  memory_budget b;
  EXPECT_EQ(b.limit(), 0u);
  EXPECT_FALSE(b.over());
  EXPECT_EQ(b.rss(), 0u); // no limit: not even sampled
}

TEST(MemoryBudget, OverALimitBelowTheProcessAndNotOverOneAbove) {
  memory_budget b;
  b.set_limit(1);
  EXPECT_TRUE(b.over());
  EXPECT_GT(b.rss(), 0u);
  b.set_limit(uint64_t{1} << 40); // set_limit samples again on the next ask
  EXPECT_FALSE(b.over());
  b.set_limit(0);
  EXPECT_FALSE(b.over());
}

TEST(MemoryBudget, RefusalsAreCounted) {
  memory_budget b;
  EXPECT_EQ(b.refusals(), 0u);
  b.count_refusal();
  b.count_refusal();
  EXPECT_EQ(b.refusals(), 2u);
  auto sampled = b.sample();
  EXPECT_GT(sampled, 0u);
  EXPECT_EQ(b.rss(), sampled);
}
