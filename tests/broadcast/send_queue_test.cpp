// The per-client send policy (pipeline/flow): conflation, catching up,
// closing, and the global byte budget. Pure: the "transport" is a vector.

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/flow/client_send_queue.hpp"
#include "pipeline/flow/conflating_queue.hpp"

using namespace tickflow;

namespace {

std::vector<std::string> drain(conflating_queue<std::string>& q) {
  std::vector<std::string> out;
  q.drain([&](std::string&& s) { out.push_back(std::move(s)); });
  return out;
}

/// A transport that holds every frame until the test "writes" some bytes.
struct fake_transport {
  std::vector<std::string> sent;
  size_t unsent = 0;
  bool gone = false;

  std::optional<size_t> operator()(const std::string& frame) {
    if (gone)
      return std::nullopt;
    sent.push_back(frame);
    unsent += frame.size();
    return unsent;
  }
};

constexpr uint64_t key_a = 1ull << 32;
constexpr uint64_t key_b = 2ull << 32;

} // namespace

// -- conflating_queue ------------------------------------------------------------

TEST(ConflatingQueue, KeepsOnlyTheNewestFramePerKey) {
  conflating_queue<std::string> q;
  EXPECT_FALSE(q.push("a1", 2, key_a));
  EXPECT_FALSE(q.push("b1", 2, key_b));
  EXPECT_TRUE(q.push("a2", 2, key_a));
  EXPECT_TRUE(q.push("a3", 2, key_a));
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.bytes(), 4u);
  EXPECT_EQ(q.conflated(), 2u);
  // The newest of a key moves to the back: it never overtakes b1.
  EXPECT_EQ(drain(q), (std::vector<std::string>{"b1", "a3"}));
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.bytes(), 0u);
  EXPECT_EQ(q.conflated(), 2u); // cumulative
}

TEST(ConflatingQueue, UnkeyedFramesAreNeverDropped) {
  conflating_queue<std::string> q;
  q.push("snapshot", 8);
  q.push("a1", 2, key_a);
  q.push("error", 5);
  q.push("a2", 2, key_a);
  q.push("error", 5);
  EXPECT_EQ(drain(q),
            (std::vector<std::string>{"snapshot", "error", "a2", "error"}));
}

TEST(ConflatingQueue, SnapshotQueuedBeforeAnUpdateStaysFirst) {
  conflating_queue<std::string> q;
  q.push("a-old", 5, key_a); // from before an unsubscribe/resubscribe
  q.push("a-snapshot", 10);
  q.push("a-new", 5, key_a); // replaces a-old, behind the snapshot
  EXPECT_EQ(drain(q), (std::vector<std::string>{"a-snapshot", "a-new"}));
}

TEST(ConflatingQueue, EraseIfDropsOneChannelsFrames) {
  conflating_queue<std::string> q;
  q.push("a-bar-1", 7, key_a | 1);
  q.push("a-bar-2", 7, key_a | 2);
  q.push("b", 1, key_b);
  q.push("hello", 5);
  auto n = q.erase_if([](uint64_t k) { return (k >> 32) == 1; });
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(q.bytes(), 6u);
  EXPECT_EQ(drain(q), (std::vector<std::string>{"b", "hello"}));
}

TEST(ConflatingQueue, StaysSmallUnderEndlessConflation) {
  conflating_queue<std::string> q;
  for (int i = 0; i < 100000; ++i)
    q.push("x" + std::to_string(i), 10, key_a | static_cast<uint64_t>(i % 3));
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.bytes(), 30u);
  EXPECT_EQ(q.conflated(), 100000u - 3u);
  EXPECT_EQ(drain(q),
            (std::vector<std::string>{"x99997", "x99998", "x99999"}));
  // The queue works after compaction and draining.
  q.push("y", 1, key_a);
  EXPECT_EQ(drain(q), (std::vector<std::string>{"y"}));
}

// -- client_send_queue -------------------------------------------------------------

TEST(ClientSendQueue, LiveConsumerGetsEveryFrameAtOnce) {
  client_send_queue<std::string> q{{100, 1000}};
  fake_transport t;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(q.offer("ten bytes!", 10, key_a, t), send_outcome::sent);
    t.unsent = 0; // the transport keeps up
  }
  EXPECT_EQ(t.sent.size(), 5u);
  EXPECT_FALSE(q.behind());
  EXPECT_EQ(q.conflated(), 0u);
}

