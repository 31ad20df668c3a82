// The stream actor with the Polygon and Finnhub dialects against the
// loopback WebSocket server: what goes out on open (auth, subscriptions, in
// order), recorded event frames in, status and ping frames as heartbeats,
// a refused key, and the key kept out of everything but the auth frame.

#include <cstdlib>

#include "actors/stream_provider_actor.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "tests/streams/stream_test_support.hpp"

using namespace tickflow;
using namespace tickflow::test;

namespace {

constexpr const char* polygon_key = "s3cr3t-polygon-stream-key";
constexpr const char* finnhub_key = "s3cr3t-finnhub-token";

struct StreamDialects : ::testing::Test {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;

  void SetUp() override {
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
    setenv("TICKFLOW_TEST_POLYGON_STREAM_KEY", polygon_key, 1);
    setenv("TICKFLOW_TEST_FINNHUB_STREAM_KEY", finnhub_key, 1);
  }

  /// A topology with only `provider`'s stream at `url`.
  topology topo_for(const std::string& provider, const std::string& url,
                    std::vector<stream_topic> subs, const std::string& key_env) {
    auto topo = stream_topology(url);
    topo.streams.enabled = {provider};
    auto& s = topo.streams.feeds[provider];
    s = stream_defaults(provider);
    s.url = url;
    s.subscriptions = std::move(subs);
    s.api_key_env = key_env;
    s.reconnect_min_ns = 5'000'000;
    s.reconnect_max_ns = 50'000'000;
    s.stale_after_ns = 0;
    return topo;
  }

  template <class Handle>
  stream_health health_of(const Handle& a) {
    caf::scoped_actor self{*sys};
    stream_health h;
    self->request(a, 5s, health_atom::value)
      .receive([&](const stream_health& x) { h = x; }, [&](const caf::error&) {});
    return h;
  }

  void stop(std::vector<any_actor> xs) {
    caf::scoped_actor self{*sys};
    for (auto& a : xs)
      self->send_exit(a.handle, caf::exit_reason::user_shutdown);
    for (auto& a : xs)
      self->wait_for(a.handle);
  }
};

/// A recorded Polygon event as it comes on the wire: inside an array.
std::string polygon_frame(const char* fixture) {
  auto d = fixture_json(fixture);
  return "[" + to_json(d) + "]";
}

std::vector<std::string> texts(const ws_fixture_server& s) {
  std::vector<std::string> out;
  for (auto& r : s.received())
    out.push_back(r.text);
  return out;
}

} // namespace

TEST_F(StreamDialects, PolygonAuthenticatesSubscribesAndStreams) {
  ws_fixture_server ws;
  ws.set_responder([](const std::string& text) -> std::vector<std::string> {
    if (text.find("\"auth\"") != std::string::npos)
      return {R"([{"ev":"status","status":"auth_success","message":"authenticated"}])"};
    return {R"([{"ev":"status","status":"success","message":"subscribed"}])"};
  });
  auto topo = topo_for("polygon", ws.url(),
                       {stream_topic{"MSFT", stream_topic_kind::trades, interval::m1},
                        stream_topic{"MSFT", stream_topic_kind::quotes, interval::m1},
                        stream_topic{"MSFT", stream_topic_kind::bars, interval::m1}},
                       "TICKFLOW_TEST_POLYGON_STREAM_KEY");
  auto plan = plan_stream_connections(topo);
  ASSERT_EQ(plan.size(), 1u);
  auto out = std::make_shared<collected>();
  auto sink = sys->spawn(collector, out);
  auto actor = spawn_stream_provider(*sys, topo, plan[0], as_intake(sink), {}, {});
  ASSERT_TRUE(eventually([&] { return ws.received().size() >= 2; }));
  EXPECT_EQ(ws.last_resource(), "/stocks");
  ASSERT_TRUE(ws.send_text(polygon_frame("polygon/ws/stocks_T.example.json")));
  ASSERT_TRUE(ws.send_text(polygon_frame("polygon/ws/stocks_Q.example.json")));
  ASSERT_TRUE(ws.send_text(polygon_frame("polygon/ws/stocks_AM.example.json")));
  ASSERT_TRUE(eventually([&] { return out->event_count() == 3; })) << out->event_count();
  auto h = health_of(actor);
  stop({actor, sink});

  // The key goes in the first frame only, then the subscription.
  auto sent = texts(ws);
  ASSERT_GE(sent.size(), 2u);
  EXPECT_NE(sent[0].find("\"action\":\"auth\""), std::string::npos) << sent[0];
  EXPECT_NE(sent[0].find(polygon_key), std::string::npos);
  for (size_t i = 1; i < sent.size(); ++i) {
    EXPECT_NE(sent[i].find("\"subscribe\""), std::string::npos) << sent[i];
    EXPECT_EQ(sent[i].find(polygon_key), std::string::npos);
  }
  std::string all_params;
  for (size_t i = 1; i < sent.size(); ++i)
    all_params += sent[i];
  for (auto channel : {"T.MSFT", "Q.MSFT", "AM.MSFT"})
    EXPECT_NE(all_params.find(channel), std::string::npos) << channel;
  auto trades = out->trade_list();
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].instrument, "MSFT");
  EXPECT_EQ(trades[0].source, providers::polygon);
  EXPECT_EQ(trades[0].price.to_string(), "114.125");
  EXPECT_EQ(h.malformed, 0u);
  EXPECT_EQ(h.state, "up");
  EXPECT_EQ(h.last_error.find(polygon_key), std::string::npos);
}

