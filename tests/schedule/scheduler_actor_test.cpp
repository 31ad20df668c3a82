// The scheduler actor with real REST provider actors (libcurl) asking a
// loopback provider server: the order calls reach the provider by
// priority, and BATCH calls merged into one request.

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/all.hpp>
#include <gtest/gtest.h>

#include "actors/rest_provider_actor.hpp"
#include "actors/scheduler_actor.hpp"
#include "pipeline/topology/topology.hpp"
#include "tests/schedule/schedule_support.hpp"

using namespace tickflow;
using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

/// Collects the replies of calls sent from helper actors.
struct replies {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<fetch_reply> got;

  void add(fetch_reply r) {
    std::lock_guard<std::mutex> guard{mu};
    got.push_back(std::move(r));
    cv.notify_all();
  }

  bool wait_for(size_t n) {
    std::unique_lock<std::mutex> lock{mu};
    return cv.wait_for(lock, 20s, [&] { return got.size() >= n; });
  }
};

struct SchedulerActor : ::testing::Test {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  fixture_server upstream;
  scheduler_actor scheduler;
  rest_provider_actor provider;
  std::shared_ptr<replies> out = std::make_shared<replies>();

  /// A scheduler for `name` at the fixture server, one call at a time.
  void start(const std::string& name, const std::string& limits) {
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
    auto text = "[log]\nlevel = warn\n[providers]\nenabled = " + name + "\n[" + name
                + "]\nbase-url = " + upstream.base_url() + "\n[limits." + name + "]\n"
                + limits + "concurrency = 1\n[scheduler]\nfresh-for = 0s\n";
    auto topo = load_topology(text, "test.ini");
    ASSERT_TRUE(topo) << topo.err().message();
    scheduler = spawn_scheduler(*sys, *topo);
    provider = spawn_rest_provider(*sys, topo->rest_providers.at(name), batch_sink_actor{});
    caf::anon_send(scheduler,
                   provider_handles{{name}, {caf::actor_cast<caf::actor>(provider)}});
  }

  void TearDown() override {
    if (scheduler)
      caf::anon_send_exit(scheduler, caf::exit_reason::user_shutdown);
    if (provider)
      caf::anon_send_exit(provider, caf::exit_reason::user_shutdown);
  }

  /// Sends one call from a helper actor; its reply lands in `out`.
  void call(const std::string& name, const std::string& instrument, priority p) {
    sched_fetch f;
    f.provider = name;
    f.request.kind = fetch_kind::price;
    f.request.instrument = instrument;
    f.prio = p;
    auto sink = out;
    auto s = scheduler;
    sys->spawn([=](caf::event_based_actor* self, int) {
      self->request(s, 20s, fetch_atom::value, f)
        .then([=](const fetch_reply& r) { sink->add(r); },
              [=](caf::error&) { sink->add(fetch_reply{}); });
    }, 0);
  }

