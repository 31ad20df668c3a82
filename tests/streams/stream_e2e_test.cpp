// End to end through the real tickflow binary: its Binance stream points at
// the loopback WebSocket server, its [binance] REST section at the loopback
// REST server. A streamed trade sets the price served over REST; a dropped
// connection comes back, the missed trades are backfilled, and WebSocket
// clients of the status channel see the gap.

#include <fstream>

#include "tests/streams/stream_test_support.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/ws_client.hpp"

using namespace tickflow;
using namespace tickflow::test;

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

/// The price REST serves for BTC-USDT ("" when none yet).
std::string served_price(uint16_t port) {
  auto r = http_get(port, "/api/v1/data/price?symbol=BTC-USDT");
  if (!r || r->status != 200)
    return {};
  return str(parse(r->body), "price");
}

/// Reads status messages on `ws` until one says `state`; false on timeout.
/// (A snapshot of the last status may come first.)
bool saw_status(ws_client& ws, const std::string& state) {
  for (int i = 0; i < 100; ++i) {
    auto m = ws.receive(5000ms);
    if (!m)
      return false;
    auto d = parse(*m);
    if (str(d, "type") == "status" && d.HasMember("data") && str(d["data"], "state") == state)
      return true;
  }
  return false;
}

} // namespace

TEST(StreamEndToEnd, LiveTradesReachRestAndGapsAreReported) {
  ws_fixture_server feed;
  feed.set_responder(binance_acks());
  fixture_server rest;
  auto base_ms = wall_ms() - 60'000;
  rest.add("GET", "/api/v3/trades",
           fixture_response::json(binance_rest_trades(1, 5, base_ms)),
           {{"symbol", "BTCUSDT"}});
  auto dir = temp_dir();
  auto config = dir + "/streams.ini";
  {
    std::ofstream out{config};
    // Binance REST enabled too: the backfill then draws on its scheduler budget.
    out << "[simulator]\nsymbols = AAPL:190.00\n"
           "[providers]\nenabled = simulator, binance\n"
           "[streams]\nenabled = binance\n"
           "[stream.binance]\nurl = " << feed.url() << "\n"
           "subscriptions = BTC-USDT:trades\nreconnect-min = 10ms\nreconnect-max = 100ms\n"
           "[binance]\nbase-url = " << rest.base_url() << "\n";
  }
  auto rest_port = free_port();
  auto ws_port = free_port();
  child_process proc{TICKFLOW_BINARY,
                     {"--config", config, "--port", std::to_string(rest_port), "--ws-port",
                      std::to_string(ws_port)},
                     dir + "/tickflow.log"};
  ASSERT_TRUE(eventually([&] {
    auto r = http_get(rest_port, "/live");
    return r && r->status == 200;
  })) << proc.output();
  ASSERT_TRUE(eventually([&] { return subscribed_streams(feed, 1).size() == 1; }))
    << proc.output();
  EXPECT_EQ(feed.last_resource(), "/stream");

  // A client of the status channel.
  ws_client client;
  ASSERT_TRUE(client.connect("ws://127.0.0.1:" + std::to_string(ws_port) + "/api/v1/stream"));
  ASSERT_TRUE(client.send(R"({"op":"subscribe","channels":["status:binance"]})"));

  // A streamed trade is the price REST serves.
  ASSERT_TRUE(feed.send_text(binance_trade_frame(1, base_ms + 1, "65000.12")));
  ASSERT_TRUE(eventually([&] { return served_price(rest_port) == "65000.12"; }))
    << proc.output();

  // Drop; trades 2..4 are only in REST; the stream resumes at 5.
  feed.drop();
  EXPECT_TRUE(saw_status(client, "disconnected"));
  ASSERT_TRUE(eventually([&] { return subscribed_streams(feed, 2).size() == 1; }))
    << proc.output();
  EXPECT_TRUE(saw_status(client, "reconnected"));
  ASSERT_TRUE(feed.send_text(binance_trade_frame(5, base_ms + 5, "65010.55")));
  EXPECT_TRUE(saw_status(client, "backfilled"));
  ASSERT_TRUE(eventually([&] { return served_price(rest_port) == "65010.55"; }))
    << proc.output();
  ASSERT_GE(rest.request_count(), 1u);
  size_t trade_calls = 0;
  for (auto& r : rest.requests())
    trade_calls += r.path == "/api/v3/trades";
  EXPECT_GE(trade_calls, 1u);
  // Every upstream call, the backfill's included, asked the scheduler for a
  // permit: binance's calls are exactly what the REST server received.
  auto stats = http_get(rest_port, "/api/v1/stats");
  ASSERT_TRUE(stats && stats->status == 200);
  rapidjson::Document d;
  d.Parse(stats->body.c_str());
  uint64_t calls = 0;
  if (d.IsObject() && d.HasMember("providers") && d["providers"].IsArray())
    for (auto& p : d["providers"].GetArray())
      if (p.HasMember("provider") && std::string{p["provider"].GetString()} == "binance")
        calls = p["calls"].GetUint64();
  EXPECT_EQ(calls, rest.request_count()) << stats->body;
  EXPECT_EQ(proc.stop(), 0) << proc.output();
}
