// The stream connection actor against a loopback WebSocket server that
// replays fixture frames and a loopback REST server for backfills: drops,
// reconnects, resubscription, status events, gap backfill, exactly-once
// delivery, bad frames, the watchdog, pacing and the connection spread.

#include <map>
#include <set>

#include "actors/rest_provider_actor.hpp"
#include "actors/stream_provider_actor.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "tests/streams/stream_test_support.hpp"

using namespace tickflow;
using namespace tickflow::test;

namespace {

struct StreamActor : ::testing::Test {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;

  void SetUp() override {
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
  }

  void TearDown() override { sys.reset(); }

  /// The single connection spec of `topo`.
  stream_connection_spec only_connection(const topology& topo) {
    auto plan = plan_stream_connections(topo);
    EXPECT_EQ(plan.size(), 1u);
    return plan.empty() ? stream_connection_spec{} : plan.front();
  }

  template <class Handle>
  stream_health health_of(const Handle& a) {
    caf::scoped_actor self{*sys};
    stream_health h;
    self->request(a, 5s, health_atom::value)
      .receive([&](const stream_health& x) { h = x; },
               [&](const caf::error& e) { ADD_FAILURE() << sys->render(e); });
    return h;
  }

  /// Stops `xs` and waits until they are gone (transports closed, joined).
  void stop(std::vector<any_actor> xs) {
    caf::scoped_actor self{*sys};
    for (auto& a : xs)
      if (a.handle)
        self->send_exit(a.handle, caf::exit_reason::user_shutdown);
    for (auto& a : xs)
      if (a.handle)
        self->wait_for(a.handle);
  }
};

} // namespace

// The main proof: the server drops the connection mid-stream; the
// actor reconnects, subscribes again, reports the gap, backfills the trades
// it missed over REST, and the collector sees every trade exactly once.
// Twenty rounds, each with fresh servers and actors.
TEST_F(StreamActor, DropMidStreamRecoversEveryTradeExactlyOnce) {
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    ws_fixture_server ws;
    ws.set_responder(binance_acks());
    fixture_server rest;
    auto base_ms = wall_ms() - 60'000;
    // REST knows trades 9..17: overlap on both sides of the hole 11..15.
    rest.add("GET", "/api/v3/trades",
             fixture_response::json(binance_rest_trades(9, 17, base_ms)),
             {{"symbol", "BTCUSDT"}});
    auto topo = stream_topology(ws.url(), rest.base_url());
    auto out = std::make_shared<collected>();
    auto sink = sys->spawn(collector, out);
    auto backfill = spawn_rest_provider(*sys, topo.rest_providers["binance"], {});
    auto actor = spawn_stream_provider(*sys, topo, only_connection(topo), as_intake(sink), backfill,
                                       {});

    // First connection: subscribe, trades 1..10.
    ASSERT_TRUE(eventually([&] { return subscribed_streams(ws, 1).size() == 1; }));
    for (int64_t id = 1; id <= 10; ++id)
      ASSERT_TRUE(ws.send_text(binance_trade_frame(id, base_ms + id)));
    ASSERT_TRUE(eventually([&] { return out->trade_count() == 10; }));

    // Cut it; the second connection resumes at 16 (11..15 never streamed).
    ws.drop();
    ASSERT_TRUE(eventually([&] { return subscribed_streams(ws, 2).size() == 1; }));
    for (int64_t id = 16; id <= 25; ++id)
      ASSERT_TRUE(ws.send_text(binance_trade_frame(id, base_ms + id)));
    ASSERT_TRUE(eventually([&] {
      return out->trade_count() >= 25 && out->has_status(feed_state::backfilled);
    })) << out->trade_count() << " trades";
    auto h = health_of(actor); // also lets any straggler arrive first
    stop({actor, backfill, sink});

    // Every trade exactly once; the hole is marked backfilled.
    std::map<std::string, int> seen;
    for (auto& t : out->trade_list()) {
      seen[t.trade_id] += 1;
      auto id = std::stoll(t.trade_id);
      EXPECT_EQ(t.instrument, "BTC-USDT");
      EXPECT_EQ(t.source, providers::binance);
      bool backfilled = (t.flags & quality_backfilled) != 0;
      if (id >= 11 && id <= 15) {
        EXPECT_TRUE(backfilled) << "trade " << id;
      } else if (id <= 10) {
        EXPECT_FALSE(backfilled) << "trade " << id;
      }
    }
    ASSERT_EQ(seen.size(), 25u);
    for (int64_t id = 1; id <= 25; ++id)
      EXPECT_EQ(seen[std::to_string(id)], 1) << "trade " << id;

    // Both connections subscribed to the same stream.
    EXPECT_EQ(subscribed_streams(ws, 1), std::vector<std::string>{"btcusdt@trade"});
    EXPECT_EQ(subscribed_streams(ws, 2), std::vector<std::string>{"btcusdt@trade"});
    EXPECT_EQ(ws.connection_count(), 2u);

    // Status events: connected, disconnected, reconnected with the gap.
    auto st = out->status_list();
    ASSERT_GE(st.size(), 4u);
    EXPECT_EQ(st[0].state, feed_state::connected);
    EXPECT_EQ(st[1].state, feed_state::disconnected);
    EXPECT_EQ(st[2].state, feed_state::reconnected);
    EXPECT_EQ(st[1].connection, "binance#0");
    EXPECT_GT(st[1].gap_start_ns, 0);
    EXPECT_EQ(st[2].gap_start_ns, st[1].gap_start_ns);
    EXPECT_GE(st[2].gap_end_ns, st[2].gap_start_ns);
    auto bf = std::find_if(st.begin(), st.end(), [](const feed_status& x) {
      return x.state == feed_state::backfilled;
    });
    ASSERT_NE(bf, st.end());
    EXPECT_EQ(bf->gap_start_ns, (base_ms + 10) * 1'000'000);

    // The REST request the gap asked for, and the counters.
    ASSERT_GE(rest.request_count(), 1u);
    EXPECT_EQ(*rest.requests().front().param("symbol"), "BTCUSDT");
    EXPECT_EQ(h.reconnects, 1u);
    EXPECT_GE(h.gaps, 1u);
    EXPECT_GE(h.backfilled, 5u);
    EXPECT_GE(h.duplicates, 1u); // trade 10 came back over REST
    EXPECT_EQ(h.malformed, 0u);
  }
}

