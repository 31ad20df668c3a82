#include "pipeline/ratelimit/rate_limiter.hpp"

#include <algorithm>

namespace tickflow {

// -- rolling_window -------------------------------------------------------------

rolling_window::rolling_window(window_limit limit) : limit_(limit) {
  grain_ns_ = std::max<int64_t>(1, limit.window_ns / 1000);
}

void rolling_window::expire(int64_t now) {
  // An entry stamped s counts while now < s + window.
  while (!log_.empty() && log_.front().stamp <= now - limit_.window_ns) {
    sum_ -= log_.front().weight;
    log_.pop_front();
  }
}

uint64_t rolling_window::used(int64_t now) {
  expire(now);
  return sum_;
}

void rolling_window::add(int64_t stamp, uint64_t weight) {
  if (weight == 0)
    return;
  // Round up to the grain: later is safe, earlier could overrun.
  auto rounded = stamp % grain_ns_ == 0 ? stamp : (stamp / grain_ns_ + 1) * grain_ns_;
  if (!log_.empty() && rounded <= log_.back().stamp) {
    log_.back().weight += weight;
  } else {
    log_.push_back(entry{rounded, weight});
  }
  sum_ += weight;
}

int64_t rolling_window::time_until_at_most(int64_t now, uint64_t room) {
  expire(now);
  auto left = sum_;
  if (left <= room)
    return now;
  for (auto& e : log_) {
    left -= e.weight;
    if (left <= room)
      return std::max(now, e.stamp + limit_.window_ns);
  }
  return now; // not reached: the sum is the log's
}

// -- rate_limiter ---------------------------------------------------------------

rate_limiter::rate_limiter(limiter_settings s) : settings_(std::move(s)) {
  for (auto& w : settings_.windows)
    if (w.window_ns > 0 && w.limit > 0) {
      windows_.emplace_back(w);
      auto per_unit = w.window_ns / static_cast<int64_t>(w.limit);
      if (interval_ns_ == 0 || per_unit < interval_ns_)
        interval_ns_ = std::max<int64_t>(1, per_unit);
    }
  if (settings_.burst == 0)
    interval_ns_ = 0; // no shaping
  else
    tolerance_ns_ = static_cast<int64_t>(settings_.burst - 1) * interval_ns_;
}

bool rate_limiter::can_ever(uint64_t weight) const noexcept {
  for (auto& w : windows_)
    if (weight > w.limit().limit)
      return false;
  return interval_ns_ == 0 || weight <= settings_.burst;
}

int64_t rate_limiter::next_grant(int64_t now, uint64_t weight) {
  if (!can_ever(weight))
    return never_ns;
  if (settings_.concurrency > 0 && in_flight_ >= settings_.concurrency)
    return never_ns;
  auto t = std::max(now, paused_until_);
  for (auto& w : windows_) {
    auto limit = w.limit().limit;
    if (in_flight_weight_ + weight > limit)
      return never_ns; // only a release makes room
    t = std::max(t, w.time_until_at_most(now, limit - in_flight_weight_ - weight));
  }
  if (interval_ns_ > 0) {
    auto w = static_cast<int64_t>(weight);
    t = std::max(t, tat_ + w * interval_ns_ - tolerance_ns_ - interval_ns_);
  }
  return t;
}

limiter_ticket rate_limiter::acquire(int64_t now, uint64_t weight) {
  in_flight_ += 1;
  in_flight_weight_ += weight;
  if (interval_ns_ > 0)
    tat_ = std::max(tat_, now) + static_cast<int64_t>(weight) * interval_ns_;
  return limiter_ticket{weight, true};
}

void rate_limiter::release(limiter_ticket& t, int64_t now) {
  if (!t.valid)
    return;
  t.valid = false;
  in_flight_ -= 1;
  in_flight_weight_ -= t.weight;
  for (auto& w : windows_)
    w.add(now, t.weight);
}

void rate_limiter::cancel(limiter_ticket& t) {
  if (!t.valid)
    return;
  t.valid = false;
  in_flight_ -= 1;
  in_flight_weight_ -= t.weight;
}

void rate_limiter::observe_used(int64_t window_ns, uint64_t used, int64_t now) {
  for (auto& w : windows_) {
    if (w.limit().window_ns != window_ns)
      continue;
    auto ours = w.used(now) + in_flight_weight_;
    if (used > ours)
      w.add(now, used - ours);
  }
}

void rate_limiter::pause_until(int64_t t) noexcept {
  paused_until_ = std::max(paused_until_, t);
}

uint64_t rate_limiter::used(int64_t window_ns, int64_t now) {
  for (auto& w : windows_)
    if (w.limit().window_ns == window_ns)
      return w.used(now) + in_flight_weight_;
  return 0;
}

} // namespace tickflow
