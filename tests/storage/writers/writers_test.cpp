// The cache writer (Redis) and the storage writer (PostgreSQL) as actors:
// round trips of every event type, idempotence, and outages of each server
// mid-stream (nothing acknowledged is lost).

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <thread>
#include <set>
#include <string>
#include <vector>

#include "actors/cache_writer_actor.hpp"
#include "actors/storage_writer_actor.hpp"
#include "adapters/journal/batch_codec.hpp"
#include "adapters/journal/journal.hpp"
#include "adapters/postgres/pg_client.hpp"
#include "adapters/redis/redis_client.hpp"
#include "adapters/redis/redis_events_decode.hpp"
#include "adapters/redis/redis_schema.hpp"
#include "adapters/redis/redis_streams.hpp"
#include "tests/storage/writers/writer_support.hpp"

using namespace tickflow;
using namespace tickflow::test;

namespace {

constexpr int64_t t0_s = 1'763'712'000; // 2025-11-21T08:00:00Z
constexpr int64_t max_ns = std::numeric_limits<int64_t>::max();

class Writers : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env.ok()) << env.problem();
    topo = writer_topology(env);
    keys.prefix = topo.redis.key_prefix;
    sys = make_system();
    ASSERT_TRUE(db.connect(env.pg_dsn()).ok());
  }

  /// Starts the servers again if a test stopped one and failed midway.
  void TearDown() override {
    std::string out;
    if (env.ok()) {
      env.control("start-redis", out);
      env.control("start-postgres", out);
    }
  }

  redis::redis_client redis_client() {
    redis::redis_client c;
    EXPECT_TRUE(c.connect("127.0.0.1", env.redis_port(), 2000).ok());
    return c;
  }

  /// Trades of `instrument` in Postgres, as key_of strings.
  std::multiset<std::string> stored_trades(const std::string& instrument) {
    std::multiset<std::string> out;
    auto r = db.read_trades(instrument, 0, max_ns, 0);
    EXPECT_TRUE(r.ok()) << (r ? "" : r.err().context);
    if (r)
      for (auto& t : *r)
        out.insert(key_of(t));
    return out;
  }

  services_env env;
  topology topo;
  redis::cache_settings keys;
  pg::pg_client db;
  std::unique_ptr<caf::actor_system> sys;
};