// Garbage, a binary frame and a frame over max-frame-bytes are counted and
// skipped; the connection stays up and the next good trade goes through.
TEST_F(StreamActor, BadFramesAreCountedAndSkipped) {
  ws_fixture_server ws;
  ws.set_responder(binance_acks());
  auto topo = stream_topology(ws.url());
  topo.streams.feeds["binance"].max_frame_bytes = 1024;
  auto out = std::make_shared<collected>();
  auto sink = sys->spawn(collector, out);
  auto actor = spawn_stream_provider(*sys, topo, only_connection(topo), as_intake(sink), {},
                                     {});
  ASSERT_TRUE(eventually([&] { return subscribed_streams(ws, 1).size() == 1; }));
  auto t0 = wall_ms();
  ASSERT_TRUE(ws.send_text(binance_trade_frame(1, t0)));
  ASSERT_TRUE(ws.send_text("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\""));
  ASSERT_TRUE(ws.send_text("not json at all"));
  ASSERT_TRUE(ws.send_binary(std::string(64, '\x01')));
  // Over the limit but under the hard limit: read, counted, skipped.
  ASSERT_TRUE(ws.send_text(std::string(4000, ' ') + binance_trade_frame(99, t0)));
  ASSERT_TRUE(ws.send_text(binance_trade_frame(2, t0 + 1)));
  ASSERT_TRUE(eventually([&] { return out->trade_count() == 2; }));
  auto h = health_of(actor);
  stop({actor, sink});
  EXPECT_EQ(h.malformed, 2u);
  EXPECT_EQ(h.binary, 1u);
  EXPECT_EQ(h.oversize, 1u);
  EXPECT_EQ(h.reconnects, 0u);
  EXPECT_EQ(h.state, "up");
  EXPECT_EQ(ws.connection_count(), 1u);
  auto trades = out->trade_list();
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[0].trade_id, "1");
  EXPECT_EQ(trades[1].trade_id, "2");
}

