#include "adapters/streams/feed_continuity.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {
namespace {

constexpr int64_t t0 = 1'700'000'000 * ns_per_s;
constexpr int64_t minute = 60 * ns_per_s;

trade btrade(int64_t id, int64_t ts, bool agg = false, std::string inst = "BTC-USDT") {
  trade x;
  x.instrument = std::move(inst);
  x.source = providers::binance;
  x.trade_id = (agg ? "a" : "") + std::to_string(id);
  x.ts_event_ns = ts;
  return x;
}

trade ptrade(std::string id, int64_t ts) {
  trade x;
  x.instrument = "AAPL";
  x.source = providers::polygon;
  x.trade_id = std::move(id);
  x.ts_event_ns = ts;
  return x;
}

bar kline(int64_t open_ns, bool closed, provider src = providers::binance,
          interval span = interval::m1) {
  bar x;
  x.instrument = src == providers::binance ? "BTC-USDT" : "AAPL";
  x.source = src;
  x.span = span;
  x.open_time_ns = open_ns;
  x.closed = closed;
  return x;
}

event_batch trades_batch(std::vector<trade> xs) {
  event_batch b;
  b.trades = std::move(xs);
  return b;
}

event_batch bars_batch(std::vector<bar> xs) {
  event_batch b;
  b.bars = std::move(xs);
  return b;
}

std::vector<std::string> ids(const event_batch& b) {
  std::vector<std::string> out;
  for (const auto& x : b.trades)
    out.push_back(x.trade_id);
  return out;
}

const std::vector<stream_subscription> subs{
  {"BTC-USDT", stream_kind::trades, interval::m1},
  {"BTC-USDT", stream_kind::agg_trades, interval::m1},
  {"BTC-USDT", stream_kind::bars, interval::m1},
  {"BTC-USDT", stream_kind::quotes, interval::m1},
  {"AAPL", stream_kind::trades, interval::m1},
};

TEST(FeedContinuity, DropsDuplicateTrades) {
  feed_continuity c;
  auto b1 = trades_batch({btrade(1, t0), btrade(2, t0 + 1), btrade(3, t0 + 2)});
  EXPECT_TRUE(c.on_live(subs, b1).empty());
  EXPECT_EQ(ids(b1), (std::vector<std::string>{"1", "2", "3"}));
  // A replay after a reconnect: 2 and 3 again, then new ones.
  auto b2 = trades_batch({btrade(2, t0 + 1), btrade(3, t0 + 2), btrade(4, t0 + 3), btrade(4, t0 + 3)});
  EXPECT_TRUE(c.on_live(subs, b2).empty());
  EXPECT_EQ(ids(b2), (std::vector<std::string>{"4"}));
  EXPECT_EQ(c.dropped(), 3u);
  // Non-integer ids (Polygon) dedupe too.
  auto p = trades_batch({ptrade("x1", t0), ptrade("x2", t0), ptrade("x1", t0)});
  EXPECT_TRUE(c.on_live(subs, p).empty()); // no skips reported for Polygon
  EXPECT_EQ(ids(p), (std::vector<std::string>{"x1", "x2"}));
}

TEST(FeedContinuity, TradeAndAggTradeIdsAreSeparateSeries) {
  feed_continuity c;
  auto b = trades_batch({btrade(5, t0), btrade(5, t0, true), btrade(6, t0 + 1, true)});
  EXPECT_TRUE(c.on_live(subs, b).empty());
  EXPECT_EQ(ids(b), (std::vector<std::string>{"5", "a5", "a6"}));
}

TEST(FeedContinuity, ReportsTradeIdSkips) {
  feed_continuity c;
  auto b1 = trades_batch({btrade(100, t0), btrade(101, t0 + 10)});
  c.on_live(subs, b1);
  auto b2 = trades_batch({btrade(105, t0 + 50), btrade(106, t0 + 60)});
  auto gaps = c.on_live(subs, b2);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].sub, subs[0]);
  EXPECT_EQ(gaps[0].from_ns, t0 + 10);
  EXPECT_EQ(gaps[0].to_ns, t0 + 50);
  EXPECT_EQ(gaps[0].why, "trade ids 102..104 missing");
  EXPECT_EQ(ids(b2).size(), 2u); // the events themselves pass
  auto agg = trades_batch({btrade(1, t0, true), btrade(3, t0 + 5, true)});
  auto agg_gaps = c.on_live(subs, agg);
  ASSERT_EQ(agg_gaps.size(), 1u);
  EXPECT_EQ(agg_gaps[0].sub.kind, stream_kind::agg_trades);
  EXPECT_EQ(agg_gaps[0].why, "aggTrade ids 2..2 missing");
}

