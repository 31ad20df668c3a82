// The journal-and-retry skeleton (adapters/journal/journaled_writer) without
// servers: a scripted backend that is up or down, a journal in a temporary
// directory, and retries driven by hand (the writer has no clock; it says
// when to retry). Order, exactly-once delivery, backoff and the counters.

#include "adapters/journal/journaled_writer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/journal/batch_codec.hpp"
#include "tests/support/process.hpp"

using namespace tickflow;
using namespace tickflow::journal;

namespace {

constexpr int64_t ms = 1'000'000;
using kind = next_retry::kind;

/// A server that takes batches while `up`, and remembers everything.
struct fake_server final : writer_backend {
  bool up = true;
  bool prepare_up = true;
  int prepares = 0;
  int probes = 0;
  std::vector<event_batch> writes; ///< what the server took, in order
  std::vector<writer_event> events;
  std::vector<uint64_t> skipped;   ///< sequences of record_skipped

  result<void> prepare() override {
    ++prepares;
    if (!prepare_up)
      return {errc::unavailable, "migrations: down"};
    return {};
  }
  result<void> write(const event_batch& b) override {
    if (!up)
      return {errc::unavailable, "server down"};
    writes.push_back(b);
    return {};
  }
  result<void> probe() override {
    ++probes;
    if (!up)
      return {errc::unavailable, "no PONG"};
    return {};
  }
  void notice(const writer_notice& n) override {
    events.push_back(n.what);
    if (n.what == writer_event::record_skipped)
      skipped.push_back(n.seq);
  }

  /// Trade ids of every event the server took, in order.
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (auto& b : writes)
      for (auto& t : b.trades)
        out.push_back(t.trade_id);
    return out;
  }

  size_t count(writer_event e) const {
    size_t n = 0;
    for (auto x : events)
      n += x == e ? 1 : 0;
    return n;
  }
};

/// `n` trades with ids "<i>.0" .. "<i>.<n-1>".
event_batch batch(int i, int n = 1) {
  event_batch b;
  for (int k = 0; k < n; ++k) {
    trade t;
    t.instrument = "BTC-USDT";
    t.provider_symbol = "BTCUSDT";
    t.source = providers::binance;
    t.price = decimal::from_parts(100 + i, 0);
    t.size = decimal::from_parts(1, 0);
    t.trade_id = std::to_string(i) + "." + std::to_string(k);
    t.ts_event_ns = (i * 100 + k) * ms;
    b.trades.push_back(std::move(t));
  }
  return b;
}

std::vector<std::string> ids_of(std::initializer_list<std::pair<int, int>> xs) {
  std::vector<std::string> out;
  for (auto [i, n] : xs)
    for (int k = 0; k < n; ++k)
      out.push_back(std::to_string(i) + "." + std::to_string(k));
  return out;
}

class JournaledWriter : public ::testing::Test {
 protected:
  void SetUp() override { root_ = test::temp_dir(); }

  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  journal_options journal_opts(uint64_t max_bytes = 1 << 20) const {
    journal_options o;
    o.dir = root_ + "/journal";
    o.max_bytes = max_bytes;
    o.segment_bytes = max_bytes / 4;
    o.sync = fsync_policy::never;
    return o;
  }

  disk_journal open_journal(uint64_t max_bytes = 1 << 20) const {
    auto jr = disk_journal::open(journal_opts(max_bytes));
    EXPECT_TRUE(jr.ok()) << (jr.ok() ? "" : jr.err().context);
    if (!jr.ok())
      std::abort();
    return std::move(jr).value();
  }

  static writer_options cache_like() {
    writer_options o;
    o.mode = journal_mode::on_outage;
    o.backoff_min_ns = 100 * ms;
    o.backoff_max_ns = 400 * ms;
    o.replay_step_records = 256;
    o.sync_after_replay = true;
    return o;
  }

  static writer_options storage_like(size_t flush_events = 10,
                                     size_t replay_step_events = 5000) {
    writer_options o;
    o.mode = journal_mode::always;
    o.backoff_min_ns = 100 * ms;
    o.backoff_max_ns = 2000 * ms;
    o.flush_events = flush_events;
    o.replay_step_events = replay_step_events;
    return o;
  }

  /// Starts `w` and runs retries until it asks for none (at most `max`).
  static void connect(journaled_writer& w, fake_server& s, int max = 100) {
    auto next = w.start();
    for (int i = 0; i < max && next.when != kind::none; ++i)
      next = w.retry(s);
  }

  std::string root_;
};

} // namespace

// -- on_outage (the Redis cache) -------------------------------------------------

