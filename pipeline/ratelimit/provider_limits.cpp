#include "pipeline/ratelimit/provider_limits.hpp"

#include "pipeline/providers/provider_info.hpp"

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
  if (auto* p = find_provider(provider); p != nullptr && p->limits)
    return *p->limits;
  provider_limits x;
  x.per_second = 10;
  return x;
}

std::map<std::string, provider_limits> default_limit_table() {
  std::map<std::string, provider_limits> out;
  for (auto& p : provider_table())
    if (p.limits)
      out.emplace(p.name, *p.limits);
  return out;
}

} // namespace tickflow
