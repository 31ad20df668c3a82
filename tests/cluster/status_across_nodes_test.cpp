// Feed statuses cross nodes on the event streams: the ingest node's Binance
// stream points at a loopback WebSocket server (recorded frames, as in
// tests/streams), the test drops that connection, and a WebSocket client of
// the gateway node on status:* sees the ingest node's disconnected and
// reconnected statuses, each once.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/cluster/cluster_support.hpp"
#include "tests/storage/writers/writer_support.hpp"
#include "tests/streams/stream_test_support.hpp"

namespace tickflow::test {
namespace {

/// The states of the status events `ws` gets within `limit` (provider,
/// state), until `until` was seen.
std::vector<std::pair<std::string, std::string>> statuses_until(
  ws_client& ws, const std::string& until, std::chrono::milliseconds limit) {
  std::vector<std::pair<std::string, std::string>> out;
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    auto m = ws.receive(500ms);
    if (!m)
      continue;
    rapidjson::Document d;
    d.Parse(m->c_str());
    if (str_field(d, "type") != "status" || !d.HasMember("data"))
      continue;
    out.emplace_back(str_field(d, "channel"), str_field(d["data"], "state"));
    if (out.back().second == until)
      break;
  }
  return out;
}

TEST(StatusAcrossNodes, GatewayClientsSeeTheIngestNodesFeedStatus) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  ws_fixture_server feed;
  feed.set_responder(binance_acks());
  fixture_server rest; // the backfill after the reconnect asks it
  auto base_ms = wall_ms() - 60'000;
  rest.add("GET", "/api/v3/trades", fixture_response::json(binance_rest_trades(1, 5, base_ms)),
           {{"symbol", "BTCUSDT"}});
  auto prefix = "t" + unique_name();
  // Each node its own journal.
  auto redis = [&] {
    return "[redis]\nenabled = true\nport = " + std::to_string(env.redis_port())
           + "\nkey-prefix = " + prefix + "\njournal-dir = " + temp_dir()
           + "/redis\n[jobs]\nenabled = false\n";
  };
  node ingest{"[providers]\nenabled = binance\n[streams]\nenabled = binance\n"
              "[stream.binance]\nurl = " + feed.url()
                + "\nsubscriptions = BTC-USDT:trades\nreconnect-min = 10ms\n"
                  "reconnect-max = 100ms\n[binance]\nbase-url = " + rest.base_url()
                + "\n[cluster]\nnode-id = ingest-1\n" + redis(),
              "ingest"};
  ASSERT_TRUE(ingest.up()) << ingest.output();
  node gateway{"[providers]\nenabled = simulator\n[simulator]\nsymbols = GW-ONLY:1\n"
               "trades-per-second = 1\n[cluster]\nnode-id = gw-1\nsubscribe = true\n" + redis(),
               "gateway"};
  ASSERT_TRUE(gateway.up()) << gateway.output();
  ASSERT_TRUE(eventually([&] { return subscribed_streams(feed, 1).size() == 1; }))
    << ingest.output();
  ws_client at_gateway;
  ASSERT_TRUE(at_gateway.connect(gateway.ws_url())) << at_gateway.error();
  ASSERT_TRUE(at_gateway.send(R"({"op":"subscribe","channels":["status:*"]})"));
  // The gateway reads its streams from their ends on: give it a moment to
  // have positioned itself before the status it must see.
  std::this_thread::sleep_for(1s);
  feed.drop();
  ASSERT_TRUE(eventually([&] { return subscribed_streams(feed, 2).size() == 1; }))
    << ingest.output();
  auto seen = statuses_until(at_gateway, "reconnected", 15s);
  ASSERT_FALSE(seen.empty()) << gateway.output();
  std::vector<std::pair<std::string, std::string>> want{
    {"status:binance", "disconnected"}, {"status:binance", "reconnected"}};
  EXPECT_EQ(seen, want);
  EXPECT_EQ(ingest.stop(), 0) << ingest.output();
  EXPECT_EQ(gateway.stop(), 0) << gateway.output();
}

} // namespace
} // namespace tickflow::test
