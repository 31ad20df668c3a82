// The Redis subscriber actor against a real Redis: what other nodes'
// cache writers write to the event streams reaches its sinks as event
// batches (its own events, prices and garbage do not), it keeps to the
// sinks' credit (Redis keeps the rest), it resumes after a cut connection
// without losing an entry, it reports a gap when the stream was trimmed
// past it, and it reads again after Redis went away and came back.

#include "actors/redis_subscriber_actor.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/redis/redis_client.hpp"
#include "adapters/redis/redis_schema.hpp"
#include "adapters/redis/redis_streams.hpp"
#include "api/event_json.hpp"
#include "pipeline/model/time.hpp"
#include "tests/storage/writers/writer_support.hpp"
#include "tests/support/tcp_proxy.hpp"

namespace tickflow::test {
namespace {

/// What a sink received, shared with the test thread.
struct recorder {
  std::mutex mx;
  std::vector<event_batch> batches;

  void add(const event_batch& b) {
    std::lock_guard<std::mutex> lock{mx};
    batches.push_back(b);
  }
  size_t batch_count() {
    std::lock_guard<std::mutex> lock{mx};
    return batches.size();
  }
  std::vector<trade> trades() {
    std::lock_guard<std::mutex> lock{mx};
    std::vector<trade> out;
    for (auto& b : batches)
      out.insert(out.end(), b.trades.begin(), b.trades.end());
    return out;
  }
  event_batch all() {
    std::lock_guard<std::mutex> lock{mx};
    event_batch out;
    for (auto& b : batches) {
      out.trades.insert(out.trades.end(), b.trades.begin(), b.trades.end());
      out.quotes.insert(out.quotes.end(), b.quotes.begin(), b.quotes.end());
      out.bars.insert(out.bars.end(), b.bars.begin(), b.bars.end());
    }
    return out;
  }
};

/// A sink that records every batch and acks it, or holds its acks until it
/// gets flush_atom (then acks them and every later batch).
caf::behavior probe(caf::event_based_actor* self, std::shared_ptr<recorder> rec,
                    bool acking) {
  auto held = std::make_shared<std::vector<caf::strong_actor_ptr>>();
  auto ack_now = std::make_shared<bool>(acking);
  return {
    [=](const event_batch& b) {
      rec->add(b);
      if (*ack_now)
        self->send(caf::actor_cast<caf::actor>(self->current_sender()), ack_atom::value);
      else
        held->push_back(self->current_sender());
    },
    [=](flush_atom) {
      *ack_now = true;
      for (auto& up : *held)
        self->send(caf::actor_cast<caf::actor>(up), ack_atom::value);
      held->clear();
    },
  };
}

/// Writes a batch the way the cache writer of node `origin` does.
void publish(redis::redis_client& rc, const std::string& prefix,
             const std::string& origin, const event_batch& b, bool replay = false,
             uint64_t retention = 100'000) {
  std::vector<redis::cache_entry> entries;
  auto add = [&](redis::entry_kind kind, const auto& x, const std::string& instrument) {
    redis::cache_entry e;
    e.kind = kind;
    e.instrument = instrument;
    api::append_json(e.json, x);
    entries.push_back(std::move(e));
  };
  for (auto& t : b.trades) {
    add(redis::entry_kind::price, price_of(t), t.instrument);
    add(redis::entry_kind::trade, t, t.instrument);
  }
  for (auto& q : b.quotes)
    add(redis::entry_kind::ticker, q, q.instrument);
  for (auto& x : b.bars)
    add(redis::entry_kind::bar, x, x.instrument);
  redis::cache_settings keys;
  keys.prefix = prefix;
  keys.origin = origin;
  keys.publish = false;
  auto cmds = redis::build_commands(entries, keys);
  ASSERT_TRUE(cmds.ok());
  redis::stream_settings streams;
  streams.retention = retention;
  redis::add_stream_commands(*cmds, entries, prefix, streams, origin, replay);
  auto r = rc.pipeline(cmds->commands);
  ASSERT_TRUE(r.ok()) << r.err().context;
}

subscriber_stats stats_of(caf::scoped_actor& self, const redis_subscriber_actor& sub) {
  subscriber_stats out;
  self->request(sub, 5s, stats_atom::value, redis_atom::value)
    .receive([&](const subscriber_stats& s) { out = s; }, [](caf::error&) {});
  return out;
}

topology subscriber_topology(uint16_t redis_port) {
  auto t = load_topology(default_config_text(), "<embedded default>");
  EXPECT_TRUE(t.ok());
  auto topo = *t;
  topo.redis.port = redis_port;
  topo.redis.key_prefix = "t" + unique_name();
  topo.cluster.node_id = "gw-self";
  topo.cluster.subscribe = true;
  return topo;
}

TEST(RedisSubscriber, PassesOtherNodesEventsAndSkipsItsOwn) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  auto sys = make_system();
  caf::scoped_actor self{*sys};
  auto topo = subscriber_topology(env.redis_port());
  auto& prefix = topo.redis.key_prefix;
  auto rec = std::make_shared<recorder>();
  auto sink = sys->spawn(probe, rec, true);
  auto sub = spawn_redis_subscriber(*sys, topo, {caf::actor_cast<batch_sink_actor>(sink)});
  ASSERT_TRUE(wait_until([&] { return stats_of(self, sub).connected; }));
  redis::redis_client rc;
  ASSERT_TRUE(rc.connect("127.0.0.1", env.redis_port(), 2000).ok());
  auto x = short_id("SX");
  auto y = short_id("SY");
  constexpr int64_t ts = 1'700'000'000'000'000'000;
  event_batch theirs;
  for (uint64_t id = 1; id <= 3; ++id)
    theirs.trades.push_back(make_trade(x, id, ts + static_cast<int64_t>(id), "100.5", "0.25"));
  theirs.quotes.push_back(make_quote(y, ts));
  theirs.bars.push_back(make_bar(x, interval::m1, ts / ns_per_s / 60 * 60, true));
  event_batch mine;
  mine.trades.push_back(make_trade(x, 4, ts + 4, "101", "1"));
  event_batch untagged;
  untagged.trades.push_back(make_trade(x, 5, ts + 5, "102", "2"));
  publish(rc, prefix, "ingest-a", theirs);
  publish(rc, prefix, "gw-self", mine);
  publish(rc, prefix, "", untagged);
  // Garbage on a stream it reads, a valid event on another prefix.
  auto stream = redis::stream_key(prefix, redis::shard_of(x, topo.redis.streams));
  ASSERT_TRUE(rc.execute({"XADD", stream, "*", "e", "nonsense"}).ok());
  ASSERT_TRUE(rc.execute({"XADD", stream, "*", "e", R"([{"type":"trade","data":{}}])"}).ok());
  publish(rc, prefix + "z", "ingest-a", untagged);
  ASSERT_TRUE(wait_until([&] { return stats_of(self, sub).decode_failures >= 2; }));
  ASSERT_TRUE(wait_until([&] { return rec->all().size() >= 6; }));
  auto got = rec->all();
  ASSERT_EQ(got.trades.size(), 4u);
  expect_same(got.trades[0], theirs.trades[0]);
  expect_same(got.trades[1], theirs.trades[1]);
  expect_same(got.trades[2], theirs.trades[2]);
  expect_same(got.trades[3], untagged.trades[0]);
  ASSERT_EQ(got.quotes.size(), 1u);
  expect_same(got.quotes[0], theirs.quotes[0]);
  ASSERT_EQ(got.bars.size(), 1u);
  auto want_bar = theirs.bars[0];
  want_bar.ts_recv_ns = 0; // not published
  expect_same(got.bars[0], want_bar);
  auto s = stats_of(self, sub);
  EXPECT_EQ(s.messages, 8u); // 5 + 1 own + 1 untagged + 1 garbage (prices are not streamed)
  EXPECT_EQ(s.own, 1u);      // the entry of "gw-self"
  EXPECT_EQ(s.prices, 0u);
  EXPECT_EQ(s.decode_failures, 2u); // an entry that is no array, an empty trade
  EXPECT_EQ(s.events, 6u);
  EXPECT_EQ(s.dropped, 0u);
  EXPECT_EQ(s.subscriptions, 1u);
  EXPECT_EQ(s.gaps, 0u);
  EXPECT_EQ(s.replayed, 0u);
  EXPECT_GE(s.entries, 5u); // theirs on one or two shards, mine, untagged, two garbage
  // The stage view /status and /metrics show.
  self->request(sub, 5s, stats_atom::value)
    .receive(
      [&](const stage_stats& st) {
        EXPECT_EQ(st.events_in, 8u);
        EXPECT_EQ(st.events_out, 6u);
        EXPECT_EQ(st.rejected, 2u);
      },
      [](caf::error& e) { FAIL() << caf::to_string(e); });
  EXPECT_TRUE(stop_actor(self, sub));
  self->send_exit(sink, caf::exit_reason::user_shutdown);
}

TEST(RedisSubscriber, KeepsToTheSinksCredit) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  auto sys = make_system();
  caf::scoped_actor self{*sys};
  auto topo = subscriber_topology(env.redis_port());
  topo.pipeline.queue_bound = 1;
  auto rec = std::make_shared<recorder>();
  auto sink = sys->spawn(probe, rec, false); // holds its acks
  auto sub = spawn_redis_subscriber(*sys, topo, {caf::actor_cast<batch_sink_actor>(sink)});
  ASSERT_TRUE(wait_until([&] { return stats_of(self, sub).connected; }));
  redis::redis_client rc;
  ASSERT_TRUE(rc.connect("127.0.0.1", env.redis_port(), 2000).ok());
  auto x = short_id("CX");
  constexpr int64_t ts = 1'700'000'000'000'000'000;
  std::vector<trade> sent;
  for (uint64_t id = 1; id <= 5; ++id) {
    event_batch b;
    b.trades.push_back(make_trade(x, id, ts + static_cast<int64_t>(id), "7", "1"));
    sent.push_back(b.trades[0]);
    publish(rc, topo.redis.key_prefix, "ingest-a", b);
    if (id == 1) { // the first goes out; the sink holds its ack
      ASSERT_TRUE(wait_until([&] { return rec->batch_count() == 1; }));
    }
    if (id == 2) { // read, waiting for credit
      ASSERT_TRUE(wait_until([&] { return stats_of(self, sub).messages == 2; }));
    }
  }
  // One batch in flight without an ack, one read and waiting; the rest
  // stays in Redis (nothing dropped).
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(rec->batch_count(), 1u);
  EXPECT_EQ(stats_of(self, sub).messages, 2u);
  self->send(sink, flush_atom::value);
  ASSERT_TRUE(wait_until([&] { return rec->trades().size() >= 5; }));
  auto got = rec->trades();
  ASSERT_EQ(got.size(), 5u);
  for (size_t i = 0; i < got.size(); ++i)
    expect_same(got[i], sent[i]); // in order
  EXPECT_EQ(rec->batch_count(), 3u); // the first, the one read meanwhile, the rest
  EXPECT_EQ(stats_of(self, sub).dropped, 0u);
  EXPECT_TRUE(stop_actor(self, sub));
  self->send_exit(sink, caf::exit_reason::user_shutdown);
}

