// adapters/simulator/simulator_book: the simulated books, replayed into a
// book_store as the books actor does.

#include "adapters/simulator/simulator_book.hpp"

#include <gtest/gtest.h>

#include "pipeline/book/book_store.hpp"

using namespace tickflow;

namespace {

constexpr int64_t ms = 1'000'000;
constexpr int64_t t0 = 1'700'000'000'000'000'000;

simulator_settings settings() {
  simulator_settings s;
  s.symbols = {{"BTC-USDT", *decimal::parse("65000")}, {"ETH-USDT", *decimal::parse("3000")}};
  s.seed = 7;
  return s;
}

std::vector<book_update> run(int ticks) {
  auto s = settings();
  simulator::feed prices{s};
  simulator::book_feed books{s, provider{1}, 10, 3};
  std::vector<book_update> out;
  std::vector<std::string> frames;
  for (int i = 0; i < ticks; ++i) {
    prices.advance(t0 + i * 10 * ms, frames);
    books.advance(prices, t0 + i * 10 * ms, out);
  }
  return out;
}

} // namespace

TEST(SimulatorBook, SnapshotsThenDeltasThatNeverCross) {
  auto updates = run(500);
  ASSERT_GT(updates.size(), 900u);
  book::book_store store;
  std::map<std::string, uint64_t> last;
  for (auto& u : updates) {
    EXPECT_EQ(u.snapshot, last[u.instrument] == 0) << u.instrument;
    EXPECT_EQ(u.update_id, last[u.instrument] + 1);
    last[u.instrument] = u.update_id;
    ASSERT_EQ(store.apply(u), book::store_outcome::applied);
    auto v = store.top(u.instrument, 100);
    ASSERT_FALSE(v->crossed) << u.instrument << " at " << u.update_id;
    EXPECT_GE(v->bids.size(), 7u); // at most 3 removals, refilled next tick
    EXPECT_LE(v->bids.size(), 10u);
    EXPECT_GE(v->asks.size(), 7u);
  }
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.counters().crossed, 0u);
  // Levels sit on the price grid around the last trade.
  auto v = store.top("BTC-USDT", 1);
  auto mid = (v->bids[0].price.to_double() + v->asks[0].price.to_double()) / 2;
  EXPECT_NEAR(mid, 65000, 200);
}

TEST(SimulatorBook, TheSameSeedGivesTheSameBooks) {
  auto a = run(50);
  auto b = run(50);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].update_id, b[i].update_id);
    EXPECT_EQ(a[i].bids, b[i].bids);
    EXPECT_EQ(a[i].asks, b[i].asks);
  }
}
