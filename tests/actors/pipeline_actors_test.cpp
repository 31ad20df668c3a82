// The actor pipeline on a real CAF scheduler: simulator -> sharder ->
// validators -> router -> sinks, the cache, backpressure, and the
// supervisor's restarts.

#include <chrono>
#include <map>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>
#include <gtest/gtest.h>

#include "actors/cache_actor.hpp"
#include "actors/messages.hpp"
#include "actors/pipeline_actors.hpp"
#include "actors/simulator_actor.hpp"
#include "actors/supervisor.hpp"
#include "adapters/simulator/simulator_feed.hpp"

using namespace tickflow;
using namespace std::chrono_literals;

namespace {

topology test_topology() {
  auto t = load_topology(default_config_text(), "<embedded default>");
  EXPECT_TRUE(t) << t.err().message();
  auto topo = *t;
  topo.gateway.port = 0;
  topo.broadcaster.port = 0;
  topo.log.level = "off";
  return topo;
}

decimal dec(const char* text) { return *decimal::parse(text); }

trade make_trade(std::string instrument, const char* px, int64_t ts, std::string id) {
  trade t;
  t.instrument = std::move(instrument);
  t.price = dec(px);
  t.size = dec("1");
  t.ts_event_ns = ts;
  t.trade_id = std::move(id);
  return t;
}

bar make_bar(std::string instrument, int64_t open_time, const char* close) {
  bar b;
  b.instrument = std::move(instrument);
  b.span = interval::m1;
  b.open_time_ns = open_time;
  b.open = b.high = b.low = b.close = dec(close);
  b.volume = dec("1");
  b.closed = true;
  return b;
}

struct Actors : ::testing::Test {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  topology topo = test_topology();

  void SetUp() override {
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
  }
};

} // namespace

