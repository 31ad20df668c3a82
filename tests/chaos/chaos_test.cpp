// The chaos run (docs/OPERATIONS.md "Chaos run"): the real tickflow binary
// with a Binance stream, Redis and Postgres, fed at 20,000 events/s for 60 s
// by a loopback exchange (tests/chaos/chaos_exchange.hpp) while
//   - the exchange cuts the stream connection every 5 s (no close frame),
//   - Redis is stopped and started again once,
//   - Postgres is stopped for 10 s,
//   - 200 WebSocket clients come and go in waves (half of them vanish
//     without a close handshake).
// Afterwards:
//   - every event the stream actor acknowledged (passed on: live events
//     plus those it backfilled over REST after each cut, minus any it had
//     to drop) is in Postgres exactly once, with the exchange's values, and
//     with no overflow drop that is every trade the exchange made (ids
//     1..n per symbol: nothing lost across cuts and outages);
//   - Redis holds each symbol's last price again (the cache writer
//     recovered);
//   - RSS, idle after the run, is back within 10% (+8 MiB of allocator
//     slack) of RSS idle after the warm-up;
//   - the process never stopped or restarted an actor, answers /health,
//     logs no error line, and exits 0 on SIGTERM.
// Correctness is asserted, never speed: the rates reached are printed.
//
// It runs only with TICKFLOW_CHAOS=1 (CI sets it): about 2 to 2.5 minutes.

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <thread>

#include "tests/chaos/chaos_exchange.hpp"
#include "tests/chaos/chaos_support.hpp"

using namespace tickflow;
using namespace tickflow::test;
using namespace tickflow::test::chaos;

namespace {

constexpr double events_per_second = 20'000;
constexpr size_t symbol_count = 40; // 500 trades/s each
constexpr double warmup_s = 10;
constexpr double chaos_s = 60;
constexpr double drop_every_s = 5;
constexpr double settle_s = 11; // tickflow trims its heap every 10 s when idle
constexpr double redis_down_at_s = 15, redis_up_at_s = 18;
constexpr double pg_down_at_s = 25, pg_up_at_s = 35;
constexpr size_t waves = 10, clients_per_wave = 20; // 200 clients
constexpr double first_wave_s = 1, wave_every_s = 6;
const std::string ws_path = "/api/v1/stream";

std::string config_text(const services_env& env, const chaos_exchange& ex,
                        const std::vector<std::string>& instruments, const std::string& tag,
                        const std::string& dir) {
  std::string subs;
  for (auto& inst : instruments)
    subs += (subs.empty() ? "" : ", ") + inst + ":agg-trades";
  return "[log]\nlevel = info\n"
         "[broadcaster]\nmax-clients = 1000\n"
         "[providers]\nenabled = simulator\n"
         // The market stops at the end on purpose: no stale-symbol alerts.
         "[validator.stale-symbol]\nenabled = false\n"
         "[simulator]\nsymbols = CXSIM" + tag + ":100.00\ntrades-per-second = 1\n"
         "[binance]\nbase-url = " + ex.rest_url() + "\n"
         "[streams]\nenabled = binance\n"
         "[stream.binance]\nurl = " + ex.ws_url() + "\nsubscriptions = " + subs + "\n"
         "reconnect-min = 20ms\nreconnect-max = 500ms\n"
         "[redis]\nenabled = true\nport = " + std::to_string(env.redis_port()) + "\n"
         "key-prefix = chaos" + tag + "\njournal-dir = " + dir + "/redis-journal\n"
         "[storage]\nenabled = true\ndsn = " + env.pg_dsn() + "\n"
         "flush-interval = 250ms\njournal-dir = " + dir + "/storage-journal\n";
}

/// Runs `fn` at `at_s` seconds after `t0` (at once if that is past).
void at(steady::time_point t0, double at_s, const std::function<void()>& fn) {
  auto when = t0 + std::chrono::duration_cast<steady::duration>(
                     std::chrono::duration<double>(at_s));
  std::this_thread::sleep_until(when);
  fn();
}

} // namespace