// A quiet feed whose server keeps pinging stays up; real silence on a
// subscribed connection is reported degraded and ends in a reconnect.
TEST_F(StreamActor, WatchdogTrustsHeartbeatsAndCatchesSilence) {
  ws_fixture_server ws;
  ws.set_responder(binance_acks());
  auto topo = stream_topology(ws.url());
  topo.streams.feeds["binance"].stale_after_ns = 600'000'000;
  auto out = std::make_shared<collected>();
  auto sink = sys->spawn(collector, out);
  auto actor = spawn_stream_provider(*sys, topo, only_connection(topo), as_intake(sink), {},
                                     {});
  ASSERT_TRUE(eventually([&] { return subscribed_streams(ws, 1).size() == 1; }));
  ASSERT_TRUE(ws.send_text(binance_trade_frame(1, wall_ms())));
  // Quiet but alive: pings only, for several stale periods.
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(ws.send_ping("keepalive"));
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_FALSE(out->has_status(feed_state::degraded));
  EXPECT_EQ(ws.connection_count(), 1u);
  // Silence: degraded, then a new connection that subscribes again.
  ASSERT_TRUE(eventually([&] { return out->has_status(feed_state::degraded); }));
  ASSERT_TRUE(eventually([&] { return subscribed_streams(ws, 2).size() == 1; }));
  ASSERT_TRUE(eventually([&] { return out->has_status(feed_state::reconnected); }));
  auto h = health_of(actor);
  stop({actor, sink});
  EXPECT_GE(h.reconnects, 1u);
  auto st = out->status_list();
  auto degraded = std::find_if(st.begin(), st.end(), [](const feed_status& x) {
    return x.state == feed_state::degraded;
  });
  ASSERT_NE(degraded, st.end());
  EXPECT_GT(degraded->gap_start_ns, 0);
  EXPECT_NE(degraded->reason.find("no message for"), std::string::npos);
}

// More than 1024 subscriptions are spread over connections of at most 1024,
// and each connection sends at most 5 frames in any second.
TEST_F(StreamActor, SubscriptionsSpreadAndPaced) {
  ws_fixture_server ws;
  ws.set_responder(binance_acks());
  auto topo = stream_topology(ws.url());
  auto& subs = topo.streams.feeds["binance"].subscriptions;
  subs.clear();
  for (int i = 0; i < 1100; ++i) // 1100 distinct streams
    subs.push_back(stream_topic{"C" + std::to_string(i) + "-USDT",
                                i % 2 ? stream_topic_kind::trades : stream_topic_kind::quotes,
                                interval::m1});
  auto plan = plan_stream_connections(topo);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].topics.size(), 1024u);
  EXPECT_EQ(plan[1].topics.size(), 76u);
  EXPECT_EQ(plan[0].connection, "binance#0");
  EXPECT_EQ(plan[1].connection, "binance#1");
  auto out = std::make_shared<collected>();
  auto sink = sys->spawn(collector, out);
  auto a0 = spawn_stream_provider(*sys, topo, plan[0], as_intake(sink), {}, {});
  auto a1 = spawn_stream_provider(*sys, topo, plan[1], as_intake(sink), {}, {});
  ASSERT_TRUE(eventually(
    [&] {
      return subscribed_streams(ws, 1).size() + subscribed_streams(ws, 2).size() == 1100;
    },
    20s));
  stop({a0, a1, sink});
  std::set<std::string> all;
  for (size_t c : {1, 2}) {
    auto streams = subscribed_streams(ws, c);
    EXPECT_LE(streams.size(), 1024u);
    all.insert(streams.begin(), streams.end());
    // Sent at most 5 per second: 5 gaps of >= 200 ms between 6 frames. Read
    // on arrival, so allow for delivery jitter; unpaced frames would arrive
    // within a few ms of each other.
    std::vector<std::chrono::steady_clock::time_point> at;
    for (auto& r : ws.received())
      if (r.connection == c)
        at.push_back(r.at);
    for (size_t i = 5; i < at.size(); ++i)
      EXPECT_GE(at[i] - at[i - 5], 500ms) << "connection " << c << " frame " << i;
  }
  EXPECT_EQ(all.size(), 1100u);
}