TEST_F(Actors, CacheServesLatestPriceAndBoundedBars) {
  topo.cache.max_bars_per_series = 3;
  auto cache = spawn_cache(*sys, topo, {"BTC-USDT", "ETH-USDT"});
  caf::scoped_actor self{*sys};
  event_batch b;
  b.trades = {make_trade("BTC-USDT", "100.5", 2000, "2"),
              make_trade("BTC-USDT", "99", 1000, "1")}; // older: ignored
  for (int i = 0; i < 5; ++i)
    b.bars.push_back(make_bar("BTC-USDT", (i + 1) * 60'000'000'000LL,
                              std::to_string(100 + i).c_str()));
  self->send(cache, b);
  self->receive([](ack_atom) {}, caf::after(2s) >> [] { FAIL() << "no ack"; });
  auto price_of = [&](const std::string& instrument) {
    price_reply out;
    self->request(cache, 2s, get_price_atom::value, instrument)
      .receive([&](const price_reply& r) { out = r; },
               [&](caf::error& e) { FAIL() << sys->render(e); });
    return out;
  };
  auto p = price_of("BTC-USDT");
  EXPECT_EQ(p.status, lookup_status::ok);
  EXPECT_EQ(p.value.value.to_string(), "100.5");
  EXPECT_EQ(p.value.trade_id, "2");
  EXPECT_EQ(price_of("ETH-USDT").status, lookup_status::no_data);
  EXPECT_EQ(price_of("XRP-USDT").status, lookup_status::unknown);
  auto bars_of = [&](bars_query q) {
    bars_reply out;
    self->request(cache, 2s, get_bars_atom::value, q)
      .receive([&](const bars_reply& r) { out = r; },
               [&](caf::error& e) { FAIL() << sys->render(e); });
    return out;
  };
  auto all = bars_of({"BTC-USDT", interval::m1, 100, 0, 0});
  ASSERT_EQ(all.bars.size(), 3u); // bounded: the 3 newest
  EXPECT_EQ(all.bars.front().close.to_string(), "102");
  EXPECT_EQ(all.bars.back().close.to_string(), "104");
  auto limited = bars_of({"BTC-USDT", interval::m1, 1, 0, 0});
  ASSERT_EQ(limited.bars.size(), 1u);
  EXPECT_EQ(limited.bars[0].close.to_string(), "104");
  auto ranged = bars_of({"BTC-USDT", interval::m1, 100, 0, 4 * 60'000'000'000LL});
  ASSERT_EQ(ranged.bars.size(), 2u);
  EXPECT_EQ(ranged.bars.back().close.to_string(), "103");
  EXPECT_EQ(bars_of({"ETH-USDT", interval::m1, 10, 0, 0}).status,
            lookup_status::no_data);
  // Hits, misses and evictions are counted for GET /api/v1/cache/stats.
  cache_stats c;
  self->request(cache, 2s, cache_stats_atom::value)
    .receive([&](const cache_stats& x) { c = x; },
             [&](caf::error& e) { FAIL() << sys->render(e); });
  EXPECT_EQ(c.price_hits, 1u);   // BTC-USDT
  EXPECT_EQ(c.price_misses, 2u); // ETH-USDT (no data), XRP-USDT (unknown)
  EXPECT_EQ(c.bars_hits, 3u);
  EXPECT_EQ(c.bars_misses, 1u);
  EXPECT_EQ(c.bars_evicted, 2u); // five bars into a series of three
  EXPECT_EQ(c.instruments, 2u);
  EXPECT_EQ(c.series, 1u);
  EXPECT_EQ(c.bars, 3u);
  self->send_exit(cache, caf::exit_reason::user_shutdown);
}

TEST_F(Actors, FramesBecomeValidatedEventsInOrderPerInstrument) {
  topo.validator.count = 4; // order per symbol must hold across the pool
  caf::scoped_actor sink{*sys};
  auto router = spawn_router(*sys, topo, {caf::actor_cast<batch_sink_actor>(sink)});
  std::vector<validator_actor> validators;
  for (size_t i = 0; i < topo.validator.count; ++i)
    validators.push_back(spawn_validator(*sys, topo, i, router, {}, {}));
  auto sharder = spawn_sharder(*sys, topo, {validators.begin(), validators.end()});
  simulator::feed feed{topo.simulator};
  std::vector<std::string> frames;
  feed.generate(500, frames);
  size_t good = frames.size();
  frames.push_back("{not json");
  frames.push_back(R"({"e":"trade","s":"NOPEUSDT","t":1,"p":"1","q":"1","m":true,"T":1})");
  frames.push_back(R"({"e":"trade","s":"BTCUSDT","t":999999,"p":"0","q":"1","m":true,"T":1})");
  // The simulator parses these frames (once) in its own actor, as it does
  // its random walk's, and sends the events to the sharder.
  auto simulator = spawn_simulator(
    *sys, topo, sharder,
    [frames, sent = false](int64_t, std::vector<std::string>& out) mutable {
      if (!sent)
        out = frames;
      sent = true;
    });
  caf::scoped_actor upstream{*sys};
  std::map<std::string, uint64_t> last_id;
  size_t events = 0;
  bool ordered = true;
  while (events < good) {
    bool got = false;
    sink->receive(
      [&](const event_batch& b) {
        got = true;
        events += b.size();
        for (auto& t : b.trades) {
          auto id = std::stoull(t.trade_id);
          ordered = ordered && id > last_id[t.instrument];
          last_id[t.instrument] = id;
        }
        sink->send(router, ack_atom::value);
      },
      caf::after(3s) >> [] {});
    if (!got)
      break;
  }
  EXPECT_EQ(events, good);
  EXPECT_TRUE(ordered);
  EXPECT_EQ(last_id.size(), topo.simulator.symbols.size());
  auto stats_of = [&](const stats_actor& a) {
    stage_stats s;
    upstream->request(a, 2s, stats_atom::value)
      .receive([&](const stage_stats& x) { s = x; }, [](caf::error&) {});
    return s;
  };
  EXPECT_EQ(stats_of(simulator).rejected, 2u); // garbage + unknown symbol
  uint64_t rejected = 0;
  for (auto& v : validators)
    rejected += stats_of(v).rejected;
  EXPECT_EQ(rejected, 1u); // price 0
  for (auto& a : validators)
    anon_send_exit(a, caf::exit_reason::user_shutdown);
  anon_send_exit(simulator, caf::exit_reason::user_shutdown);
  anon_send_exit(sharder, caf::exit_reason::user_shutdown);
  anon_send_exit(router, caf::exit_reason::user_shutdown);
}

TEST_F(Actors, FullSinkHoldsAcksUntilItCatchesUp) {
  topo.pipeline.queue_bound = 4;
  // A sink that acks only when told to. (The unused int sidesteps a UBSan
  // report inside CAF 0.17 for actors spawned without arguments.)
  auto sink = sys->spawn([](caf::event_based_actor* self, int) -> caf::behavior {
    auto pending = std::make_shared<std::vector<caf::strong_actor_ptr>>();
    return {
      [=](const event_batch&) { pending->push_back(self->current_sender()); },
      [=](tick_atom) {
        for (auto& p : *pending)
          self->send(caf::actor_cast<caf::actor>(p), ack_atom::value);
        pending->clear();
      },
    };
  }, 0);
  auto router = spawn_router(*sys, topo, {caf::actor_cast<batch_sink_actor>(sink)});
  caf::scoped_actor up{*sys};
  event_batch b;
  b.trades.push_back(make_trade("BTC-USDT", "1", 1, "1"));
  for (int i = 0; i < 10; ++i)
    up->send(router, b);
  auto count_acks = [&] {
    int n = 0;
    for (bool more = true; more;)
      up->receive([&](ack_atom) { ++n; }, caf::after(300ms) >> [&] { more = false; });
    return n;
  };
  EXPECT_EQ(count_acks(), 3); // credit 4: the 4th batch fills the link
  up->send(sink, tick_atom::value);
  EXPECT_EQ(count_acks(), 7); // the sink caught up: every held ack released
  anon_send_exit(router, caf::exit_reason::user_shutdown);
  anon_send_exit(sink, caf::exit_reason::user_shutdown);
}

TEST_F(Actors, SupervisorRestartsACrashedProvider) {
  topo.supervisor.restart_backoff_min_ns = 50'000'000;
  boost::asio::io_context ioc;
  auto work = boost::asio::make_work_guard(ioc);
  std::thread io{[&] { ioc.run(); }};
  {
    auto sup = spawn_supervisor(*sys, topo, ioc);
    caf::scoped_actor self{*sys};
    listen_ports ports;
    self->request(sup, 5s, start_atom::value)
      .receive([&](const listen_ports& p) { ports = p; },
               [&](caf::error& e) { FAIL() << sys->render(e); });
    EXPECT_NE(ports.rest, 0);
    EXPECT_NE(ports.ws, 0);
    auto providers = [&] {
      std::vector<caf::actor> xs;
      self->request(sup, 2s, providers_atom::value)
        .receive([&](std::vector<caf::actor>& v) { xs = std::move(v); },
                 [](caf::error&) {});
      return xs;
    };
    auto events_in_cache = [&] {
      uint64_t n = 0;
      self->request(sup, 2s, stats_atom::value)
        .receive(
          [&](const std::vector<stage_stats>& all) {
            for (auto& s : all)
              if (s.name == "cache")
                n = s.events_in;
          },
          [](caf::error&) {});
      return n;
    };
    auto first = providers();
    ASSERT_EQ(first.size(), 1u);
    self->send_exit(first[0], caf::exit_reason::kill); // a crash
    std::vector<caf::actor> second;
    for (int i = 0; i < 100; ++i) {
      second = providers();
      if (!second.empty() && second[0] != first[0])
        break;
      std::this_thread::sleep_for(20ms);
    }
    ASSERT_EQ(second.size(), 1u);
    EXPECT_NE(second[0], first[0]);
    // Data flows again through the restarted provider.
    auto before = events_in_cache();
    bool grew = false;
    for (int i = 0; i < 100 && !grew; ++i) {
      std::this_thread::sleep_for(20ms);
      grew = events_in_cache() > before;
    }
    EXPECT_TRUE(grew);
    self->send_exit(sup, caf::exit_reason::user_shutdown);
  }
  sys.reset(); // waits for every actor
  work.reset();
  ioc.stop();
  io.join();
}
