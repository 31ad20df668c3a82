// Feed statuses and quarantined events cross nodes on the event streams: the ingest node's Binance
// stream points at a loopback WebSocket server (recorded frames, as in
// tests/streams), the test drops that connection, and a WebSocket client of
// the gateway node on status:* sees the ingest node's disconnected and
// reconnected statuses, each once. The same holds when the ingest node's
// Redis connection is cut while its feed drops: its cache writer journals
// the statuses with the events and replays them after.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/cluster/cluster_support.hpp"
#include "tests/storage/writers/writer_support.hpp"
#include "tests/streams/stream_test_support.hpp"
#include "tests/support/tcp_proxy.hpp"

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

/// One ingest node (Binance stream from `feed`, backfill from `rest`) and
/// one gateway node on the same Redis; the ingest node's Redis may be a proxy.
struct status_nodes {
  std::string prefix = "t" + unique_name();

  std::string redis(uint16_t port) const {
    return "[redis]\nenabled = true\nport = " + std::to_string(port) + "\nkey-prefix = "
           + prefix + "\njournal-dir = " + temp_dir() + "/redis\n[jobs]\nenabled = false\n";
  }

  std::string ingest(const ws_fixture_server& feed, const fixture_server& rest,
                     uint16_t redis_port) const {
    return "[providers]\nenabled = binance\n[streams]\nenabled = binance\n"
           "[stream.binance]\nurl = " + feed.url()
           + "\nsubscriptions = BTC-USDT:trades\nreconnect-min = 10ms\n"
             "reconnect-max = 100ms\n[binance]\nbase-url = " + rest.base_url()
           + "\n[cluster]\nnode-id = ingest-1\n" + redis(redis_port);
  }

  std::string gateway(uint16_t redis_port) const {
    return "[providers]\nenabled = simulator\n[simulator]\nsymbols = GW-ONLY:1\n"
           "trades-per-second = 1\n[cluster]\nnode-id = gw-1\nsubscribe = true\n"
           + redis(redis_port);
  }
};

TEST(StatusAcrossNodes, StatusesOfARedisOutageArriveAfterIt) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  ws_fixture_server feed;
  feed.set_responder(binance_acks());
  fixture_server rest;
  rest.add("GET", "/api/v3/trades",
           fixture_response::json(binance_rest_trades(1, 5, wall_ms() - 60'000)),
           {{"symbol", "BTCUSDT"}});
  tcp_proxy proxy{env.redis_port()};
  status_nodes nodes;
  node ingest{nodes.ingest(feed, rest, proxy.port()), "ingest"};
  ASSERT_TRUE(ingest.up()) << ingest.output();
  node gateway{nodes.gateway(env.redis_port()), "gateway"};
  ASSERT_TRUE(gateway.up()) << gateway.output();
  ASSERT_TRUE(eventually([&] { return subscribed_streams(feed, 1).size() == 1; }))
    << ingest.output();
  ws_client at_gateway;
  ASSERT_TRUE(at_gateway.connect(gateway.ws_url())) << at_gateway.error();
  ASSERT_TRUE(at_gateway.send(R"({"op":"subscribe","channels":["status:*"]})"));
  std::this_thread::sleep_for(1s);
  proxy.cut();
  std::this_thread::sleep_for(300ms); // the proxy closes its pumps within 50 ms
  feed.drop();
  ASSERT_TRUE(eventually([&] { return subscribed_streams(feed, 2).size() == 1; }))
    << ingest.output();
  // The writer meets the cut at its next batch (the statuses) and journals.
  ASSERT_TRUE(eventually([&] {
    return ingest.output().find("journaling batches") != std::string::npos;
  })) << ingest.output();
  auto during = statuses_until(at_gateway, "reconnected", 2s);
  EXPECT_TRUE(during.empty()) << "statuses crossed while Redis was cut";
  proxy.restore();
  auto seen = statuses_until(at_gateway, "reconnected", 20s);
  ASSERT_FALSE(seen.empty()) << ingest.output() << gateway.output();
  std::vector<std::pair<std::string, std::string>> want{
    {"status:binance", "disconnected"}, {"status:binance", "reconnected"}};
  EXPECT_EQ(seen, want);
  EXPECT_EQ(ingest.stop(), 0) << ingest.output();
  EXPECT_EQ(gateway.stop(), 0) << gateway.output();
}

TEST(StatusAcrossNodes, GatewayClientsSeeTheIngestNodesFeedStatus) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  ws_fixture_server feed;
  feed.set_responder(binance_acks());
  fixture_server rest; // the backfill after the reconnect asks it
  rest.add("GET", "/api/v3/trades",
           fixture_response::json(binance_rest_trades(1, 5, wall_ms() - 60'000)),
           {{"symbol", "BTCUSDT"}});
  status_nodes nodes;
  node ingest{nodes.ingest(feed, rest, env.redis_port()), "ingest"};
  ASSERT_TRUE(ingest.up()) << ingest.output();
  node gateway{nodes.gateway(env.redis_port()), "gateway"};
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

// The ingest node's validators flag a trade an hour in the future (rule
// future_timestamp, copied to the quarantine); the gateway's /api/v1/data/quarantine lists
// it, naming the node that did.
TEST(QuarantineAcrossNodes, TheGatewayListsTheIngestNodesQuarantine) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  ws_fixture_server feed;
  feed.set_responder(binance_acks());
  fixture_server rest;
  status_nodes nodes;
  node ingest{nodes.ingest(feed, rest, env.redis_port()), "ingest"};
  ASSERT_TRUE(ingest.up()) << ingest.output();
  node gateway{nodes.gateway(env.redis_port()), "gateway"};
  ASSERT_TRUE(gateway.up()) << gateway.output();
  ASSERT_TRUE(eventually([&] { return subscribed_streams(feed, 1).size() == 1; }))
    << ingest.output();
  std::this_thread::sleep_for(1s); // the gateway positions its cursors
  ASSERT_TRUE(feed.send_text(binance_trade_frame(1001, wall_ms() + 3'600'000)));
  auto listed = [&](node& n, rapidjson::Document& d) {
    return eventually([&] {
      return n.get("/api/v1/data/quarantine?symbol=BTC-USDT", d) == 200
             && d.HasMember("events") && d["events"].IsArray() && d["events"].Size() == 1;
    });
  };
  rapidjson::Document at_ingest;
  ASSERT_TRUE(listed(ingest, at_ingest)) << ingest.output();
  EXPECT_EQ(str_field(at_ingest["events"][0], "rule"), "future_timestamp");
  EXPECT_FALSE(at_ingest["events"][0].HasMember("node")); // its own
  rapidjson::Document at_gateway;
  ASSERT_TRUE(listed(gateway, at_gateway)) << gateway.output();
  auto& e = at_gateway["events"][0];
  EXPECT_EQ(str_field(e, "rule"), "future_timestamp");
  EXPECT_EQ(str_field(e, "node"), "ingest-1");
  EXPECT_EQ(str_field(e, "instrument"), "BTC-USDT");
  EXPECT_TRUE(e["dropped"].IsFalse());
  EXPECT_EQ(str_field(e, "seen"), str_field(at_ingest["events"][0], "seen"));
  EXPECT_EQ(ingest.stop(), 0) << ingest.output();
  EXPECT_EQ(gateway.stop(), 0) << gateway.output();
}

} // namespace
} // namespace tickflow::test
