#include <gtest/gtest.h>

#include <string>

#include "pipeline/topology/topology.hpp"

namespace tickflow {
namespace {

constexpr int64_t ms = 1'000'000;
constexpr int64_t s = 1'000 * ms;

result<topology> load(const std::string& body) {
  return load_topology("[simulator]\nsymbols = BTC-USDT:1\n" + body, "t.ini");
}

TEST(SchedulerConfig, DefaultsFollowThePublishedFreeTiers) {
  auto t = load("");
  ASSERT_TRUE(t) << t.err().message();
  auto& sc = t->scheduler;
  EXPECT_FALSE(sc.shared);
  EXPECT_EQ(sc.queue_bound, 1024u);
  auto& av = sc.limits.at("alpha_vantage");
  EXPECT_EQ(av.per_day, 25u);
  auto& bn = sc.limits.at("binance");
  EXPECT_EQ(bn.per_minute, 5400u);
  EXPECT_EQ(bn.weight_of("price"), 2u);
  EXPECT_EQ(bn.batch_weight, 4u);
  EXPECT_EQ(sc.limits.at("polygon").per_minute, 5u);
  EXPECT_EQ(sc.limits.at("coingecko").max_batch, 50u);
  EXPECT_EQ(sc.limits.size(), 9u); // every REST provider
}

TEST(SchedulerConfig, EveryKeyIsRead) {
  auto t = load(R"(
[scheduler]
shared = true
key-prefix = tf:test
queue-bound = 64
max-wait = 2s
failover-wait = 100ms
fresh-for = 500ms
fresh-entries = 5
max-retries = 3
backoff-min = 50ms
backoff-max = 2s
rate-limit-pause = 3s
ban-pause = 10m

[limits.binance]
per-second = 10
per-minute = 600
per-day = 100000
burst = 5
concurrency = 2
weights = price=1, bars=5
batch-weight = 3
max-batch = 20
breaker-threshold = 4
breaker-window = 20s
breaker-cooldown = 5s

[failover]
crypto = coingecko, binance
equity = finnhub
forex =
overrides = SOL=equity, ES=futures
quotes = binance=FDUSD, *=USD
stale-after = crypto=5m
)");
  ASSERT_TRUE(t) << t.err().message();
  auto& sc = t->scheduler;
  EXPECT_TRUE(sc.shared);
  EXPECT_EQ(sc.key_prefix, "tf:test");
  EXPECT_EQ(sc.queue_bound, 64u);
  EXPECT_EQ(sc.max_wait_ns, 2 * s);
  EXPECT_EQ(sc.failover_wait_ns, 100 * ms);
  EXPECT_EQ(sc.fresh_for_ns, 500 * ms);
  EXPECT_EQ(sc.fresh_entries, 5u);
  EXPECT_EQ(sc.retry.max_retries, 3u);
  EXPECT_EQ(sc.retry.backoff_min_ns, 50 * ms);
  EXPECT_EQ(sc.retry.backoff_max_ns, 2 * s);
  EXPECT_EQ(sc.retry.rate_limit_pause_ns, 3 * s);
  EXPECT_EQ(sc.retry.ban_pause_ns, 600 * s);
  auto& b = sc.limits.at("binance");
  EXPECT_EQ(b.per_second, 10u);
  EXPECT_EQ(b.per_minute, 600u);
  EXPECT_EQ(b.per_day, 100000u);
  EXPECT_EQ(b.burst, 5u);
  EXPECT_EQ(b.concurrency, 2u);
  EXPECT_EQ(b.weight_of("price"), 1u);
  EXPECT_EQ(b.weight_of("bars"), 5u);
  EXPECT_EQ(b.weight_of("quote"), 1u); // not listed: 1
  EXPECT_EQ(b.batch_weight, 3u);
  EXPECT_EQ(b.max_batch, 20u);
  EXPECT_EQ(b.breaker.threshold, 4u);
  EXPECT_EQ(b.breaker.window_ns, 20 * s);
  EXPECT_EQ(b.breaker.cooldown_ns, 5 * s);
  auto lim = b.limiter();
  ASSERT_EQ(lim.windows.size(), 3u);
  EXPECT_EQ(lim.windows[0].window_ns, s);
  EXPECT_EQ(lim.windows[2].limit, 100000u);
  // An untouched provider keeps its built-in limits.
  EXPECT_EQ(sc.limits.at("alpha_vantage").per_day, 25u);
  auto& f = sc.failover;
  auto chain = [&](asset_class c) {
    for (auto& [cls, xs] : f.chains)
      if (cls == c)
        return xs;
    return std::vector<std::string>{"<none>"};
  };
  EXPECT_EQ(chain(asset_class::crypto), (std::vector<std::string>{"coingecko", "binance"}));
  EXPECT_EQ(chain(asset_class::equity), (std::vector<std::string>{"finnhub"}));
  EXPECT_TRUE(chain(asset_class::forex).empty());
  EXPECT_EQ(chain(asset_class::futures),
            (std::vector<std::string>{"massive_futures", "yahoo"})); // default kept
  ASSERT_EQ(f.overrides.size(), 2u);
  EXPECT_EQ(f.overrides[0].first, "SOL");
  EXPECT_EQ(f.overrides[0].second, asset_class::equity);
  EXPECT_EQ(f.quotes[0], (std::pair<std::string, std::string>{"binance", "FDUSD"}));
  ASSERT_EQ(f.stale_after.size(), 1u);
  EXPECT_EQ(f.stale_after[0].second, 300 * s);
}

TEST(SchedulerConfig, BadValuesAreNamed) {
  struct row {
    std::string body;
    std::string error;
  };
  const row rows[] = {
    {"[limits.binance]\nper-second = ten\n",
     "t.ini:4: limits.binance.per-second: must be an integer in 0..1000000000, got \"ten\""},
    {"[limits.binanse]\nper-second = 1\n",
     "t.ini:3: [limits.binanse]: unknown section (did you mean [limits.binance]?)"},
    {"[limits.binance]\nweights = price=2, candles=3\n",
     "t.ini:4: limits.binance.weights: unknown fetch kind \"candles\" (known: price, bars, quote, trades)"},
    {"[limits.binance]\nweights = price\n",
     "t.ini:4: limits.binance.weights: entry \"price\" must be KIND=WEIGHT"},
    {"[failover]\ncrypto = binance, kraken\n",
     "t.ini:4: failover.crypto: unknown REST provider \"kraken\" (known: binance, polygon,"
     " coingecko, coinmarketcap, alpha_vantage, eodhd, finnhub, yahoo, massive_futures,"
     " newsapi)"},
    {"[failover]\ncrypto = binance, binance\n",
     "t.ini:4: failover.crypto: provider \"binance\" is listed twice"},
    {"[failover]\noverrides = BTC=coin\n",
     "t.ini:4: failover.overrides: unknown asset class \"coin\" (known: crypto, equity, forex,"
     " futures, index)"},
    {"[failover]\nquotes = binance=usdt\n",
     "t.ini:4: failover.quotes: quote asset \"usdt\" must be 1 to 10 of A-Z, 0-9"},
    {"[scheduler]\nbackoff-min = 5s\nbackoff-max = 1s\n",
     "t.ini:5: scheduler.backoff-max: backoff-min (5s) must be <= backoff-max (1s)"},
    {"[limits.binance]\nper-second = 3\n",
     "t.ini:4: limits.binance.per-second: must be 0 (no limit) or at least the heaviest"
     " call's weight (4), got 3"},
  };
  for (auto& r : rows) {
    auto t = load(r.body);
    ASSERT_FALSE(t) << r.body;
    EXPECT_EQ(t.err().context, r.error) << r.body;
  }
}

} // namespace
} // namespace tickflow

