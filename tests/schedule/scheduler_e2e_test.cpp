// The scheduler through the real binary: tickflow asks loopback provider
// servers that count what they receive, with the time each request came.

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/schedule/schedule_support.hpp"

using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

constexpr int64_t one_second_ns = 1'000'000'000;

/// Binance only, at `s`, with these [limits.binance] lines.
std::string binance_only(const fixture_server& s, const std::string& limits,
                         const std::string& scheduler = {}) {
  return base_config("binance") + "[binance]\nbase-url = " + s.base_url()
         + "\ntimeout = 5s\n[limits.binance]\n" + limits + "[scheduler]\n" + scheduler;
}

// 200 clients for 30 s against a provider allowed 10 requests a second: the
// provider never sees more than 10 in any sliding second, and every client
// is answered (identical requests share calls, answers are reused). Every
// 3 s the clients move on to 15 new symbols, so each move asks more of the
// provider at once than its second allows.
TEST(SchedulerBurst, TenPerSecondHoldsUnder200ConcurrentClientsFor30Seconds) {
  fixture_server upstream;
  constexpr int coins = 15;
  constexpr int generations = 11;
  auto symbol = [](int gen, int k) {
    return "G" + std::to_string(gen) + "C" + std::to_string(k);
  };
  for (int g = 0; g < generations; ++g)
    for (int k = 0; k < coins; ++k)
      serve_binance(upstream, symbol(g, k) + "USDT",
                    binance_price(symbol(g, k) + "USDT", std::to_string(g) + "." + std::to_string(k)));
  tickflow_run tf{binance_only(upstream,
                               "per-second = 10\nper-minute = 0\nweights = price=1\n"
                               "batch-weight = 0\n",
                               "fresh-for = 1s\nmax-wait = 20s\n"
                               "[gateway]\nrequest-timeout = 30s\n")};
  ASSERT_TRUE(tf.up()) << tf.output();
  std::atomic<uint64_t> answered{0}, ok{0};
  std::mutex mu;
  std::set<std::string> problems;
  auto start = std::chrono::steady_clock::now();
  auto until = start + 30s;
  std::vector<std::thread> clients;
  for (int c = 0; c < 200; ++c)
    clients.emplace_back([&, c] {
      http_client http{tf.port(), 40s};
      for (int n = 0; std::chrono::steady_clock::now() < until; ++n) {
        auto gen = static_cast<int>((std::chrono::steady_clock::now() - start) / 3s);
        auto coin = symbol(std::min(gen, generations - 1), (c + n) % coins) + "-USDT";
        auto r = http.get("/api/v1/data/price?symbol=" + coin);
        answered += 1;
        if (r && r->status == 200) {
          ok += 1;
        } else {
          std::lock_guard<std::mutex> guard{mu};
          problems.insert(r ? std::to_string(r->status) + " " + r->body.substr(0, 200)
                            : r.err().message());
          http.close();
        }
        std::this_thread::sleep_for(10ms);
      }
    });
  for (auto& t : clients)
    t.join();
  auto seen = upstream.requests();
  auto worst = max_in_any_window(arrival_ns(seen), one_second_ns);
  EXPECT_LE(worst, 10u) << seen.size() << " upstream requests";
  EXPECT_GT(seen.size(), static_cast<size_t>(coins)); // more than one move
  EXPECT_EQ(ok.load(), answered.load()) << (problems.empty() ? "" : *problems.begin());
  EXPECT_GT(answered.load(), 10 * seen.size()); // clients far outnumber upstream calls
  auto st = tf.provider_stats("binance");
  EXPECT_EQ(uint_of(st, "calls"), seen.size());
  EXPECT_GT(uint_of(st, "saved_by_coalescing"), 0u);
}

