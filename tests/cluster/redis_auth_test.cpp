// Redis with a password ([redis] url = redis://:<password>@host:port/db):
// a private redis-server started with requirepass. The cache writer and
// the subscriber AUTH and SELECT on every connection (their keys and
// streams land in the URL's db), a wrong password is refused with the
// server's words only, and a real tickflow process with the URL never
// shows the password in its log or its answers.

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/cache_writer_actor.hpp"
#include "actors/redis_options.hpp"
#include "actors/redis_subscriber_actor.hpp"
#include "adapters/redis/redis_client.hpp"
#include "adapters/redis/redis_schema.hpp"
#include "adapters/redis/redis_streams.hpp"
#include "tests/cluster/cluster_support.hpp"
#include "tests/storage/writers/writer_support.hpp"

namespace tickflow::test {
namespace {

constexpr const char* secret = "s3cret-Pw-7f1";
constexpr const char* minimal =
  "[providers]\nenabled = simulator\n[simulator]\nsymbols = AU-X:1\n[redis]\n";

/// A redis-server of this test alone, with requirepass.
class locked_redis {
 public:
  locked_redis() : port_(free_port()), dir_(temp_dir()) {
    proc_ = std::make_unique<child_process>(
      "/usr/bin/redis-server",
      std::vector<std::string>{"--port", std::to_string(port_), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", dir_,
                               "--requirepass", secret},
      dir_ + "/redis.log");
  }

  uint16_t port() const { return port_; }

  /// A client of db `db` that AUTHs.
  redis::redis_client client(uint32_t db) const {
    redis::client_options co;
    co.port = port_;
    co.password = secret;
    co.db = db;
    return redis::redis_client{co};
  }

  bool answers() const {
    auto rc = client(0);
    return rc.ping().ok();
  }

