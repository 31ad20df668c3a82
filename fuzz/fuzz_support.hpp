#pragma once

// Helpers shared by the fuzz targets: invariant checks that turn a silent
// logic bug into a crash libFuzzer records (abort), and input slicing.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "pipeline/model/corporate_action.hpp"
#include "pipeline/model/decimal.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::fuzz {

/// Aborts with a message when `cond` is false (an invariant the parser
/// promises; a violation is a bug even when nothing crashed).
#define TICKFLOW_FUZZ_CHECK(cond)                                             \
  do {                                                                        \
    if (!(cond)) {                                                            \
      std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond,      \
                   __FILE__, __LINE__);                                       \
      std::abort();                                                           \
    }                                                                         \
  } while (false)

/// The decimal invariant (decimal.hpp): scale <= max_scale; normalized, so
/// no trailing zero digit when scale > 0 and zero has scale 0.
inline void check_decimal(const decimal& d) {
  TICKFLOW_FUZZ_CHECK(d.scale <= decimal::max_scale);
  if (d.scale > 0)
    TICKFLOW_FUZZ_CHECK(d.mantissa % 10 != 0);
}

inline void check_event(const trade& x) {
  check_decimal(x.price);
  check_decimal(x.size);
}

inline void check_event(const quote& x) {
  check_decimal(x.bid_price);
  check_decimal(x.bid_size);
  check_decimal(x.ask_price);
  check_decimal(x.ask_size);
}

inline void check_event(const bar& x) {
  check_decimal(x.open);
  check_decimal(x.high);
  check_decimal(x.low);
  check_decimal(x.close);
  check_decimal(x.volume);
}

inline void check_event(const price& x) { check_decimal(x.value); }

/// A split's ratio is positive, a dividend's amount not negative, every
/// decimal normalized.
inline void check_action(const corporate_action& x) {
  check_decimal(x.split_to);
  check_decimal(x.split_from);
  check_decimal(x.amount);
  if (x.kind == action_kind::split)
    TICKFLOW_FUZZ_CHECK(x.split_to.is_positive() && x.split_from.is_positive());
  else
    TICKFLOW_FUZZ_CHECK(!x.amount.is_negative());
}

inline void check_batch(const event_batch& b) {
  for (const auto& x : b.trades)
    check_event(x);
  for (const auto& x : b.quotes)
    check_event(x);
  for (const auto& x : b.bars)
    check_event(x);
}

/// The input as text.
inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

} // namespace tickflow::fuzz
