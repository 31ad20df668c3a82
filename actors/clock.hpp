#pragma once

#include <chrono>
#include <cstdint>

namespace tickflow {

/// Wall clock, UTC ns. Only actors read the clock; pure code takes time as a parameter.
inline int64_t now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

} // namespace tickflow
