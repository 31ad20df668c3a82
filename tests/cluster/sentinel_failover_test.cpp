// Redis Sentinel ([redis] sentinels + master-name): a private primary, its
// replica and three sentinels (redis-sentinel), all on free
// loopback ports in a temp dir and stopped by PID. The primary is killed
// while an ingest node and a gateway node run: the sentinels promote the
// replica, every connection finds it through them, the ingest node's writer
// journals meanwhile and replays after, so the gateway's client gets every
// trade the ingest node's client got, once, in order (the batch in flight at
// the kill is replayed and skipped by the gateway that had it); /ready
// recovers on both nodes without a restart. The sentinels have their own
// password ([redis] sentinel-password-env).

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/redis/redis_client.hpp"
#include "tests/cluster/cluster_support.hpp"
#include "tests/storage/writers/writer_support.hpp"

namespace tickflow::test {
namespace {

constexpr const char* master = "tf-main";
constexpr const char* secret = "s3nt1nel-Pw-4c";
constexpr const char* sentinel_secret = "s3nt1nel-0wn-Pw-9d";

/// A primary, a replica and three sentinels of this test alone. The data
/// servers have a password (the nodes AUTH on the primary they find); the
/// sentinels have another (requirepass; sentinel-pass between them).
class sentinel_set {
 public:
  sentinel_set() : dir_(temp_dir()) {
    primary_port_ = free_port();
    replica_port_ = free_port();
    primary_ = data_server(primary_port_, "primary", {});
    replica_ = data_server(replica_port_, "replica",
                           {"--replicaof", "127.0.0.1", std::to_string(primary_port_)});
    for (int i = 0; i < 3; ++i) {
      auto port = free_port();
      auto conf = dir_ + "/sentinel" + std::to_string(i) + ".conf";
      std::ofstream out{conf};
      // Sentinels rewrite their file, so each has its own.
      out << "port " << port << "\nbind 127.0.0.1\ndir " << dir_
          << "\nsentinel monitor " << master << " 127.0.0.1 " << primary_port_
          << " 2\nsentinel auth-pass " << master << " " << secret
          << "\nsentinel down-after-milliseconds " << master
          << " 1000\nsentinel failover-timeout " << master
          << " 3000\nsentinel parallel-syncs " << master << " 1\nrequirepass "
          << sentinel_secret << "\nsentinel sentinel-pass " << sentinel_secret << "\n";
      out.close();
      sentinel_ports_.push_back(port);
      // redis-sentinel is redis-server under another name; without the
      // Debian package, --sentinel does the same.
      bool packaged = ::access("/usr/bin/redis-sentinel", X_OK) == 0;
      sentinels_.push_back(std::make_unique<child_process>(
        packaged ? "/usr/bin/redis-sentinel" : "/usr/bin/redis-server",
        packaged ? std::vector<std::string>{conf} : std::vector<std::string>{conf, "--sentinel"},
        dir_ + "/sentinel" + std::to_string(i) + ".log"));
    }
  }

  /// "127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3"
  std::string sentinels() const {
    std::string out;
    for (auto p : sentinel_ports_)
      out += (out.empty() ? "127.0.0.1:" : ",127.0.0.1:") + std::to_string(p);
    return out;
  }

  uint16_t primary_port() const { return primary_port_; }
  uint16_t replica_port() const { return replica_port_; }

  /// The sentinel's answer to `cmd` (nil on no answer).
  redis::reply ask(size_t sentinel, const redis::command& cmd) const {
    redis::client_options co;
    co.port = sentinel_ports_[sentinel];
    co.password = sentinel_secret;
    redis::redis_client c{co};
    auto r = c.execute(cmd);
    return r ? *r : redis::reply{};
  }

  /// Every sentinel sees the replica and the two other sentinels (a
  /// failover needs a majority of them to agree).
  bool settled() const {
    for (size_t i = 0; i < sentinel_ports_.size(); ++i) {
      auto replicas = ask(i, {"SENTINEL", "replicas", master});
      auto others = ask(i, {"SENTINEL", "sentinels", master});
      if (replicas.elements.size() != 1 || others.elements.size() != 2)
        return false;
    }
    return replica_synced();
  }

  /// The port every sentinel names for the primary (0 while they differ).
  uint16_t master_port() const {
    std::string seen;
    for (size_t i = 0; i < sentinel_ports_.size(); ++i) {
      auto r = ask(i, {"SENTINEL", "get-master-addr-by-name", master});
      if (r.elements.size() != 2 || (!seen.empty() && seen != r.elements[1].text))
        return 0;
      seen = r.elements[1].text;
    }
    return static_cast<uint16_t>(std::stoi(seen));
  }

