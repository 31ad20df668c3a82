#include "pipeline/book/l2_book.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tickflow::book {
namespace {

decimal d(const char* text) { return *decimal::parse(text); }

level lv(const char* price, const char* size) { return {d(price), d(size)}; }

// "price:size" of each level, best first.
std::string render(const std::vector<level>& levels) {
  std::string out;
  for (const auto& l : levels) {
    if (!out.empty())
      out += ' ';
    out += l.price.to_string() + ":" + l.size.to_string();
  }
  return out;
}

std::string bids(const l2_book& b) { return render(b.top(side::bid, 100)); }
std::string asks(const l2_book& b) { return render(b.top(side::ask, 100)); }

TEST(L2Book, SnapshotSortsBidsDescendingAsksAscending) {
  l2_book b;
  b.apply_snapshot({lv("99", "1"), lv("101", "2"), lv("100", "3")},
                   {lv("103", "1"), lv("102", "2"), lv("104", "0.5")}, 42,
                   7'000);
  EXPECT_EQ(bids(b), "101:2 100:3 99:1");
  EXPECT_EQ(asks(b), "102:2 103:1 104:0.5");
  EXPECT_EQ(b.last_update_id(), 42u);
  EXPECT_EQ(b.ts_event_ns(), 7'000);
  EXPECT_EQ(b.best_bid()->price, d("101"));
  EXPECT_EQ(b.best_ask()->price, d("102"));
  EXPECT_FALSE(b.crossed());
}

TEST(L2Book, SnapshotKeepsTheLastOfARepeatedPriceAndSkipsZeroAndBad) {
  l2_book b;
  b.apply_snapshot({lv("100", "1"), lv("100.0", "5"), lv("99", "0"),
                    lv("-1", "1"), lv("98", "-2")},
                   {}, 1, 0);
  EXPECT_EQ(bids(b), "100:5");
  EXPECT_EQ(b.rejected_levels(), 2u);
  EXPECT_EQ(asks(b), "");
  EXPECT_FALSE(b.best_ask());
}

TEST(L2Book, SnapshotReplacesThePreviousBook) {
  l2_book b;
  b.apply_snapshot({lv("1", "1")}, {lv("2", "1")}, 1, 0);
  b.apply_snapshot({lv("3", "1")}, {}, 2, 0);
  EXPECT_EQ(bids(b), "3:1");
  EXPECT_EQ(asks(b), "");
}

struct delta_case {
  const char* name;
  side s;
  const char* price;
  const char* size;
  delta_effect effect;
  const char* bids_after;
  const char* asks_after;
};

TEST(L2Book, DeltasTable) {
  const delta_case cases[] = {
    {"insert best bid", side::bid, "100.5", "1", delta_effect::inserted,
     "100.5:1 100:2 99:3", "101:4 102:5"},
    {"insert inner bid", side::bid, "99.5", "1", delta_effect::inserted,
     "100:2 99.5:1 99:3", "101:4 102:5"},
    {"insert worst bid", side::bid, "98", "1", delta_effect::inserted,
     "100:2 99:3 98:1", "101:4 102:5"},
    {"update bid, other scale", side::bid, "100.000", "7",
     delta_effect::updated, "100:7 99:3", "101:4 102:5"},
    {"remove bid", side::bid, "100", "0", delta_effect::removed, "99:3",
     "101:4 102:5"},
    {"remove absent bid", side::bid, "98", "0.000", delta_effect::absent,
     "100:2 99:3", "101:4 102:5"},
    {"insert best ask", side::ask, "100.9", "1", delta_effect::inserted,
     "100:2 99:3", "100.9:1 101:4 102:5"},
    {"insert worst ask", side::ask, "103", "1", delta_effect::inserted,
     "100:2 99:3", "101:4 102:5 103:1"},
    {"remove ask", side::ask, "102", "0", delta_effect::removed,
     "100:2 99:3", "101:4"},
    {"zero price rejected", side::ask, "0", "1", delta_effect::rejected,
     "100:2 99:3", "101:4 102:5"},
    {"negative size rejected", side::bid, "99", "-1",
     delta_effect::rejected, "100:2 99:3", "101:4 102:5"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    l2_book b;
    b.apply_snapshot({lv("100", "2"), lv("99", "3")},
                     {lv("101", "4"), lv("102", "5")}, 1, 0);
    EXPECT_EQ(b.apply(c.s, d(c.price), d(c.size)), c.effect);
    EXPECT_EQ(bids(b), c.bids_after);
    EXPECT_EQ(asks(b), c.asks_after);
  }
}

struct depth_case {
  const char* name;
  side s;
  const char* price;
  delta_effect effect;
  const char* after; // the side's levels after
  uint64_t truncated;
};

TEST(L2Book, BoundedDepthDropsTheWorstAndCounts) {
  const depth_case cases[] = {
    {"better bid evicts worst", side::bid, "10.5", delta_effect::inserted,
     "10.5:1 10:1 9:1", 1},
    {"inner bid evicts worst", side::bid, "9.5", delta_effect::inserted,
     "10:1 9.5:1 9:1", 1},
    {"bid beyond depth dropped", side::bid, "7", delta_effect::truncated,
     "10:1 9:1 8:1", 1},
    {"better ask evicts worst", side::ask, "10.9", delta_effect::inserted,
     "10.9:1 11:1 12:1", 1},
    {"ask beyond depth dropped", side::ask, "14", delta_effect::truncated,
     "11:1 12:1 13:1", 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    l2_book b{3};
    b.apply_snapshot({lv("10", "1"), lv("9", "1"), lv("8", "1")},
                     {lv("11", "1"), lv("12", "1"), lv("13", "1")}, 1, 0);
    EXPECT_EQ(b.apply(c.s, d(c.price), d("1")), c.effect);
    EXPECT_EQ(render(b.top(c.s, 10)), c.after);
    EXPECT_EQ(b.truncated_levels(), c.truncated);
    EXPECT_EQ(b.depth(c.s), 3u);
  }
}

TEST(L2Book, SnapshotBeyondDepthKeepsTheBest) {
  l2_book b{2};
  b.apply_snapshot({lv("1", "1"), lv("3", "1"), lv("2", "1")},
                   {lv("6", "1"), lv("4", "1"), lv("5", "1"), lv("7", "1")},
                   1, 0);
  EXPECT_EQ(bids(b), "3:1 2:1");
  EXPECT_EQ(asks(b), "4:1 5:1");
  EXPECT_EQ(b.truncated_levels(), 3u);
}

TEST(L2Book, TopAndAt) {
  l2_book b;
  b.apply_snapshot({lv("3", "1"), lv("2", "1"), lv("1", "1")}, {}, 1, 0);
  EXPECT_EQ(render(b.top(side::bid, 2)), "3:1 2:1");
  EXPECT_EQ(render(b.top(side::bid, 0)), "");
  EXPECT_EQ(b.at(side::bid, 2).price, d("1"));
  std::vector<level> out{lv("9", "9")};
  b.top(side::bid, 1, out); // appends
  EXPECT_EQ(render(out), "9:9 3:1");
}

struct cross_case {
  const char* bid;
  const char* ask;
  bool crossed;
};

TEST(L2Book, CrossedOrLocked) {
  const cross_case cases[] = {
    {"100", "101", false},
    {"100", "100", true},  // locked
    {"100.1", "100", true}, // crossed
    {nullptr, "100", false},
    {"100", nullptr, false},
  };
  for (const auto& c : cases) {
    l2_book b;
    std::vector<level> bs, as;
    if (c.bid)
      bs.push_back(lv(c.bid, "1"));
    if (c.ask)
      as.push_back(lv(c.ask, "1"));
    b.apply_snapshot(bs, as, 1, 0);
    EXPECT_EQ(b.crossed(), c.crossed)
      << (c.bid ? c.bid : "-") << " / " << (c.ask ? c.ask : "-");
  }
}

TEST(L2Book, ClearForgetsLevelsAndIds) {
  l2_book b;
  b.apply_snapshot({lv("1", "1")}, {lv("2", "1")}, 5, 9);
  b.clear();
  EXPECT_EQ(b.depth(side::bid), 0u);
  EXPECT_EQ(b.depth(side::ask), 0u);
  EXPECT_EQ(b.last_update_id(), 0u);
  EXPECT_EQ(b.ts_event_ns(), 0);
}

TEST(L2Book, ZeroDepthMeansOne) {
  l2_book b{0};
  EXPECT_EQ(b.max_depth(), 1u);
}

} // namespace
} // namespace tickflow::book
