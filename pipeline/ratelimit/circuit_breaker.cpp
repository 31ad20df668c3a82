#include "pipeline/ratelimit/circuit_breaker.hpp"

namespace tickflow {

std::string_view to_string(circuit_state s) noexcept {
  switch (s) {
    case circuit_state::closed: return "closed";
    case circuit_state::open: return "open";
    case circuit_state::half_open: return "half_open";
  }
  return "unknown";
}

circuit_state circuit_breaker::state(int64_t now) const {
  if (state_ == circuit_state::open && now >= probe_at())
    return circuit_state::half_open;
  return state_;
}

bool circuit_breaker::would_allow(int64_t now) const {
  switch (state(now)) {
    case circuit_state::closed: return true;
    case circuit_state::open: return false;
    case circuit_state::half_open: return !probe_out_;
  }
  return false;
}

bool circuit_breaker::allow(int64_t now) {
  if (!would_allow(now))
    return false;
  if (state(now) == circuit_state::half_open) {
    state_ = circuit_state::half_open;
    probe_out_ = true;
  }
  return true;
}

void circuit_breaker::on_success(int64_t) {
  if (state_ == circuit_state::half_open) {
    state_ = circuit_state::closed;
    probe_out_ = false;
    failures_.clear();
  }
}

void circuit_breaker::on_failure(int64_t now) {
  if (state_ == circuit_state::half_open) // the probe failed
    return open(now);
  if (state_ == circuit_state::open || settings_.threshold == 0)
    return;
  failures_.push_back(now);
  while (!failures_.empty() && failures_.front() <= now - settings_.window_ns)
    failures_.pop_front();
  if (failures_.size() >= settings_.threshold)
    open(now);
}

void circuit_breaker::open(int64_t now) {
  state_ = circuit_state::open;
  opened_ns_ = now;
  probe_out_ = false;
  failures_.clear();
  opened_count_ += 1;
}

} // namespace tickflow
