#include "pipeline/cache/recent_trades.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tickflow::cache {
namespace {

trade make(const std::string& instrument, int64_t ts, const std::string& id) {
  trade t;
  t.instrument = instrument;
  t.trade_id = id;
  t.price = decimal::from_parts(100, 0);
  t.size = decimal::from_parts(1, 0);
  t.ts_event_ns = ts;
  return t;
}

std::vector<std::string> ids(const recent_answer& a) {
  std::vector<std::string> out;
  for (auto& t : a.trades)
    out.push_back(t.trade_id);
  return out;
}

TEST(RecentTrades, KeepsTheNewestPerInstrument) {
  recent_trades r{3};
  for (int i = 1; i <= 5; ++i)
    r.add(make("BTC-USDT", i * 10, std::to_string(i)));
  r.add(make("ETH-USDT", 7, "e1"));
  EXPECT_EQ(r.size(), 4u);
  EXPECT_EQ(r.instruments(), 2u);
  auto a = r.query("BTC-USDT", 0, 0, 10);
  EXPECT_EQ(ids(a), (std::vector<std::string>{"3", "4", "5"}));
  EXPECT_EQ(a.oldest_ns, 30);
  EXPECT_FALSE(a.complete); // fewer than asked, no start: older ones may be stored
  EXPECT_EQ(ids(r.query("ETH-USDT", 0, 0, 10)), std::vector<std::string>{"e1"});
  EXPECT_TRUE(r.query("SOL-USDT", 0, 0, 10).trades.empty());
}

TEST(RecentTrades, RangeLimitAndCompleteness) {
  recent_trades r{10};
  // Out of order arrival: answers are ordered by time, then id.
  for (int64_t ts : {50, 10, 40, 20, 30})
    r.add(make("BTC-USDT", ts, "t" + std::to_string(ts)));
  struct row {
    int64_t start, end;
    size_t limit;
    std::vector<std::string> want;
    bool complete;
  };
  std::vector<row> rows = {
    {0, 0, 2, {"t40", "t50"}, true},              // the newest two: enough
    {0, 0, 9, {"t10", "t20", "t30", "t40", "t50"}, false},
    {20, 40, 9, {"t20", "t30", "t40"}, true},     // the ring reaches back to 20
    {5, 40, 9, {"t10", "t20", "t30", "t40"}, false}, // before the oldest held
    {10, 0, 9, {"t10", "t20", "t30", "t40", "t50"}, true},
    {60, 0, 9, {}, true},                         // after everything
    {0, 0, 0, {}, false},
  };
  for (auto& x : rows) {
    SCOPED_TRACE(std::to_string(x.start) + ".." + std::to_string(x.end));
    auto a = r.query("BTC-USDT", x.start, x.end, x.limit);
    EXPECT_EQ(ids(a), x.want);
    EXPECT_EQ(a.complete, x.complete);
  }
}

TEST(RecentTrades, FullRingReusesItsSlots) {
  recent_trades r{2};
  r.add(make("BTC-USDT", 1, "a"));
  r.add(make("BTC-USDT", 2, "b"));
  for (int i = 3; i < 100; ++i)
    r.add(make("BTC-USDT", i, std::to_string(i)));
  EXPECT_EQ(r.size(), 2u);
  EXPECT_EQ(ids(r.query("BTC-USDT", 0, 0, 5)), (std::vector<std::string>{"98", "99"}));
}

TEST(RecentTrades, ZeroKeepsNothing) {
  recent_trades r{0};
  r.add(make("BTC-USDT", 1, "a"));
  EXPECT_EQ(r.size(), 0u);
  EXPECT_EQ(r.instruments(), 0u);
  EXPECT_FALSE(r.query("BTC-USDT", 0, 0, 5).complete);
}

} // namespace
} // namespace tickflow::cache
