// Capture then replay: a live run writes every frame to capture files; the
// replay provider plays them back through the same parser and duplicate
// filter, and its canonical events equal the live run's byte for byte.

#include "actors/replay_provider_actor.hpp"
#include "actors/stream_provider_actor.hpp"
#include "adapters/capture/capture_file.hpp"
#include "tests/streams/stream_test_support.hpp"
#include "tests/support/process.hpp"

using namespace tickflow;
using namespace tickflow::test;

namespace {

struct CaptureReplay : ::testing::Test {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;

  void SetUp() override {
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
  }

  void stop(std::vector<any_actor> xs) {
    caf::scoped_actor self{*sys};
    for (auto& a : xs)
      self->send_exit(a.handle, caf::exit_reason::user_shutdown);
    for (auto& a : xs)
      self->wait_for(a.handle);
  }

  template <class Handle>
  stream_health health_of(const Handle& a) {
    caf::scoped_actor self{*sys};
    stream_health h;
    self->request(a, 5s, health_atom::value)
      .receive([&](const stream_health& x) { h = x; }, [&](const caf::error&) {});
    return h;
  }

  /// Replays `dir` at `speed` into a fresh collector; its events.
  std::shared_ptr<collected> replay(const std::string& dir, replay_pace pace,
                                    double speed, size_t expected) {
    auto topo = stream_topology("ws://127.0.0.1:1");
    topo.streams.replay.enabled = true;
    topo.streams.replay.dir = dir;
    topo.streams.replay.provider = "binance";
    topo.streams.replay.pace = pace;
    topo.streams.replay.speed = speed;
    topo.pipeline.queue_bound = 2; // exercise the credit wait
    auto out = std::make_shared<collected>();
    auto sink = sys->spawn(collector, out);
    auto player = spawn_replay_provider(*sys, topo, as_intake(sink));
    EXPECT_TRUE(eventually([&] { return health_of(player).state == "finished"; }));
    EXPECT_EQ(out->event_count(), expected);
    stop({player, sink});
    return out;
  }
};

} // namespace

TEST_F(CaptureReplay, ReplayYieldsTheLiveEventsByteForByte) {
  ws_fixture_server ws;
  ws.set_responder(binance_acks());
  auto dir = temp_dir() + "/capture";
  auto topo = stream_topology(ws.url());
  auto& feed = topo.streams.feeds["binance"];
  feed.capture_dir = dir;
  feed.subscriptions = {
    stream_topic{"BTC-USDT", stream_topic_kind::trades, interval::m1},
    stream_topic{"OMG-BUSD", stream_topic_kind::agg_trades, interval::m1},
    stream_topic{"OMG-BUSD", stream_topic_kind::quotes, interval::m1},
    stream_topic{"OMG-BUSD", stream_topic_kind::bars, interval::m1},
  };
  auto plan = plan_stream_connections(topo);
  ASSERT_EQ(plan.size(), 1u);
  auto out = std::make_shared<collected>();
  auto sink = sys->spawn(collector, out);
  auto capture = spawn_capture_writer(*sys, dir, "binance");
  auto live = spawn_stream_provider(*sys, topo, plan[0], as_intake(sink), {}, capture);
  ASSERT_TRUE(eventually([&] { return subscribed_streams(ws, 1).size() == 4; }));

  // The recorded session, BTC trades around it, a repeat (dropped as a
  // duplicate live and in replay alike) and a malformed frame.
  auto t0 = wall_ms();
  std::vector<std::string> frames{binance_trade_frame(1, t0, "65000.10")};
  for (auto& f : binance_recorded_frames())
    frames.push_back(f);
  frames.push_back(binance_trade_frame(2, t0 + 5, "65000.20"));
  frames.push_back(binance_trade_frame(2, t0 + 5, "65000.20"));
  frames.push_back("{\"stream\":\"btcusdt@trade\",\"data\":[]}");
  frames.push_back(binance_trade_frame(3, t0 + 9, "64999.90"));
  for (auto& f : frames) {
    ASSERT_TRUE(ws.send_text(f));
    std::this_thread::sleep_for(2ms); // distinct receive times, a real pace
  }
  // 3 BTC trades, 1 aggTrade, 1 quote, 2 kline updates.
  const size_t expected = 7;
  ASSERT_TRUE(eventually([&] { return out->event_count() == expected; }))
    << out->event_count();
  auto h = health_of(live);
  EXPECT_EQ(h.malformed, 1u);
  EXPECT_EQ(h.duplicates, 1u);
  stop({live});
  {
    caf::scoped_actor self{*sys};
    self->request(capture, 5s, flush_atom::value)
      .receive([](bool) {}, [&](const caf::error& e) { ADD_FAILURE() << sys->render(e); });
  }
  stop({capture, sink});
  auto files = capture_files(dir, "binance");
  ASSERT_EQ(files.size(), 1u);

  auto recorded = out->canonical();
  ASSERT_EQ(recorded.size(), expected);
  for (auto [pace, speed] : {std::pair{replay_pace::max, 0.0},
                             std::pair{replay_pace::multiplied, 20.0},
                             std::pair{replay_pace::original, 1.0}}) {
    SCOPED_TRACE("pace " + std::to_string(static_cast<int>(pace)));
    auto replayed = replay(dir, pace, speed, expected);
    EXPECT_EQ(replayed->canonical(), recorded);
    // The same receive times, not the replay's clock.
    auto a = out->trade_list();
    auto b = replayed->trade_list();
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
      EXPECT_EQ(a[i].ts_recv_ns, b[i].ts_recv_ns);
  }
}

// A missing capture directory is an empty replay, not a crash.
TEST_F(CaptureReplay, MissingDirectoryReplaysNothing) {
  auto replayed = replay(temp_dir() + "/nothing-here", replay_pace::max, 0, 0);
  EXPECT_EQ(replayed->event_count(), 0u);
}
