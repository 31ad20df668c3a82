// The soak (issue 26; docs/OPERATIONS.md "Soak under hostile clients"): the
// real tickflow binary with a Binance stream fed at 1,000 trades/s by a
// loopback exchange (tests/chaos/chaos_exchange.hpp), for 60 s:
//   - 50 hostile clients, every kind the tour of hostile input found
//     (tests/hardening/hostile_clients.hpp), each attacking in a loop;
//   - 200 honest WebSocket clients, each on one trades channel
//     (tests/chaos/honest_crowd.hpp);
//   - a REST load of price and ohlcv requests.
// Afterwards:
//   - every honest client got every trade of its channel from its first one
//     on, once and in order, up to the exchange's last, and was never
//     conflated;
//   - every hostile round was answered as documented;
//   - every REST request of the load was answered 200;
//   - RSS, sampled every 250 ms, stayed under [gateway] max-memory; the
//     peak and the end are printed (docs/OPERATIONS.md);
//   - the process answers /health and logs no error line.
// It runs only with TICKFLOW_CHAOS=1 (CI sets it): about 80 s.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "tests/chaos/chaos_exchange.hpp"
#include "tests/chaos/chaos_support.hpp"
#include "tests/chaos/honest_crowd.hpp"
#include "tests/hardening/hostile_clients.hpp"

using namespace tickflow;
using namespace tickflow::test;
using namespace tickflow::test::tour;
using namespace std::chrono_literals;

namespace {

constexpr double trades_per_second = 1'000;
constexpr size_t symbol_count = 10;
constexpr size_t honest_clients = 200;
constexpr size_t hostile_clients = 50;
constexpr auto soak_for = 60s;
// The budget an operator of this deployment would set: the service runs at
// 20-45 MiB here; the hostile clients may hold what the limits below allow
// (unsent answers, async results, per-instrument state) on top. Measured
// peak 102-104 MiB (docs/OPERATIONS.md, "Soak under hostile clients").
constexpr uint64_t budget_bytes = uint64_t{256} << 20;
const std::string big_instrument = "SOAKBIG-USD";

uint64_t rss_bytes(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
  return 0;
}

std::string config_text(uint16_t rest_port, uint16_t ws_port, const chaos_exchange& ex,
                        const std::vector<std::string>& instruments) {
  std::string subs;
  for (auto& inst : instruments)
    subs += (subs.empty() ? "" : ", ") + inst + ":agg-trades";
  return "[log]\nlevel = info\n"
         "[gateway]\nport = " + std::to_string(rest_port) + "\nrequest-timeout = 10s\n"
         "max-response-bytes = 4194304\nmax-unsent-bytes = 134217728\n"
         "max-memory = " + std::to_string(budget_bytes) + "\n"
         "[broadcaster]\nport = " + std::to_string(ws_port) + "\nmax-clients = 1000\n"
         "max-instruments = 20000\n"
         // Room for a 2-core test machine that also runs the attackers: an
         // honest client is conflated only past 1 MiB behind (default 256 KiB).
         "conflate-bytes = 1048576\n"
         "[validator]\nmax-instruments = 5000\n"
         "[validator.stale-symbol]\nenabled = false\n"
         "[jobs]\nasync-result-bytes = 16777216\n"
         "[webhooks]\nenabled = true\nmax-body-bytes = 1048576\n"
         "[providers]\nenabled = simulator\n"
         "[simulator]\nsymbols = SOAKSIM-USD:100.00\ntrades-per-second = 5\n"
         "[binance]\nbase-url = " + ex.rest_url() + "\n"
         "[streams]\nenabled = binance\n"
         "[stream.binance]\nurl = " + ex.ws_url() + "\nsubscriptions = " + subs + "\n";
}

} // namespace

