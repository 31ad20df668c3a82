// End to end: the real tickflow binary on free loopback ports with the
// embedded default config, driven by real WebSocket and HTTP clients.

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/service_process.hpp"
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

/// The service, started once for this suite on free ports.
class Service : public service_suite<Service> {
 protected:
  static std::string ws_url() { return svc_->ws_url(); }

  /// Next message of `type` on `ws`, skipping others.
  static std::optional<rapidjson::Document> next_of(ws_client& ws,
                                                    const std::string& type) {
    for (int i = 0; i < 500; ++i) {
      auto m = ws.receive(3000ms);
      if (!m)
        return std::nullopt;
      auto d = parse(*m);
      if (str(d, "type") == type)
        return d;
    }
    return std::nullopt;
  }
};

} // namespace

TEST_F(Service, LiveTradesOverWebSocketMatchRestPrice) {
  ws_client ws;
  ASSERT_TRUE(ws.connect(ws_url()));
  ASSERT_TRUE(ws.send(R"({"op":"subscribe","channels":["trades:BTC-USDT"]})"));
  auto ack = next_of(ws, "subscribed");
  ASSERT_TRUE(ack);
  ASSERT_TRUE((*ack)["channels"].IsArray());
  EXPECT_EQ(std::string((*ack)["channels"][0].GetString()), "trades:BTC-USDT");
  http_client rest{svc_->rest_port()};
  // The price served by REST must be the price of the last trade received.
  // Trades keep coming, so retry until no trade slipped in between.
  bool matched = false;
  for (int attempt = 0; attempt < 50 && !matched; ++attempt) {
    auto t = next_of(ws, "trade");
    ASSERT_TRUE(t) << "no trade received";
    auto& data = (*t)["data"];
    EXPECT_EQ(str(*t, "channel"), "trades:BTC-USDT");
    EXPECT_EQ(str(data, "instrument"), "BTC-USDT");
    auto reply = rest.get("/api/v1/data/price?symbol=BTC-USDT");
    ASSERT_TRUE(reply) << reply.err().message();
    ASSERT_EQ(reply->status, 200u) << reply->body;
    auto p = parse(reply->body);
    ASSERT_TRUE(p.IsObject()) << reply->body;
    if (str(p, "trade_id") != str(data, "trade_id"))
      continue; // a newer trade arrived in between: try again
    EXPECT_EQ(str(p, "price"), str(data, "price"));
    EXPECT_EQ(str(p, "instrument"), "BTC-USDT");
    EXPECT_EQ(str(p, "source"), "l1");
    EXPECT_TRUE(p["cached"].IsBool());
    matched = true;
  }
  EXPECT_TRUE(matched) << "REST never served the last trade's price";
}

TEST_F(Service, RestReusesOneConnection) {
  http_client rest{svc_->rest_port()};
  ASSERT_TRUE(rest.connect());
  auto port = rest.local_port();
  for (int i = 0; i < 50; ++i) {
    auto r = rest.get("/health");
    ASSERT_TRUE(r) << r.err().message();
    EXPECT_EQ(r->status, 200u);
    EXPECT_TRUE(r->keep_alive);
  }
  EXPECT_EQ(rest.local_port(), port); // same TCP connection throughout
}

TEST_F(Service, ParameterErrorsNameTheField) {
  struct row {
    std::string target;
    unsigned status;
    std::string code;
    std::string field;
  } rows[] = {
    {"/api/v1/data/price", 400, "missing_parameter", "symbol"},
    {"/api/v1/data/price?symbol=", 400, "missing_parameter", "symbol"},
    {"/api/v1/data/price?symbol=%3Cscript%3E", 400, "invalid_parameter", "symbol"},
    {"/api/v1/data/price?symbol=NOPE-NOPE", 404, "unknown_symbol", "symbol"},
    {"/api/v1/data/ohlcv?symbol=BTC-USDT&interval=7m", 400, "invalid_parameter", "interval"},
    {"/api/v1/data/ohlcv?symbol=BTC-USDT&limit=0", 400, "invalid_parameter", "limit"},
    {"/api/v1/data/ohlcv?symbol=BTC-USDT&limit=abc", 400, "invalid_parameter", "limit"},
    {"/api/v1/data/ohlcv?interval=1m", 400, "missing_parameter", "symbol"},
    {"/api/v1/nope", 404, "not_found", ""},
  };
  http_client rest{svc_->rest_port()};
  for (auto& r : rows) {
    auto reply = rest.get(r.target);
    ASSERT_TRUE(reply) << r.target;
    EXPECT_EQ(reply->status, r.status) << r.target << " -> " << reply->body;
    auto d = parse(reply->body);
    ASSERT_TRUE(d.IsObject() && d.HasMember("error")) << reply->body;
    EXPECT_EQ(str(d["error"], "code"), r.code) << r.target;
    EXPECT_EQ(str(d["error"], "field"), r.field) << r.target;
    EXPECT_FALSE(str(d["error"], "message").empty()) << r.target;
  }
}

