// The WebSocket message schema of docs/WEBSOCKET.md: status channels,
// snapshots, hello, heartbeat and conflation notices (api/ws_protocol).

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "adapters/binance/binance_provider.hpp"
#include "api/ws_protocol.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

feed_status make_status() {
  feed_status s;
  s.source = providers::binance;
  s.connection = "binance#0";
  s.state = feed_state::reconnected;
  s.gap_start_ns = 1'700'000'000'000'000'000;
  s.gap_end_ns = 1'700'000'003'000'000'000;
  s.reason = "closed 1006 \"abnormal\"";
  s.ts_ns = 1'700'000'003'500'000'000;
  return s;
}

} // namespace

TEST(WsMessages, StatusChannelsParse) {
  auto one = parse_channel("status:binance");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->kind, channel_kind::status);
  EXPECT_EQ(one->instrument, "binance");
  EXPECT_EQ(one->name(), "status:binance");
  auto all = parse_channel("status:*");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->instrument, "*");
  EXPECT_EQ(all->name(), std::string{all_status_channel});
  for (auto bad : {"status:", "status:nope", "status:Binance", "status:**"}) {
    auto ch = parse_channel(bad);
    ASSERT_FALSE(ch) << bad;
    EXPECT_EQ(ch.err().code, errc::invalid_argument);
  }
  EXPECT_NE(parse_channel("status:nope").err().context.find("nope"),
            std::string::npos);
}

TEST(WsMessages, StatusEvent) {
  auto s = make_status();
  EXPECT_EQ(channel_of(s), "status:binance");
  auto d = parse(event_message(s));
  EXPECT_STREQ(d["type"].GetString(), "status");
  EXPECT_STREQ(d["channel"].GetString(), "status:binance");
  auto& x = d["data"];
  EXPECT_STREQ(x["provider"].GetString(), "binance");
  EXPECT_STREQ(x["connection"].GetString(), "binance#0");
  EXPECT_STREQ(x["state"].GetString(), "reconnected");
  EXPECT_EQ(x["gap_start"].GetInt64(), s.gap_start_ns);
  EXPECT_EQ(x["gap_end"].GetInt64(), s.gap_end_ns);
  EXPECT_STREQ(x["reason"].GetString(), "closed 1006 \"abnormal\"");
  EXPECT_EQ(x["ts"].GetInt64(), s.ts_ns);
  EXPECT_STREQ(x["time"].GetString(), "2023-11-14T22:13:23.500Z");
  // An open gap has no end yet.
  s.state = feed_state::disconnected;
  s.gap_end_ns = 0;
  auto open = parse(event_message(s));
  EXPECT_TRUE(open["data"]["gap_end"].IsNull());
}

TEST(WsMessages, PriceSnapshot) {
  price p;
  p.instrument = "BTC-USDT";
  p.value = *decimal::parse("65000.5");
  p.trade_id = "42";
  p.ts_event_ns = 1'700'000'000'000'000'000;
  auto d = parse(price_snapshot_message("trades:BTC-USDT", &p));
  EXPECT_STREQ(d["type"].GetString(), "snapshot");
  EXPECT_STREQ(d["channel"].GetString(), "trades:BTC-USDT");
  EXPECT_STREQ(d["price"]["price"].GetString(), "65000.5");
  EXPECT_STREQ(d["price"]["trade_id"].GetString(), "42");
  auto none = parse(price_snapshot_message("quotes:AAPL", nullptr));
  EXPECT_TRUE(none["price"].IsNull());
}

TEST(WsMessages, BarsSnapshotIsOldestFirst) {
  std::vector<bar> bars(3);
  for (int i = 0; i < 3; ++i) {
    bars[i].instrument = "ETH-USDT";
    bars[i].span = interval::m1;
    bars[i].open_time_ns = (1'700'000'000 + 60 * i) * 1'000'000'000LL;
    bars[i].close = decimal::from_parts(100 + i, 0);
  }
  auto d = parse(bars_snapshot_message("bars:1m:ETH-USDT", bars));
  EXPECT_STREQ(d["type"].GetString(), "snapshot");
  ASSERT_TRUE(d["bars"].IsArray());
  ASSERT_EQ(d["bars"].Size(), 3u);
  EXPECT_STREQ(d["bars"][0]["close"].GetString(), "100");
  EXPECT_STREQ(d["bars"][2]["close"].GetString(), "102");
  auto empty = parse(bars_snapshot_message("bars:1m:ETH-USDT", {}));
  EXPECT_EQ(empty["bars"].Size(), 0u);
}

TEST(WsMessages, StatusSnapshot) {
  auto d = parse(status_snapshot_message("status:*", {make_status(), make_status()}));
  EXPECT_STREQ(d["channel"].GetString(), "status:*");
  ASSERT_EQ(d["statuses"].Size(), 2u);
  EXPECT_STREQ(d["statuses"][1]["state"].GetString(), "reconnected");
}

TEST(WsMessages, HelloHeartbeatConflation) {
  hello_info hi;
  hi.version = "1.2.3";
  hi.heartbeat_ms = 15000;
  hi.max_channels = 256;
  hi.snapshot_bars = 100;
  auto h = parse(hello_message(hi));
  EXPECT_STREQ(h["type"].GetString(), "hello");
  EXPECT_STREQ(h["server"].GetString(), "tickflow");
  EXPECT_STREQ(h["version"].GetString(), "1.2.3");
  EXPECT_EQ(h["heartbeat_ms"].GetInt64(), 15000);
  EXPECT_EQ(h["max_channels"].GetInt(), 256);
  EXPECT_EQ(h["snapshot_bars"].GetInt(), 100);

  auto b = parse(heartbeat_message(1'700'000'000'000'000'000));
  EXPECT_STREQ(b["type"].GetString(), "heartbeat");
  EXPECT_EQ(b["ts"].GetInt64(), 1'700'000'000'000'000'000);
  EXPECT_STREQ(b["time"].GetString(), "2023-11-14T22:13:20Z");

  auto on = parse(conflation_message(true, 0));
  EXPECT_STREQ(on["type"].GetString(), "conflation");
  EXPECT_TRUE(on["active"].GetBool());
  EXPECT_FALSE(on.HasMember("dropped"));
  auto off = parse(conflation_message(false, 17));
  EXPECT_FALSE(off["active"].GetBool());
  EXPECT_EQ(off["dropped"].GetUint64(), 17u);
}
