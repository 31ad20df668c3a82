#pragma once

#include <cstdint>

namespace tickflow {

/// Paces outgoing frames of one connection (e.g. at most 5 per second).
/// GCRA without burst: frames are spaced by at least the emission interval
/// ceil(1e9 / per_second) ns, so no window of one second (half-open) ever
/// holds more than per_second frames. Pure: times are parameters.
class send_pacer {
 public:
  /// `per_second` <= 0 (or not finite) means unpaced.
  explicit send_pacer(double per_second) noexcept;

  /// The earliest time (>= now_ns) the next frame may go; reserves that slot,
  /// so calling it for N frames at once yields N spaced send times.
  int64_t when(int64_t now_ns) noexcept;

  /// The spacing between frames, ns (0: unpaced).
  int64_t interval_ns() const noexcept { return interval_; }

 private:
  int64_t interval_ = 0;
  int64_t tat_ = 0; // theoretical arrival time of the next frame
  bool started_ = false;
};

} // namespace tickflow