/// A stand-in for the broadcaster: counts (gap_atom, shard, shards).
struct gap_log {
  std::mutex mx;
  std::vector<std::pair<uint32_t, uint32_t>> gaps;
  size_t trades_before_first_gap = 0;
  std::shared_ptr<recorder> rec;
};

caf::behavior gap_probe(caf::event_based_actor* self, std::shared_ptr<gap_log> log) {
  return {
    [=](const event_batch& b) {
      log->rec->add(b);
      self->send(caf::actor_cast<caf::actor>(self->current_sender()), ack_atom::value);
    },
    [=](gap_atom, uint32_t shard, uint32_t shards) {
      std::lock_guard<std::mutex> lock{log->mx};
      if (log->gaps.empty())
        log->trades_before_first_gap = log->rec->trades().size();
      log->gaps.emplace_back(shard, shards);
    },
  };
}

TEST(RedisSubscriber, ResumesAfterACutConnectionWithoutLosingAnEntry) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  tcp_proxy proxy{env.redis_port()};
  auto sys = make_system();
  caf::scoped_actor self{*sys};
  auto topo = subscriber_topology(proxy.port());
  auto rec = std::make_shared<recorder>();
  auto sink = sys->spawn(probe, rec, true);
  auto sub = spawn_redis_subscriber(*sys, topo, {caf::actor_cast<batch_sink_actor>(sink)});
  ASSERT_TRUE(wait_until([&] { return stats_of(self, sub).connected; }));
  redis::redis_client rc; // the writer's own connection, never cut
  ASSERT_TRUE(rc.connect("127.0.0.1", env.redis_port(), 2000).ok());
  auto x = short_id("PX");
  constexpr int64_t ts = 1'700'000'000'000'000'000;
  std::vector<trade> sent;
  auto send_trades = [&](uint64_t from, uint64_t to, bool replay) {
    for (auto id = from; id <= to; ++id) {
      event_batch b;
      b.trades.push_back(make_trade(x, id, ts + static_cast<int64_t>(id), "5", "1"));
      sent.push_back(b.trades[0]);
      publish(rc, topo.redis.key_prefix, "ingest-a", b, replay);
    }
  };
  send_trades(1, 50, false);
  ASSERT_TRUE(wait_until([&] { return rec->trades().size() == 50; }));
  // Cut for 2 s while the writer goes on, replays included.
  proxy.cut();
  ASSERT_TRUE(wait_until([&] { return !stats_of(self, sub).connected; }));
  send_trades(51, 300, false);
  send_trades(301, 320, true);
  std::this_thread::sleep_for(2s);
  proxy.restore();
  send_trades(321, 400, false);
  ASSERT_TRUE(wait_until([&] { return rec->trades().size() >= 400; }, 20s));
  std::this_thread::sleep_for(200ms); // nothing more comes
  auto got = rec->trades();
  ASSERT_EQ(got.size(), 400u);
  for (size_t i = 0; i < got.size(); ++i) {
    auto want = sent[i];
    if (i >= 300 && i < 320)
      want.flags |= quality_replayed;
    expect_same(got[i], want); // each once, in order
  }
  auto s = stats_of(self, sub);
  EXPECT_GE(s.subscriptions, 2u);
  EXPECT_EQ(s.gaps, 0u);
  EXPECT_EQ(s.replayed, 20u);
  EXPECT_EQ(s.dropped, 0u);
  EXPECT_TRUE(stop_actor(self, sub));
  self->send_exit(sink, caf::exit_reason::user_shutdown);
}

