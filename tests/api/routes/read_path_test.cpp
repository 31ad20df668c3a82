// api/routes/read_path: what each step of the bars read path decides, with
// time as a parameter.

#include "api/routes/read_path.hpp"

#include <memory>
#include <optional>

#include <gtest/gtest.h>

#include "pipeline/model/time.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {

constexpr int64_t minute = 60'000'000'000;
constexpr int64_t now = 1'700'000'040 * 1'000'000'000LL; // 22:14:00 + 0 s
const int64_t slot0 = bar_open_time(interval::m1, now);

ohlcv_query query(size_t limit, int64_t start = 0, int64_t end = 0,
                  std::string provider = {}) {
  ohlcv_query q;
  q.instrument = "BTC-USDT";
  q.span = interval::m1;
  q.limit = limit;
  q.start_ns = start;
  q.end_ns = end;
  q.provider = std::move(provider);
  return q;
}

bar at(int64_t open_ns) {
  bar b;
  b.instrument = "BTC-USDT";
  b.span = interval::m1;
  b.open_time_ns = open_ns;
  return b;
}

auto yes = [](const std::string&) { return true; };
auto no = [](const std::string&) { return false; };

TEST(ReadPath, StartDecidesWhatMayBeAsked) {
  auto live = bars_read::start(query(10, 0, 0, "simulator"), now, yes);
  EXPECT_FALSE(live.may_fetch);
  EXPECT_FALSE(live.fetchable);
  EXPECT_FALSE(live.ranged); // no start and no provider to fill gaps
  EXPECT_EQ(live.end_ns, now);
  EXPECT_FALSE(live.end_given);
  auto open = bars_read::start(query(10), now, yes);
  EXPECT_TRUE(open.fetchable);
  EXPECT_TRUE(open.ranged);
  EXPECT_EQ(open.window_start_ns, slot0 - 9 * minute); // the newest 10 slots
  EXPECT_TRUE(bars_read::direct(query(10, 0, 0, "binance")));
  EXPECT_FALSE(bars_read::direct(query(10, 0, 0, "simulator")));
  bool asked = false;
  bars_read::start(query(10, 0, 0, "binance"), now, [&](const std::string&) {
    asked = true;
    return true;
  });
  EXPECT_FALSE(asked); // a direct read never walks the chain
}

TEST(ReadPath, StepQueryAsksForTheWindow) {
  auto r = bars_read::start(query(100), now, yes);
  auto l1 = r.l1_query();
  EXPECT_EQ(l1.limit, 100u);
  EXPECT_EQ(l1.start_ns, 0);
  auto step = r.step_query();
  EXPECT_EQ(step.start_ns, r.window_start_ns);
  EXPECT_EQ(step.end_ns, now);
  EXPECT_EQ(step.limit, 100u);
  auto flat = bars_read::start(query(5), now, no);
  EXPECT_EQ(flat.step_query().start_ns, 0); // not ranged: as asked
}

TEST(ReadPath, KeepDropsOutOfRangeAndDuplicatesThenTheOldest) {
  auto r = bars_read::start(query(2, slot0 - 5 * minute, slot0), now, no);
  auto kept = r.keep({at(slot0), at(slot0 - 6 * minute), at(slot0 - minute),
                      at(slot0 + minute), at(slot0 - 2 * minute), at(slot0 - minute)});
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].open_time_ns, slot0 - minute);
  EXPECT_EQ(kept[1].open_time_ns, slot0);
}

TEST(ReadPath, FillSaysWhatTheAnswerCovers) {
  auto r = bars_read::start(query(3), now, no);
  EXPECT_FALSE(r.fill({}, none_before));
  auto part = r.fill({at(slot0)}, slot0 - 4 * minute);
  ASSERT_TRUE(part);
  EXPECT_EQ(part->from_ns, slot0 - 4 * minute); // fewer than limit: known_from
  EXPECT_EQ(part->to_ns, now);
  EXPECT_TRUE(part->open_ended);
  auto full = r.fill({at(slot0 - 2 * minute), at(slot0 - minute), at(slot0)}, none_before);
  EXPECT_EQ(full->from_ns, slot0 - 2 * minute); // limit bars: from the oldest
}