TEST_F(Service, OhlcvServesBarsBuiltFromTrades) {
  http_client rest{svc_->rest_port()};
  // 1s bars close every second; wait for at least two.
  for (int i = 0; i < 100; ++i) {
    auto r = rest.get("/api/v1/data/ohlcv?symbol=ETH-USDT&interval=1s&limit=5");
    ASSERT_TRUE(r);
    if (r->status == 200) {
      auto d = parse(r->body);
      ASSERT_TRUE(d.IsObject()) << r->body;
      if (d["bars"].Size() >= 2) {
        EXPECT_LE(d["bars"].Size(), 5u);
        EXPECT_EQ(str(d, "interval"), "1s");
        EXPECT_EQ(d["count"].GetInt(), static_cast<int>(d["bars"].Size()));
        const auto& b = d["bars"][0];
        EXPECT_EQ(str(b, "instrument"), "ETH-USDT");
        EXPECT_FALSE(str(b, "open").empty());
        EXPECT_FALSE(str(b, "volume").empty());
        return;
      }
    }
    std::this_thread::sleep_for(100ms);
  }
  FAIL() << "no 1s bars after 10 s";
}

TEST_F(Service, WebSocketSubscriptionLifecycle) {
  ws_client ws;
  ASSERT_TRUE(ws.connect(ws_url()));
  // Unknown instrument and malformed channel names get error messages.
  ASSERT_TRUE(ws.send(R"({"op":"subscribe","channels":["trades:NOPE-NOPE"]})"));
  auto e = next_of(ws, "error");
  ASSERT_TRUE(e);
  EXPECT_EQ(str(*e, "code"), "unknown_channel");
  EXPECT_EQ(str(*e, "channel"), "trades:NOPE-NOPE");
  ASSERT_TRUE(ws.send(R"({"op":"subscribe","channels":["candles:BTC-USDT"]})"));
  e = next_of(ws, "error");
  ASSERT_TRUE(e);
  EXPECT_EQ(str(*e, "code"), "invalid_channel");
  ASSERT_TRUE(ws.send("not json"));
  e = next_of(ws, "error");
  ASSERT_TRUE(e);
  // Bars arrive on their channel.
  ASSERT_TRUE(ws.send(R"({"op":"subscribe","channels":["bars:1s:SOL-USDT"]})"));
  ASSERT_TRUE(next_of(ws, "subscribed"));
  auto b = next_of(ws, "bar");
  ASSERT_TRUE(b);
  EXPECT_EQ(str(*b, "channel"), "bars:1s:SOL-USDT");
  EXPECT_EQ(str((*b)["data"], "interval"), "1s");
  // After unsubscribing, nothing more arrives.
  ASSERT_TRUE(ws.send(R"({"op":"unsubscribe","channels":["bars:1s:SOL-USDT"]})"));
  ASSERT_TRUE(next_of(ws, "unsubscribed"));
  std::this_thread::sleep_for(1500ms);
  while (auto m = ws.receive(200ms)) // drain frames sent before the unsubscribe
    ;
  EXPECT_FALSE(ws.receive(1500ms)) << "events after unsubscribe";
  ASSERT_TRUE(ws.send(R"({"op":"ping"})"));
  EXPECT_TRUE(next_of(ws, "pong"));
}

TEST_F(Service, ManyClientsComeAndGo) {
  // Clients that disconnect are cleaned up; the service keeps serving.
  for (int round = 0; round < 3; ++round) {
    std::vector<std::unique_ptr<ws_client>> clients;
    for (int i = 0; i < 20; ++i) {
      clients.push_back(std::make_unique<ws_client>());
      ASSERT_TRUE(clients.back()->connect(ws_url()));
      ASSERT_TRUE(clients.back()->send(
        R"({"op":"subscribe","channels":["trades:BTC-USDT","trades:ETH-USDT"]})"));
    }
    for (auto& c : clients)
      EXPECT_TRUE(next_of(*c, "trade"));
  }
  ws_client last;
  ASSERT_TRUE(last.connect(ws_url()));
  ASSERT_TRUE(last.send(R"({"op":"subscribe","channels":["trades:BTC-USDT"]})"));
  EXPECT_TRUE(next_of(last, "trade"));
}

