// The real tickflow binary with the storage writer on, killed with SIGKILL
// mid-stream and started again on the same journal.
//
// What the storage writer acknowledged (acked upstream) is, at any moment,
// in its journal or in Postgres: it appends a batch to the journal before
// it acks, and acks journal records only after they were written. So after
// a SIGKILL, rows + the journal's pending records is everything it accepted;
// after the restart every trade and closed bar of those records must be in
// Postgres, exactly once, with the journal empty.

#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "adapters/journal/batch_codec.hpp"
#include "adapters/journal/journal.hpp"
#include "adapters/postgres/pg_client.hpp"
#include "tests/storage/writers/writer_support.hpp"

using namespace tickflow;
using namespace tickflow::test;

namespace {

constexpr int64_t max_ns = std::numeric_limits<int64_t>::max();

std::string config(const services_env& env, const std::string& journal_dir,
                   const std::string& symbols) {
  return "[gateway]\nport = 0\n[broadcaster]\nport = 0\n"
         "[simulator]\nsymbols = " + symbols + "\n"
         "trades-per-second = 1000\nbar-intervals = 1s\ntimer = 10ms\n"
         "[storage]\nenabled = true\ndsn = " + env.pg_dsn() + "\n"
         "batch-size = 1000000\nflush-interval = 700ms\n"
         "journal-dir = " + journal_dir + "\nfsync = interval\n";
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out{path};
  out << text;
}

TEST(StorageSigkill, EverythingAcknowledgedEndsUpInPostgres) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  pg::pg_client db;
  ASSERT_TRUE(db.connect(env.pg_dsn()).ok());
  auto dir = temp_dir();
  auto journal_dir = dir + "/journal";
  auto a = short_id("KA");
  auto b = short_id("KB");
  auto first = dir + "/first.ini";
  write_file(first, config(env, journal_dir, a + ":100.00, " + b + ":200.00"));

  // Run until a flush reached Postgres, then a little more, then SIGKILL.
  {
    child_process proc{TICKFLOW_BINARY, {"--config", first}, dir + "/first.log"};
    ASSERT_TRUE(wait_until([&] {
      auto n = db.count_trades(a);
      return n && *n > 0;
    }, 20s)) << proc.output();
    std::this_thread::sleep_for(std::chrono::milliseconds{350});
    ASSERT_EQ(::kill(proc.pid(), SIGKILL), 0);
    ASSERT_TRUE(wait_until([&] { return !proc.running(); }, 10s));
  }

  // What it acknowledged: the rows now plus the journal's pending records.
  std::map<std::string, std::map<std::string, trade>> expected; // inst -> id
  std::map<std::string, std::set<int64_t>> expected_bars;       // inst -> open
  for (auto& inst : {a, b}) {
    auto rows = db.read_trades(inst, 0, max_ns, 0);
    ASSERT_TRUE(rows.ok()) << rows.err().context;
    for (auto& t : *rows)
      expected[inst][t.trade_id] = t;
    auto bars = db.read_bars(inst, interval::s1, 0, max_ns, 0);
    ASSERT_TRUE(bars.ok()) << bars.err().context;
    for (auto& x : *bars)
      expected_bars[inst].insert(x.open_time_ns);
  }
  size_t journal_trades = 0;
  std::vector<trade> pending;
  {
    journal::journal_options jo;
    jo.dir = journal_dir;
    jo.max_bytes = 256ull << 20;
    auto jr = journal::disk_journal::open(jo);
    ASSERT_TRUE(jr.ok()) << jr.err().context;
    auto r = jr->replay([&](uint64_t, std::string_view payload) {
      auto batch = journal::decode_batch(payload);
      EXPECT_TRUE(batch.ok());
      if (!batch)
        return false;
      for (auto& t : batch->trades) {
        expected[t.instrument][t.trade_id] = t;
        pending.push_back(t);
        ++journal_trades;
      }
      for (auto& x : batch->bars)
        expected_bars[x.instrument].insert(x.open_time_ns);
      return true;
    });
    ASSERT_TRUE(r.ok()) << r.err().context;
  }
  // The kill came between two flushes (700 ms apart, batches every 10 ms).
  EXPECT_GT(journal_trades, 0u);
  std::cout << "after SIGKILL: " << expected[a].size() + expected[b].size()
            << " trades acknowledged, " << journal_trades
            << " of them pending in the journal\n";

  // Restart on the same journal, with other instruments so nothing new
  // lands on the ones checked here.
  auto second = dir + "/second.ini";
  write_file(second, config(env, journal_dir, short_id("KC") + ":50.00"));
  child_process proc{TICKFLOW_BINARY, {"--config", second}, dir + "/second.log"};
  ASSERT_TRUE(wait_until([&] {
    for (auto& inst : {a, b}) {
      auto n = db.count_trades(inst);
      if (!n || *n != expected[inst].size())
        return false;
    }
    return true;
  }, 20s)) << "expected " << expected[a].size() << " + " << expected[b].size()
           << " trades, have " << *db.count_trades(a) << " + "
           << *db.count_trades(b) << "\n" << proc.output();
  EXPECT_EQ(proc.stop(), 0) << proc.output();

  // Exactly once, with the values that were acknowledged.
  for (auto& inst : {a, b}) {
    auto rows = db.read_trades(inst, 0, max_ns, 0);
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ(rows->size(), expected[inst].size());
    for (auto& t : *rows) {
      auto i = expected[inst].find(t.trade_id);
      ASSERT_NE(i, expected[inst].end()) << t.trade_id;
      EXPECT_EQ(key_of(t), key_of(i->second));
    }
    auto bars = db.read_bars(inst, interval::s1, 0, max_ns, 0);
    ASSERT_TRUE(bars.ok());
    std::set<int64_t> opens;
    for (auto& x : *bars)
      opens.insert(x.open_time_ns);
    for (auto t : expected_bars[inst])
      EXPECT_EQ(opens.count(t), 1u) << inst << " bar " << t;
  }
  // The second run emptied the journal (it exited cleanly).
  journal::journal_options jo;
  jo.dir = journal_dir;
  jo.max_bytes = 256ull << 20;
  auto jr = journal::disk_journal::open(jo);
  ASSERT_TRUE(jr.ok()) << jr.err().context;
  EXPECT_EQ(jr->stats().pending_records, 0u);
}

} // namespace