TEST(ClientSendQueue, SlowConsumerIsConflatedThenCatchesUp) {
  client_send_queue<std::string> q{{100, 1000}};
  fake_transport t;
  std::vector<send_outcome> outcomes;
  for (int i = 0; i < 11; ++i) // 110 unsent bytes: over 100
    outcomes.push_back(q.offer("0123456789", 10, key_a, t));
  EXPECT_EQ(outcomes.back(), send_outcome::fell_behind);
  EXPECT_TRUE(q.behind());
  EXPECT_EQ(q.episodes(), 1u);
  // Behind: updates wait, newest per key.
  EXPECT_EQ(q.offer("a-1......", 10, key_a, t), send_outcome::queued);
  EXPECT_EQ(q.offer("a-2......", 10, key_a, t), send_outcome::queued);
  EXPECT_EQ(q.offer("b-1......", 10, key_b, t), send_outcome::queued);
  EXPECT_EQ(t.sent.size(), 11u);
  EXPECT_EQ(q.queued(), 20u);
  EXPECT_EQ(q.conflated(), 1u);
  // A flush while still behind (unsent 60 > 50) sends the newest of each.
  EXPECT_EQ(q.flush(60, t), send_outcome::sent);
  EXPECT_TRUE(q.behind());
  ASSERT_EQ(t.sent.size(), 13u);
  EXPECT_EQ(t.sent[11], "a-2......");
  EXPECT_EQ(t.sent[12], "b-1......");
  // It read: unsent down to half the conflate threshold -> live again.
  t.unsent = 0;
  q.offer("a-3......", 10, key_a, t);
  EXPECT_EQ(q.flush(50, t), send_outcome::caught_up);
  EXPECT_FALSE(q.behind());
  EXPECT_EQ(t.sent.back(), "a-3......");
  t.unsent = 0;
  EXPECT_EQ(q.offer("live", 4, key_a, t), send_outcome::sent);
  EXPECT_EQ(t.sent.back(), "live");
}

TEST(ClientSendQueue, StalledConsumerIsClosedPastTheLimit) {
  client_send_queue<std::string> q{{100, 300}};
  fake_transport t; // never writes anything
  send_outcome last = send_outcome::sent;
  for (int i = 0; i < 11; ++i)
    last = q.offer("0123456789", 10, key_a, t);
  ASSERT_EQ(last, send_outcome::fell_behind);
  // Each flush hands the newest updates over; nothing drains, so the
  // backlog grows until it passes 300 bytes.
  int flushes = 0;
  for (; flushes < 100; ++flushes) {
    q.offer("a........", 10, key_a, t);
    q.offer("b........", 10, key_b, t);
    last = q.flush(t.unsent, t);
    if (last != send_outcome::sent)
      break;
  }
  EXPECT_EQ(last, send_outcome::close);
  EXPECT_GT(q.backlog(), 300u);
  EXPECT_GT(flushes, 5); // conflated for a while before that
}

TEST(ClientSendQueue, QueuedControlFramesCountTowardsTheLimit) {
  client_send_queue<std::string> q{{10, 100}};
  fake_transport t;
  ASSERT_EQ(q.offer("0123456789ab", 12, key_a, t), send_outcome::fell_behind);
  EXPECT_EQ(q.offer(std::string(50, 's'), 50, 0, t), send_outcome::queued);
  EXPECT_EQ(q.offer(std::string(50, 's'), 50, 0, t), send_outcome::close);
}

TEST(ClientSendQueue, GoneTransportIsReported) {
  client_send_queue<std::string> q{{100, 1000}};
  fake_transport t;
  t.gone = true;
  EXPECT_EQ(q.offer("x", 1, key_a, t), send_outcome::gone);
}

TEST(ClientSendQueue, ForgetDropsAnUnsubscribedChannel) {
  client_send_queue<std::string> q{{5, 1000}};
  fake_transport t;
  ASSERT_EQ(q.offer("123456", 6, key_a, t), send_outcome::fell_behind);
  q.offer("a", 1, key_a, t);
  q.offer("b", 1, key_b, t);
  q.forget([](uint64_t k) { return (k >> 32) == 1; });
  q.flush(0, t);
  EXPECT_EQ(t.sent.back(), "b");
  EXPECT_EQ(t.sent.size(), 2u);
}

// -- over_budget ---------------------------------------------------------------------

TEST(OverBudget, ClosesTheLargestBacklogsFirst) {
  std::vector<backlog_entry> xs{{1, 100}, {2, 500}, {3, 300}, {4, 50}};
  EXPECT_TRUE(over_budget(xs, 950).empty());
  EXPECT_EQ(over_budget(xs, 949), (std::vector<uint64_t>{2}));
  EXPECT_EQ(over_budget(xs, 450), (std::vector<uint64_t>{2}));
  EXPECT_EQ(over_budget(xs, 449), (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(over_budget(xs, 100), (std::vector<uint64_t>{2, 3, 1}));
  EXPECT_EQ(over_budget(xs, 0), (std::vector<uint64_t>{2, 3, 1, 4}));
}

TEST(OverBudget, TiesCloseTheOldestClientFirst) {
  std::vector<backlog_entry> xs{{7, 10}, {3, 10}, {5, 10}};
  EXPECT_EQ(over_budget(xs, 15), (std::vector<uint64_t>{3, 5}));
}
