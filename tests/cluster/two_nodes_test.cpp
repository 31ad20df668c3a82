// Two real tickflow processes on one Redis and one PostgreSQL: an ingest
// node (simulator, cache and storage writers) and a gateway node (no
// ingesting provider, [cluster] subscribe = true). The gateway's WebSocket
// clients get exactly what the ingest node's own clients get, through Redis
// Streams; REST on both nodes serves the same data (the gateway from its
// L1, Redis or PostgreSQL); the provider budget both share in Redis holds.

#include <atomic>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/model/time.hpp"
#include "tests/cluster/cluster_support.hpp"
#include "tests/schedule/schedule_support.hpp"
#include "tests/storage/writers/writer_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow::test {
namespace {

constexpr const char* admin_token = "two-nodes-admin-token";
constexpr int budget_per_second = 5;

class TwoNodes : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env.ok()) << env.problem();
    setenv("TICKFLOW_ADMIN_TOKEN", admin_token, 1);
    prefix = "t" + unique_name();
    // Equity-shaped ids (a dot): no enabled provider serves them, so every
    // answer about them comes from what the ingest node ingested.
    a = short_id("TA") + ".Q";
    b = short_id("TB") + ".Q";
    ingest = std::make_unique<node>(
      config("[providers]\nenabled = simulator, binance\n"
             "[simulator]\nsymbols = " + a + ":100, " + b + ":250\n"
             "trades-per-second = 10\nbar-intervals = 1s, 1m\n"
             "[cluster]\nnode-id = ingest-1\n"),
      "ingest");
    ASSERT_TRUE(ingest->up()) << ingest->output();
    gateway = std::make_unique<node>(
      config("[providers]\nenabled = binance\n"
             "[cluster]\nnode-id = gw-1\nsubscribe = true\n"),
      "gateway");
    ASSERT_TRUE(gateway->up()) << gateway->output();
  }

  void TearDown() override {
    // Both stop cleanly (graceful stop; under sanitizers: no finding).
    for (auto* n : {gateway.get(), ingest.get()}) {
      if (n != nullptr && n->up()) {
        EXPECT_EQ(n->stop(), 0) << n->output();
      }
    }
  }

  /// What both nodes share: Redis and Postgres (journals of their own), a
  /// Binance at the loopback fixture with a budget shared in Redis.
  std::string config(const std::string& role) {
    auto dir = temp_dir();
    return "[log]\nlevel = warn\n" + role
           + "[redis]\nenabled = true\nport = " + std::to_string(env.redis_port())
           + "\nkey-prefix = " + prefix + "\njournal-dir = " + dir + "/redis\n"
           + "[storage]\nenabled = true\ndsn = " + env.pg_dsn() + "\njournal-dir = " + dir
           + "/storage\nflush-interval = 100ms\n"
           + "[binance]\nbase-url = " + upstream.base_url() + "\n"
           + "[limits.binance]\nper-second = " + std::to_string(budget_per_second)
           + "\nper-minute = 0\nweights = price=1\nbatch-weight = 0\n"
           + "[scheduler]\nshared = true\nkey-prefix = " + prefix
           + "b\nfresh-for = 0s\nmax-wait = 1s\n"
           + "[jobs]\nenabled = false\n";
  }

  services_env env;
  fixture_server upstream;
  std::string prefix, a, b;
  std::unique_ptr<node> ingest, gateway;
};

/// What one client received: trades by id (and how many ids came again),
/// bar frames by open time (a forming bar is sent on every change).
struct received {
  std::map<std::string, std::string> trades;
  size_t repeats = 0;
  std::map<int64_t, std::vector<std::string>> bars;
};

/// A frame without its trailing ,"seq":N (numbers are per node).
std::string without_seq(const std::string& frame) {
  auto at = frame.rfind(",\"seq\":");
  if (at == std::string::npos)
    return frame;
  return frame.substr(0, at) + "}";
}