// 1,000 identical /price requests on a cold cache make one upstream call,
// and /api/v1/stats says how many calls the coalescing and the cache saved.
TEST(SchedulerCoalescing, ThousandIdenticalRequestsMakeOneUpstreamCall) {
  fixture_server upstream;
  auto slow = binance_price("BTCUSDT", "65000.10");
  slow.delay = 500ms; // the first call is still out while the others arrive
  serve_binance(upstream, "BTCUSDT", slow);
  tickflow_run tf{binance_only(upstream, "per-second = 10\n", "fresh-for = 60s\n")};
  ASSERT_TRUE(tf.up()) << tf.output();
  std::atomic<int> ok{0};
  std::mutex mu;
  std::set<std::string> prices;
  std::vector<std::thread> clients;
  for (int c = 0; c < 100; ++c)
    clients.emplace_back([&] {
      http_client http{tf.port(), 10s};
      for (int n = 0; n < 10; ++n) {
        auto r = http.get("/api/v1/data/price?symbol=BTC-USDT");
        if (r && r->status == 200) {
          ok += 1;
          std::lock_guard<std::mutex> guard{mu};
          prices.insert(str_of(parse_json(r->body), "price"));
        }
      }
    });
  for (auto& t : clients)
    t.join();
  EXPECT_EQ(ok.load(), 1000);
  EXPECT_EQ(prices, (std::set<std::string>{"65000.1"}));
  EXPECT_EQ(upstream.request_count(), 1u);
  auto st = tf.provider_stats("binance");
  EXPECT_EQ(uint_of(st, "calls"), 1u);
  EXPECT_GT(uint_of(st, "saved_by_coalescing"), 0u);
  auto [status, all] = tf.get("/api/v1/stats");
  ASSERT_EQ(status, 200u);
  ASSERT_TRUE(all.HasMember("totals"));
  auto& totals = all["totals"];
  EXPECT_EQ(uint_of(totals, "calls"), 1u);
  // Every request the scheduler saw but one was saved (the rest, if any,
  // never reached it: the L1 cache answered them).
  auto saved = uint_of(totals, "saved_by_cache") + uint_of(totals, "saved_by_coalescing");
  uint64_t l1 = all.HasMember("l1") ? uint_of(all["l1"], "price_hits") : 0;
  EXPECT_EQ(saved + l1, 999u);
  ASSERT_TRUE(all.HasMember("queue_depth"));
  EXPECT_EQ(uint_of(all["queue_depth"], "urgent"), 0u);
}

// -- failover -------------------------------------------------------------------

/// Binance first, CoinGecko second, with these Binance lines.
class Failover : public ::testing::Test {
 protected:
  void start(const std::string& binance_extra, const std::string& limits = {}) {
    serve_coingecko(upstream_cg, "bitcoin", coingecko_price("bitcoin", "64999.5"));
    serve_coingecko(upstream_cg, "ethereum", coingecko_price("ethereum", "3400.25"));
    serve_coingecko(upstream_cg, "solana", coingecko_price("solana", "150.5"));
    serve_coingecko(upstream_cg, "ripple", coingecko_price("ripple", "0.5"));
    auto cfg = base_config("binance, coingecko") + "[binance]\nbase-url = "
               + upstream_bn.base_url() + "\n" + binance_extra + "[coingecko]\nbase-url = "
               + upstream_cg.base_url() + "\n[limits.coingecko]\nper-minute = 1000\n"
               + "[limits.binance]\n" + limits + "[scheduler]\nfresh-for = 0s\n";
    tf = std::make_unique<tickflow_run>(cfg);
    ASSERT_TRUE(tf->up()) << tf->output();
  }

  /// GET /price?symbol=<symbol>: the serving source (expects 200).
  std::string source_of(const std::string& symbol) {
    auto [status, d] = tf->get("/api/v1/data/price?symbol=" + symbol);
    EXPECT_EQ(status, 200u) << symbol;
    return str_of(d, "source");
  }

  fixture_server upstream_bn;
  fixture_server upstream_cg;
  std::unique_ptr<tickflow_run> tf;
};

TEST_F(Failover, A500GoesToTheNextProvider) {
  serve_binance(upstream_bn, "BTCUSDT", fixture_response::json(R"({"msg":"oops"})", 500));
  start("");
  // "BTC" alone is crypto: binance is asked for BTC-USDT, coingecko for BTC-USD.
  auto [status, d] = tf->get("/api/v1/data/price?symbol=BTC");
  ASSERT_EQ(status, 200u);
  EXPECT_EQ(str_of(d, "source"), "coingecko");
  // The reply says why the first choice did not serve.
  ASSERT_TRUE(d.HasMember("failover") && d["failover"].IsArray()) << "no failover field";
  ASSERT_EQ(d["failover"].Size(), 1u);
  EXPECT_EQ(str_of(d["failover"][0], "provider"), "binance");
  EXPECT_NE(str_of(d["failover"][0], "reason").find("500"), std::string::npos)
    << str_of(d["failover"][0], "reason");
  EXPECT_EQ(upstream_bn.request_count(), 1u); // no retry: the next provider is the retry
  EXPECT_EQ(upstream_cg.request_count(), 1u);
  auto st = tf->provider_stats("binance");
  EXPECT_EQ(uint_of(st, "failed_over"), 1u);
  EXPECT_EQ(uint_of(st, "failures"), 1u);
}