TEST_F(JournaledWriter, StartProbesAnEmptyJournalAndGoesLive) {
  journaled_writer w{open_journal(), cache_like()};
  fake_server s;
  EXPECT_FALSE(w.live());
  auto first = w.start();
  EXPECT_EQ(first.when, kind::now);
  auto next = w.retry(s);
  EXPECT_EQ(next.when, kind::none);
  EXPECT_TRUE(w.live());
  EXPECT_TRUE(w.prepared());
  EXPECT_EQ(s.probes, 1);
  EXPECT_EQ(s.prepares, 1);
  EXPECT_TRUE(w.counters().connected);
  EXPECT_EQ(s.events, (std::vector<writer_event>{writer_event::went_live,
                                                 writer_event::caught_up}));
}

TEST_F(JournaledWriter, LiveBatchesGoStraightToTheServer) {
  journaled_writer w{open_journal(), cache_like()};
  fake_server s;
  connect(w, s);
  for (int i = 1; i <= 3; ++i) {
    auto r = w.offer(batch(i, 2), s);
    EXPECT_TRUE(r.written);
    EXPECT_EQ(r.next.when, kind::none);
  }
  EXPECT_EQ(s.ids(), ids_of({{1, 2}, {2, 2}, {3, 2}}));
  auto& c = w.counters();
  EXPECT_EQ(c.written, 3u);
  EXPECT_EQ(c.journaled, 0u);
  EXPECT_EQ(c.events_written, 6u);
  EXPECT_EQ(w.journal_status().pending_records, 0u);
}

TEST_F(JournaledWriter, AnOutageJournalsThenReplaysInOrderExactlyOnce) {
  journaled_writer w{open_journal(), cache_like()};
  fake_server s;
  connect(w, s);
  w.offer(batch(1), s);
  s.up = false;
  auto r2 = w.offer(batch(2), s); // the failed write goes to the journal
  EXPECT_FALSE(r2.written);
  EXPECT_EQ(r2.next.when, kind::after);
  EXPECT_EQ(r2.next.delay_ns, 100 * ms);
  EXPECT_FALSE(w.live());
  EXPECT_EQ(s.count(writer_event::went_offline), 1u);
  // A retry is on its way: later batches ask for none and are journaled.
  auto r3 = w.offer(batch(3), s);
  EXPECT_EQ(r3.next.when, kind::none);
  EXPECT_EQ(w.journal_status().pending_records, 2u);
  // Still down: each retry backs off twice as long, up to the cap.
  int64_t delays[] = {200, 400, 400};
  for (auto d : delays) {
    auto next = w.retry(s);
    EXPECT_EQ(next.when, kind::after);
    EXPECT_EQ(next.delay_ns, d * ms);
  }
  EXPECT_EQ(s.count(writer_event::went_offline), 1u); // logged once
  // Back: one retry replays both in order and goes live.
  s.up = true;
  EXPECT_EQ(w.retry(s).when, kind::none);
  EXPECT_TRUE(w.live());
  w.offer(batch(4), s);
  EXPECT_EQ(s.ids(), ids_of({{1, 1}, {2, 1}, {3, 1}, {4, 1}}));
  auto& c = w.counters();
  EXPECT_EQ(c.written, 2u);
  EXPECT_EQ(c.journaled, 2u);
  EXPECT_EQ(c.replayed, 2u);
  EXPECT_EQ(c.dropped, 0u);
  EXPECT_EQ(c.failures, 4u); // the live write and three retries
  EXPECT_EQ(c.last_error, "server down");
  EXPECT_EQ(w.journal_status().pending_records, 0u);
  EXPECT_EQ(s.count(writer_event::went_live), 2u);
  // The backoff started over.
  s.up = false;
  EXPECT_EQ(w.offer(batch(5), s).next.delay_ns, 100 * ms);
}

TEST_F(JournaledWriter, ReplayStepsAreBoundedAndContinueAtOnce) {
  auto o = cache_like();
  o.replay_step_records = 2;
  journaled_writer w{open_journal(), o};
  fake_server s;
  s.up = false;
  w.start();
  EXPECT_EQ(w.retry(s).when, kind::after); // down from the start
  for (int i = 1; i <= 5; ++i)
    w.offer(batch(i), s);
  s.up = true;
  std::vector<kind> steps;
  for (int i = 0; i < 5; ++i) {
    steps.push_back(w.retry(s).when);
    if (steps.back() == kind::none)
      break;
  }
  EXPECT_EQ(steps, (std::vector<kind>{kind::now, kind::now, kind::none}));
  EXPECT_EQ(s.writes.size(), 5u); // one write per journaled batch
  EXPECT_EQ(s.ids(), ids_of({{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}}));
  EXPECT_EQ(s.probes, 1); // the first, down; replaying proved it answers
  EXPECT_TRUE(w.live());
}

