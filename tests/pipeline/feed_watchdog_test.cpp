#include "pipeline/flow/feed_watchdog.hpp"

#include <gtest/gtest.h>

using tickflow::feed_watchdog;

namespace {
constexpr int64_t s = 1'000'000'000;
constexpr int64_t t0 = 1'700'000'000 * s;
}

TEST(FeedWatchdog, NotArmedNeverStale) {
  feed_watchdog w{30 * s};
  EXPECT_FALSE(w.stale(t0));
  EXPECT_FALSE(w.stale(t0 + 1000 * s));
  EXPECT_EQ(w.last_seen_ns(), 0);
}

TEST(FeedWatchdog, SilenceAfterConnectIsStale) {
  feed_watchdog w{30 * s};
  w.on_connect(t0);
  EXPECT_FALSE(w.stale(t0 + 30 * s)); // exactly the bound: not yet
  EXPECT_TRUE(w.stale(t0 + 30 * s + 1));
}

TEST(FeedWatchdog, MessagesKeepItFresh) {
  feed_watchdog w{30 * s};
  w.on_connect(t0);
  w.on_message(t0 + 20 * s);
  EXPECT_FALSE(w.stale(t0 + 45 * s));
  EXPECT_TRUE(w.stale(t0 + 51 * s));
  EXPECT_EQ(w.last_message_ns(), t0 + 20 * s);
}

TEST(FeedWatchdog, HeartbeatsKeepAQuietChannelAlive) {
  feed_watchdog w{30 * s};
  w.on_connect(t0);
  w.on_message(t0 + 1 * s);
  // No data for ten minutes, a ping every 20 s: never stale.
  for (int64_t t = 20; t <= 600; t += 20) {
    w.on_heartbeat(t0 + t * s);
    EXPECT_FALSE(w.stale(t0 + t * s + 29 * s)) << t;
  }
  EXPECT_EQ(w.last_message_ns(), t0 + 1 * s);
  EXPECT_EQ(w.last_seen_ns(), t0 + 600 * s);
  EXPECT_TRUE(w.stale(t0 + 631 * s)); // the pings stop
}

TEST(FeedWatchdog, LateTimesDoNotRewind) {
  feed_watchdog w{10 * s};
  w.on_message(t0 + 5 * s);
  w.on_heartbeat(t0); // a late callback
  EXPECT_EQ(w.last_seen_ns(), t0 + 5 * s);
  EXPECT_FALSE(w.stale(t0 + 14 * s));
}

TEST(FeedWatchdog, DisabledWithZeroBound) {
  feed_watchdog w{0};
  w.on_connect(t0);
  EXPECT_FALSE(w.stale(t0 + 1'000'000 * s));
}
