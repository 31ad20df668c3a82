#include "pipeline/book/book_store.hpp"

#include <gtest/gtest.h>

namespace tickflow::book {
namespace {

decimal d(const char* text) { return *decimal::parse(text); }

book_level lv(const char* p, const char* s) { return {d(p), d(s)}; }

book_update snap(uint64_t id, std::vector<book_level> bids,
                 std::vector<book_level> asks, const char* instrument = "BTC-USDT") {
  book_update u;
  u.instrument = instrument;
  u.source = provider{7};
  u.update_id = id;
  u.ts_event_ns = static_cast<int64_t>(id) * 1000;
  u.ts_recv_ns = static_cast<int64_t>(id) * 1000 + 5;
  u.bids = std::move(bids);
  u.asks = std::move(asks);
  u.snapshot = true;
  return u;
}

book_update delta(uint64_t id, std::vector<book_level> bids,
                  std::vector<book_level> asks) {
  auto u = snap(id, std::move(bids), std::move(asks));
  u.snapshot = false;
  return u;
}

TEST(BookStore, SnapshotThenDeltasAnswerTopN) {
  book_store s;
  ASSERT_EQ(s.apply(snap(10, {lv("99", "1"), lv("100", "2"), lv("98", "3")},
                         {lv("101", "1"), lv("102", "4")})),
            store_outcome::applied);
  ASSERT_EQ(s.apply(delta(11, {lv("100", "0"), lv("100.5", "7")}, {lv("101", "2")})),
            store_outcome::applied);
  auto v = s.top("BTC-USDT", 2);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->update_id, 11u);
  EXPECT_EQ(v->ts_event_ns, 11000);
  EXPECT_EQ(v->ts_recv_ns, 11005);
  EXPECT_EQ(v->source, provider{7});
  ASSERT_EQ(v->bids.size(), 2u);
  EXPECT_EQ(v->bids[0], (level{d("100.5"), d("7")}));
  EXPECT_EQ(v->bids[1], (level{d("99"), d("1")}));
  ASSERT_EQ(v->asks.size(), 2u);
  EXPECT_EQ(v->asks[0], (level{d("101"), d("2")}));
  EXPECT_FALSE(v->crossed);
  EXPECT_FALSE(s.top("ETH-USDT", 5).has_value());
}

TEST(BookStore, RefusalsAreCounted) {
  struct row {
    const char* name;
    book_update u;
    store_outcome want;
  };
  book_store s{store_settings{1, 10}};
  ASSERT_EQ(s.apply(snap(5, {lv("1", "1")}, {lv("2", "1")})), store_outcome::applied);
  std::vector<row> rows{
    {"delta without snapshot", [] {
       auto u = delta(6, {}, {});
       u.instrument = "ETH-USDT";
       return u;
     }(), store_outcome::no_snapshot},
    {"stale delta", delta(5, {lv("1", "2")}, {}), store_outcome::stale},
    {"older delta", delta(4, {lv("1", "2")}, {}), store_outcome::stale},
    {"instrument past the bound", snap(1, {}, {}, "ETH-USDT"), store_outcome::full},
    {"next delta", delta(6, {lv("1", "2")}, {}), store_outcome::applied},
  };
  for (auto& r : rows)
    EXPECT_EQ(s.apply(r.u), r.want) << r.name;
  EXPECT_EQ(s.counters().no_snapshot, 1u);
  EXPECT_EQ(s.counters().stale, 2u);
  EXPECT_EQ(s.counters().full, 1u);
  EXPECT_EQ(s.counters().applied, 2u);
  EXPECT_EQ(s.size(), 1u);
}

TEST(BookStore, CrossedAndLockedBooksAreFlaggedAndCounted) {
  book_store s;
  s.apply(snap(1, {lv("100", "1")}, {lv("101", "1")}));
  EXPECT_FALSE(s.top("BTC-USDT", 5)->crossed);
  s.apply(delta(2, {lv("101", "1")}, {})); // locked: bid == ask
  EXPECT_TRUE(s.top("BTC-USDT", 5)->crossed);
  s.apply(delta(3, {lv("102", "1")}, {})); // crossed
  EXPECT_TRUE(s.top("BTC-USDT", 5)->crossed);
  s.apply(delta(4, {lv("101", "0"), lv("102", "0")}, {}));
  EXPECT_FALSE(s.top("BTC-USDT", 5)->crossed);
  EXPECT_EQ(s.counters().crossed, 2u);
}

TEST(BookStore, DepthIsBoundedPerSide) {
  book_store s{store_settings{10, 2}};
  s.apply(snap(1, {lv("1", "1"), lv("2", "1"), lv("3", "1")},
               {lv("4", "1"), lv("5", "1"), lv("6", "1")}));
  auto v = s.top("BTC-USDT", 10);
  ASSERT_EQ(v->bids.size(), 2u);
  EXPECT_EQ(v->bids[0].price, d("3"));
  ASSERT_EQ(v->asks.size(), 2u);
  EXPECT_EQ(v->asks[1].price, d("5"));
}

TEST(BookStore, DiffLevelsTurnsBeforeIntoAfter) {
  struct row {
    const char* name;
    side s;
    std::vector<level> before;
    std::vector<level> after;
    std::vector<book_level> want;
  };
  auto L = [](const char* p, const char* z) { return level{d(p), d(z)}; };
  std::vector<row> rows{
    {"same", side::bid, {L("2", "1")}, {L("2", "1")}, {}},
    {"size change", side::bid, {L("2", "1")}, {L("2", "3")}, {lv("2", "3")}},
    {"bid removed and inserted", side::bid, {L("3", "1"), L("2", "1")},
     {L("2", "1"), L("1", "5")}, {lv("3", "0"), lv("1", "5")}},
    {"ask new best", side::ask, {L("5", "1")}, {L("4", "2"), L("5", "1")},
     {lv("4", "2")}},
    {"ask emptied", side::ask, {L("5", "1"), L("6", "1")}, {},
     {lv("5", "0"), lv("6", "0")}},
  };
  for (auto& r : rows) {
    std::vector<book_level> out;
    diff_levels(r.s, r.before, r.after, out);
    EXPECT_EQ(out, r.want) << r.name;
  }
}

} // namespace
} // namespace tickflow::book