TEST(ReadPath, RedisCountsOnlyWhenComplete) {
  auto flat = bars_read::start(query(3), now, no);
  EXPECT_FALSE(flat.redis_answer({}));
  EXPECT_EQ(*flat.redis_answer({at(slot0 - minute), at(slot0)}), slot0 - minute);
  auto ranged = bars_read::start(query(3), now, yes);
  EXPECT_FALSE(ranged.redis_answer({at(slot0 - minute), at(slot0)})); // a slot missing
  auto all = ranged.redis_answer({at(slot0 - 2 * minute), at(slot0 - minute), at(slot0)});
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, ranged.window_start_ns);
}

TEST(ReadPath, AfterStorage) {
  struct row {
    const char* name;
    bool fetchable;
    int64_t start;
    std::vector<bar> stored;
    next_step next;
    bool fill;
  };
  const row rows[] = {
    {"flat, nothing", false, 0, {}, next_step::nothing_found, true},
    {"flat, some", false, 0, {at(slot0)}, next_step::answer, true},
    {"ranged, complete", true, 0,
     {at(slot0 - 2 * minute), at(slot0 - minute), at(slot0)}, next_step::answer, true},
    {"ranged, empty", true, 0, {}, next_step::fetch_whole, true},
    {"ranged, a hole", true, 0, {at(slot0 - 2 * minute), at(slot0)}, next_step::fill_gaps,
     true},
    {"start given, no provider", false, slot0 - 2 * minute, {at(slot0)}, next_step::answer,
     false},
    {"start given, nothing", false, slot0 - 2 * minute, {}, next_step::nothing_found, false},
  };
  for (auto& x : rows) {
    SCOPED_TRACE(x.name);
    auto r = bars_read::start(query(3, x.start), now, x.fetchable ? yes : no);
    auto d = r.after_storage(x.stored);
    EXPECT_EQ(d.next, x.next);
    if (d.next == next_step::answer) {
      EXPECT_EQ(d.fill, x.fill);
    }
    if (d.next == next_step::fill_gaps) {
      ASSERT_EQ(d.gaps.size(), 1u);
      EXPECT_EQ(d.gaps[0].first_ns, slot0 - minute);
      EXPECT_EQ(d.gaps[0].slots, 1u);
    }
  }
}

TEST(ReadPath, GapMergeKeepsTheGapsSlotsAndNamesWhoFilledThem) {
  gap_merge m;
  EXPECT_EQ(m.source(), "postgres");
  cache::slot_range g{slot0 - minute, slot0 - minute, 1};
  m.add(g, interval::m1, "binance", {at(slot0 - minute), at(slot0)});
  m.add(g, interval::m1, "polygon", {at(slot0)}); // nothing in the gap
  ASSERT_EQ(m.bars.size(), 1u);
  EXPECT_EQ(m.source(), "postgres+binance");
  m.add(g, interval::m1, "alpha", {at(slot0 - minute)});
  EXPECT_EQ(m.source(), "postgres+alpha+binance");
}

TEST(ReadPath, BodySaysAsOfTheNewestBar) {
  auto r = bars_read::start(query(3), now, no);
  auto body = r.body({at(slot0)}, provenance{"l1", true, 0, now, {}});
  EXPECT_NE(body.find("\"age_ms\":" + std::to_string((now - slot0) / 1'000'000)),
            std::string::npos)
    << body;
}

} // namespace

// -- the instrument's trading calendar ---------------------------------------