TEST_F(StreamDialects, PolygonRefusedKeyIsReportedAndRetried) {
  ws_fixture_server ws;
  ws.set_responder([](const std::string& text) -> std::vector<std::string> {
    if (text.find("\"auth\"") != std::string::npos)
      return {R"([{"ev":"status","status":"auth_failed","message":"authentication failed"}])"};
    return {};
  });
  auto topo = topo_for("polygon", ws.url(),
                       {stream_topic{"MSFT", stream_topic_kind::trades, interval::m1}},
                       "TICKFLOW_TEST_POLYGON_STREAM_KEY");
  auto plan = plan_stream_connections(topo);
  ASSERT_EQ(plan.size(), 1u);
  auto out = std::make_shared<collected>();
  auto sink = sys->spawn(collector, out);
  auto actor = spawn_stream_provider(*sys, topo, plan[0], as_intake(sink), {}, {});
  // It closes, backs off and tries again, and says why.
  ASSERT_TRUE(eventually([&] { return ws.connection_count() >= 2; }));
  auto h = health_of(actor);
  stop({actor, sink});
  EXPECT_EQ(h.state, "auth_failed");
  EXPECT_NE(h.last_error.find("auth failed"), std::string::npos) << h.last_error;
  EXPECT_EQ(h.last_error.find(polygon_key), std::string::npos);
  EXPECT_TRUE(out->has_status(feed_state::disconnected));
  for (auto& s : out->status_list())
    EXPECT_EQ(s.reason.find(polygon_key), std::string::npos) << s.reason;
}

TEST_F(StreamDialects, FinnhubSubscribesPerSymbolAndTrustsPings) {
  ws_fixture_server ws;
  auto topo = topo_for("finnhub", ws.url(),
                       {stream_topic{"AAPL", stream_topic_kind::trades, interval::m1},
                        stream_topic{"MSFT", stream_topic_kind::trades, interval::m1}},
                       "TICKFLOW_TEST_FINNHUB_STREAM_KEY");
  topo.streams.feeds["finnhub"].stale_after_ns = 600'000'000;
  auto plan = plan_stream_connections(topo);
  ASSERT_EQ(plan.size(), 1u);
  auto out = std::make_shared<collected>();
  auto sink = sys->spawn(collector, out);
  auto actor = spawn_stream_provider(*sys, topo, plan[0], as_intake(sink), {}, {});
  ASSERT_TRUE(eventually([&] { return ws.received().size() == 2; }));
  EXPECT_EQ(ws.last_resource(), std::string{"/?token="} + finnhub_key);
  auto sent = texts(ws);
  EXPECT_EQ(sent[0], R"({"type":"subscribe","symbol":"AAPL"})");
  EXPECT_EQ(sent[1], R"({"type":"subscribe","symbol":"MSFT"})");
  // The recorded trade, for AAPL; then only text pings for several stale periods.
  auto d = fixture_json("finnhub/ws/trade.docs_example.json");
  d["data"][0]["s"].SetString("AAPL", d.GetAllocator());
  ASSERT_TRUE(ws.send_text(to_json(d)));
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(ws.send_text(read_fixture("finnhub/ws/ping.docs_example.json")));
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(eventually([&] { return out->trade_count() == 1; }));
  auto h = health_of(actor);
  stop({actor, sink});
  EXPECT_FALSE(out->has_status(feed_state::degraded));
  EXPECT_EQ(ws.connection_count(), 1u);
  EXPECT_EQ(h.malformed, 0u);
  auto trades = out->trade_list();
  EXPECT_EQ(trades[0].instrument, "AAPL");
  EXPECT_EQ(trades[0].price.to_string(), "7296.89");
  EXPECT_EQ(trades[0].source, providers::finnhub);
  for (auto& s : out->status_list())
    EXPECT_EQ(s.reason.find(finnhub_key), std::string::npos) << s.reason;
}
