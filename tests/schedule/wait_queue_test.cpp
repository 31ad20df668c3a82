#include "pipeline/ratelimit/wait_queue.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace tickflow {
namespace {

std::vector<int> drain(wait_queue<int>& q) {
  std::vector<int> out;
  while (auto x = q.pop())
    out.push_back(*x);
  return out;
}

TEST(WaitQueue, HigherPriorityFirstThenArrivalOrder) {
  wait_queue<int> q;
  q.push(priority::batch, 1);
  q.push(priority::low, 2);
  q.push(priority::urgent, 3);
  q.push(priority::medium, 4);
  q.push(priority::urgent, 5);
  q.push(priority::high, 6);
  q.push(priority::batch, 7);
  EXPECT_EQ(q.depth(priority::urgent), 2u);
  EXPECT_EQ(q.depth(priority::batch), 2u);
  EXPECT_EQ(*q.front(), 3);
  EXPECT_EQ(q.front_priority(), priority::urgent);
  EXPECT_EQ(drain(q), (std::vector<int>{3, 5, 6, 4, 2, 1, 7}));
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.front(), nullptr);
}

TEST(WaitQueue, FullQueuePushesOutTheNewestLowerPriority) {
  wait_queue<int> q{3};
  EXPECT_TRUE(q.push(priority::batch, 1).accepted);
  EXPECT_TRUE(q.push(priority::batch, 2).accepted);
  EXPECT_TRUE(q.push(priority::high, 3).accepted);
  auto r = q.push(priority::urgent, 4);
  EXPECT_TRUE(r.accepted);
  ASSERT_TRUE(r.evicted);
  EXPECT_EQ(*r.evicted, 2); // the newest of the lowest priority
  // Nothing lower than batch: a batch call is refused when full.
  auto refused = q.push(priority::batch, 5);
  EXPECT_FALSE(refused.accepted);
  EXPECT_FALSE(refused.evicted);
  auto high = q.push(priority::high, 6); // pushes out the last batch call
  EXPECT_TRUE(high.accepted);
  EXPECT_EQ(high.evicted, 1);
  // The same priority never pushes out its own kind.
  EXPECT_FALSE(q.push(priority::high, 7).accepted);
  EXPECT_EQ(drain(q), (std::vector<int>{4, 3, 6}));
}

TEST(WaitQueue, TakeIfRemovesInQueueOrderUpToALimit) {
  wait_queue<int> q;
  for (int i = 1; i <= 6; ++i)
    q.push(i % 2 ? priority::batch : priority::high, i);
  std::vector<int> taken;
  auto n = q.take_if([](int x) { return x > 1; }, [&](int x) { taken.push_back(x); }, 3);
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(taken, (std::vector<int>{2, 4, 6})); // the high lane comes first
  EXPECT_EQ(drain(q), (std::vector<int>{1, 3, 5}));
}

} // namespace
} // namespace tickflow

namespace tickflow {
namespace {

TEST(WaitQueue, PushFrontPutsAnItemBackFirstInLine) {
  wait_queue<int> q{2};
  q.push(priority::low, 1);
  q.push(priority::low, 2);
  auto x = q.pop();
  q.push_front(priority::low, *x);
  q.push_front(priority::urgent, 3); // even when full
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(*q.pop(), 3);
  EXPECT_EQ(*q.pop(), 1);
  EXPECT_EQ(*q.pop(), 2);
}

} // namespace
} // namespace tickflow