// Subscriptions change at run time with SUBSCRIBE / UNSUBSCRIBE method
// messages, and a reconnect restores the current set.
TEST_F(StreamActor, SubscribeAndUnsubscribeAtRunTime) {
  ws_fixture_server ws;
  ws.set_responder(binance_acks());
  auto topo = stream_topology(ws.url());
  auto out = std::make_shared<collected>();
  auto sink = sys->spawn(collector, out);
  auto actor = spawn_stream_provider(*sys, topo, only_connection(topo), as_intake(sink), {},
                                     {});
  ASSERT_TRUE(eventually([&] { return subscribed_streams(ws, 1).size() == 1; }));
  caf::scoped_actor self{*sys};
  auto ask = [&](auto atom, std::string topics) {
    int64_t n = -1;
    self->request(actor, 5s, atom, std::move(topics))
      .receive([&](uint64_t count) { n = static_cast<int64_t>(count); },
               [&](const caf::error&) { n = -2; });
    return n;
  };
  EXPECT_EQ(ask(subscribe_atom::value, "ETH-USDT:trades, BTC-USDT:bars:1m"), 3);
  EXPECT_EQ(ask(subscribe_atom::value, "ETH-USDT:trades"), 3); // already there
  EXPECT_EQ(ask(unsubscribe_atom::value, "BTC-USDT:trades"), 2);
  EXPECT_EQ(ask(subscribe_atom::value, "not a topic"), -2);
  ASSERT_TRUE(eventually([&] {
    return subscribed_streams(ws, 1).size() == 3
           && subscribed_streams(ws, 1, "UNSUBSCRIBE").size() == 1;
  }));
  EXPECT_EQ(subscribed_streams(ws, 1),
            (std::vector<std::string>{"btcusdt@trade", "ethusdt@trade", "btcusdt@kline_1m"}));
  EXPECT_EQ(subscribed_streams(ws, 1, "UNSUBSCRIBE"),
            std::vector<std::string>{"btcusdt@trade"});
  ws.drop();
  ASSERT_TRUE(eventually([&] { return subscribed_streams(ws, 2).size() == 2; }));
  stop({actor, sink});
  EXPECT_EQ(subscribed_streams(ws, 2),
            (std::vector<std::string>{"ethusdt@trade", "btcusdt@kline_1m"}));
}

// Before the server's own cut (Binance: 24 h), the actor reconnects on its
// own at max-connection-age, at once, and subscribes again.
TEST_F(StreamActor, ReconnectsBeforeTheMaxConnectionAge) {
  ws_fixture_server ws;
  ws.set_responder(binance_acks());
  auto topo = stream_topology(ws.url());
  auto& feed = topo.streams.feeds["binance"];
  feed.max_connection_age_ns = 300'000'000;
  feed.reconnect_min_ns = feed.reconnect_max_ns = 3'600'000'000'000; // only a planned one can be quick
  auto out = std::make_shared<collected>();
  auto sink = sys->spawn(collector, out);
  auto actor = spawn_stream_provider(*sys, topo, only_connection(topo), as_intake(sink), {},
                                     {});
  ASSERT_TRUE(eventually([&] { return subscribed_streams(ws, 1).size() == 1; }));
  ASSERT_TRUE(eventually([&] { return subscribed_streams(ws, 2).size() == 1; }));
  ASSERT_TRUE(eventually([&] { return out->has_status(feed_state::reconnected); }));
  auto h = health_of(actor);
  stop({actor, sink});
  EXPECT_GE(h.reconnects, 1u);
  EXPECT_FALSE(out->has_status(feed_state::degraded));
}