TEST(RedisSubscriber, ReportsAGapWhenTheStreamWasTrimmedPastIt) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  tcp_proxy proxy{env.redis_port()};
  auto sys = make_system();
  caf::scoped_actor self{*sys};
  auto topo = subscriber_topology(proxy.port());
  auto log = std::make_shared<gap_log>();
  log->rec = std::make_shared<recorder>();
  auto fake = sys->spawn(gap_probe, log);
  auto sub = spawn_redis_subscriber(*sys, topo, {caf::actor_cast<batch_sink_actor>(fake)},
                                    caf::actor_cast<broadcaster_actor>(fake));
  ASSERT_TRUE(wait_until([&] { return stats_of(self, sub).connected; }));
  redis::redis_client rc;
  ASSERT_TRUE(rc.connect("127.0.0.1", env.redis_port(), 2000).ok());
  auto x = short_id("GX");
  constexpr int64_t ts = 1'700'000'000'000'000'000;
  auto send_trades = [&](uint64_t from, uint64_t to) {
    for (auto id = from; id <= to; ++id) {
      event_batch b;
      b.trades.push_back(make_trade(x, id, ts + static_cast<int64_t>(id), "5", "1"));
      publish(rc, topo.redis.key_prefix, "ingest-a", b, false, 100);
    }
  };
  send_trades(1, 5);
  ASSERT_TRUE(wait_until([&] { return log->rec->trades().size() == 5; }));
  proxy.cut();
  ASSERT_TRUE(wait_until([&] { return !stats_of(self, sub).connected; }));
  send_trades(6, 1005); // MAXLEN ~ 100: the oldest are trimmed
  proxy.restore();
  ASSERT_TRUE(wait_until([&] { return stats_of(self, sub).gaps >= 1; }, 20s));
  ASSERT_TRUE(wait_until([&] {
    auto t = log->rec->trades();
    return !t.empty() && t.back().trade_id == "1005";
  }));
  auto got = log->rec->trades();
  EXPECT_LT(got.size(), 1005u); // the trimmed ones never came
  EXPECT_GE(got.size(), 5u + 100u);
  for (size_t i = 1; i < got.size(); ++i) // in order, each once
    EXPECT_LT(std::stoull(got[i - 1].trade_id), std::stoull(got[i].trade_id));
  {
    std::lock_guard<std::mutex> lock{log->mx};
    ASSERT_EQ(log->gaps.size(), 1u);
    EXPECT_EQ(log->gaps[0].first, redis::shard_of(x, topo.redis.streams));
    EXPECT_EQ(log->gaps[0].second, topo.redis.streams);
    // The batch after the gap goes to the other sinks first; this probe is
    // the gap sink itself, so it got the gap before those trades.
    EXPECT_EQ(log->trades_before_first_gap, 5u);
  }
  EXPECT_EQ(stats_of(self, sub).gaps, 1u);
  EXPECT_TRUE(stop_actor(self, sub));
  self->send_exit(fake, caf::exit_reason::user_shutdown);
}