namespace tickflow {
namespace {

// configs/default.ini documents the built-in limits: it must say what the
// code does when a section is absent.
TEST(SchedulerConfig, DefaultIniStatesTheBuiltInLimits) {
  auto t = load_topology(default_config_text(), "<embedded default>");
  ASSERT_TRUE(t) << t.err().message();
  auto built_in = default_limit_table();
  ASSERT_EQ(t->scheduler.limits.size(), built_in.size());
  for (auto& [name, want] : built_in) {
    SCOPED_TRACE(name);
    auto& got = t->scheduler.limits.at(name);
    EXPECT_EQ(got.per_second, want.per_second);
    EXPECT_EQ(got.per_minute, want.per_minute);
    EXPECT_EQ(got.per_day, want.per_day);
    EXPECT_EQ(got.burst, want.burst);
    EXPECT_EQ(got.concurrency, want.concurrency);
    EXPECT_EQ(got.weights, want.weights);
    EXPECT_EQ(got.batch_weight, want.batch_weight);
    EXPECT_EQ(got.max_batch, want.max_batch);
    EXPECT_EQ(got.breaker.threshold, want.breaker.threshold);
    EXPECT_EQ(got.breaker.window_ns, want.breaker.window_ns);
    EXPECT_EQ(got.breaker.cooldown_ns, want.breaker.cooldown_ns);
  }
  scheduler_settings plain;
  auto& s = t->scheduler;
  EXPECT_EQ(s.failover.chains, plain.failover.chains);
  EXPECT_EQ(s.failover.quotes, plain.failover.quotes);
  EXPECT_EQ(s.max_wait_ns, plain.max_wait_ns);
  EXPECT_EQ(s.failover_wait_ns, plain.failover_wait_ns);
  EXPECT_EQ(s.fresh_for_ns, plain.fresh_for_ns);
  EXPECT_EQ(s.retry.max_retries, plain.retry.max_retries);
  EXPECT_EQ(s.retry.backoff_min_ns, plain.retry.backoff_min_ns);
  EXPECT_EQ(s.retry.backoff_max_ns, plain.retry.backoff_max_ns);
  EXPECT_EQ(s.retry.rate_limit_pause_ns, plain.retry.rate_limit_pause_ns);
  EXPECT_EQ(s.retry.ban_pause_ns, plain.retry.ban_pause_ns);
}

} // namespace
} // namespace tickflow