TEST_F(Failover, A429WithRetryAfterPausesTheProvider) {
  auto limited = fixture_response::json(R"({"code":-1003,"msg":"Too many requests"})", 429);
  limited.headers = {{"Retry-After", "30"}};
  serve_binance(upstream_bn, "ETHUSDT", limited);
  serve_binance(upstream_bn, "BTCUSDT", binance_price("BTCUSDT", "65000.10"));
  start("");
  EXPECT_EQ(source_of("ETH"), "coingecko");
  // Binance said "30 s": it is not asked again meanwhile, not even for BTC.
  EXPECT_EQ(source_of("BTC"), "coingecko");
  EXPECT_EQ(upstream_bn.request_count(), 1u);
  auto st = tf->provider_stats("binance");
  EXPECT_GT(st["paused_for_ms"].GetInt64(), 20'000);
  EXPECT_FALSE(st["banned"].GetBool());
  EXPECT_GE(uint_of(st, "denied"), 1u);
}

TEST_F(Failover, A418BanKeepsEveryCallAwayUntilItEnds) {
  auto banned = fixture_response::json(R"({"code":-1003,"msg":"Way too many requests; IP banned"})", 418);
  banned.headers = {{"Retry-After", "120"}};
  serve_binance(upstream_bn, "SOLUSDT", banned);
  serve_binance(upstream_bn, "BTCUSDT", binance_price("BTCUSDT", "65000.10"));
  start("");
  EXPECT_EQ(source_of("SOL"), "coingecko");
  // (Each symbol once: the read path keeps what it fetched in L1.)
  for (auto coin : {"BTC", "ETH", "XRP"})
    EXPECT_EQ(source_of(coin), "coingecko") << coin;
  EXPECT_EQ(upstream_bn.request_count(), 1u);
  // Even a request for binance alone is refused without a call.
  auto [status, d] = tf->get("/api/v1/data/price?symbol=BTC-USDT&provider=binance");
  EXPECT_EQ(status, 503u);
  EXPECT_EQ(upstream_bn.request_count(), 1u);
  auto st = tf->provider_stats("binance");
  EXPECT_TRUE(st["banned"].GetBool());
  EXPECT_GT(st["paused_for_ms"].GetInt64(), 100'000);
}

TEST_F(Failover, ATimeoutGoesToTheNextProvider) {
  auto slow = binance_price("XRPUSDT", "0.51");
  slow.delay = 3s;
  serve_binance(upstream_bn, "XRPUSDT", slow);
  start("timeout = 500ms\n");
  EXPECT_EQ(source_of("XRP"), "coingecko");
  EXPECT_EQ(upstream_bn.request_count(), 1u);
}

TEST_F(Failover, TheCircuitOpensThenOneProbeClosesItWhenTheProviderIsBack) {
  for (auto s : {"BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"})
    serve_binance(upstream_bn, s, fixture_response::json(R"({"msg":"down"})", 503));
  start("", "breaker-threshold = 2\nbreaker-window = 60s\nbreaker-cooldown = 1s\n");
  EXPECT_EQ(source_of("BTC"), "coingecko");
  EXPECT_EQ(source_of("ETH"), "coingecko"); // the second failure opens it
  EXPECT_EQ(source_of("SOL"), "coingecko"); // open: binance is not asked
  EXPECT_EQ(upstream_bn.request_count(), 2u);
  EXPECT_EQ(str_of(tf->provider_stats("binance"), "circuit"), "open");
  // Binance is back; after the cooldown one probe goes and closes it.
  serve_binance(upstream_bn, "XRPUSDT", binance_price("XRPUSDT", "0.51"));
  serve_binance(upstream_bn, "DOGEUSDT", binance_price("DOGEUSDT", "0.12"));
  std::this_thread::sleep_for(1200ms);
  EXPECT_EQ(source_of("XRP"), "binance");
  EXPECT_EQ(upstream_bn.request_count(), 3u);
  EXPECT_EQ(str_of(tf->provider_stats("binance"), "circuit"), "closed");
  EXPECT_EQ(source_of("DOGE"), "binance");
  EXPECT_EQ(uint_of(tf->provider_stats("binance"), "circuit_opened"), 1u);
}

TEST_F(Failover, AssetClassPicksTheChain) {
  serve_binance(upstream_bn, "BTCUSDT", binance_price("BTCUSDT", "65000.10"));
  start("");
  EXPECT_EQ(source_of("BTC"), "binance");
  EXPECT_EQ(source_of("BTCUSDT"), "binance");
  // An equity with no equity provider enabled: every enabled one is
  // considered, but none can map AAPL, so no request goes out.
  auto before = upstream_bn.request_count() + upstream_cg.request_count();
  auto [status, d] = tf->get("/api/v1/data/price?symbol=AAPL");
  EXPECT_EQ(status, 404u);
  EXPECT_EQ(str_of(d["error"], "code"), "unknown_symbol");
  EXPECT_EQ(upstream_bn.request_count() + upstream_cg.request_count(), before);
}

} // namespace