/// Reads `ws` until `done(r)` or `limit`; frames are kept without "seq".
template <class Done>
received collect(ws_client& ws, Done done, std::chrono::milliseconds limit = 30s) {
  received r;
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done(r) && std::chrono::steady_clock::now() < deadline) {
    auto m = ws.receive(500ms);
    if (!m)
      continue;
    rapidjson::Document d;
    d.Parse(m->c_str());
    auto type = str_field(d, "type");
    if (type == "trade") {
      if (!r.trades.emplace(str_field(d["data"], "trade_id"), without_seq(*m)).second)
        ++r.repeats;
    } else if (type == "bar") {
      r.bars[d["data"]["open_time"].GetInt64()].push_back(without_seq(*m));
    }
  }
  return r;
}

uint64_t id_of(const std::string& trade_id) {
  return std::stoull(trade_id);
}

/// The entry of stage `name` in GET /status (null when absent).
bool stage_of(node& n, const std::string& name, rapidjson::Document& out) {
  rapidjson::Document d;
  if (n.get("/status", d) != 200 || !d.HasMember("stages"))
    return false;
  for (auto& s : d["stages"].GetArray())
    if (str_field(s, "name") == name) {
      out.CopyFrom(s, out.GetAllocator());
      return true;
    }
  return false;
}

TEST_F(TwoNodes, GatewayClientsGetWhatTheIngestNodeIngested) {
  ws_client at_ingest;
  ws_client at_gateway;
  ASSERT_TRUE(at_ingest.connect(ingest->ws_url())) << at_ingest.error();
  ASSERT_TRUE(at_gateway.connect(gateway->ws_url())) << at_gateway.error();
  std::vector<std::string> channels{"trades:" + a, "bars:1s:" + a};
  // The ingest node knows its instruments from the start; the gateway once
  // their first event came through Redis.
  ASSERT_TRUE(subscribe_when_known(at_ingest, channels));
  ASSERT_TRUE(subscribe_when_known(at_gateway, channels));
  auto far = collect(at_gateway, [](const received& r) {
    return r.trades.size() >= 30 && r.bars.size() >= 4;
  });
  ASSERT_GE(far.trades.size(), 30u);
  ASSERT_GE(far.bars.size(), 4u);
  uint64_t lo = UINT64_MAX;
  uint64_t hi = 0;
  for (auto& [id, frame] : far.trades) {
    lo = std::min(lo, id_of(id));
    hi = std::max(hi, id_of(id));
  }
  auto last_bar = far.bars.rbegin()->first;
  auto near = collect(at_ingest, [&](const received& r) {
    bool trades_done = false;
    for (auto& [id, frame] : r.trades)
      trades_done = trades_done || id_of(id) >= hi;
    return trades_done && r.bars.count(last_bar) > 0;
  });
  // Every trade of the window, each once, byte for byte the same frame
  // (but the per-node "seq").
  std::set<std::string> expected;
  for (auto& [id, frame] : near.trades)
    if (id_of(id) >= lo && id_of(id) <= hi)
      expected.insert(id);
  std::set<std::string> got;
  for (auto& [id, frame] : far.trades)
    got.insert(id);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(far.repeats, 0u);
  for (auto& [id, frame] : far.trades) {
    if (near.trades.count(id) > 0) {
      EXPECT_EQ(frame, near.trades.at(id)) << "trade " << id;
    }
  }
  // Every update of the bars the gateway's client saw whole (not the first:
  // it may have joined that one mid-bar; not the last: it may go on).
  auto first_bar = far.bars.begin()->first;
  size_t whole_bars = 0;
  for (auto& [open, frames] : far.bars) {
    if (open == first_bar || open == last_bar)
      continue;
    ++whole_bars;
    ASSERT_EQ(near.bars.count(open), 1u) << "bar " << open;
    EXPECT_EQ(frames, near.bars.at(open)) << "bar " << open;
  }
  EXPECT_GE(whole_bars, 2u);
  // The gateway counts what came through Redis; nothing failed to decode.
  rapidjson::Document sub;
  ASSERT_TRUE(stage_of(*gateway, "redis_subscriber", sub)) << gateway->output();
  EXPECT_TRUE(sub["up"].GetBool());
  EXPECT_GT(sub["events_out"].GetUint64(), 30u);
  EXPECT_EQ(sub["rejected"].GetUint64(), 0u);
  rapidjson::Document none;
  EXPECT_FALSE(stage_of(*ingest, "redis_subscriber", none)); // does not subscribe
}

