#pragma once

// Rate limits that cannot overrun a provider's rolling windows.
//
// A provider counts requests in rolling windows (10 per second, 1200 weight
// per minute, 25 per day). tickflow cannot see when a request reaches the
// provider, only when it was granted and when its answer came back, so a
// call is counted from its grant until `window` after its completion: in
// flight it counts in every window; once done it is logged at its
// completion time. Then no half-open window [t, t + window) can ever hold
// more than `limit` arrivals, whatever the network delay (the proof: the
// last call granted inside such a window saw every earlier arrival of the
// window still counted). A plain token bucket cannot promise that.
//
// Time is a parameter everywhere (ns on a monotonic clock); nothing here
// reads a clock.

#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

namespace tickflow {

/// "Never" as a time.
inline constexpr int64_t never_ns = std::numeric_limits<int64_t>::max();

/// One rolling window: at most `limit` weight in any `window_ns`.
struct window_limit {
  int64_t window_ns = 0;
  uint64_t limit = 0;
};

/// A sliding log of completed calls for one window. Stamps are rounded up
/// to window/1000 (never earlier: a call is counted at least as long as it
/// truly is in the window), so the log holds at most ~1000 entries however
/// busy the provider is.
class rolling_window {
 public:
  rolling_window() = default;
  explicit rolling_window(window_limit limit);

  const window_limit& limit() const noexcept { return limit_; }

  /// Weight of the logged calls still in the window at `now`; drops the
  /// expired ones.
  uint64_t used(int64_t now);

  /// Logs `weight` at `stamp` (an earlier stamp than the newest logged one
  /// is taken as the newest: later is always safe).
  void add(int64_t stamp, uint64_t weight);

  /// The earliest time >= now at which the log holds at most `room` weight,
  /// if nothing is added meanwhile (every entry expires, so there is one).
  int64_t time_until_at_most(int64_t now, uint64_t room);

 private:
  struct entry {
    int64_t stamp;
    uint64_t weight;
  };

  void expire(int64_t now);

  window_limit limit_;
  int64_t grain_ns_ = 1;
  std::deque<entry> log_;
  uint64_t sum_ = 0;
};

/// What a provider (or one of its keys) allows.
struct limiter_settings {
  std::vector<window_limit> windows; ///< per second / minute / day ...
  /// Calls that may start back to back (GCRA shaping at the tightest
  /// window's rate); 0: no shaping, the windows alone decide.
  uint64_t burst = 0;
  /// Calls in flight at once; 0: unlimited.
  uint32_t concurrency = 0;
};

/// A granted call, to hand back on release.
struct limiter_ticket {
  uint64_t weight = 0;
  bool valid = false;
};

/// Every window of a provider, its in-flight calls, its shaping and the
/// pauses the provider asked for (Retry-After, bans).
class rate_limiter {
 public:
  rate_limiter() = default;
  explicit rate_limiter(limiter_settings s);

  const limiter_settings& settings() const noexcept { return settings_; }

  /// False when `weight` exceeds some window's limit or the burst: such a
  /// call can never be granted.
  bool can_ever(uint64_t weight) const noexcept;

  /// The earliest time >= now at which a call of `weight` may start, as far
  /// as time goes; never_ns while the concurrency cap or the in-flight
  /// weight blocks it (a release changes that) or when it can never start.
  int64_t next_grant(int64_t now, uint64_t weight);

  /// True when a call of `weight` may start at `now`.
  bool may_start(int64_t now, uint64_t weight) { return next_grant(now, weight) <= now; }

  /// Starts a call (the caller checked may_start).
  limiter_ticket acquire(int64_t now, uint64_t weight);

  /// The call ended at `now`: it counts in every window until now + window.
  void release(limiter_ticket& t, int64_t now);

  /// The call never left (a shared budget refused it): it no longer counts.
  void cancel(limiter_ticket& t);

  /// The provider reports `used` weight in its window of `window_ns`
  /// (a used-weight response header): count at least that much there.
  /// Ignored when no window of that length is configured.
  void observe_used(int64_t window_ns, uint64_t used, int64_t now);

  /// No call starts before `t` (Retry-After, a ban); keeps the later pause.
  void pause_until(int64_t t) noexcept;

  int64_t paused_until() const noexcept { return paused_until_; }

  uint32_t in_flight() const noexcept { return in_flight_; }

  /// Weight counted at `now` in the window of `window_ns` (logged plus in
  /// flight); 0 when there is no such window.
  uint64_t used(int64_t window_ns, int64_t now);

 private:
  limiter_settings settings_;
  std::vector<rolling_window> windows_;
  uint32_t in_flight_ = 0;
  uint64_t in_flight_weight_ = 0;
  int64_t paused_until_ = 0;
  // GCRA: theoretical arrival time, emission interval, tolerance.
  int64_t tat_ = 0;
  int64_t interval_ns_ = 0;
  int64_t tolerance_ns_ = 0;
};

} // namespace tickflow