TEST(Soak, SixtySecondsOfHostileClientsBesideHonestOnes) {
  const char* on = std::getenv("TICKFLOW_CHAOS");
  if (on == nullptr || std::string{on} != "1")
    GTEST_SKIP() << "the soak needs TICKFLOW_CHAOS=1 (CI sets it)";
  std::vector<std::string> instruments, symbols;
  for (size_t i = 0; i < symbol_count; ++i) {
    instruments.push_back("SOAK" + std::to_string(i) + "-USDT");
    symbols.push_back("SOAK" + std::to_string(i) + "USDT");
  }
  chaos_exchange ex{symbols};
  ASSERT_NE(ex.port(), 0);
  auto dir = temp_dir();
  auto rest_port = free_port();
  auto ws_port = free_port();
  while (ws_port == rest_port)
    ws_port = free_port();
  std::ofstream{dir + "/soak.ini"} << config_text(rest_port, ws_port, ex, instruments);
  setenv("TICKFLOW_WEBHOOK_TEST_SECRET", std::string{webhook_secret}.c_str(), 1);
  auto log_path = dir + "/tickflow.log";
  child_process proc{TICKFLOW_BINARY, {"--config", dir + "/soak.ini"}, log_path};
  ASSERT_TRUE(chaos::wait_for([&] {
    auto r = http_get(rest_port, "/live");
    return r && r->status == 200;
  }, 30)) << proc.output();
  ASSERT_TRUE(chaos::wait_for([&] { return ex.subscribed_now() == symbol_count; }, 30))
    << proc.output();
  ASSERT_EQ(push_bars(rest_port, big_instrument, 1000), "");
  ex.start_market(trades_per_second);
  // Every instrument has traded: each honest client's snapshot has a price.
  ASSERT_TRUE(chaos::wait_for([&] {
    for (auto& inst : instruments) {
      auto r = http_get(rest_port, "/api/v1/data/price?symbol=" + inst);
      if (!r || r->status != 200)
        return false;
    }
    return true;
  }, 30));
  auto rss_start = rss_bytes(proc.pid());

  // The honest crowd.
  std::vector<honest_client> crowd(honest_clients);
  for (size_t i = 0; i < crowd.size(); ++i) {
    crowd[i].symbol = i % symbol_count;
    crowd[i].fd = honest_connect(ws_port, "trades:" + instruments[crowd[i].symbol], crowd[i].buf);
    ASSERT_GE(crowd[i].fd, 0) << "honest client " << i << " could not subscribe";
  }
  std::atomic<bool> stop{false};
  std::atomic<bool> crowd_stop{false};
  std::thread crowd_thread{[&] { run_honest_crowd(crowd, crowd_stop, 3s); }};

  // The hostile ones: each kind in turn, each client looping its attack.
  auto kinds = hostile_kinds();
  std::mutex mtx;
  std::map<std::string, std::pair<uint64_t, uint64_t>> rounds; // kind -> (as documented, not)
  std::map<std::string, std::string> first_problem;
  std::atomic<uint64_t> round_counter{0};
  std::vector<std::thread> hostile;
  for (size_t i = 0; i < hostile_clients; ++i)
    hostile.emplace_back([&, i] {
      auto& kind = kinds[i % kinds.size()];
      while (!stop.load()) {
        attack_target t{rest_port, ws_port, big_instrument, round_counter.fetch_add(1)};
        auto why = kind.run(t);
        std::lock_guard<std::mutex> guard{mtx};
        auto& r = rounds[kind.name];
        (why.empty() ? r.first : r.second) += 1;
        if (!why.empty() && first_problem[kind.name].empty())
          first_problem[kind.name] = why;
        if (stop.load())
          break;
        std::this_thread::sleep_for(100ms);
      }
    });

  // The REST load: one keep-alive-less client asking prices and bars.
  std::atomic<uint64_t> rest_ok{0}, rest_bad{0};
  std::string rest_problem;
  std::thread rest_thread{[&] {
    for (uint64_t k = 0; !stop.load(); ++k) {
      auto path = k % 2 == 0 ? "/api/v1/data/price?symbol=" + instruments[k % symbol_count]
                             : "/api/v1/data/ohlcv?symbol=SOAKSIM-USD&interval=1m&limit=10";
      auto r = http_get(rest_port, path);
      if (r && r->status == 200) {
        rest_ok += 1;
      } else {
        rest_bad += 1;
        std::lock_guard<std::mutex> guard{mtx};
        if (rest_problem.empty())
          rest_problem = path + ": " + (r ? std::to_string(r->status) + " " + r->body
                                          : r.err().context);
      }
    }
  }};

  // 60 s, RSS every 250 ms.
  uint64_t rss_peak = rss_start;
  bool alive_throughout = true;
  auto t0 = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - t0 < soak_for) {
    std::this_thread::sleep_for(250ms);
    rss_peak = std::max(rss_peak, rss_bytes(proc.pid()));
    alive_throughout = alive_throughout && proc.running();
  }
  stop = true;
  for (auto& t : hostile)
    t.join();
  rest_thread.join();
  ex.stop_market();
  auto last_ids = ex.last_ids();
  crowd_stop = true;
  crowd_thread.join();
  std::this_thread::sleep_for(2s);
  auto rss_end = rss_bytes(proc.pid());

  auto mib = [](uint64_t b) { return b / (1024 * 1024); };
  uint64_t received = 0;
  for (auto& c : crowd)
    received += c.trades;
  std::cout << "soak: RSS " << mib(rss_start) << " MiB at the start, peak " << mib(rss_peak)
            << " MiB, " << mib(rss_end) << " MiB at the end (budget " << mib(budget_bytes)
            << " MiB)\nsoak: honest clients received " << received << " trades; REST load "
            << rest_ok.load() << " answers 200, " << rest_bad.load() << " other\nsoak: hostile rounds:";
  for (auto& [name, r] : rounds)
    std::cout << " " << name << " " << r.first << "/" << r.first + r.second;
  std::cout << std::endl;

  EXPECT_TRUE(alive_throughout) << "tickflow stopped during the soak";
  ASSERT_TRUE(proc.running()) << proc.output();
  EXPECT_LT(rss_peak, budget_bytes) << "RSS passed the budget";
  for (size_t i = 0; i < crowd.size(); ++i) {
    auto& c = crowd[i];
    EXPECT_TRUE(c.subscribed) << "honest client " << i;
    EXPECT_FALSE(c.closed) << "honest client " << i << " was closed";
    EXPECT_EQ(c.conflations, 0u) << "honest client " << i << " was conflated";
    EXPECT_EQ(c.out_of_order, 0u) << "honest client " << i << " missed or repeated trades";
    EXPECT_EQ(c.last_id, static_cast<int64_t>(last_ids[c.symbol]))
      << "honest client " << i << " did not get its channel's last trade";
    EXPECT_EQ(c.trades, static_cast<uint64_t>(c.last_id - c.first_id + 1)) << "honest client " << i;
    ::close(c.fd);
  }
  EXPECT_EQ(rounds.size(), kinds.size()) << "a kind of attack never finished a round";
  for (auto& [name, r] : rounds) {
    EXPECT_GT(r.first, 0u) << name;
    EXPECT_EQ(r.second, 0u) << name << ": " << first_problem[name];
  }
  EXPECT_GT(rest_ok.load(), 0u);
  EXPECT_EQ(rest_bad.load(), 0u) << rest_problem;
  auto h = http_get(rest_port, "/health");
  EXPECT_TRUE(h && h->status == 200);
  auto log = proc.output();
  auto errors = chaos::error_lines(log);
  EXPECT_TRUE(errors.empty()) << errors.size() << " error lines, the first: " << errors[0];
  for (auto tell : {"runtime error:", "AddressSanitizer"})
    EXPECT_EQ(log.find(tell), std::string::npos) << tell;
  proc.stop();
}