  /// A client finding the primary through the sentinels.
  redis::client_options client(const std::string& sentinel_password) const {
    redis::client_options co;
    for (auto p : sentinel_ports_)
      co.sentinels.emplace_back("127.0.0.1", p);
    co.master_name = master;
    co.password = secret;
    co.sentinel_password = sentinel_password;
    return co;
  }

  /// SIGKILL the primary: no shutdown, no goodbye to anyone.
  void kill_primary() { ::kill(primary_->pid(), SIGKILL); }

 private:
  std::unique_ptr<child_process> data_server(uint16_t port, const std::string& name,
                                             std::vector<std::string> more) {
    std::vector<std::string> args{"--port", std::to_string(port), "--bind", "127.0.0.1",
                                  "--save", "", "--appendonly", "no",
                                  "--dir", dir_, "--dbfilename", name + ".rdb",
                                  "--requirepass", secret, "--masterauth", secret};
    args.insert(args.end(), more.begin(), more.end());
    return std::make_unique<child_process>("/usr/bin/redis-server", args,
                                           dir_ + "/" + name + ".log");
  }

  bool replica_synced() const {
    redis::client_options co;
    co.port = replica_port_;
    co.password = secret;
    redis::redis_client c{co};
    auto r = c.execute({"ROLE"});
    // slave, master host, master port, state, offset
    return r && r->elements.size() >= 4 && r->elements[3].text == "connected";
  }

