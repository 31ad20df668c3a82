#include "pipeline/validate/alert_limiter.hpp"

#include <algorithm>
#include <utility>

#include "pipeline/validate/reason_text.hpp"

namespace tickflow {

namespace {

// Most keys a summary names before "and N more".
constexpr size_t summary_keys = 5;

std::string describe(const std::tuple<alert_kind, std::string,
                                      std::optional<provider>>& k) {
  auto& [kind, instrument, source] = k;
  std::string out{to_string(kind)};
  if (!instrument.empty()) {
    out += ' ';
    out += instrument;
  }
  if (source) {
    out += ' ';
    out += to_string(*source);
  }
  return out;
}

} // namespace

std::string_view to_string(alert_kind k) noexcept {
  switch (k) {
    case alert_kind::divergence:
      return "divergence";
    case alert_kind::stale_symbol:
      return "stale_symbol";
    case alert_kind::reject_burst:
      return "reject_burst";
    case alert_kind::summary:
      return "summary";
  }
  return "unknown";
}

alert_limiter::alert_limiter(alert_settings settings)
    : settings_(std::move(settings)) {
  // nop
}

std::vector<alert> alert_limiter::on_finding(const finding& f,
                                             int64_t now_ns) {
  std::vector<alert> out;
  totals_.findings += 1;
  roll(now_ns, out);
  if (f.level == severity::high
      && (f.which == rule::divergence || f.which == rule::stale_symbol)) {
    alert a;
    a.level = f.level;
    a.kind = f.which == rule::divergence ? alert_kind::divergence
                                         : alert_kind::stale_symbol;
    a.instrument = f.instrument;
    a.source = f.blamed();
    a.message = f.reason;
    offer(std::move(a), now_ns, out);
  }
  if (f.action == rule_action::drop)
    count_reject(f, now_ns, out);
  return out;
}

std::vector<alert> alert_limiter::tick(int64_t now_ns) {
  std::vector<alert> out;
  roll(now_ns, out);
  // Forget keys that may be raised again anyway.
  for (auto i = last_raised_ns_.begin(); i != last_raised_ns_.end();) {
    if (now_ns - i->second >= settings_.repeat_after_ns)
      i = last_raised_ns_.erase(i);
    else
      ++i;
  }
  return out;
}

void alert_limiter::count_reject(const finding& f, int64_t now_ns,
                                 std::vector<alert>& out) {
  auto& times = rejects_ns_[f.source];
  times.push_back(now_ns);
  while (!times.empty() && now_ns - times.front() >= settings_.burst_window_ns)
    times.pop_front();
  if (times.size() <= settings_.burst_rejects)
    return;
  alert a;
  a.level = severity::high;
  a.kind = alert_kind::reject_burst;
  a.source = f.source;
  a.count = times.size();
  a.message = std::string{to_string(f.source)} + ": "
              + std::to_string(times.size()) + " rejects within "
              + format_duration(settings_.burst_window_ns) + " (limit "
              + std::to_string(settings_.burst_rejects) + "), last "
              + std::string{to_string(f.which)} + " on " + f.instrument
              + ": " + f.reason;
  times.clear();
  offer(std::move(a), now_ns, out);
}

void alert_limiter::offer(alert a, int64_t now_ns, std::vector<alert>& out) {
  totals_.candidates += 1;
  key k{a.kind, a.instrument, a.source};
  if (auto i = last_raised_ns_.find(k); i != last_raised_ns_.end()
                                        && now_ns - i->second
                                             < settings_.repeat_after_ns) {
    totals_.repeats += 1;
    return;
  }
  last_raised_ns_[k] = now_ns;
  if (!window_open_) {
    window_open_ = true;
    window_end_ns_ = now_ns + settings_.window_ns;
    emitted_in_window_ = 0;
  }
  if (emitted_in_window_ < settings_.max_alerts) {
    emitted_in_window_ += 1;
    totals_.emitted += 1;
    out.push_back(std::move(a));
    return;
  }
  totals_.suppressed += 1;
  suppressed_[k] += 1;
}

void alert_limiter::roll(int64_t now_ns, std::vector<alert>& out) {
  if (!window_open_ || now_ns < window_end_ns_)
    return;
  window_open_ = false;
  if (suppressed_.empty())
    return;
  // Most frequent keys first; ties in key order.
  std::vector<std::pair<key, uint64_t>> keys(suppressed_.begin(),
                                             suppressed_.end());
  std::stable_sort(keys.begin(), keys.end(), [](auto& a, auto& b) {
    return a.second > b.second;
  });
  uint64_t total = 0;
  for (auto& [k, n] : keys)
    total += n;
  alert s;
  s.level = severity::high;
  s.kind = alert_kind::summary;
  s.count = total;
  s.message = std::to_string(total) + " more alerts suppressed: ";
  for (size_t i = 0; i < keys.size() && i < summary_keys; ++i) {
    if (i > 0)
      s.message += ", ";
    s.message += describe(keys[i].first) + " x"
                 + std::to_string(keys[i].second);
  }
  if (keys.size() > summary_keys)
    s.message += " and " + std::to_string(keys.size() - summary_keys)
                 + " more";
  suppressed_.clear();
  totals_.summaries += 1;
  out.push_back(std::move(s));
}

} // namespace tickflow
