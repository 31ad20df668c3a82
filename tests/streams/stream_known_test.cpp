// Issue 21: an instrument configured in [stream.*] is known before its
// first event: a WebSocket client may subscribe to it at once, and REST
// says "no data yet" rather than "unknown symbol".

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

} // namespace

TEST(StreamKnown, AConfiguredStreamInstrumentCanBeFollowedBeforeItsFirstEvent) {
  ws_fixture_server feed; // accepts the subscription, never sends a trade
  feed.set_responder(binance_acks());
  auto dir = temp_dir();
  auto config = dir + "/streams.ini";
  {
    std::ofstream out{config};
    out << "[simulator]\nsymbols = AAPL:190.00\n"
           "[providers]\nenabled = simulator\n"
           "[streams]\nenabled = binance\n"
           "[stream.binance]\nurl = " << feed.url() << "\n"
           "subscriptions = ETH-USDT:trades\n";
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

  ws_client client;
  ASSERT_TRUE(client.connect("ws://127.0.0.1:" + std::to_string(ws_port) + "/api/v1/stream"));
  ASSERT_TRUE(client.send(R"({"op":"subscribe","channels":["trades:ethusdt"]})"));
  bool subscribed = false;
  for (int i = 0; i < 20 && !subscribed; ++i) {
    auto m = client.receive(3000ms);
    ASSERT_TRUE(m) << "no answer to the subscription";
    auto d = parse(*m);
    ASSERT_NE(str(d, "type"), "error") << *m;
    if (str(d, "type") == "subscribed") {
      ASSERT_TRUE(d["channels"].IsArray() && d["channels"].Size() == 1u) << *m;
      EXPECT_EQ(std::string{d["channels"][0].GetString()}, "trades:ETH-USDT");
      subscribed = true;
    }
  }
  EXPECT_TRUE(subscribed);
  // Known, without trades yet: 200 with none, not 404 unknown_symbol.
  auto r = http_get(rest_port, "/api/v1/data/trades?symbol=ETH-USDT");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u) << r->body;
  EXPECT_EQ(parse(r->body)["count"].GetInt(), 0) << r->body;
  // Not configured anywhere: still unknown.
  ws_client other;
  ASSERT_TRUE(other.connect("ws://127.0.0.1:" + std::to_string(ws_port) + "/api/v1/stream"));
  ASSERT_TRUE(other.send(R"({"op":"subscribe","channels":["trades:SOL-USDT"]})"));
  std::string code;
  for (int i = 0; i < 20 && code.empty(); ++i) {
    auto m = other.receive(3000ms);
    ASSERT_TRUE(m) << "no answer to the subscription";
    auto d = parse(*m);
    ASSERT_NE(str(d, "type"), "subscribed") << *m;
    if (str(d, "type") == "error")
      code = str(d, "code");
  }
  EXPECT_EQ(code, "unknown_channel");
}
