// validation_engine::check(trade) throughput with every rule on, over a
// random walk of a few instruments quoted by three providers.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/validate/event_rules.hpp"
#include "pipeline/validate/validation_engine.hpp"

namespace tickflow {
namespace {

constexpr int64_t t0 = 1'700'000'000 * ns_per_s;

// A deterministic feed: each instrument walks in log space (about 1 bp per
// trade), each trade comes from one of three providers (a 0.5 bp basis
// apart, so divergence is computed but never fires), 250 us apart, with a
// fresh trade id. Generating a trade is part of the measured loop; it is
// small next to check().
class feed {
 public:
  explicit feed(size_t instruments) {
    static const char* names[] = {"BTC-USDT", "ETH-USDT", "SOL-USDT",
                                  "AAPL",     "EURUSD=X", "ESZ6",
                                  "BRK.B",    "XRP-USDT"};
    static const double start[] = {65000, 3200, 150, 190, 1.08, 5000, 410, 0.6};
    for (size_t i = 0; i < instruments; ++i)
      series_.push_back({names[i % 8], std::log(start[i % 8])});
  }

  void next(trade& x) {
    auto& s = series_[n_ % series_.size()];
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    double u = static_cast<double>(state_ >> 11) / 9007199254740992.0;
    s.log_price += (u - 0.5) * 2e-4;
    static const provider sources[] = {providers::binance, providers::polygon,
                                       providers::coingecko};
    auto p = sources[(n_ / series_.size()) % 3];
    double basis = 1 + 5e-5 * static_cast<double>(static_cast<int>(p) % 3);
    x.instrument = s.name;
    x.source = p;
    x.price = decimal::from_parts(
      static_cast<int64_t>(std::llround(std::exp(s.log_price) * basis * 1e4)),
      4);
    x.size = decimal::from_parts(static_cast<int64_t>(state_ % 100000) + 1, 6);
    x.aggressor = (state_ & 1) ? side::buy : side::sell;
    x.trade_id = std::to_string(n_ + 1);
    x.ts_event_ns = t0 + static_cast<int64_t>(n_) * 250 * ns_per_us;
    x.ts_recv_ns = x.ts_event_ns + ns_per_ms;
    x.flags = quality_none;
    ++n_;
  }

 private:
  struct walk {
    std::string name;
    double log_price;
  };
  std::vector<walk> series_;
  uint64_t state_ = 0x9E3779B97F4A7C15ULL;
  uint64_t n_ = 0;
};

validation_settings all_rules_on() {
  validation_settings s;
  for (auto& r : s.rules)
    r.enabled = true;
  s.freshness_bound_ns = 60 * ns_per_s;
  return s;
}

void bm_check_trade_all_rules(benchmark::State& state) {
  validation_engine e{all_rules_on()};
  feed f{static_cast<size_t>(state.range(0))};
  trade x;
  uint64_t flagged = 0;
  for (auto _ : state) {
    f.next(x);
    auto v = e.check(x, x.ts_recv_ns);
    flagged += v.findings.empty() ? 0 : 1;
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["findings_pct"] = benchmark::Counter(
    100.0 * static_cast<double>(flagged)
    / static_cast<double>(std::max<int64_t>(state.iterations(), 1)));
}
BENCHMARK(bm_check_trade_all_rules)->Arg(1)->Arg(4)->Arg(8);

void bm_check_trade_without_mad(benchmark::State& state) {
  auto s = all_rules_on();
  s.of(rule::outlier_mad).enabled = false;
  validation_engine e{s};
  feed f{static_cast<size_t>(state.range(0))};
  trade x;
  for (auto _ : state) {
    f.next(x);
    benchmark::DoNotOptimize(e.check(x, x.ts_recv_ns));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(bm_check_trade_without_mad)->Arg(4);

// Baseline: the stateless sanity rules alone, plus generating the trade.
void bm_check_trade_sanity_only(benchmark::State& state) {
  feed f{static_cast<size_t>(state.range(0))};
  trade x;
  for (auto _ : state) {
    f.next(x);
    benchmark::DoNotOptimize(check(x));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(bm_check_trade_sanity_only)->Arg(4);

} // namespace
} // namespace tickflow

BENCHMARK_MAIN();
