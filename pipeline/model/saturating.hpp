#pragma once

// Saturating arithmetic on ns times: bad data and the edges of the int64 ns
// range (1677..2262, valid input to every route) may hold any int64, and a
// signed overflow is undefined behaviour.

#include <cstdint>
#include <limits>

namespace tickflow {

/// a + b, clamped to the int64 range.
inline int64_t saturated_add(int64_t a, int64_t b) noexcept {
  int64_t out = 0;
  if (!__builtin_add_overflow(a, b, &out))
    return out;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

/// a - b, clamped to the int64 range.
inline int64_t saturated_sub(int64_t a, int64_t b) noexcept {
  int64_t out = 0;
  if (!__builtin_sub_overflow(a, b, &out))
    return out;
  return b < 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

} // namespace tickflow
