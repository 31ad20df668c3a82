#include "pipeline/schedule/provider_limits.hpp"

namespace tickflow {

namespace {

constexpr int64_t second_ns = 1'000'000'000;
constexpr int64_t minute_ns = 60 * second_ns;
constexpr int64_t day_ns = 24 * 60 * minute_ns;

} // namespace

limiter_settings provider_limits::limiter() const {
  limiter_settings s;
  if (per_second > 0)
    s.windows.push_back(window_limit{second_ns, per_second});
  if (per_minute > 0)
    s.windows.push_back(window_limit{minute_ns, per_minute});
  if (per_day > 0)
    s.windows.push_back(window_limit{day_ns, per_day});
  s.burst = burst;
  s.concurrency = concurrency;
  return s;
}

uint64_t provider_limits::weight_of(std::string_view kind) const {
  for (auto& [k, w] : weights)
    if (k == kind)
      return w;
  return 1;
}

provider_limits default_limits(std::string_view provider) {
  provider_limits x;
  if (provider == "binance") {
    // REQUEST_WEIGHT 6000 per minute per IP; ticker/price weighs 2 (4 with
    // symbols=[...]), klines 2, ticker/24hr 2. Kept at 90%.
    x.per_minute = 5400;
    x.per_second = 50;
    x.concurrency = 4;
    x.weights = {{"price", 2}, {"bars", 2}, {"quote", 2}};
    x.batch_weight = 4;
    x.max_batch = 100;
  } else if (provider == "coingecko") {
    // Public API: about 5 to 15 calls a minute (Demo key: 30).
    x.per_minute = 10;
    x.max_batch = 50;
  } else if (provider == "coinmarketcap") {
    // Basic plan: 30 a minute, 10,000 credits a month (about 333 a day).
    x.per_minute = 30;
    x.per_day = 333;
  } else if (provider == "polygon" || provider == "massive_futures") {
    // Free plan: 5 calls a minute.
    x.per_minute = 5;
  } else if (provider == "finnhub") {
    // Free plan: 60 a minute, and at most 30 a second.
    x.per_minute = 60;
    x.per_second = 30;
  } else if (provider == "alpha_vantage") {
    // Free plan: 25 a day (and no more than 5 a minute).
    x.per_day = 25;
    x.per_minute = 5;
  } else if (provider == "eodhd") {
    // Free plan: 20 calls a day; paid plans 1000 a minute.
    x.per_day = 20;
    x.per_minute = 1000;
  } else if (provider == "yahoo") {
    // Unofficial: stay well below the informal ~2000 an hour.
    x.per_minute = 30;
    x.per_second = 2;
  } else {
    x.per_second = 10;
  }
  return x;
}

std::map<std::string, provider_limits> default_limit_table() {
  std::map<std::string, provider_limits> out;
  for (auto p : {"binance", "coingecko", "coinmarketcap", "polygon", "finnhub",
                 "alpha_vantage", "eodhd", "yahoo", "massive_futures"})
    out.emplace(p, default_limits(p));
  return out;
}

} // namespace tickflow