namespace {

constexpr int64_t day = 1440 * minute;

int64_t date(const char* text) {
  auto t = parse_timestamp(text);
  return t.ok() ? *t : -1;
}

ohlcv_query daily(const char* start, const char* end) {
  ohlcv_query q;
  q.instrument = "AAPL";
  q.span = interval::d1;
  q.limit = 100;
  q.start_ns = date(start);
  q.end_ns = date(end);
  return q;
}

bar day_bar(const char* d) {
  auto b = at(date(d));
  b.instrument = "AAPL";
  b.span = interval::d1;
  return b;
}

auto us_equity() {
  return std::make_shared<const trading_calendar>(calendar_rules::us_equity);
}

} // namespace

TEST(ReadPathCalendar, AWeekendAndAHolidayAreNeitherGapsNorFetched) {
  // Stored: Friday 2023-01-13 and Tuesday 2023-01-17; Saturday, Sunday and
  // Martin Luther King Jr. Day between: the stored bars are the answer.
  auto now_ns = date("2023-02-01");
  auto r = bars_read::start(daily("2023-01-13", "2023-01-17"), now_ns, yes, us_equity());
  auto d = r.after_storage({day_bar("2023-01-13"), day_bar("2023-01-17")});
  EXPECT_EQ(d.next, next_step::answer);
  EXPECT_TRUE(d.gaps.empty());
  EXPECT_FALSE(r.closed());
  // Without the calendar (as before), 14..16 were a gap to fetch.
  auto blind = bars_read::start(daily("2023-01-13", "2023-01-17"), now_ns, yes);
  EXPECT_EQ(blind.after_storage({day_bar("2023-01-13"), day_bar("2023-01-17")}).next,
            next_step::fill_gaps);
  // Only closed dates: nothing to fetch, an empty answer.
  auto weekend = bars_read::start(daily("2023-01-14", "2023-01-16"), now_ns, yes, us_equity());
  EXPECT_TRUE(weekend.closed());
  EXPECT_EQ(weekend.after_storage({}).next, next_step::answer);
  auto new_year = bars_read::start(daily("2020-01-01", "2020-01-01"), now_ns, yes, us_equity());
  EXPECT_TRUE(new_year.closed());
  // A fetch of a range that begins on closed dates begins on a trading day.
  auto after = bars_read::start(daily("2023-01-14", "2023-01-20"), now_ns, yes, us_equity());
  EXPECT_EQ(after.fetch_start(date("2023-01-14")), date("2023-01-17"));
  auto from_new_year =
    bars_read::start(daily("2020-01-01", "2020-01-10"), now_ns, yes, us_equity());
  EXPECT_EQ(from_new_year.fetch_start(date("2020-01-01")), date("2020-01-02"));
  EXPECT_EQ(blind.fetch_start(date("2023-01-14")), date("2023-01-14"));
  // Redis holding both trading days is complete.
  EXPECT_EQ(r.redis_answer({day_bar("2023-01-13"), day_bar("2023-01-17")}),
            std::optional<int64_t>{r.window_start_ns});
  // Crypto trades on the weekend: the same dates are a gap there.
  auto btc = daily("2023-01-13", "2023-01-17");
  btc.instrument = "BTC-USDT";
  auto crypto = bars_read::start(btc, now_ns, yes,
                                 std::make_shared<const trading_calendar>());
  EXPECT_FALSE(crypto.closed());
  EXPECT_EQ(crypto.after_storage({day_bar("2023-01-13"), day_bar("2023-01-17")}).next,
            next_step::fill_gaps);
}

TEST(ReadPathCalendar, TheNewestLimitCountsTradingDays) {
  auto q = daily("2023-01-01", "2023-01-17");
  q.limit = 5;
  q.start_ns = 0;
  auto r = bars_read::start(q, date("2023-02-01"), yes, us_equity());
  EXPECT_EQ(r.window_start_ns, date("2023-01-10")); // 10, 11, 12, 13, 17
  EXPECT_EQ(r.window_start_ns + 7 * day, date("2023-01-17"));
}