/// A redis-server of this test alone (it is stopped and started again).
class private_redis {
 public:
  explicit private_redis(uint16_t port) : port_(port), dir_(temp_dir()) { start(); }

  void start() {
    proc_ = std::make_unique<child_process>(
      "/usr/bin/redis-server",
      std::vector<std::string>{"--port", std::to_string(port_), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", dir_},
      dir_ + "/redis.log");
  }

  void stop() { proc_.reset(); }

  bool answers() {
    redis::redis_client rc;
    return rc.connect("127.0.0.1", port_, 500).ok() && rc.ping().ok();
  }

 private:
  uint16_t port_;
  std::string dir_;
  std::unique_ptr<child_process> proc_;
};

TEST(RedisSubscriber, SubscribesAgainWhenRedisComesBack) {
  auto port = free_port();
  private_redis server{port};
  ASSERT_TRUE(wait_until([&] { return server.answers(); }));
  auto sys = make_system();
  caf::scoped_actor self{*sys};
  auto topo = subscriber_topology(port);
  auto rec = std::make_shared<recorder>();
  auto sink = sys->spawn(probe, rec, true);
  auto sub = spawn_redis_subscriber(*sys, topo, {caf::actor_cast<batch_sink_actor>(sink)});
  ASSERT_TRUE(wait_until([&] { return stats_of(self, sub).connected; }));
  auto x = short_id("RX");
  constexpr int64_t ts = 1'700'000'000'000'000'000;
  auto send_trade = [&](uint64_t id) {
    redis::redis_client rc;
    ASSERT_TRUE(rc.connect("127.0.0.1", port, 2000).ok());
    event_batch b;
    b.trades.push_back(make_trade(x, id, ts + static_cast<int64_t>(id), "3", "1"));
    publish(rc, topo.redis.key_prefix, "ingest-a", b);
  };
  send_trade(1);
  ASSERT_TRUE(wait_until([&] { return rec->trades().size() == 1; }));
  // Redis goes away: the subscriber notices and retries with backoff.
  server.stop();
  ASSERT_TRUE(wait_until([&] { return !stats_of(self, sub).connected; }));
  std::this_thread::sleep_for(300ms); // a failed retry or two
  server.start();
  ASSERT_TRUE(wait_until([&] { return server.answers(); }));
  ASSERT_TRUE(wait_until([&] { return stats_of(self, sub).subscriptions >= 2; }, 20s));
  send_trade(2);
  ASSERT_TRUE(wait_until([&] { return rec->trades().size() == 2; }));
  auto s = stats_of(self, sub);
  EXPECT_TRUE(s.connected);
  EXPECT_GE(s.connect_failures, 1u);
  EXPECT_FALSE(s.last_error.empty());
  EXPECT_EQ(rec->trades()[1].trade_id, "2");
  EXPECT_EQ(s.gaps, 1u); // Redis (no persistence) lost the stream
  EXPECT_TRUE(stop_actor(self, sub));
  self->send_exit(sink, caf::exit_reason::user_shutdown);
}

} // namespace
} // namespace tickflow::test
