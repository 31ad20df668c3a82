#pragma once

#include <cstdint>

namespace tickflow {

/// Notices a live feed that went silent. Anything received counts as a
/// sign of life: data messages and heartbeats (pings, status frames), so a
/// quiet but healthy channel is never stale. Pure: times are parameters.
class feed_watchdog {
 public:
  /// `stale_after_ns` <= 0 disables the watchdog (never stale).
  explicit feed_watchdog(int64_t stale_after_ns) noexcept
    : stale_after_(stale_after_ns) {}

  /// The connection opened at `now_ns`: the silence is measured from here
  /// until the first message. Without it (and without any message) the
  /// watchdog is not armed and never stale.
  void on_connect(int64_t now_ns) noexcept;

  /// A data message arrived.
  void on_message(int64_t now_ns) noexcept;

  /// A heartbeat / status / control frame arrived.
  void on_heartbeat(int64_t now_ns) noexcept;

  /// True when nothing arrived for more than stale_after_ns before `now_ns`.
  bool stale(int64_t now_ns) const noexcept;

  /// Time of the last sign of life (message, heartbeat or connect); 0: none.
  int64_t last_seen_ns() const noexcept { return last_seen_; }

  /// Time of the last data message; 0: none.
  int64_t last_message_ns() const noexcept { return last_message_; }

  int64_t stale_after_ns() const noexcept { return stale_after_; }

 private:
  void seen(int64_t now_ns) noexcept;

  int64_t stale_after_;
  int64_t last_seen_ = 0;
  int64_t last_message_ = 0;
  bool armed_ = false;
};

} // namespace tickflow
