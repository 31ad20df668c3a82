#pragma once

// Shared by the tests of tests/indicators: the fixed series as ohlcv bars and
// a comparison of optional values with a relative tolerance.

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/indicators/ohlcv.hpp"
#include "tests/indicators/reference/reference_values.hpp"

namespace tickflow::test {

/// Relative tolerance of every comparison with reference values.
inline constexpr double rel_tolerance = 1e-9;

/// |a - b| <= 1e-9 * max(|a|, |b|), with an absolute floor of 1e-12 for
/// values that should be 0 (a MACD histogram crossing zero).
inline bool close_enough(double a, double b) {
  double scale = std::max(std::fabs(a), std::fabs(b));
  return std::fabs(a - b) <= std::max(rel_tolerance * scale, 1e-12);
}

/// Compares two series element by element: absent where the other is
/// absent, and equal within the tolerance elsewhere.
inline ::testing::AssertionResult same_series(
  const std::vector<std::optional<double>>& actual,
  const std::vector<std::optional<double>>& expected) {
  if (actual.size() != expected.size())
    return ::testing::AssertionFailure()
           << "sizes differ: " << actual.size() << " vs " << expected.size();
  for (size_t i = 0; i < actual.size(); ++i) {
    if (actual[i].has_value() != expected[i].has_value())
      return ::testing::AssertionFailure()
             << "index " << i << ": " << (actual[i] ? "present" : "absent")
             << ", expected " << (expected[i] ? "present" : "absent");
    if (actual[i] && !close_enough(*actual[i], *expected[i]))
      return ::testing::AssertionFailure()
             << "index " << i << ": " << *actual[i] << " vs expected "
             << *expected[i] << " (relative difference "
             << std::fabs(*actual[i] - *expected[i]) / std::fabs(*expected[i]) << ")";
  }
  return ::testing::AssertionSuccess();
}

/// The reference series as bars.
inline std::vector<indicators::ohlcv> reference_bars() {
  std::vector<indicators::ohlcv> out;
  for (auto& r : reference::bars)
    out.push_back({r.t_ns, r.open, r.high, r.low, r.close, r.volume});
  return out;
}

inline std::vector<double> reference_closes() {
  std::vector<double> out;
  for (auto& r : reference::bars)
    out.push_back(r.close);
  return out;
}

} // namespace tickflow::test