  std::string dir_;
  uint16_t primary_port_ = 0;
  uint16_t replica_port_ = 0;
  std::vector<uint16_t> sentinel_ports_;
  std::unique_ptr<child_process> primary_;
  std::unique_ptr<child_process> replica_;
  std::vector<std::unique_ptr<child_process>> sentinels_;
};

/// GET /ready: the status (0 when no answer).
unsigned ready(node& n) {
  rapidjson::Document d;
  return n.get("/ready", d);
}

// Sentinels with requirepass refuse a client without their password, with
// an error that says so and never shows a password.
TEST(SentinelFailover, SentinelsWithAPasswordNeedIt) {
  sentinel_set rs;
  ASSERT_TRUE(wait_until([&] { return rs.master_port() != 0; }, 30s));
  redis::redis_client with{rs.client(sentinel_secret)};
  auto ok = with.connect();
  ASSERT_TRUE(ok.ok()) << ok.err().context;
  auto pong = with.execute({"PING"});
  ASSERT_TRUE(pong.ok());
  EXPECT_EQ(pong->text, "PONG");
  redis::redis_client without{rs.client("")};
  auto refused = without.connect();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.err().context.find("NOAUTH"), std::string::npos) << refused.err().context;
  redis::redis_client wrong{rs.client("not-it")};
  auto bad = wrong.connect();
  ASSERT_FALSE(bad.ok());
  for (auto* e : {&refused, &bad}) {
    EXPECT_EQ(e->err().context.find(secret), std::string::npos);
    EXPECT_EQ(e->err().context.find(sentinel_secret), std::string::npos);
    EXPECT_EQ(e->err().context.find("not-it"), std::string::npos);
  }
}

TEST(SentinelFailover, PrimaryKilledNothingAcknowledgedIsLost) {
  sentinel_set rs;
  ASSERT_TRUE(wait_until([&] { return rs.settled(); }, 30s))
    << "the sentinels did not find each other and the replica";
  ASSERT_EQ(rs.master_port(), rs.primary_port());
  auto prefix = "t" + unique_name();
  auto x = short_id("SF") + ".Q";
  auto config = [&](const std::string& role) {
    return "[log]\nlevel = info\n" + role + "[redis]\nenabled = true\nsentinels = "
           + rs.sentinels() + "\nmaster-name = " + master
           + "\npassword-env = TF_SENTINEL_TEST_PW\nsentinel-password-env = "
             "TF_SENTINEL_OWN_PW\nkey-prefix = " + prefix
           + "\njournal-dir = " + temp_dir() + "/redis\n"
             "[broadcaster]\nconflate-bytes = 268435456\nclient-queue-bytes = 536870912\n"
             "max-queued-bytes = 1073741824\n[jobs]\nenabled = false\n";
  };
  ::setenv("TF_SENTINEL_TEST_PW", secret, 1); // the nodes inherit them
  ::setenv("TF_SENTINEL_OWN_PW", sentinel_secret, 1);
  node ingest{config("[providers]\nenabled = simulator\n[simulator]\nsymbols = " + x
                     + ":100\ntrades-per-second = 1000\nbar-intervals = 1m\n"
                       "[cluster]\nnode-id = ingest-1\n"),
              "ingest"};
  ASSERT_TRUE(ingest.up()) << ingest.output();
  node gateway{config("[providers]\nenabled = simulator\n[simulator]\n"
                      "symbols = GW-ONLY:1\ntrades-per-second = 1\n"
                      "[cluster]\nnode-id = gw-1\nsubscribe = true\n"),
               "gateway"};
  ASSERT_TRUE(gateway.up()) << gateway.output();
  ASSERT_TRUE(wait_until([&] { return ready(ingest) == 200 && ready(gateway) == 200; }, 20s))
    << ingest.output();
  ws_client at_ingest;
  ws_client at_gateway;
  ASSERT_TRUE(at_ingest.connect(ingest.ws_url())) << at_ingest.error();
  ASSERT_TRUE(at_gateway.connect(gateway.ws_url())) << at_gateway.error();
  auto channel = "trades:" + x;
  ASSERT_TRUE(subscribe_when_known(at_gateway, {channel}));
  ASSERT_TRUE(subscribe_when_known(at_ingest, {channel}));
  std::atomic<bool> stop_ingest{false};
  std::atomic<bool> stop_gateway{false};
  trade_log li;
  trade_log lg;
  std::thread ti{[&] { read_trades(at_ingest, stop_ingest, li); }};
  std::thread tg{[&] { read_trades(at_gateway, stop_gateway, lg); }};
  std::this_thread::sleep_for(2s);
  rs.kill_primary();
  // The writer notices at its next batch: /ready says so until the new
  // primary answers.
  bool not_ready = wait_until([&] { return ready(ingest) == 503; }, 10s);
  bool promoted = wait_until([&] { return rs.master_port() == rs.replica_port(); }, 40s);
  bool recovered = wait_until([&] { return ready(ingest) == 200 && ready(gateway) == 200; },
                              30s);
  std::this_thread::sleep_for(3s);
  stop_ingest = true;
  ti.join();
  ASSERT_FALSE(li.trades.empty());
  auto last = li.trades.back().first;
  wait_until(
    [&] {
      std::lock_guard<std::mutex> lock{lg.mx};
      return !lg.trades.empty() && lg.trades.back().first >= last;
    },
    30s);
  stop_gateway = true;
  tg.join();
  EXPECT_TRUE(not_ready);
  ASSERT_TRUE(promoted) << "no failover";
  EXPECT_TRUE(recovered) << ingest.output() << gateway.output();
  ASSERT_FALSE(lg.trades.empty());
  // Each once, in order, numbered without a hole: the batch in flight at
  // the kill, replayed by the writer, was skipped by the gateway.
  std::set<uint64_t> delivered;
  uint64_t newest = 0;
  for (size_t i = 0; i < lg.trades.size(); ++i) {
    auto id = lg.trades[i].first;
    if (i > 0) {
      ASSERT_EQ(lg.trades[i - 1].second + 1, lg.trades[i].second) << i;
      ASSERT_GT(id, newest) << "repeated or out of order at " << i;
    }
    delivered.insert(id);
    newest = id;
  }
  auto lo = std::max(lg.trades.front().first, li.trades.front().first);
  auto hi = std::min(newest, last);
  std::set<uint64_t> want;
  for (auto& [id, seq] : li.trades)
    if (id >= lo && id <= hi)
      want.insert(id);
  std::set<uint64_t> got;
  for (auto id : delivered)
    if (id >= lo && id <= hi)
      got.insert(id);
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
  EXPECT_EQ(hi, last); // the gateway caught up with the ingest node
  EXPECT_GT(want.size(), 3000u); // the failover's seconds included
  EXPECT_EQ(lg.gaps, 0u);
  // Both nodes logged the primary they found, never the password.
  auto logs = ingest.output() + gateway.output();
  EXPECT_EQ(logs.find(secret), std::string::npos);
  EXPECT_EQ(logs.find(sentinel_secret), std::string::npos);
  EXPECT_NE(logs.find("via sentinels"), std::string::npos);
  EXPECT_EQ(ingest.stop(), 0) << ingest.output();
  EXPECT_EQ(gateway.stop(), 0) << gateway.output();
  ::unsetenv("TF_SENTINEL_TEST_PW");
  ::unsetenv("TF_SENTINEL_OWN_PW");
}

} // namespace
} // namespace tickflow::test
