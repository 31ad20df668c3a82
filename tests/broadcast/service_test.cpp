// The WebSocket protocol through the real tickflow binary (embedded default
// config: the simulator, the real cache): hello, snapshots from the cache
// before live events, heartbeats configured from the command line's config.

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/ws_client.hpp"

using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  return d;
}

std::string str(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString())
    return {};
  return v[key].GetString();
}

} // namespace

TEST(BroadcastService, HelloThenSnapshotsBeforeLiveEvents) {
  auto rest = free_port();
  auto ws_port = free_port();
  while (ws_port == rest)
    ws_port = free_port();
  auto dir = temp_dir();
  child_process service{TICKFLOW_BINARY,
                        {"--port", std::to_string(rest), "--ws-port",
                         std::to_string(ws_port)},
                        dir + "/tickflow.log"};
  ASSERT_TRUE(wait_ready(rest, service)) << service.output();

  ws_client ws;
  ASSERT_TRUE(ws.connect("ws://127.0.0.1:" + std::to_string(ws_port) + "/api/v1/stream"));
  auto hello = ws.receive(3000ms);
  ASSERT_TRUE(hello);
  auto h = parse(*hello);
  EXPECT_EQ(str(h, "type"), "hello");
  EXPECT_EQ(h["heartbeat_ms"].GetInt64(), 15000); // configs/default.ini
  EXPECT_EQ(h["max_channels"].GetInt(), 256);

  const std::set<std::string> channels{"trades:BTC-USDT", "bars:1s:BTC-USDT",
                                       "status:*"};
  ASSERT_TRUE(ws.send(
    R"({"op":"subscribe","channels":["trades:BTC-USDT","bars:1s:BTC-USDT","status:*"]})"));
  // Per channel: the first message is its snapshot; then live events.
  std::map<std::string, std::vector<std::string>> seen;
  bool subscribed = false;
  for (int i = 0; i < 5000; ++i) {
    if (seen["trades:BTC-USDT"].size() >= 3 && seen["bars:1s:BTC-USDT"].size() >= 2)
      break;
    auto m = ws.receive(3000ms);
    ASSERT_TRUE(m) << "quiet for 3 s";
    auto d = parse(*m);
    auto type = str(d, "type");
    if (type == "subscribed") {
      subscribed = true;
      EXPECT_EQ(d["channels"].Size(), 3u);
      continue;
    }
    auto ch = str(d, "channel");
    if (ch.rfind("status:", 0) == 0 && type == "status")
      ch = "status:*"; // live statuses name their provider's channel
    if (channels.count(ch) == 0)
      continue;
    EXPECT_TRUE(subscribed) << "before the subscribed reply: " << *m;
    if (seen[ch].empty()) {
      ASSERT_EQ(type, "snapshot") << "first message of " << ch << ": " << *m;
      if (ch == "trades:BTC-USDT") {
        ASSERT_TRUE(d["price"].IsObject()) << *m; // the cache has data (ready)
        EXPECT_EQ(str(d["price"], "instrument"), "BTC-USDT");
      }
      if (ch == "bars:1s:BTC-USDT") {
        EXPECT_TRUE(d["bars"].IsArray());
      }
      if (ch == "status:*") {
        EXPECT_TRUE(d["statuses"].IsArray());
      }
    } else {
      EXPECT_NE(type, "snapshot") << ch;
    }
    seen[ch].push_back(type);
  }
  EXPECT_GE(seen["trades:BTC-USDT"].size(), 3u);
  EXPECT_GE(seen["bars:1s:BTC-USDT"].size(), 2u);
  EXPECT_EQ(seen["status:*"].front(), "snapshot");
  EXPECT_EQ(service.stop(), 0) << service.output();
}

// [actors] idle-workers = sleep: the workers sleep between the simulator's
// batches (5 trades/s per symbol leaves them idle most of the time) and still
// pass every trade on: a sleeping worker is woken by work handed to it from
// outside the scheduler and steals the rest within 1 ms.
TEST(BroadcastService, SleepingIdleWorkersStillDeliverTheStream) {
  auto rest = free_port();
  auto ws_port = free_port();
  while (ws_port == rest)
    ws_port = free_port();
  auto dir = temp_dir();
  {
    std::ofstream cfg{dir + "/sleep.ini"};
    cfg << "[actors]\nidle-workers = sleep\n"
           "[simulator]\nsymbols = BTC-USDT:65000, ETH-USDT:3500\ntrades-per-second = 5\n";
  }
  child_process service{TICKFLOW_BINARY,
                        {"--config", dir + "/sleep.ini", "--port", std::to_string(rest),
                         "--ws-port", std::to_string(ws_port)},
                        dir + "/tickflow.log"};
  ASSERT_TRUE(wait_ready(rest, service)) << service.output();
  EXPECT_NE(service.output().find("2 actor threads, idle workers sleep"), std::string::npos)
    << service.output();

  ws_client ws;
  ASSERT_TRUE(ws.connect("ws://127.0.0.1:" + std::to_string(ws_port) + "/api/v1/stream"));
  ASSERT_TRUE(ws.send(R"({"op":"subscribe","channels":["trades:BTC-USDT"]})"));
  std::vector<std::string> ids;
  for (int i = 0; i < 1000 && ids.size() < 10; ++i) {
    auto m = ws.receive(3000ms);
    ASSERT_TRUE(m) << "quiet for 3 s";
    auto d = parse(*m);
    if (str(d, "type") != "trade")
      continue;
    EXPECT_EQ(str(d, "channel"), "trades:BTC-USDT") << *m;
    ASSERT_TRUE(d.HasMember("data")) << *m;
    EXPECT_EQ(str(d["data"], "instrument"), "BTC-USDT") << *m;
    ids.push_back(str(d["data"], "trade_id"));
  }
  ASSERT_EQ(ids.size(), 10u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 10u) // none twice
    << ::testing::PrintToString(ids);
  EXPECT_EQ(service.stop(), 0) << service.output();
}