TEST_F(Service, CacheStatsCountHitsAndMisses) {
  // Wait until the simulator's first trade has reached the cache.
  unsigned status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    auto r = http_get(svc_->rest_port(), "/api/v1/data/price?symbol=BTC-USDT");
    ASSERT_TRUE(r);
    status = r->status;
    if (status != 200)
      std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(status, 200u);
  ASSERT_EQ(http_get(svc_->rest_port(), "/api/v1/data/price?symbol=NOPE-NOPE")->status, 404u);
  auto r = http_get(svc_->rest_port(), "/api/v1/cache/stats");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u) << r->body;
  auto d = parse(r->body);
  ASSERT_TRUE(d.IsObject() && d.HasMember("l1")) << r->body;
  EXPECT_GE(d["l1"]["price"]["hits"].GetUint64(), 1u);
  EXPECT_GE(d["l1"]["price"]["misses"].GetUint64(), 1u);
  EXPECT_EQ(d["l1"]["instruments"].GetUint64(), 5u); // the configured symbols
}

TEST_F(Service, HealthLiveReady) {
  for (auto path : {"/health", "/live"}) {
    auto r = http_get(svc_->rest_port(), path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u) << path;
  }
  unsigned status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    auto r = http_get(svc_->rest_port(), "/ready");
    ASSERT_TRUE(r);
    status = r->status;
    if (status != 200)
      std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(status, 200u);
}

// ctest runs every test in its own process, so stopping the service here
// leaves the other tests untouched.
TEST_F(Service, SigtermStopsCleanly) {
  ws_client ws;
  ASSERT_TRUE(ws.connect(ws_url()));
  EXPECT_EQ(svc_->stop(), 0) << svc_->output();
  auto code = ws.wait_closed(5000ms);
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 1001); // going away
}

// -- the operator client (`tickflow price ...`) against the running service --

TEST_F(Service, ClientPrintsPricesAndBars) {
  auto url = "http://127.0.0.1:" + std::to_string(svc_->rest_port());
  // Right after start a symbol may have no trade yet: wait for both.
  for (auto symbol : {"BTC-USDT", "AAPL"})
    for (int i = 0; i < 250; ++i) {
      auto r = http_get(svc_->rest_port(), std::string{"/api/v1/data/price?symbol="} + symbol);
      if (r && r->status == 200)
        break;
      std::this_thread::sleep_for(20ms);
    }
  std::string out;
  ASSERT_EQ(run_command(TICKFLOW_BINARY, {"price", "BTC-USDT", "AAPL", "--url", url}, out), 0)
    << out;
  EXPECT_NE(out.find("SYMBOL"), std::string::npos) << out;
  EXPECT_NE(out.find("BTC-USDT"), std::string::npos) << out;
  EXPECT_NE(out.find("AAPL"), std::string::npos) << out;
  ASSERT_EQ(run_command(TICKFLOW_BINARY,
                        {"ohlcv", "BTC-USDT", "--interval", "1s", "--limit", "2", "--csv",
                         "--url", url},
                        out),
            0)
    << out;
  EXPECT_EQ(out.rfind("TIME,OPEN,HIGH,LOW,CLOSE,VOLUME,TRADES,CLOSED\r\n", 0), 0u) << out;
  EXPECT_EQ(run_command(TICKFLOW_BINARY, {"providers", "--url", url}, out), 0) << out;
  EXPECT_NE(out.find("simulator"), std::string::npos) << out;
}

TEST_F(Service, ClientReportsErrorsWithExitCodes) {
  auto url = "http://127.0.0.1:" + std::to_string(svc_->rest_port());
  std::string out;
  EXPECT_EQ(run_command(TICKFLOW_BINARY, {"price", "NOPE-X", "--url", url}, out), 1) << out;
  EXPECT_NE(out.find("unknown symbol"), std::string::npos) << out;
  EXPECT_EQ(run_command(TICKFLOW_BINARY, {"price", "--url", url}, out), 2) << out;
  // Nothing listens on port 1.
  EXPECT_EQ(run_command(TICKFLOW_BINARY, {"stats", "--url", "http://127.0.0.1:1"}, out), 1)
    << out;
}

TEST_F(Service, ClientSubscribePrintsLiveEvents) {
  std::string out;
  ASSERT_EQ(run_command(TICKFLOW_BINARY,
                        {"subscribe", "trades:BTC-USDT", "--count", "3", "--ws-url", ws_url()},
                        out),
            0)
    << out;
  size_t trades = 0;
  for (size_t pos = 0; (pos = out.find("\"channel\":\"trades:BTC-USDT\"", pos)) != std::string::npos;
       ++pos)
    ++trades;
  EXPECT_GE(trades, 3u) << out;
}
