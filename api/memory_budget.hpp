#pragma once

// The process-wide memory budget ([gateway] max-memory): past it, the HTTP
// and WebSocket servers refuse new work (503, Retry-After: 1) instead of
// growing; the operations routes (/health, /ready, /metrics, /status) still
// answer so an operator can see why.

#include <atomic>
#include <cstdint>

namespace tickflow::api {

/// Resident set size against a limit, sampled at most every 50 ms: reading
/// /proc/self/statm costs ~3 µs (an open, a read and a close), ten times a
/// cached price answer's share of a core, so requests read the last sample.
class memory_budget {
 public:
  /// The one budget of this process.
  static memory_budget& process() noexcept;

  /// Bytes of resident memory past which over() is true; 0 turns it off.
  void set_limit(uint64_t bytes) noexcept;
  uint64_t limit() const noexcept;

  /// True when the process is over its limit (sampling when the last
  /// sample is older than 50 ms). Callable from any thread.
  bool over() noexcept;

  /// Counts one piece of work refused because of over().
  void count_refusal() noexcept;

  /// The last sampled resident set size, bytes (0 before the first sample).
  uint64_t rss() const noexcept;
  /// Work refused so far.
  uint64_t refusals() const noexcept;

  /// Samples now (for stats); returns the resident set size in bytes.
  uint64_t sample() noexcept;

 private:
  std::atomic<uint64_t> limit_{0};
  std::atomic<uint64_t> rss_{0};
  std::atomic<int64_t> sampled_ns_{0};
  std::atomic<uint64_t> refusals_{0};
};

/// The resident set size of this process in bytes (0 when unknown).
uint64_t resident_bytes() noexcept;

} // namespace tickflow::api