TEST_F(Writers, EveryEventTypeRoundTrips) {
  auto id = short_id("RT");
  event_batch b;
  b.trades = {make_trade(id, 1, t0_s * 1'000'000'000 + 1, "100.10", "0.5"),
              make_trade(id, 2, t0_s * 1'000'000'000 + 2, "100.20", "0.00100000"),
              make_trade(id, 3, t0_s * 1'000'000'000 + 3, "100.30", "7")};
  b.quotes = {make_quote(id, t0_s * 1'000'000'000 + 4)};
  b.bars = {make_bar(id, interval::m1, t0_s, true),
            make_bar(id, interval::m1, t0_s + 60, false)};
  caf::scoped_actor self{*sys};
  auto cw = spawn_cache_writer(*sys, topo);
  auto sw = spawn_storage_writer(*sys, topo);
  ASSERT_TRUE(send_and_ack(self, cw, b));
  ASSERT_TRUE(send_and_ack(self, sw, b));

  // Redis: one pipelined write.
  // Written live, or journaled and replayed if it came before the connect.
  ASSERT_TRUE(wait_until([&] {
    auto st = ask(self, cw, true);
    return st.written + st.replayed == 1 && st.pending == 0;
  }));
  auto rc = redis_client();
  auto price = rc.get(redis::price_key(keys, id));
  ASSERT_TRUE(price.ok() && price->has_value());
  EXPECT_NE((*price)->find("\"price\":\"100.3\""), std::string::npos) << **price;
  EXPECT_NE((*price)->find("\"trade_id\":\"3\""), std::string::npos) << **price;
  auto ticker = rc.get(redis::ticker_key(keys, id));
  ASSERT_TRUE(ticker.ok() && ticker->has_value());
  EXPECT_NE((*ticker)->find("99.5"), std::string::npos) << **ticker;
  auto bars = rc.zrange(redis::bars_key(keys, interval::m1, id), 0, -1);
  ASSERT_TRUE(bars.ok());
  ASSERT_EQ(bars->size(), 2u); // the open bar is cached too
  EXPECT_NE((*bars)[0].find("\"closed\":true"), std::string::npos) << (*bars)[0];
  EXPECT_NE((*bars)[1].find("\"closed\":false"), std::string::npos) << (*bars)[1];
  auto ttl = rc.execute({"TTL", redis::price_key(keys, id)});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 24 * 3600 - 60);
  auto index = rc.zrange(redis::instruments_key(keys), 0, -1);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(*index, std::vector<std::string>{id});
  // Other nodes read every event once on the instrument's stream: one
  // entry for the batch, prices left out (their trades carry them).
  auto stream = redis::stream_key(keys.prefix, redis::shard_of(id, topo.redis.streams));
  auto entries = rc.execute({"XRANGE", stream, "-", "+"});
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->elements.size(), 1u);
  redis::stream_cursor cursor{keys.prefix, topo.redis.streams};
  redis::reply as_read;
  as_read.type = redis::reply::kind::array;
  redis::reply one;
  one.type = redis::reply::kind::array;
  redis::reply key;
  key.type = redis::reply::kind::string;
  key.text = stream;
  one.elements = {key, *entries};
  as_read.elements = {one};
  auto decoded = redis::decode_xread(as_read, cursor);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->size(), 1u);
  EXPECT_EQ((*decoded)[0].count, 6u);
  // Marked a replay exactly when the writer journaled it (it came first).
  EXPECT_EQ((*decoded)[0].replay, ask(self, cw, true).replayed == 1);
  std::map<std::string, int> published;
  auto ok = redis::for_each_stream_event((*decoded)[0].events,
                                         [&](result<redis::published_event>&& e) {
                                           ASSERT_TRUE(e.ok());
                                           published[std::string{to_string(e->kind)}] += 1;
                                         });
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(published["price"], 0);
  EXPECT_EQ(published["trade"], 3);
  EXPECT_EQ(published["ticker"], 1);
  EXPECT_EQ(published["bar"], 2);

  // Postgres: trades and the closed bar, exactly as sent.
  ASSERT_TRUE(wait_until([&] {
    auto st = ask(self, sw, true);
    return st.pending == 0 && st.written + st.replayed == 1;
  }));
  auto trades = db.read_trades(id, 0, max_ns, 0);
  ASSERT_TRUE(trades.ok()) << trades.err().context;
  ASSERT_EQ(trades->size(), 3u);
  for (size_t i = 0; i < 3; ++i)
    expect_same((*trades)[i], b.trades[i]);
  auto stored = db.read_bars(id, interval::m1, 0, max_ns, 0);
  ASSERT_TRUE(stored.ok()) << stored.err().context;
  ASSERT_EQ(stored->size(), 1u); // the open bar is not stored
  expect_same((*stored)[0], b.bars[0]);
  auto st = ask(self, sw);
  EXPECT_EQ(st.journaled, 1u);
  EXPECT_EQ(st.dropped, 0u);
  EXPECT_TRUE(st.connected);
  EXPECT_TRUE(stop_actor(self, cw));
  EXPECT_TRUE(stop_actor(self, sw));
}

TEST_F(Writers, TheSameBatchTwiceGivesTheSameRows) {
  auto id = short_id("TW");
  event_batch b;
  for (uint64_t i = 1; i <= 20; ++i)
    b.trades.push_back(make_trade(id, i, (t0_s + static_cast<int64_t>(i)) * 1'000'000'000,
                                  "10.5", "1"));
  b.bars = {make_bar(id, interval::s1, t0_s, true),
            make_bar(id, interval::s1, t0_s + 1, true)};
  caf::scoped_actor self{*sys};
  auto sw = spawn_storage_writer(*sys, topo);
  ASSERT_TRUE(send_and_ack(self, sw, b));
  auto done = [&](uint64_t n) {
    auto st = ask(self, sw, true);
    return st.pending == 0 && st.written + st.replayed == n;
  };
  ASSERT_TRUE(wait_until([&] { return done(1); }));
  auto trades1 = db.count_trades(id);
  auto bars1 = db.count_bars(id);
  ASSERT_TRUE(send_and_ack(self, sw, b));
  ASSERT_TRUE(wait_until([&] { return done(2); }));
  EXPECT_EQ(*trades1, 20u);
  EXPECT_EQ(*bars1, 2u);
  EXPECT_EQ(*db.count_trades(id), 20u);
  EXPECT_EQ(*db.count_bars(id), 2u);
  EXPECT_TRUE(stop_actor(self, sw));
}

TEST_F(Writers, RedisRestartedMidStreamLosesNothing) {
  auto id = short_id("RR");
  topo.storage.enabled = false;
  caf::scoped_actor self{*sys};
  auto cw = spawn_cache_writer(*sys, topo);
  auto batch = [&](int i) {
    event_batch b;
    b.trades = {make_trade(id, static_cast<uint64_t>(i),
                           (t0_s + i) * 1'000'000'000,
                           std::to_string(100 + i).c_str(), "1")};
    b.bars = {make_bar(id, interval::s1, t0_s + i, true)};
    return b;
  };
  auto rc = redis_client();
  auto bar_count = [&] {
    auto r = rc.zrange(redis::bars_key(keys, interval::s1, id), 0, -1);
    return r ? r->size() : size_t{0};
  };
  std::string out;
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(send_and_ack(self, cw, batch(i)));
  // Restart: the writer finds its connection dead on the next write,
  // journals, reconnects and replays. A restarted Redis starts empty.
  ASSERT_EQ(env.control("restart-redis", out), 0) << out;
  for (int i = 10; i < 20; ++i)
    ASSERT_TRUE(send_and_ack(self, cw, batch(i)));
  ASSERT_TRUE(wait_until([&] {
    auto st = ask(self, cw, true);
    return st.pending == 0 && st.connected && bar_count() == 10;
  })) << "bars in redis: " << bar_count();
  // Down for a while: batches are acked and journaled, then replayed.
  ASSERT_EQ(env.control("stop-redis", out), 0) << out;
  for (int i = 20; i < 30; ++i)
    ASSERT_TRUE(send_and_ack(self, cw, batch(i), 2s)) << i;
  auto down = ask(self, cw);
  EXPECT_FALSE(down.connected);
  EXPECT_GE(down.pending, 10u);
  ASSERT_EQ(env.control("start-redis", out), 0) << out;
  for (int i = 30; i < 35; ++i)
    ASSERT_TRUE(send_and_ack(self, cw, batch(i)));
  ASSERT_TRUE(wait_until([&] {
    auto st = ask(self, cw, true);
    return st.pending == 0 && st.connected && bar_count() == 15;
  })) << "bars in redis: " << bar_count();
  auto st = ask(self, cw);
  auto price = rc.get(redis::price_key(keys, id));
  ASSERT_TRUE(price.ok() && price->has_value());
  EXPECT_NE((*price)->find("\"price\":\"134\""), std::string::npos) << **price;
  auto bars = rc.zrange(redis::bars_key(keys, interval::s1, id), 0, -1);
  ASSERT_TRUE(bars.ok());
  for (int i = 20; i < 35; ++i) // in order: the journal was replayed in order
    EXPECT_NE((*bars)[static_cast<size_t>(i - 20)].find(
                "\"open_time\":" + std::to_string((t0_s + i) * 1'000'000'000)),
              std::string::npos)
      << (*bars)[static_cast<size_t>(i - 20)];
  EXPECT_EQ(st.dropped, 0u);
  EXPECT_GE(st.journaled, 10u);
  EXPECT_EQ(st.replayed, st.journaled);
  EXPECT_EQ(st.written + st.journaled, 35u);
  EXPECT_TRUE(stop_actor(self, cw));
}

TEST_F(Writers, PostgresStoppedMidStreamLosesNothing) {
  auto id = short_id("PG");
  topo.redis.enabled = false;
  topo.storage.batch_size = 50;
  caf::scoped_actor self{*sys};
  auto sw = spawn_storage_writer(*sys, topo);
  std::multiset<std::string> sent;
  uint64_t next_id = 1;
  auto batch = [&](int i) {
    event_batch b;
    for (int k = 0; k < 10; ++k, ++next_id) {
      auto px = std::to_string(1000 + i) + "." + std::to_string(k);
      b.trades.push_back(make_trade(id, next_id,
                                    (t0_s + i) * 1'000'000'000 + k,
                                    px.c_str(), "0.25"));
      sent.insert(key_of(b.trades.back()));
    }
    b.bars = {make_bar(id, interval::s1, t0_s + i, true),
              make_bar(id, interval::s1, t0_s + i + 1, false)};
    return b;
  };
  std::string out;
  for (int i = 0; i < 15; ++i)
    ASSERT_TRUE(send_and_ack(self, sw, batch(i)));
  ASSERT_EQ(env.control("stop-postgres", out), 0) << out;
  auto stopped = std::chrono::steady_clock::now();
  for (int i = 15; i < 30; ++i) {
    ASSERT_TRUE(send_and_ack(self, sw, batch(i), 2s)) << i;
    std::this_thread::sleep_for(100ms);
  }
  auto down = ask(self, sw, true);
  EXPECT_FALSE(down.connected);
  EXPECT_GT(down.pending, 0u);
  // Down for at least 3 s in all.
  std::this_thread::sleep_until(stopped + 3s);
  ASSERT_EQ(env.control("start-postgres", out), 0) << out;
  for (int i = 30; i < 40; ++i)
    ASSERT_TRUE(send_and_ack(self, sw, batch(i)));
  ASSERT_TRUE(db.connect().ok());
  ASSERT_TRUE(wait_until([&] {
    auto st = ask(self, sw, true);
    auto n = db.count_trades(id);
    return st.pending == 0 && st.connected && n && *n == 400;
  }, 30s)) << "trades: " << *db.count_trades(id);
  // Every event sent is there exactly once: count and content.
  auto stored = stored_trades(id);
  EXPECT_EQ(stored.size(), 400u);
  EXPECT_TRUE(stored == sent);
  EXPECT_EQ(*db.count_bars(id), 40u); // closed bars only
  auto st = ask(self, sw);
  EXPECT_EQ(st.journaled, 40u);
  EXPECT_EQ(st.dropped, 0u);
  EXPECT_GT(st.replayed, 0u);
  EXPECT_GT(st.failures, 0u);
  EXPECT_TRUE(stop_actor(self, sw));
}

TEST_F(Writers, StorageWriterFlushesOnExitAndReplaysAtStart) {
  auto id = short_id("EX");
  topo.redis.enabled = false;
  topo.storage.batch_size = 1'000'000;
  topo.storage.flush_interval_ns = 3'600'000'000'000; // never by the timer
  caf::scoped_actor self{*sys};
  event_batch b;
  for (uint64_t i = 1; i <= 30; ++i)
    b.trades.push_back(make_trade(id, i, (t0_s + static_cast<int64_t>(i)) * 1'000'000'000,
                                  "3.5", "2"));
  // Exit flushes what the writer holds.
  auto sw = spawn_storage_writer(*sys, topo);
  ASSERT_TRUE(wait_until([&] { return ask(self, sw).connected; }));
  ASSERT_TRUE(send_and_ack(self, sw, b));
  EXPECT_EQ(*db.count_trades(id), 0u);
  ASSERT_TRUE(stop_actor(self, sw));
  EXPECT_EQ(*db.count_trades(id), 30u);
  // A journal left behind (as after SIGKILL) is replayed at start.
  {
    journal::journal_options jo;
    jo.dir = topo.storage.journal_dir;
    jo.sync = journal::fsync_policy::never;
    auto jr = journal::disk_journal::open(jo);
    // The stopped writer releases the journal's lock with its state.
    for (int i = 0; i < 100 && !jr; ++i) {
      std::this_thread::sleep_for(20ms);
      jr = journal::disk_journal::open(jo);
    }
    ASSERT_TRUE(jr.ok()) << jr.err().context;
    EXPECT_EQ(jr->stats().pending_records, 0u);
    event_batch left;
    for (uint64_t i = 31; i <= 40; ++i)
      left.trades.push_back(make_trade(id, i, (t0_s + static_cast<int64_t>(i)) * 1'000'000'000,
                                       "3.5", "2"));
    ASSERT_TRUE(jr->append(journal::encode_batch(left)).ok());
  }
  sw = spawn_storage_writer(*sys, topo);
  ASSERT_TRUE(wait_until([&] {
    auto n = db.count_trades(id);
    return n && *n == 40;
  }));
  auto st = ask(self, sw);
  EXPECT_EQ(st.replayed, 1u);
  EXPECT_EQ(st.pending, 0u);
  EXPECT_TRUE(stop_actor(self, sw));
}

TEST_F(Writers, StorageConninfoAddsThePasswordFromTheEnvironment) {
  storage_settings s;
  s.dsn = "host=127.0.0.1 dbname=x";
  EXPECT_EQ(storage_conninfo(s), s.dsn);
  s.dsn_env = "TICKFLOW_TEST_PG_PASSWORD_X";
  ::setenv(s.dsn_env.c_str(), "it's\\secret", 1);
  EXPECT_EQ(storage_conninfo(s),
            "host=127.0.0.1 dbname=x password='it\\'s\\\\secret'");
  s.dsn = "postgresql://u@127.0.0.1/x";
  EXPECT_EQ(storage_conninfo(s),
            "postgresql://u@127.0.0.1/x?password=it%27s%5Csecret");
  ::unsetenv(s.dsn_env.c_str());
}

} // namespace
