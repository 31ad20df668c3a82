// Job schedules and the job board.

#include <gtest/gtest.h>

#include "pipeline/jobs/job_board.hpp"
#include "pipeline/model/time.hpp"

using namespace tickflow;

namespace {
constexpr int64_t s = ns_per_s;
constexpr int64_t m = 60 * s;
constexpr int64_t day = 24 * 60 * m;
// 2026-11-21T10:30:00Z
constexpr int64_t t0 = 1'795'257'000LL * s;
} // namespace

TEST(JobSchedule, ParsesTheThreeForms) {
  auto e = job_schedule::parse("every 5m");
  ASSERT_TRUE(e) << e.err().context;
  EXPECT_EQ(e->next_after(t0), t0 + 5 * m);
  EXPECT_EQ(e->to_string(), "every 5m");
  EXPECT_EQ(job_schedule::parse("every 90s")->to_string(), "every 90s");
  EXPECT_EQ(job_schedule::parse("every 2h")->to_string(), "every 2h");
  auto off = job_schedule::parse(" off ");
  ASSERT_TRUE(off);
  EXPECT_TRUE(off->off());
  EXPECT_EQ(off->next_after(t0), 0);
}

TEST(JobSchedule, DailyRunsAtTheNextWallClockTime) {
  auto d = job_schedule::parse("daily 03:00");
  ASSERT_TRUE(d);
  // t0 is 10:30 UTC: the next 03:00 is tomorrow.
  auto midnight = t0 - (t0 % day);
  EXPECT_EQ(d->next_after(t0), midnight + day + 3 * 60 * m);
  auto later = job_schedule::parse("daily 23:59");
  EXPECT_EQ(later->next_after(t0), midnight + 23 * 60 * m + 59 * m);
  // Exactly at the time: the next day's.
  EXPECT_EQ(d->next_after(midnight + 3 * 60 * m), midnight + day + 3 * 60 * m);
  EXPECT_EQ(d->to_string(), "daily 03:00");
}

TEST(JobSchedule, RejectsNonsense) {
  for (auto bad : {"", "every", "every 5", "every 0s", "every 5d", "every 8000h", "daily 24:00",
                   "daily 3:00", "daily 03:60", "weekly", "every -5m", "every 5 m"}) {
    auto r = job_schedule::parse(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.err().code, errc::config_invalid);
    }
  }
}

TEST(JobBoard, DueStartFinishReschedule) {
  job_board b;
  b.put("refresh", *job_schedule::parse("every 5m"), t0);
  b.put("warm", job_schedule{}, t0, /*run_now=*/true); // on demand, due now
  EXPECT_EQ(b.due(t0), std::vector<std::string>{"warm"});
  EXPECT_EQ(b.next_wakeup(), t0);
  ASSERT_TRUE(b.start("warm"));
  EXPECT_FALSE(b.start("warm"));   // already running
  EXPECT_FALSE(b.start("nope"));   // unknown
  EXPECT_TRUE(b.due(t0).empty());  // running jobs are not due
  b.finish("warm", job_run{t0, t0 + s, true, 5, 0, "warmed 5"}, t0 + s);
  auto* w = b.find("warm");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->runs, 1u);
  EXPECT_EQ(w->next_run_ns, 0); // off: on demand only
  ASSERT_TRUE(w->last);
  EXPECT_EQ(w->last->items, 5u);
  EXPECT_EQ(b.next_wakeup(), t0 + 5 * m);
  EXPECT_EQ(b.due(t0 + 5 * m), std::vector<std::string>{"refresh"});
  b.start("refresh");
  b.finish("refresh", job_run{}, t0 + 6 * m);
  EXPECT_EQ(b.find("refresh")->next_run_ns, t0 + 11 * m);
  // A reload changes the schedule in place and keeps the history.
  b.put("refresh", *job_schedule::parse("every 1m"), t0 + 7 * m);
  EXPECT_EQ(b.find("refresh")->next_run_ns, t0 + 8 * m);
  EXPECT_EQ(b.find("refresh")->runs, 1u);
  b.remove("refresh");
  EXPECT_EQ(b.find("refresh"), nullptr);
}

TEST(AsyncJobs, ProgressToDone) {
  async_jobs js;
  auto id = js.submit({"BTC-USDT", "AAPL"}, t0);
  ASSERT_TRUE(id);
  auto* j = js.find(*id);
  ASSERT_NE(j, nullptr);
  EXPECT_EQ(j->state, async_job::state_kind::queued);
  EXPECT_TRUE(js.record(*id, 1, false, R"({"error":"x"})", t0 + s));
  EXPECT_FALSE(js.record(*id, 1, true, R"({})", t0 + s)); // repeat
  EXPECT_FALSE(js.record(*id, 2, true, R"({})", t0 + s)); // no such item
  EXPECT_FALSE(js.record("j-999", 0, true, R"({})", t0));
  EXPECT_EQ(js.find(*id)->state, async_job::state_kind::running);
  EXPECT_TRUE(js.record(*id, 0, true, R"({"price":"1"})", t0 + 2 * s));
  j = js.find(*id);
  EXPECT_EQ(j->state, async_job::state_kind::done);
  EXPECT_EQ(j->done, 2u);
  EXPECT_EQ(j->failed, 1u);
  EXPECT_EQ(j->finished_ns, t0 + 2 * s);
  EXPECT_EQ(to_string(j->state), "done");
}