  /// Waits until the provider has received `n` requests.
  bool upstream_saw(size_t n) {
    for (int i = 0; i < 1000; ++i) {
      if (upstream.request_count() >= n)
        return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
};

// While one call is out, calls of every priority queue up; they reach the
// provider urgent first, batch last, FIFO within a priority.
TEST_F(SchedulerActor, GrantsQueuedCallsByPriority) {
  auto blocker = binance_price("BLKUSDT", "1");
  blocker.delay = 700ms;
  serve_binance(upstream, "BLKUSDT", blocker);
  const std::vector<std::pair<std::string, priority>> order{
    {"B1", priority::batch},  {"L1", priority::low},     {"M1", priority::medium},
    {"H1", priority::high},   {"U1", priority::urgent},  {"L2", priority::low},
    {"U2", priority::urgent}, {"H2", priority::high}};
  for (auto& [coin, p] : order)
    serve_binance(upstream, coin + "USDT", binance_price(coin + "USDT", "2"));
  start("binance", "per-second = 100\n");
  call("binance", "BLK-USDT", priority::low);
  ASSERT_TRUE(upstream_saw(1)); // the blocker is out
  for (auto& [coin, p] : order) {
    call("binance", coin + "-USDT", p);
    std::this_thread::sleep_for(20ms); // arrival order within a priority
  }
  ASSERT_TRUE(out->wait_for(order.size() + 1));
  std::vector<std::string> seen;
  for (auto& r : upstream.requests())
    seen.push_back(*r.param("symbol"));
  EXPECT_EQ(seen, (std::vector<std::string>{"BLKUSDT", "U1USDT", "U2USDT", "H1USDT",
                                            "H2USDT", "M1USDT", "L1USDT", "L2USDT",
                                            "B1USDT"}));
  for (auto& r : out->got)
    EXPECT_TRUE(r.ok) << r.failure.message;
}

// BATCH calls queued together go out as one ticker/price?symbols=[...]
// request; each caller gets its own price. Calls of other priorities are
// never merged.
TEST_F(SchedulerActor, MergesBatchCallsIntoOneBinanceRequest) {
  auto blocker = binance_price("BLKUSDT", "1");
  blocker.delay = 700ms;
  serve_binance(upstream, "BLKUSDT", blocker);
  serve_binance(upstream, "URGUSDT", binance_price("URGUSDT", "9"));
  upstream.add("GET", "/api/v3/ticker/price",
               fixture_response::json(R"([{"symbol":"AAAUSDT","price":"1.5"},)"
                                      R"({"symbol":"BBBUSDT","price":"2.5"},)"
                                      R"({"symbol":"CCCUSDT","price":"3.5"}])"),
               {{"symbols", R"(["AAAUSDT","BBBUSDT","CCCUSDT"])"}});
  start("binance", "per-second = 100\n");
  call("binance", "BLK-USDT", priority::urgent);
  ASSERT_TRUE(upstream_saw(1));
  for (auto coin : {"AAA", "BBB", "CCC"}) {
    call("binance", std::string{coin} + "-USDT", priority::batch);
    std::this_thread::sleep_for(20ms);
  }
  call("binance", "URG-USDT", priority::urgent);
  ASSERT_TRUE(out->wait_for(5));
  auto seen = upstream.requests();
  ASSERT_EQ(seen.size(), 3u); // blocker, the urgent one, one merged request
  EXPECT_EQ(*seen[1].param("symbol"), "URGUSDT");
  ASSERT_NE(seen[2].param("symbols"), nullptr);
  EXPECT_EQ(*seen[2].param("symbols"), R"(["AAAUSDT","BBBUSDT","CCCUSDT"])");
  std::map<std::string, std::string> prices;
  for (auto& r : out->got) {
    ASSERT_TRUE(r.ok) << r.failure.message;
    ASSERT_EQ(r.data.prices.size(), 1u);
    prices[r.data.prices[0].instrument] = r.data.prices[0].value.to_string();
  }
  EXPECT_EQ(prices["AAA-USDT"], "1.5");
  EXPECT_EQ(prices["BBB-USDT"], "2.5");
  EXPECT_EQ(prices["CCC-USDT"], "3.5");
  // The stats count the two calls saved by merging.
  caf::scoped_actor self{*sys};
  self->request(scheduler, 5s, sched_stats_atom::value)
    .receive(
      [&](const scheduler_stats& s) {
        ASSERT_EQ(s.providers.size(), 1u);
        EXPECT_EQ(s.providers[0].calls, 3u);
        EXPECT_EQ(s.providers[0].saved_merged, 2u);
      },
      [&](caf::error& e) { FAIL() << sys->render(e); });
}

// CoinGecko merges simple/price ids=a,b,c the same way.
TEST_F(SchedulerActor, MergesBatchCallsIntoOneCoinGeckoRequest) {
  auto blocker = coingecko_price("tron", "0.1");
  blocker.delay = 700ms;
  serve_coingecko(upstream, "tron", blocker);
  upstream.add("GET", "/api/v3/simple/price",
               fixture_response::json(
                 R"({"bitcoin":{"usd":65000.5,"last_updated_at":1711356300},)"
                 R"("ethereum":{"usd":3400.25,"last_updated_at":1711356300}})"),
               {{"ids", "bitcoin,ethereum"}});
  start("coingecko", "per-minute = 100\n");
  call("coingecko", "TRX-USD", priority::high);
  ASSERT_TRUE(upstream_saw(1));
  call("coingecko", "BTC-USD", priority::batch);
  std::this_thread::sleep_for(20ms);
  call("coingecko", "ETH-USD", priority::batch);
  ASSERT_TRUE(out->wait_for(3));
  auto seen = upstream.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(*seen[1].param("ids"), "bitcoin,ethereum");
  for (auto& r : out->got)
    EXPECT_TRUE(r.ok) << r.failure.message;
}

// With no other provider left, a 5xx is retried after a backoff, and a
// 429 not before its Retry-After.
TEST_F(SchedulerActor, RetriesTheLastChoiceHonouringRetryAfter) {
  auto limited = fixture_response::json(R"({"code":-1003,"msg":"Too many requests"})", 429);
  limited.headers = {{"Retry-After", "1"}};
  upstream.add_sequence("GET", "/api/v3/ticker/price",
                        {fixture_response::json(R"({"msg":"oops"})", 500), limited,
                         binance_price("RTYUSDT", "7")},
                        {{"symbol", "RTYUSDT"}});
  start("binance", "per-second = 100\n");
  call("binance", "RTY-USDT", priority::high);
  ASSERT_TRUE(out->wait_for(1));
  EXPECT_TRUE(out->got[0].ok) << out->got[0].failure.message;
  auto seen = upstream.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_GE(seen[2].at - seen[1].at, 1s); // Retry-After: 1
  caf::scoped_actor self{*sys};
  self->request(scheduler, 5s, sched_stats_atom::value)
    .receive([&](const scheduler_stats& s) { EXPECT_EQ(s.providers[0].retried, 2u); },
             [&](caf::error& e) { FAIL() << sys->render(e); });
}

// Calls refused while the budget is spent: a caller that could go elsewhere
// waits only failover-wait, then hears "rate_limited" with Retry-After.
TEST_F(SchedulerActor, RefusesWhatCannotBeGrantedInTime) {
  for (auto s : {"AAUSDT", "BBUSDT"})
    serve_binance(upstream, s, binance_price(s, "1"));
  start("binance", "per-minute = 2\nweights = price=1\nbatch-weight = 0\nper-second = 0\n");
  call("binance", "AA-USDT", priority::high);
  call("binance", "BB-USDT", priority::high);
  ASSERT_TRUE(out->wait_for(2));
  sched_fetch f;
  f.provider = "binance";
  f.request.instrument = "CC-USDT";
  f.last_choice = false;
  caf::scoped_actor self{*sys};
  self->request(scheduler, 5s, fetch_atom::value, f)
    .receive(
      [&](const fetch_reply& r) {
        EXPECT_FALSE(r.ok);
        EXPECT_EQ(r.failure.code, errc::rate_limited);
        EXPECT_GT(r.failure.retry_after_ns, 50'000'000'000); // the minute is spent
      },
      [&](caf::error& e) { FAIL() << sys->render(e); });
  EXPECT_EQ(upstream.request_count(), 2u);
}

} // namespace
