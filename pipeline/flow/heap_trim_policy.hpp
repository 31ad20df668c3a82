#pragma once

// When to give freed heap back to the OS. malloc keeps freed memory for
// reuse, so after a burst (a writer replaying its journal, a crowd of
// clients leaving) RSS would stay at the peak. malloc_trim(0) returns it, but
// it walks and madvises the whole heap under the arena locks: a stall of tens
// of milliseconds, and every trimmed page faults again when reused. So trim
// only when malloc's free memory grew by `threshold` bytes since the last
// trim (or the lowest it has been since): after a burst, not in steady state.

#include <cstddef>

namespace tickflow {

class heap_trim_policy {
public:
  explicit heap_trim_policy(size_t threshold) : threshold_(threshold) {}

  /// Given the bytes malloc now holds free (mallinfo2().fordblks): true when
  /// a trim is worth its stall. Call trimmed() after trimming.
  bool should_trim(size_t free_bytes) noexcept {
    if (!seen_ || free_bytes < low_) {
      seen_ = true;
      low_ = free_bytes;
      return false;
    }
    return free_bytes - low_ >= threshold_;
  }

  /// A trim happened; malloc now holds `free_bytes` free (trimmed pages stay
  /// on its free lists, so this is the new low mark, not zero).
  void trimmed(size_t free_bytes) noexcept {
    seen_ = true;
    low_ = free_bytes;
  }

private:
  size_t threshold_;
  size_t low_ = 0;
  bool seen_ = false;
};

} // namespace tickflow
