#pragma once

// A circuit breaker per provider: after `threshold` failures within
// `window_ns` it opens and no call goes out for `cooldown_ns`; then it is
// half-open and lets exactly one probe through: success closes it, failure
// opens it again.

#include <cstdint>
#include <deque>
#include <string_view>

namespace tickflow {

enum class circuit_state : uint8_t { closed, open, half_open };

std::string_view to_string(circuit_state s) noexcept;

struct breaker_settings {
  uint32_t threshold = 5;                 ///< failures that open it; 0: never opens
  int64_t window_ns = 30'000'000'000;     ///< ... within this long
  int64_t cooldown_ns = 30'000'000'000;   ///< open this long before the probe
};

class circuit_breaker {
 public:
  circuit_breaker() = default;
  explicit circuit_breaker(breaker_settings s) : settings_(s) {
    // nop
  }

  /// True if a call may go out at `now`. When the cooldown has passed this
  /// takes the single probe (state half_open); later calls are refused
  /// until the probe reports.
  bool allow(int64_t now);

  /// True if allow(now) would be true, without taking the probe.
  bool would_allow(int64_t now) const;

  /// The call that allow() let through succeeded.
  void on_success(int64_t now);

  /// It failed (transport, 5xx, timeout).
  void on_failure(int64_t now);

  /// The state at `now` (open turns half_open once the cooldown passed).
  circuit_state state(int64_t now) const;

  /// When an open circuit admits its probe.
  int64_t probe_at() const noexcept { return opened_ns_ + settings_.cooldown_ns; }

  /// Times it opened.
  uint64_t opened_count() const noexcept { return opened_count_; }

 private:
  void open(int64_t now);

  breaker_settings settings_;
  circuit_state state_ = circuit_state::closed;
  std::deque<int64_t> failures_; ///< recent failure times while closed
  int64_t opened_ns_ = 0;
  bool probe_out_ = false;
  uint64_t opened_count_ = 0;
};

} // namespace tickflow
