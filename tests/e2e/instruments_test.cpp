// End to end, issue 21: on the embedded default (the simulator only), every
// way of writing an instrument is one instrument, resampled bars, and the
// instruments search.

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

/// The service on the embedded default, started once for this suite.
class Instruments : public service_suite<Instruments> {
 protected:
  static std::optional<http_reply> get_200(const std::string& target, int tries = 100) {
    return get_until_200(svc_->rest_port(), target, tries);
  }
};

} // namespace

TEST_F(Instruments, EverySpellingOfAPairIsOneInstrumentFromOneCacheEntry) {
  ASSERT_TRUE(get_200("/api/v1/data/price?symbol=BTC-USDT"));
  for (std::string asked : {"btcusdt", "BTCUSDT", "BTC%2FUSDT", "BTC-USDT",
                            "BINANCE%3ABTCUSDT", "BTC"}) {
    auto r = http_get(svc_->rest_port(), "/api/v1/data/price?symbol=" + asked);
    ASSERT_TRUE(r) << asked;
    ASSERT_EQ(r->status, 200u) << asked << ": " << r->body;
    auto d = parse(r->body);
    EXPECT_EQ(str(d, "instrument"), "BTC-USDT") << asked;
    EXPECT_EQ(str(d, "source"), "l1") << asked;
    // What was asked, as written (decoded).
    std::string decoded = asked == "BTC%2FUSDT"          ? "BTC/USDT"
                          : asked == "BINANCE%3ABTCUSDT" ? "BINANCE:BTCUSDT"
                                                         : asked;
    EXPECT_EQ(str(d, "requested"), decoded) << asked;
  }
  // One cache entry per configured instrument: no spelling added one.
  auto stats = http_get(svc_->rest_port(), "/api/v1/cache/stats");
  ASSERT_TRUE(stats);
  auto s = parse(stats->body);
  ASSERT_TRUE(s.IsObject() && s.HasMember("l1")) << stats->body;
  EXPECT_EQ(s["l1"]["instruments"].GetUint64(), 5u);
  // USD is not USDT: BTC-USD is another instrument, and nobody serves it here.
  auto usd = http_get(svc_->rest_port(), "/api/v1/data/price?symbol=X%3ABTCUSD");
  ASSERT_TRUE(usd);
  EXPECT_EQ(usd->status, 404u) << usd->body;
}

TEST_F(Instruments, OhlcvResolvesTheSymbol) {
  auto r = get_200("/api/v1/data/ohlcv?symbol=eth%2Fusdt&interval=1s&limit=3");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u) << r->body;
  auto d = parse(r->body);
  EXPECT_EQ(str(d, "instrument"), "ETH-USDT");
  EXPECT_EQ(str(d, "requested"), "eth/usdt");
}

TEST_F(Instruments, WebSocketSubscribeResolvesTheChannel) {
  ws_client ws;
  ASSERT_TRUE(ws.connect(svc_->ws_url()));
  ASSERT_TRUE(ws.send(R"({"op":"subscribe","channels":["trades:btcusdt"]})"));
  for (int i = 0; i < 50; ++i) {
    auto m = ws.receive(3000ms);
    ASSERT_TRUE(m) << "no answer to the subscription";
    auto d = parse(*m);
    if (str(d, "type") != "subscribed")
      continue;
    ASSERT_TRUE(d["channels"].IsArray() && d["channels"].Size() == 1u) << *m;
    EXPECT_EQ(std::string{d["channels"][0].GetString()}, "trades:BTC-USDT");
    return;
  }
  FAIL() << "never subscribed";
}

TEST_F(Instruments, OhlcvAtIntervalsNobodyBuildsIsResampled) {
  // The simulator builds 1s and 1m bars; 5m and 1h come from them.
  for (std::string iv : {"5m", "1h"}) {
    std::optional<http_reply> r;
    for (int i = 0; i < 100; ++i) {
      auto got = http_get(svc_->rest_port(), "/api/v1/data/ohlcv?symbol=BTC-USDT&interval=" + iv);
      ASSERT_TRUE(got);
      r = *got;
      if (r->status == 200 && parse(r->body)["count"].GetInt() > 0)
        break;
      std::this_thread::sleep_for(100ms);
    }
    ASSERT_EQ(r->status, 200u) << r->body;
    auto d = parse(r->body);
    ASSERT_GT(d["count"].GetInt(), 0) << iv << ": " << r->body;
    EXPECT_EQ(str(d, "interval"), iv);
    auto from = str(d, "resampled_from");
    EXPECT_TRUE(from == "1m" || from == "1s") << r->body;
    auto& b = d["bars"][0];
    EXPECT_EQ(str(b, "instrument"), "BTC-USDT");
    EXPECT_EQ(str(b, "interval"), iv) << r->body;
  }
  // An interval that is built live is not resampled.
  auto live = get_200("/api/v1/data/ohlcv?symbol=BTC-USDT&interval=1s&limit=2");
  ASSERT_TRUE(live);
  EXPECT_FALSE(parse(live->body).HasMember("resampled_from")) << live->body;
}

TEST_F(Instruments, SearchListsTheConfiguredInstruments) {
  auto r = get_200("/api/v1/instruments?query=BTC");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u) << r->body;
  auto d = parse(r->body);
  ASSERT_TRUE(d.IsObject() && d["instruments"].IsArray()) << r->body;
  ASSERT_GE(d["instruments"].Size(), 1u) << r->body;
  auto& x = d["instruments"][0];
  EXPECT_EQ(str(x, "id"), "BTC-USDT");
  EXPECT_EQ(str(x, "asset_class"), "crypto");
  ASSERT_TRUE(x["providers"].IsArray() && x["providers"].Size() >= 1u) << r->body;
  EXPECT_EQ(std::string{x["providers"][0].GetString()}, "simulator");
  // Equities of the default, by class.
  auto eq = get_200("/api/v1/instruments?asset_class=equity");
  ASSERT_TRUE(eq);
  auto e = parse(eq->body);
  ASSERT_EQ(e["count"].GetInt(), 2) << eq->body;
  EXPECT_EQ(str(e["instruments"][0], "id"), "AAPL");
  EXPECT_EQ(str(e["instruments"][1], "id"), "MSFT");
}

TEST_F(Instruments, LiveBarsOfAnIntervalNobodyBuildsAreResampled) {
  ws_client ws;
  ASSERT_TRUE(ws.connect(svc_->ws_url()));
  ASSERT_TRUE(ws.send(R"({"op":"subscribe","channels":["bars:5m:BTC-USDT"]})"));
  // The simulator sends each 1m bar once, closed: the first can take a minute.
  for (int i = 0; i < 2000; ++i) {
    auto m = ws.receive(70000ms);
    ASSERT_TRUE(m) << "no 5m bar";
    auto d = parse(*m);
    if (str(d, "type") != "bar")
      continue;
    EXPECT_EQ(str(d, "channel"), "bars:5m:BTC-USDT");
    EXPECT_EQ(str(d["data"], "interval"), "5m") << *m;
    EXPECT_EQ(str(d["data"], "instrument"), "BTC-USDT") << *m;
    return;
  }
  FAIL() << "no 5m bar";
}