TEST(FeedContinuity, ClosedBarsOnceAndNoUpdatesAfterClose) {
  feed_continuity c;
  auto b1 = bars_batch({kline(t0, false), kline(t0, false), kline(t0, true)});
  EXPECT_TRUE(c.on_live(subs, b1).empty());
  EXPECT_EQ(b1.bars.size(), 3u);
  auto b2 = bars_batch({kline(t0, true), kline(t0, false), kline(t0 + minute, false)});
  EXPECT_TRUE(c.on_live(subs, b2).empty());
  ASSERT_EQ(b2.bars.size(), 1u); // the repeat close and the late update go
  EXPECT_EQ(b2.bars[0].open_time_ns, t0 + minute);
}

TEST(FeedContinuity, ReportsBarOpenTimeSkips) {
  feed_continuity c;
  auto b1 = bars_batch({kline(t0, true)});
  c.on_live(subs, b1);
  auto b2 = bars_batch({kline(t0 + 4 * minute, false)});
  auto gaps = c.on_live(subs, b2);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].sub, subs[2]);
  EXPECT_EQ(gaps[0].from_ns, t0 + minute);     // first missing open
  EXPECT_EQ(gaps[0].to_ns, t0 + 3 * minute);   // last missing open
  EXPECT_EQ(gaps[0].why, "bars of 1m missing (3)");
  // Polygon aggregates skip quiet seconds: not a gap.
  auto p = bars_batch({kline(t0, true, providers::polygon, interval::s1),
                       kline(t0 + 9 * ns_per_s, true, providers::polygon, interval::s1)});
  EXPECT_TRUE(c.on_live(subs, p).empty());
  EXPECT_EQ(p.bars.size(), 2u);
}

TEST(FeedContinuity, BackfillKeepsOnlyWhatWasMissedAndMarksIt) {
  feed_continuity c;
  auto live = trades_batch({btrade(1, t0), btrade(2, t0 + 1), btrade(6, t0 + 6)});
  auto gaps = c.on_live(subs, live);
  ASSERT_EQ(gaps.size(), 1u);
  auto rest = trades_batch({btrade(2, t0 + 1), btrade(3, t0 + 3), btrade(4, t0 + 4),
                            btrade(5, t0 + 5), btrade(6, t0 + 6)});
  c.on_backfill(rest);
  EXPECT_EQ(ids(rest), (std::vector<std::string>{"3", "4", "5"}));
  for (const auto& x : rest.trades)
    EXPECT_NE(x.flags & quality_backfilled, 0u);
  // Once passed on, a second backfill of the same stretch adds nothing.
  auto again = trades_batch({btrade(3, t0 + 3), btrade(4, t0 + 4)});
  c.on_backfill(again);
  EXPECT_TRUE(again.trades.empty());
  // Bars: closed and missing ones stay; open ones and known ones go.
  auto lb = bars_batch({kline(t0, true), kline(t0 + 3 * minute, true)});
  c.on_live(subs, lb);
  auto rb = bars_batch({kline(t0, true), kline(t0 + minute, true), kline(t0 + 2 * minute, true),
                        kline(t0 + 4 * minute, false)});
  c.on_backfill(rb);
  ASSERT_EQ(rb.bars.size(), 2u);
  EXPECT_EQ(rb.bars[0].open_time_ns, t0 + minute);
  EXPECT_EQ(rb.bars[1].open_time_ns, t0 + 2 * minute);
  EXPECT_NE(rb.bars[0].flags & quality_backfilled, 0u);
  // And the live feed does not pass a backfilled bar twice.
  auto late = bars_batch({kline(t0 + minute, true)});
  c.on_live(subs, late);
  EXPECT_TRUE(late.bars.empty());
}