 private:
  uint16_t port_;
  std::string dir_;
  std::unique_ptr<child_process> proc_;
};

topology locked_topology(const locked_redis& server, const std::string& password) {
  auto t = load_topology(std::string{minimal} + "url = redis://:" + password
                           + "@127.0.0.1:" + std::to_string(server.port()) + "/3\n",
                         "<auth test>");
  EXPECT_TRUE(t.ok()) << (t ? "" : t.err().context);
  auto topo = *t;
  topo.redis.enabled = true;
  topo.redis.key_prefix = "t" + unique_name();
  topo.redis.journal_dir = temp_dir() + "/redis-journal";
  topo.cluster.node_id = "gw-auth";
  topo.cluster.subscribe = true;
  return topo;
}

TEST(RedisAuth, UrlParsesIntoTheSettings) {
  locked_redis server;
  auto topo = locked_topology(server, secret);
  EXPECT_EQ(topo.redis.host, "127.0.0.1");
  EXPECT_EQ(topo.redis.port, server.port());
  EXPECT_EQ(topo.redis.password, secret);
  EXPECT_EQ(topo.redis.db, 3u);
  auto co = redis_options(topo.redis);
  EXPECT_EQ(co.password, secret);
  EXPECT_EQ(co.db, 3u);
  // A bad URL is refused without being quoted.
  auto bad = load_topology(
    std::string{minimal} + "url = redis://:" + secret + "@127.0.0.1:99999/3\n", "<auth test>");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.err().context.find(secret), std::string::npos) << bad.err().context;
}

TEST(RedisAuth, WritersAndSubscribersAuthAndSelectOnEveryConnection) {
  locked_redis server;
  ASSERT_TRUE(wait_until([&] { return server.answers(); }));
  auto sys = make_system();
  caf::scoped_actor self{*sys};
  auto topo = locked_topology(server, secret);
  // The subscriber of this node reads what another node's writer writes.
  // Trade ids the sink got (the sink's thread writes, the test reads).
  struct seen {
    std::mutex mx;
    std::vector<std::string> ids;
  };
  auto rec = std::make_shared<seen>();
  // rec goes in as a spawn argument: CAF 0.17's spawn of a function with
  // no arguments binds a null reference (UBSan stops on it).
  auto sink = sys->spawn(
    [](caf::event_based_actor* me, std::shared_ptr<seen> rec) -> caf::behavior {
    return {[=](const event_batch& b) {
      {
        std::lock_guard<std::mutex> lock{rec->mx};
        for (auto& t : b.trades)
          rec->ids.push_back(t.trade_id);
      }
      me->send(caf::actor_cast<caf::actor>(me->current_sender()), ack_atom::value);
    }};
  }, rec);
  auto sub = spawn_redis_subscriber(*sys, topo, {caf::actor_cast<batch_sink_actor>(sink)});
  auto connected = [&] {
    subscriber_stats s;
    self->request(sub, 5s, stats_atom::value, redis_atom::value)
      .receive([&](const subscriber_stats& x) { s = x; }, [](caf::error&) {});
    return s.connected;
  };
  ASSERT_TRUE(wait_until(connected));
  auto writer_topo = topo;
  writer_topo.cluster.node_id = "ingest-auth";
  auto cw = spawn_cache_writer(*sys, writer_topo);
  auto x = short_id("AU");
  event_batch b;
  b.trades = {make_trade(x, 1, 1'700'000'000'000'000'001, "10", "1")};
  ASSERT_TRUE(send_and_ack(self, cw, b));
  ASSERT_TRUE(wait_until([&] {
    auto st = ask(self, cw, true);
    return st.written + st.replayed == 1 && st.pending == 0;
  }));
  // The keys are in db 3, not in db 0.
  redis::cache_settings keys;
  keys.prefix = topo.redis.key_prefix;
  auto db3 = server.client(3);
  auto db0 = server.client(0);
  auto in3 = db3.get(redis::price_key(keys, x));
  ASSERT_TRUE(in3.ok()) << in3.err().context;
  EXPECT_TRUE(in3->has_value());
  auto in0 = db0.get(redis::price_key(keys, x));
  ASSERT_TRUE(in0.ok());
  EXPECT_FALSE(in0->has_value());
  auto stream = redis::stream_key(keys.prefix, redis::shard_of(x, topo.redis.streams));
  auto len = db3.execute({"XLEN", stream});
  ASSERT_TRUE(len.ok());
  EXPECT_EQ(len->integer, 1);
  // The subscriber got it through its own authenticated connection.
  ASSERT_TRUE(wait_until([&] {
    std::lock_guard<std::mutex> lock{rec->mx};
    return !rec->ids.empty();
  }));
  {
    std::lock_guard<std::mutex> lock{rec->mx};
    EXPECT_EQ(rec->ids, std::vector<std::string>{"1"});
  }
  EXPECT_TRUE(stop_actor(self, sub));
  EXPECT_TRUE(stop_actor(self, cw));
  self->send_exit(sink, caf::exit_reason::user_shutdown);
}

TEST(RedisAuth, AWrongPasswordIsRefusedWithoutShowingIt) {
  locked_redis server;
  ASSERT_TRUE(wait_until([&] { return server.answers(); }));
  redis::client_options co;
  co.port = server.port();
  co.password = "wrong-Pw-42";
  redis::redis_client rc{co};
  auto r = rc.ping();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().context.find("AUTH refused"), std::string::npos) << r.err().context;
  EXPECT_EQ(r.err().context.find("wrong-Pw-42"), std::string::npos) << r.err().context;
  // Without AUTH: the server says so.
  redis::client_options none;
  none.port = server.port();
  redis::redis_client anon{none};
  auto p = anon.ping();
  ASSERT_FALSE(p.ok());
  // A subscriber with the wrong password retries and says why, no password.
  auto sys = make_system();
  caf::scoped_actor self{*sys};
  auto topo = locked_topology(server, "wrong-Pw-42");
  auto sub = spawn_redis_subscriber(*sys, topo, {});
  subscriber_stats s;
  ASSERT_TRUE(wait_until([&] {
    self->request(sub, 5s, stats_atom::value, redis_atom::value)
      .receive([&](const subscriber_stats& x) { s = x; }, [](caf::error&) {});
    return s.connect_failures >= 1;
  }));
  EXPECT_FALSE(s.connected);
  EXPECT_NE(s.last_error.find("AUTH refused"), std::string::npos) << s.last_error;
  EXPECT_EQ(s.last_error.find("wrong-Pw-42"), std::string::npos) << s.last_error;
  EXPECT_TRUE(stop_actor(self, sub));
}

TEST(RedisAuth, ANodeNeverShowsThePassword) {
  locked_redis server;
  ASSERT_TRUE(wait_until([&] { return server.answers(); }));
  auto dir = temp_dir();
  node n{"[log]\nlevel = debug\n[providers]\nenabled = simulator\n"
         "[simulator]\nsymbols = AUTHX:100\ntrades-per-second = 50\n"
         "[redis]\nenabled = true\nurl = redis://:" + std::string{secret} + "@127.0.0.1:"
           + std::to_string(server.port()) + "/5\nkey-prefix = t" + unique_name()
           + "\njournal-dir = " + dir + "/redis\n"
           "[cluster]\nnode-id = auth-1\nsubscribe = true\n[jobs]\nenabled = false\n",
         "auth"};
  ASSERT_TRUE(n.up()) << n.output();
  // It writes (db 5 fills) and its subscriber reads.
  auto db5 = server.client(5);
  ASSERT_TRUE(wait_until([&] {
    auto k = db5.execute({"DBSIZE"});
    return k.ok() && k->integer > 0;
  }));
  rapidjson::Document d;
  EXPECT_EQ(n.get("/status", d), 200u);
  auto status = json_text(d);
  EXPECT_EQ(status.find(secret), std::string::npos);
  EXPECT_EQ(n.stop(), 0) << n.output();
  EXPECT_EQ(n.output().find(secret), std::string::npos);
}

} // namespace
} // namespace tickflow::test