TEST_F(JournaledWriter, AFailureMidReplayKeepsWhatWasWritten) {
  journaled_writer w{open_journal(), cache_like()};
  fake_server s;
  s.up = false;
  w.start();
  w.retry(s);
  for (int i = 1; i <= 3; ++i)
    w.offer(batch(i), s);

  /// Takes one batch, then fails.
  struct flaky final : writer_backend {
    fake_server& inner;
    int left = 1;
    explicit flaky(fake_server& s) : inner(s) {}
    result<void> write(const event_batch& b) override {
      if (left-- <= 0)
        return {errc::unavailable, "dropped mid-replay"};
      return inner.write(b);
    }
    result<void> probe() override { return inner.probe(); }
  };
  s.up = true;
  flaky once{s};
  EXPECT_EQ(w.retry(once).when, kind::after);
  EXPECT_EQ(w.journal_status().pending_records, 2u); // the first is acked
  EXPECT_EQ(w.retry(s).when, kind::none);
  EXPECT_EQ(s.ids(), ids_of({{1, 1}, {2, 1}, {3, 1}}));
  EXPECT_EQ(w.counters().replayed, 3u);
}

TEST_F(JournaledWriter, WhatAPreviousRunLeftIsReplayedFirst) {
  {
    auto jr = open_journal();
    for (int i = 1; i <= 3; ++i)
      ASSERT_TRUE(jr.append(encode_batch(batch(i))).ok());
  }
  journaled_writer w{open_journal(), cache_like()};
  EXPECT_EQ(w.journal_status().pending_records, 3u);
  fake_server s;
  connect(w, s);
  w.offer(batch(4), s);
  EXPECT_EQ(s.ids(), ids_of({{1, 1}, {2, 1}, {3, 1}, {4, 1}}));
  EXPECT_EQ(w.counters().replayed, 3u);
}

TEST_F(JournaledWriter, ARecordThatDoesNotDecodeIsSkippedAndCounted) {
  for (auto opts : {cache_like(), storage_like()}) {
    std::error_code ec;
    std::filesystem::remove_all(journal_opts().dir, ec);
    uint64_t bad_seq = 0;
    {
      auto jr = open_journal();
      ASSERT_TRUE(jr.append(encode_batch(batch(1))).ok());
      auto bad = jr.append("not a batch");
      ASSERT_TRUE(bad.ok());
      bad_seq = *bad;
      ASSERT_TRUE(jr.append(encode_batch(batch(3))).ok());
    }
    fake_server s;
    journaled_writer w{open_journal(), opts};
    connect(w, s);
    EXPECT_EQ(s.ids(), ids_of({{1, 1}, {3, 1}}));
    EXPECT_EQ(s.skipped, std::vector<uint64_t>{bad_seq});
    EXPECT_EQ(w.counters().dropped, 1u);
    EXPECT_EQ(w.counters().replayed, 2u);
    EXPECT_EQ(w.journal_status().pending_records, 0u);
    EXPECT_TRUE(w.live());
  }
}