TEST_F(TwoNodes, RestOnBothNodesServesTheSameData) {
  auto start_ns = wall_ns() - 2 * ns_per_s;
  // Prices: the same last trade on both (retried: trades keep coming).
  rapidjson::Document p1, p2;
  bool same = wait_until([&] {
    auto target = "/api/v1/data/price?symbol=" + a;
    if (ingest->get(target, p1) != 200 || gateway->get(target, p2) != 200)
      return false;
    return str_field(p1, "trade_id") == str_field(p2, "trade_id");
  }, 20s);
  ASSERT_TRUE(same) << json_text(p1) << " vs " << json_text(p2);
  for (auto key : {"instrument", "provider", "price", "trade_id", "time"})
    EXPECT_EQ(str_field(p1, key), str_field(p2, key)) << key;
  EXPECT_EQ(p1["ts"].GetInt64(), p2["ts"].GetInt64());
  EXPECT_EQ(p1["ts_recv"].GetInt64(), p2["ts_recv"].GetInt64());
  // Closed 1s bars of a past range: the same on both nodes.
  std::this_thread::sleep_for(4s);
  auto range = "symbol=" + b + "&interval=1s&limit=1000&start="
               + format_iso8601(start_ns) + "&end="
               + format_iso8601(wall_ns() - 2 * ns_per_s);
  rapidjson::Document near, far;
  std::set<std::string> sources;
  auto same_bars = [&](const char* route) {
    auto target = std::string{"/api/v1/data/"} + route + "?" + range;
    return wait_until([&] {
      if (ingest->get(target, near) != 200 || gateway->get(target, far) != 200)
        return false;
      sources.insert(str_field(far, "source"));
      return json_text(near["bars"]) == json_text(far["bars"]);
    }, 15s);
  };
  ASSERT_TRUE(same_bars("ohlcv")) << json_text(near) << "\nvs\n" << json_text(far);
  EXPECT_GE(far["bars"].Size(), 2u);
  // Without the gateway's L1 and the Redis series, PostgreSQL answers.
  ASSERT_EQ(gateway->post("/api/v1/cache/clear?pattern=bars:*:" + b, admin_token), 200u);
  sources.clear();
  ASSERT_TRUE(same_bars("historical")) << json_text(near) << "\nvs\n" << json_text(far);
  EXPECT_EQ(sources.count("postgres"), 1u) << json_text(far);
}

