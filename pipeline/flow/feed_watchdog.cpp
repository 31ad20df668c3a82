#include "pipeline/flow/feed_watchdog.hpp"

namespace tickflow {

void feed_watchdog::seen(int64_t now_ns) noexcept {
  // Times only move forward: a late callback must not rewind the clock.
  if (!armed_ || now_ns > last_seen_)
    last_seen_ = now_ns;
  armed_ = true;
}

void feed_watchdog::on_connect(int64_t now_ns) noexcept {
  seen(now_ns);
}

void feed_watchdog::on_message(int64_t now_ns) noexcept {
  seen(now_ns);
  if (now_ns > last_message_)
    last_message_ = now_ns;
}

void feed_watchdog::on_heartbeat(int64_t now_ns) noexcept {
  seen(now_ns);
}

bool feed_watchdog::stale(int64_t now_ns) const noexcept {
  if (stale_after_ <= 0 || !armed_)
    return false;
  return now_ns - last_seen_ > stale_after_;
}

} // namespace tickflow