TEST(Chaos, SixtySecondsOfCutsAndOutagesLoseNothing) {
  const char* on = std::getenv("TICKFLOW_CHAOS");
  if (on == nullptr || std::string{on} != "1")
    GTEST_SKIP() << "the chaos run needs TICKFLOW_CHAOS=1 (CI sets it)";
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  services_restorer restorer{env};

  // Names unique to this run: the database outlives it.
  auto tag = std::to_string(::getpid()) + "R" + std::to_string(std::time(nullptr) % 100000);
  std::vector<std::string> instruments, symbols;
  for (size_t i = 0; i < symbol_count; ++i) {
    auto base = "CX" + tag + "N" + std::to_string(i);
    instruments.push_back(base + "-USDT");
    symbols.push_back(base + "USDT");
  }
  chaos_exchange ex{symbols};
  ASSERT_NE(ex.port(), 0);
  auto dir = temp_dir();
  auto ini = dir + "/chaos.ini";
  auto log_path = dir + "/tickflow.log";
  {
    std::ofstream out{ini};
    out << config_text(env, ex, instruments, tag, dir);
  }
  auto rest_port = free_port();
  auto ws_port = free_port();
  child_process proc{TICKFLOW_BINARY,
                     {"--config", ini, "--port", std::to_string(rest_port), "--ws-port",
                      std::to_string(ws_port)},
                     log_path};
  auto t_start = steady::now();
  ASSERT_TRUE(wait_for([&] {
    auto r = http_get(rest_port, "/live");
    return r && r->status == 200;
  }, 30)) << read_text(log_path);
  ASSERT_TRUE(wait_for([&] { return ex.subscribed_now() == symbol_count; }, 30))
    << read_text(log_path);
  auto pg_ready = [&] {
    auto s = read_status(rest_port);
    return s.ok && s.pg_connected && s.redis_connected;
  };
  ASSERT_TRUE(wait_for(pg_ready, 30)) << read_status(rest_port).body;

  // Warm-up: the full rate, one cut, a few clients. Then the market pauses
  // and the baseline RSS is taken once the process is idle, as it is at
  // the end: like is compared with like.
  ex.start_market(events_per_second);
  auto t_market = steady::now();
  crowd_report warm_crowd;
  at(t_market, drop_every_s, [&] { ex.drop(); });
  run_wave(ws_port, ws_path, instruments, 0, 10, warm_crowd);
  at(t_market, warmup_s, [&] { ex.stop_market(); });
  std::this_thread::sleep_for(std::chrono::duration<double>(settle_s));
  auto rss_start = rss_median(proc.pid());
  ASSERT_GT(rss_start, 0u);
  ex.start_market(events_per_second);

  // The chaos: cuts, Redis once, Postgres for 10 s, 200 clients in waves.
  auto t0 = steady::now();
  crowd_report crowd;
  std::thread crowd_thread{[&] {
    for (size_t w = 0; w < waves; ++w)
      at(t0, first_wave_s + wave_every_s * static_cast<double>(w), [&] {
        run_wave(ws_port, ws_path, instruments, w * clients_per_wave, clients_per_wave, crowd);
      });
  }};
  struct action {
    double at_s;
    std::string what;
    std::function<void()> run;
  };
  std::vector<action> plan;
  size_t drops = 0;
  for (double t = drop_every_s; t < chaos_s; t += drop_every_s)
    plan.push_back({t, "cut the stream", [&] {
                      ex.drop();
                      drops += 1;
                    }});
  double redis_down = 0, pg_down = 0;
  steady::time_point redis_stopped, pg_stopped;
  std::string out;
  plan.push_back({redis_down_at_s, "stop redis", [&] {
                    EXPECT_EQ(env.control("stop-redis", out), 0) << out;
                    redis_stopped = steady::now();
                  }});
  plan.push_back({redis_up_at_s, "start redis", [&] {
                    EXPECT_EQ(env.control("start-redis", out), 0) << out;
                    redis_down = since(redis_stopped);
                  }});
  plan.push_back({pg_down_at_s, "stop postgres", [&] {
                    EXPECT_EQ(env.control("stop-postgres", out), 0) << out;
                    pg_stopped = steady::now();
                  }});
  plan.push_back({pg_up_at_s, "start postgres", [&] {
                    EXPECT_EQ(env.control("start-postgres", out), 0) << out;
                    pg_down = since(pg_stopped);
                  }});
  std::stable_sort(plan.begin(), plan.end(),
                   [](const action& a, const action& b) { return a.at_s < b.at_s; });
  uint64_t rss_peak = rss_start;
  std::string rss_series; // MiB, once a second
  bool alive_throughout = true;
  double next_sample = 1;
  for (auto& a : plan) {
    // Sample RSS and liveness every second until the action is due.
    while (next_sample < a.at_s) {
      at(t0, next_sample, [&] {
        auto rss = rss_kib(proc.pid());
        rss_series += " " + std::to_string(rss / 1024);
        rss_peak = std::max(rss_peak, rss);
        alive_throughout = alive_throughout && proc.running();
      });
      next_sample += 1;
    }
    at(t0, a.at_s, a.run);
    std::cout << "chaos: t=" << since(t0) << " s " << a.what << "\n";
  }
  at(t0, chaos_s, [&] { ex.stop_market(); });
  auto market = ex.counters();
  crowd_thread.join();
  std::cout << "chaos: t=" << since(t0) << " s market stopped\n";
  EXPECT_TRUE(alive_throughout) << "tickflow stopped during the run";
  ASSERT_TRUE(proc.running()) << read_text(log_path);

  // Drain: wait until everything acknowledged is in Postgres. What the
  // stream actor acknowledged is what it passed on to the sharder: all
  // the sharder took in but the simulator's share.
  auto last_ids = ex.last_ids();
  auto prefix = "CX" + tag + "N";
  uint64_t acknowledged = 0, backfilled = 0, overflow = 0, reconnects = 0;
  uint64_t stored_rows = 0;
  status_view status;
  std::map<std::string, stored_trades> rows;
  std::string problem;
  auto t_drain = steady::now();
  uint64_t previous = 0;
  bool drained = wait_for([&] {
    status = read_status(rest_port);
    if (!status.ok)
      return false;
    acknowledged = status.sharder_in - status.simulator_events;
    rows = stored(env, prefix, problem);
    stored_rows = 0;
    for (auto& [inst, s] : rows)
      stored_rows += s.rows;
    bool steady_count = acknowledged == previous;
    previous = acknowledged;
    return steady_count && status.pg_connected && status.pg_pending == 0
           && stored_rows == acknowledged;
  }, 90);
  auto drain_s = since(t_drain);
  {
    auto log = read_text(log_path);
    backfilled = backfilled_in_log(log);
    overflow = overflow_in_log(log);
    reconnects = reconnects_in_log(log);
  }
  // The figures of the run.
  uint64_t generated = 0;
  for (auto n : last_ids)
    generated += n;
  std::cout << "chaos: offered " << market.generated << " events in " << market.market_seconds
            << " s (" << market.generated / market.market_seconds << " events/s, target "
            << events_per_second << "); " << market.queued << " sent live, " << market.drops
            << " cuts (" << drops << " in the chaos phase), " << market.connections
            << " connections, " << market.rest_requests << " REST backfill calls ("
            << market.rest_trades << " trades served)\n"
            << "chaos: stream acknowledged " << acknowledged << " ("
            << acknowledged - std::min(acknowledged, backfilled) << " live, " << backfilled
            << " backfilled), " << overflow << " dropped (pipeline behind), " << reconnects
            << " reconnects; Postgres holds " << stored_rows << " rows of " << generated
            << " trades made; drained " << drain_s << " s after the market stopped\n"
            << "chaos: redis down " << redis_down << " s, postgres down " << pg_down
            << " s; storage writer journaled " << status.pg_journaled << " batches, replayed "
            << status.pg_replayed << "; cache writer journaled " << status.redis_journaled
            << "\n"
            << "chaos: clients " << crowd.connected << "/" << crowd.attempted << " connected, "
            << crowd.closed_politely << " closed politely, " << crowd.cut << " vanished, "
            << crowd.trades << " trade messages read" << std::endl;
  EXPECT_TRUE(problem.empty()) << problem;
  EXPECT_TRUE(drained) << "Postgres holds " << stored_rows << " rows, the stream acknowledged "
                       << acknowledged << "\n" << status.body;

  // Exactly once, and with nothing dropped: every trade made, with its values.
  EXPECT_EQ(rows.size(), symbol_count);
  for (size_t i = 0; i < symbol_count; ++i) {
    auto& s = rows[instruments[i]];
    EXPECT_EQ(s.rows, s.distinct_ids) << instruments[i] << ": a trade stored twice";
    EXPECT_GE(s.min_id, 1) << instruments[i];
    EXPECT_LE(s.max_id, static_cast<int64_t>(last_ids[i])) << instruments[i];
    if (overflow == 0) {
      EXPECT_EQ(s.rows, last_ids[i]) << instruments[i] << ": trades lost";
      auto [px, qty] = ex.sums(i);
      EXPECT_EQ(s.price_ticks, px) << instruments[i] << ": stored prices differ";
      EXPECT_EQ(s.size_lots, qty) << instruments[i] << ": stored sizes differ";
    }
  }
  EXPECT_EQ(status.pg_dropped, 0u);
  EXPECT_EQ(status.validator_rejected, 0u);
  EXPECT_GE(reconnects, market.drops) << "a cut the stream did not come back from";

  // Redis: the cache writer came back; each symbol's price is its last trade's.
  EXPECT_TRUE(wait_for([&] {
    auto s = read_status(rest_port);
    return s.redis_connected && s.redis_pending == 0;
  }, 30)) << read_status(rest_port).body;
  size_t redis_ok = 0;
  for (size_t i = 0; i < symbol_count; ++i) {
    auto v = redis_get(env, "chaos" + tag + ":price:" + instruments[i]);
    redis_ok += v.find(R"("trade_id":"a)" + std::to_string(last_ids[i]) + R"(")")
                != std::string::npos;
  }
  EXPECT_EQ(redis_ok, symbol_count) << "symbols whose Redis price is not their last trade";

  // The clients all got in and were served.
  EXPECT_EQ(crowd.attempted, waves * clients_per_wave);
  EXPECT_EQ(crowd.connected, crowd.attempted)
    << (crowd.failures.empty() ? "" : crowd.failures.front());
  EXPECT_EQ(crowd.subscribed, crowd.closed_politely);
  EXPECT_GT(crowd.trades, 0u);

  // Memory: back within 10% of the baseline once the load is gone. Two trim
  // periods: a check that falls while the last buffers are being freed sees
  // less than the trim threshold, the next one trims (with one period the
  // end RSS was 38 MiB in one run and 48 in the next, the trim not yet done).
  std::this_thread::sleep_for(std::chrono::duration<double>(2 * settle_s));
  auto rss_end = rss_median(proc.pid());
  std::cout << "chaos: RSS each second (MiB):" << rss_series << "\n";
  std::cout << "chaos: RSS " << rss_start / 1024 << " MiB idle after the warm-up, peak "
            << rss_peak / 1024 << " MiB, " << rss_end / 1024 << " MiB at the end ("
            << (static_cast<double>(rss_end) / static_cast<double>(rss_start) - 1) * 100
            << "%); whole test " << since(t_start) << " s\n";
  // 10%, plus 8 MiB for the allocator: after the backlogs of the outages
  // some freed pages stay fragmented (the heap in use was measured back at
  // its baseline, +1.6 MiB), which at a 35 MiB baseline is a few MiB. A leak
  // of 8 bytes per event or 40 KiB per client is above it.
  EXPECT_LE(rss_end, rss_start + rss_start / 10 + 8 * 1024) << "RSS did not come back";

  // Still healthy, no error, a clean exit.
  auto health = http_get(rest_port, "/health");
  EXPECT_TRUE(health && health->status == 200);
  EXPECT_EQ(proc.stop(30s), 0) << "exit code";
  // The cuts and outages are logged as warnings (degraded, retrying): an
  // error line would mean an operator must act, and none may appear.
  auto log = read_text(log_path);
  for (auto& line : error_lines(log))
    ADD_FAILURE() << "error in the log: " << line;
  // A stage that fails stops the process (critical); a provider that fails
  // is restarted, with a warning: neither may happen here.
  static const std::regex restarted{R"(\] provider \S+ stopped \()"};
  std::istringstream lines{log};
  for (std::string line; std::getline(lines, line);)
    if (std::regex_search(line, restarted))
      ADD_FAILURE() << "an actor crashed and was restarted: " << line;
  for (auto& line : foreign_lines(log))
    ADD_FAILURE() << "not a log line (crash report?): " << line;
}