TEST(AsyncJobs, BoundedWithoutDroppingUnfinishedJobs) {
  async_jobs js{2};
  auto a = js.submit({"A"}, t0);
  auto b = js.submit({"B"}, t0);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(js.submit({"C"}, t0)); // both unfinished: refused
  js.record(*a, 0, true, "{}", t0);
  auto c = js.submit({"C"}, t0);      // the finished one makes room
  ASSERT_TRUE(c);
  EXPECT_EQ(js.find(*a), nullptr);
  EXPECT_NE(js.find(*b), nullptr);
  EXPECT_EQ(js.size(), 2u);
  auto empty = js.submit({}, t0);     // nothing to do: done at once
  EXPECT_FALSE(empty);                // (b and c are unfinished)
}

TEST(AsyncJobs, ResultsStayWithinTheirBytesOldestFinishedFirst) {
  // A budget of 100 bytes: results of 40 bytes each.
  const std::string r40(40, 'x');
  async_jobs js{10, 100};
  auto a = js.submit({"A"}, t0);
  auto b = js.submit({"B"}, t0);
  auto c = js.submit({"C", "D"}, t0);
  ASSERT_TRUE(a && b && c);
  EXPECT_TRUE(js.record(*a, 0, true, r40, t0 + s));
  EXPECT_TRUE(js.record(*b, 0, true, r40, t0 + 2 * s));
  EXPECT_EQ(js.result_bytes(), 80u);
  EXPECT_EQ(js.expired(), 0u);
  // c's first result passes the budget: a (the oldest finished) goes.
  EXPECT_TRUE(js.record(*c, 0, true, r40, t0 + 3 * s));
  EXPECT_EQ(js.find(*a)->state, async_job::state_kind::expired);
  EXPECT_EQ(to_string(js.find(*a)->state), "expired");
  EXPECT_TRUE(js.find(*a)->results.empty());
  EXPECT_EQ(js.find(*a)->done, 1u); // still says how it went
  EXPECT_EQ(js.find(*b)->state, async_job::state_kind::done);
  EXPECT_EQ(js.find(*c)->state, async_job::state_kind::running);
  EXPECT_EQ(js.result_bytes(), 80u);
  EXPECT_EQ(js.expired(), 1u);
  // c finishes at 110 bytes, over the budget alone: b goes, then c too.
  EXPECT_TRUE(js.record(*c, 1, false, std::string(70, 'y'), t0 + 4 * s));
  EXPECT_EQ(js.find(*b)->state, async_job::state_kind::expired);
  EXPECT_EQ(js.find(*c)->state, async_job::state_kind::expired);
  EXPECT_EQ(js.result_bytes(), 0u);
  EXPECT_EQ(js.expired(), 3u);
  auto* jc = js.find(*c);
  EXPECT_EQ(jc->done, 2u);
  EXPECT_EQ(jc->failed, 1u);
  EXPECT_EQ(jc->finished_ns, t0 + 4 * s);
  EXPECT_TRUE(jc->finished());
  EXPECT_FALSE(js.record(*c, 1, true, r40, t0 + 5 * s)); // a repeat, still refused
}

TEST(AsyncJobs, AnExpiredRunningJobCountsButKeepsNothing) {
  async_jobs js{10, 50};
  auto a = js.submit({"A", "B", "C"}, t0);
  ASSERT_TRUE(a);
  EXPECT_TRUE(js.record(*a, 0, true, std::string(60, 'x'), t0)); // alone over: dropped
  EXPECT_EQ(js.find(*a)->state, async_job::state_kind::expired);
  EXPECT_EQ(js.result_bytes(), 0u);
  EXPECT_TRUE(js.record(*a, 1, true, "{}", t0));
  EXPECT_EQ(js.result_bytes(), 0u); // not kept
  EXPECT_FALSE(js.find(*a)->finished());
  EXPECT_TRUE(js.record(*a, 2, true, "{}", t0 + s));
  EXPECT_TRUE(js.find(*a)->finished());
  EXPECT_EQ(js.find(*a)->state, async_job::state_kind::expired);
  // A finished expired job makes room like a done one.
  async_jobs small{1, 50};
  auto x = small.submit({"X"}, t0);
  ASSERT_TRUE(x);
  small.record(*x, 0, true, std::string(60, 'x'), t0);
  EXPECT_TRUE(small.submit({"Y"}, t0));
  EXPECT_EQ(small.find(*x), nullptr);
}