TEST_F(TwoNodes, TheProviderBudgetIsSharedAcrossNodes) {
  constexpr int generations = 10;
  constexpr int coins = 8;
  auto symbol = [](int who, int gen, int k) {
    return "P" + std::to_string(who) + "G" + std::to_string(gen) + "C" + std::to_string(k);
  };
  for (int who = 0; who < 2; ++who)
    for (int g = 0; g < generations; ++g)
      for (int k = 0; k < coins; ++k)
        serve_binance(upstream, symbol(who, g, k) + "USDT",
                      binance_price(symbol(who, g, k) + "USDT", "1.5"));
  // Each node is asked for 8 new coins a second: 16 together, against a
  // budget of 5 a second shared in Redis.
  auto start = std::chrono::steady_clock::now();
  auto until = start + 8s;
  std::atomic<uint64_t> ok{0};
  std::vector<std::thread> clients;
  for (int who = 0; who < 2; ++who)
    for (int c = 0; c < 8; ++c)
      clients.emplace_back([&, who, c] {
        http_client http{who == 0 ? ingest->port() : gateway->port(), 10s};
        for (int n = 0; std::chrono::steady_clock::now() < until; ++n) {
          auto gen = static_cast<int>((std::chrono::steady_clock::now() - start) / 1s);
          auto coin = symbol(who, std::min(gen, generations - 1), (c + n) % coins);
          auto r = http.get("/api/v1/data/price?symbol=" + coin + "-USDT");
          if (r && r->status == 200)
            ok += 1;
          else if (!r)
            http.close();
          std::this_thread::sleep_for(20ms);
        }
      });
  for (auto& t : clients)
    t.join();
  auto seen = upstream.requests();
  // Stamped arrivals can lag the real ones by a few hundred ms on a loaded
  // machine (see tests/schedule/shared/shared_processes_test.cpp): any 750 ms
  // of stamps lies within one real second while the lag is under 250 ms.
  EXPECT_LE(max_in_any_window(arrival_ns(seen), 750'000'000),
            static_cast<size_t>(budget_per_second))
    << seen.size() << " upstream requests";
  EXPECT_GT(ok.load(), 0u);
  rapidjson::Document s1, s2;
  ASSERT_EQ(ingest->get("/api/v1/stats", s1), 200u);
  ASSERT_EQ(gateway->get("/api/v1/stats", s2), 200u);
  auto calls_of = [](const rapidjson::Document& d) -> uint64_t {
    for (auto& p : d["providers"].GetArray())
      if (str_field(p, "provider") == "binance")
        return uint_of(p, "calls");
    return 0;
  };
  EXPECT_GT(calls_of(s1), 0u);
  EXPECT_GT(calls_of(s2), 0u);
  EXPECT_EQ(calls_of(s1) + calls_of(s2), seen.size());
  EXPECT_TRUE(s2["shared"].GetBool());
  EXPECT_EQ(uint_of(s1, "shared_errors") + uint_of(s2, "shared_errors"), 0u);
}

// A node may ingest and subscribe at once (N ingest nodes that each serve
// every instrument): its own events come back through Redis tagged with its
// node id and are skipped, so its clients get each trade once.
TEST(OneNode, IngestingAndSubscribingSendsEachEventOnce) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  auto x = short_id("TO") + ".Q";
  auto dir = temp_dir();
  node both{"[log]\nlevel = warn\n[providers]\nenabled = simulator\n"
            "[simulator]\nsymbols = " + x + ":100\ntrades-per-second = 20\n"
            "[redis]\nenabled = true\nport = " + std::to_string(env.redis_port())
              + "\nkey-prefix = t" + unique_name() + "\njournal-dir = " + dir + "/redis\n"
              "[cluster]\nnode-id = both-1\nsubscribe = true\n[jobs]\nenabled = false\n",
            "both"};
  ASSERT_TRUE(both.up()) << both.output();
  ws_client ws;
  ASSERT_TRUE(ws.connect(both.ws_url())) << ws.error();
  ASSERT_TRUE(subscribe_when_known(ws, {"trades:" + x}));
  auto r = collect(ws, [](const received& r) { return r.trades.size() >= 40; });
  EXPECT_GE(r.trades.size(), 40u);
  EXPECT_EQ(r.repeats, 0u);
  // The subscriber read every one of them (its own stream entries) and
  // passed none on.
  rapidjson::Document sub;
  ASSERT_TRUE(stage_of(both, "redis_subscriber", sub)) << both.output();
  EXPECT_GE(sub["events_in"].GetUint64(), 40u);
  EXPECT_EQ(sub["events_out"].GetUint64(), 0u);
  EXPECT_EQ(sub["rejected"].GetUint64(), 0u);
  EXPECT_EQ(both.stop(), 0) << both.output();
}

} // namespace
} // namespace tickflow::test
