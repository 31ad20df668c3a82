#include "pipeline/indicators/live_series.hpp"

#include <algorithm>

namespace tickflow::indicators {

result<indicator_spec> live_spec(std::string_view name, interval span,
                                 size_t max_period) {
  auto spec = parse_indicator(name, 0, max_period);
  if (!spec)
    return spec;
  spec->bars_per_year = bars_per_year(span);
  constexpr int64_t day_ns = 86400 * int64_t{1'000'000'000};
  spec->reset_ns = interval_ns(span) < day_ns ? day_ns : 0;
  return spec;
}

live_series::live_series(const indicator_spec& spec, size_t max_held)
    : spec_(spec), max_held_(max_held), state_(spec) {
}

std::optional<point> live_series::feed(const ohlcv& b) {
  if (b.t_ns <= last_t_ns_)
    return std::nullopt;
  last_t_ns_ = b.t_ns;
  ++fed_;
  auto p = state_.update(b);
  if (p)
    last_ = p;
  return p;
}

std::optional<point> live_series::seed(std::vector<ohlcv> stored) {
  if (seeded_)
    return last_;
  seeded_ = true;
  // One bar per open time, the last given wins (as to_series does).
  std::stable_sort(stored.begin(), stored.end(),
                   [](const ohlcv& a, const ohlcv& b) { return a.t_ns < b.t_ns; });
  for (size_t i = 0; i < stored.size(); ++i)
    if (i + 1 == stored.size() || stored[i + 1].t_ns != stored[i].t_ns)
      feed(stored[i]);
  for (auto& b : held_)
    feed(b);
  held_.clear();
  held_.shrink_to_fit();
  return last_;
}

std::optional<point> live_series::on_closed_bar(const ohlcv& b) {
  if (!seeded_) {
    held_.push_back(b);
    if (held_.size() > max_held_)
      held_.erase(held_.begin());
    return std::nullopt;
  }
  return feed(b);
}

void live_series::reset() {
  state_ = indicator_state{spec_};
  held_.clear();
  held_.shrink_to_fit();
  last_.reset();
  last_t_ns_ = std::numeric_limits<int64_t>::min();
  fed_ = 0;
  seeded_ = false;
}

} // namespace tickflow::indicators