TEST(FeedContinuity, ReconnectGapsPerSubscriptionWithData) {
  feed_continuity c;
  event_batch b = trades_batch({btrade(10, t0 + 5), btrade(11, t0 + 7)});
  b.bars.push_back(kline(t0, false));
  quote q;
  q.instrument = "BTC-USDT";
  q.source = providers::binance;
  q.ts_event_ns = t0 + 8;
  b.quotes.push_back(q);
  c.on_live(subs, b);
  auto gaps = c.on_reconnect(subs, t0 + 10, t0 + 20 * ns_per_s);
  ASSERT_EQ(gaps.size(), 3u); // trades, bars, quotes; aggTrade and AAPL saw nothing
  EXPECT_EQ(gaps[0].sub, subs[0]);
  EXPECT_EQ(gaps[0].from_ns, t0 + 7);
  EXPECT_EQ(gaps[0].to_ns, t0 + 20 * ns_per_s);
  EXPECT_EQ(gaps[1].sub, subs[2]);
  EXPECT_EQ(gaps[1].from_ns, t0);
  EXPECT_EQ(gaps[2].sub, subs[3]);
  EXPECT_EQ(gaps[2].from_ns, t0 + 8);
  // The first id skip after the reconnect is already covered.
  auto after = trades_batch({btrade(11, t0 + 7), btrade(90, t0 + 21 * ns_per_s),
                             btrade(92, t0 + 22 * ns_per_s)});
  auto skips = c.on_live(subs, after);
  EXPECT_EQ(ids(after), (std::vector<std::string>{"90", "92"}));
  ASSERT_EQ(skips.size(), 1u); // only 91, a new hole
  EXPECT_EQ(skips[0].why, "trade ids 91..91 missing");
}

TEST(FeedContinuity, MemoryIsBoundedPerSeries) {
  feed_continuity c{8};
  event_batch b;
  for (int i = 0; i < 100; ++i)
    b.trades.push_back(ptrade("p" + std::to_string(i), t0 + i));
  c.on_live(subs, b);
  EXPECT_EQ(b.trades.size(), 100u);
  auto recent = trades_batch({ptrade("p99", t0), ptrade("p92", t0), ptrade("p0", t0)});
  c.on_live(subs, recent);
  // The last 8 ids are remembered; p0 is long forgotten and passes again.
  EXPECT_EQ(ids(recent), (std::vector<std::string>{"p0"}));
  // Integer ids: many disjoint ranges keep only the newest ones.
  feed_continuity r;
  event_batch holes;
  for (int64_t i = 0; i < 2000; ++i)
    holes.trades.push_back(btrade(i * 2, t0 + i));
  auto gaps = r.on_live(subs, holes);
  EXPECT_EQ(gaps.size(), 1999u);
  auto replay = trades_batch({btrade(3998, t0), btrade(0, t0)});
  r.on_live(subs, replay);
  EXPECT_EQ(ids(replay), (std::vector<std::string>{"0"}));
}

TEST(FeedContinuity, TradesWithoutIdsPassThrough) {
  feed_continuity c;
  trade x = btrade(1, t0);
  x.trade_id.clear();
  auto b = trades_batch({x, x});
  EXPECT_TRUE(c.on_live(subs, b).empty());
  EXPECT_EQ(b.trades.size(), 2u);
}

} // namespace
} // namespace tickflow