TEST_F(JournaledWriter, AFullJournalDropsAndCounts) {
  journal_options jo = journal_opts(64 << 10);
  jo.when_full = full_policy::reject_new;
  auto jr = disk_journal::open(jo);
  ASSERT_TRUE(jr.ok()) << jr.err().context;
  journaled_writer w{std::move(*jr), cache_like()};
  fake_server s;
  s.up = false;
  w.start();
  w.retry(s);
  int offered = 0;
  while (s.count(writer_event::append_failed) == 0 && offered < 10'000)
    w.offer(batch(++offered, 20), s);
  ASSERT_LT(offered, 10'000);
  auto& c = w.counters();
  EXPECT_EQ(c.dropped, 1u);
  EXPECT_EQ(c.journaled + c.dropped, static_cast<uint64_t>(offered));
}

// -- always (the Postgres history) -------------------------------------------------

TEST_F(JournaledWriter, EveryBatchIsJournaledAndWrittenInGroups) {
  journaled_writer w{open_journal(), storage_like(10)};
  fake_server s;
  connect(w, s);
  for (int i = 1; i <= 2; ++i) {
    auto r = w.offer(batch(i, 4), s);
    EXPECT_FALSE(r.written);
    EXPECT_EQ(r.next.when, kind::none);
  }
  EXPECT_TRUE(s.writes.empty()); // 8 events gathered, below 10
  EXPECT_EQ(w.journal_status().pending_records, 2u);
  w.offer(batch(3, 4), s); // 12: one write, the three records acked
  ASSERT_EQ(s.writes.size(), 1u);
  EXPECT_EQ(s.ids(), ids_of({{1, 4}, {2, 4}, {3, 4}}));
  EXPECT_EQ(w.journal_status().pending_records, 0u);
  w.offer(batch(4, 1), s);
  EXPECT_EQ(w.flush_buffer(s).when, kind::none); // the timer's flush
  EXPECT_EQ(s.writes.size(), 2u);
  EXPECT_EQ(w.flush_buffer(s).when, kind::none); // nothing gathered: no write
  EXPECT_EQ(s.writes.size(), 2u);
  auto& c = w.counters();
  EXPECT_EQ(c.journaled, 4u);
  EXPECT_EQ(c.written, 4u);
  EXPECT_EQ(c.events_written, 13u);
  EXPECT_EQ(w.journal_status().pending_records, 0u);
}

TEST_F(JournaledWriter, AFailedFlushLeavesTheBatchesToTheReplay) {
  journaled_writer w{open_journal(), storage_like(100)};
  fake_server s;
  connect(w, s);
  w.offer(batch(1, 3), s);
  w.offer(batch(2, 3), s);
  s.up = false;
  auto next = w.flush_buffer(s);
  EXPECT_EQ(next.when, kind::after);
  EXPECT_EQ(next.delay_ns, 100 * ms);
  EXPECT_FALSE(w.live());
  w.offer(batch(3, 3), s); // offline: journaled only
  EXPECT_EQ(w.flush_buffer(s).when, kind::none);
  EXPECT_EQ(w.journal_status().pending_records, 3u);
  s.up = true;
  EXPECT_EQ(w.retry(s).when, kind::none);
  ASSERT_EQ(s.writes.size(), 1u); // merged into one write
  EXPECT_EQ(s.ids(), ids_of({{1, 3}, {2, 3}, {3, 3}}));
  auto& c = w.counters();
  EXPECT_EQ(c.replayed, 3u);
  EXPECT_EQ(c.written, 0u);
  EXPECT_EQ(c.journaled, 3u);
  EXPECT_EQ(w.journal_status().pending_records, 0u);
}

TEST_F(JournaledWriter, AMergedReplayStepStopsAtItsBound) {
  journaled_writer w{open_journal(), storage_like(4, 5)};
  fake_server s;
  s.up = false;
  w.start();
  w.retry(s);
  for (int i = 1; i <= 4; ++i)
    w.offer(batch(i, 3), s);
  s.up = true;
  // Bound 5 events: records of 3 are merged two by two (6 >= 5).
  EXPECT_EQ(w.retry(s).when, kind::now);
  EXPECT_EQ(w.retry(s).when, kind::none);
  ASSERT_EQ(s.writes.size(), 2u);
  EXPECT_EQ(s.writes[0].size(), 6u);
  EXPECT_EQ(s.writes[1].size(), 6u);
  EXPECT_EQ(s.ids(), ids_of({{1, 3}, {2, 3}, {3, 3}, {4, 3}}));
}

TEST_F(JournaledWriter, PrepareRunsOnceAndItsFailureBacksOff) {
  journaled_writer w{open_journal(), storage_like()};
  fake_server s;
  s.prepare_up = false;
  w.start();
  auto next = w.retry(s);
  EXPECT_EQ(next.when, kind::after);
  EXPECT_FALSE(w.prepared());
  EXPECT_EQ(w.counters().last_error, "migrations: down");
  w.offer(batch(1), s); // journaled meanwhile
  s.prepare_up = true;
  EXPECT_EQ(w.retry(s).when, kind::none);
  EXPECT_TRUE(w.prepared());
  EXPECT_EQ(s.ids(), ids_of({{1, 1}}));
  s.up = false;
  w.offer(batch(2), s);
  EXPECT_EQ(w.flush_buffer(s).when, kind::after);
  s.up = true;
  w.retry(s);
  EXPECT_EQ(s.prepares, 2); // one failure, one success, never again
}

TEST_F(JournaledWriter, FlushStepsWhileOfflineAndFlushesWhileLive) {
  journaled_writer w{open_journal(), storage_like(100)};
  fake_server s;
  s.up = false;
  w.start();
  EXPECT_EQ(w.retry(s).when, kind::after);
  w.offer(batch(1), s);
  s.up = true;
  // An explicit flush replays at once, without waiting for the retry.
  EXPECT_EQ(w.flush(s).when, kind::none);
  EXPECT_TRUE(w.live());
  EXPECT_EQ(s.ids(), ids_of({{1, 1}}));
  w.offer(batch(2), s);
  EXPECT_EQ(w.flush(s).when, kind::none);
  EXPECT_EQ(s.ids(), ids_of({{1, 1}, {2, 1}}));
  // The retry armed before is still on its way: when it comes, the writer
  // is live and has nothing to replay.
  EXPECT_EQ(w.retry(s).when, kind::none);
  EXPECT_EQ(s.writes.size(), 2u);
}
