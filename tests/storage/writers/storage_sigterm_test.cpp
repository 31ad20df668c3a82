// The real tickflow binary with the storage writer on, stopped with SIGTERM
// mid-stream: it exits 0, and every trade the simulator made before the stop
// is in Postgres. The simulator numbers its trades 1, 2, 3, ... across
// instruments, so what arrived must be exactly 1..max: a hole is a trade lost
// in a stage, a repeat a trade written twice. The journal is empty after.

#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <limits>
#include <set>
#include <string>
#include <thread>

#include "adapters/journal/journal.hpp"
#include "adapters/postgres/pg_client.hpp"
#include "tests/storage/writers/writer_support.hpp"

using namespace tickflow;
using namespace tickflow::test;

TEST(StorageSigterm, AStopMidStreamLosesNothing) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  pg::pg_client db;
  ASSERT_TRUE(db.connect(env.pg_dsn()).ok());
  auto dir = temp_dir();
  auto journal_dir = dir + "/journal";
  auto a = short_id("TA");
  auto b = short_id("TB");
  auto ini = dir + "/tickflow.ini";
  {
    std::ofstream out{ini};
    out << "[gateway]\nport = 0\n[broadcaster]\nport = 0\n"
           "[simulator]\nsymbols = " << a << ":100.00, " << b << ":200.00\n"
           "trades-per-second = 1000\nbar-intervals = 1s\ntimer = 10ms\n"
           "[storage]\nenabled = true\ndsn = " << env.pg_dsn() << "\n"
           "batch-size = 1000000\nflush-interval = 700ms\n"
           "journal-dir = " << journal_dir << "\nfsync = interval\n";
  }
  child_process proc{TICKFLOW_BINARY, {"--config", ini}, dir + "/tickflow.log"};
  ASSERT_TRUE(wait_until([&] {
    auto n = db.count_trades(a);
    return n && *n > 0;
  }, 20s)) << proc.output();
  // Stop between two flushes, with batches in flight in every stage.
  std::this_thread::sleep_for(std::chrono::milliseconds{350});
  EXPECT_EQ(proc.stop(std::chrono::seconds{20}), 0) << proc.output();

  constexpr int64_t max_ns = std::numeric_limits<int64_t>::max();
  std::set<uint64_t> ids;
  size_t rows_total = 0;
  for (auto& inst : {a, b}) {
    auto rows = db.read_trades(inst, 0, max_ns, 0);
    ASSERT_TRUE(rows.ok()) << rows.err().context;
    rows_total += rows->size();
    for (auto& t : *rows)
      ids.insert(std::stoull(t.trade_id));
  }
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(rows_total, ids.size()) << "a trade was written twice";
  EXPECT_EQ(*ids.begin(), 1u);
  EXPECT_EQ(*ids.rbegin(), ids.size()) << "holes: trades lost between the provider and Postgres";

  journal::journal_options jo;
  jo.dir = journal_dir;
  jo.max_bytes = 256ull << 20;
  auto jr = journal::disk_journal::open(jo);
  ASSERT_TRUE(jr.ok()) << jr.err().context;
  EXPECT_EQ(jr->stats().pending_records, 0u) << "the writer did not flush before exit";
}
