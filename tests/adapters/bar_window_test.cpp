#include "adapters/common/bar_window.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "pipeline/model/time.hpp"

namespace tickflow {
namespace {

constexpr int64_t day = 86'400 * ns_per_s;

// Bars opening at `opens`, in that order, each tagged by its index in
// trade_count so that order and identity can be checked.
std::vector<bar> bars_at(const std::vector<int64_t>& opens) {
  std::vector<bar> out;
  for (size_t i = 0; i < opens.size(); ++i) {
    bar b;
    b.open_time_ns = opens[i];
    b.trade_count = i;
    out.push_back(b);
  }
  return out;
}

std::vector<int64_t> opens_of(const std::vector<bar>& bars) {
  std::vector<int64_t> out;
  for (const auto& b : bars)
    out.push_back(b.open_time_ns);
  return out;
}

fetch_request window(int64_t start_ns, int64_t end_ns, size_t limit) {
  fetch_request r;
  r.kind = fetch_kind::bars;
  r.start_ns = start_ns;
  r.end_ns = end_ns;
  r.limit = limit;
  return r;
}

TEST(BarWindow, InWindowTreatsZeroBoundsAsOpen) {
  struct row {
    int64_t start_ns, end_ns, ts_ns;
    bool in;
  };
  const row rows[] = {
    {0, 0, -5, true},  {0, 0, 7, true},   {10, 0, 9, false},
    {10, 0, 10, true}, {10, 0, 99, true}, {0, 20, 20, true},
    {0, 20, 21, false}, {10, 20, 15, true}, {10, 20, 25, false},
    {10, 20, 5, false},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(testing::Message() << r.start_ns << ".." << r.end_ns << " "
                                    << r.ts_ns);
    EXPECT_EQ(in_window(window(r.start_ns, r.end_ns, 0), r.ts_ns), r.in);
  }
}

TEST(BarWindow, KeepNewestKeepsTheTail) {
  struct row {
    size_t limit;
    std::vector<int> kept;
  };
  const row rows[] = {
    {0, {1, 2, 3, 4}}, {1, {4}}, {3, {2, 3, 4}}, {4, {1, 2, 3, 4}},
    {9, {1, 2, 3, 4}},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.limit);
    std::vector<int> xs{1, 2, 3, 4};
    keep_newest(xs, r.limit);
    EXPECT_EQ(xs, r.kept);
  }
  std::vector<int> empty;
  keep_newest(empty, 2);
  EXPECT_TRUE(empty.empty());
}

TEST(BarWindow, TrimsBarsToTheWindowThenTheLimit) {
  struct row {
    int64_t start_ns, end_ns;
    size_t limit;
    std::vector<int64_t> kept;
  };
  const row rows[] = {
    {0, 0, 0, {1 * day, 2 * day, 3 * day, 4 * day, 5 * day}},
    {2 * day, 0, 0, {2 * day, 3 * day, 4 * day, 5 * day}},
    {0, 3 * day, 0, {1 * day, 2 * day, 3 * day}},
    {2 * day, 4 * day, 0, {2 * day, 3 * day, 4 * day}},
    {2 * day, 4 * day, 2, {3 * day, 4 * day}}, // newest of the window
    {0, 0, 2, {4 * day, 5 * day}},
    {6 * day, 0, 3, {}},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(testing::Message() << r.start_ns << ".." << r.end_ns
                                    << " limit " << r.limit);
    auto bars = bars_at({1 * day, 2 * day, 3 * day, 4 * day, 5 * day});
    trim_to_request(bars, window(r.start_ns, r.end_ns, r.limit));
    EXPECT_EQ(opens_of(bars), r.kept);
  }
}

TEST(BarWindow, TrimsPricesByEventTime) {
  std::vector<price> prices;
  for (int64_t ts : {10, 20, 30, 40}) {
    price p;
    p.ts_event_ns = ts;
    p.value = decimal::from_parts(ts, 0);
    prices.push_back(p);
  }
  trim_to_request(prices, window(15, 40, 2));
  ASSERT_EQ(prices.size(), 2u);
  EXPECT_EQ(prices[0].ts_event_ns, 30);
  EXPECT_EQ(prices[0].value, decimal::from_parts(30, 0));
  EXPECT_EQ(prices[1].ts_event_ns, 40);
}

TEST(BarWindow, SortsByOpenTimeKeepingTiesInOrder) {
  auto bars = bars_at({3 * day, 1 * day, 2 * day, 1 * day});
  sort_by_open_time(bars);
  EXPECT_EQ(opens_of(bars),
            (std::vector<int64_t>{1 * day, 1 * day, 2 * day, 3 * day}));
  // The two bars at 1 day keep their order (indexes 1 then 3).
  EXPECT_EQ(bars[0].trade_count, 1u);
  EXPECT_EQ(bars[1].trade_count, 3u);
}

TEST(BarWindow, BarHasEndedCountsAMonthAs31Days) {
  struct row {
    interval span;
    int64_t open_ns, now_ns;
    bool ended;
  };
  const row rows[] = {
    {interval::m1, 0, 60 * ns_per_s, true},
    {interval::m1, 0, 60 * ns_per_s - 1, false},
    {interval::h4, day, day + 4 * 3600 * ns_per_s, true},
    {interval::w1, 0, 7 * day - 1, false},
    {interval::w1, 0, 7 * day, true},
    {interval::mo1, 0, 30 * day, false}, // interval_ns says 30 days
    {interval::mo1, 0, 31 * day, true},
    {interval::d1, day, 0, false}, // the clock is before the open
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(testing::Message() << to_string(r.span) << " " << r.now_ns);
    EXPECT_EQ(bar_has_ended(r.span, r.open_ns, r.now_ns), r.ended);
  }
}

} // namespace
} // namespace tickflow
