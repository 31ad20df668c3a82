#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/model/error.hpp"

namespace tickflow {

/// An exact decimal number: mantissa * 10^-scale. Prices and sizes never travel
/// as double, so a provider's "0.00100000" is served back as "0.001".
///
/// Invariant (kept by every factory and operation): normalized, i.e. when
/// scale > 0 the mantissa has no trailing zero digit, and zero has scale 0.
/// Two equal numbers therefore have equal fields.
struct decimal {
  /// Most significant digits a value may carry (int64 holds 18 safely).
  static constexpr int max_digits = 18;
  /// Most digits after the point.
  static constexpr int max_scale = 18;

  int64_t mantissa = 0;
  uint8_t scale = 0;

  /// Builds a normalized decimal from mantissa * 10^-scale.
  /// Precondition: scale <= max_scale.
  static decimal from_parts(int64_t mantissa, uint8_t scale) noexcept;

  /// Parses plain decimal text: optional sign, digits, optional point and
  /// digits ("65000.12", "-0.5", "0.00100000", "42", ".5" is rejected).
  /// Errors (errc::bad_number, context names the problem and the input):
  /// empty text, exponent forms ("1e-3"), "nan"/"inf", stray characters,
  /// more than max_digits significant digits or more than max_scale
  /// fractional digits after trailing zeros are dropped.
  static result<decimal> parse(std::string_view text);

  /// Shortest exact text: "0.001", "65000.12", "-3", "0".
  std::string to_string() const;

  /// Appends to_string() to out without a temporary (hot path).
  void append_to(std::string& out) const;

  /// Nearest double, for statistics only (z-scores, ratios), never for prices.
  double to_double() const noexcept;

  bool is_zero() const noexcept { return mantissa == 0; }
  bool is_negative() const noexcept { return mantissa < 0; }
  bool is_positive() const noexcept { return mantissa > 0; }

  /// Exact sum; errc::out_of_range when it does not fit.
  static result<decimal> add(decimal a, decimal b);
  /// Exact difference; errc::out_of_range when it does not fit.
  static result<decimal> sub(decimal a, decimal b);
  /// Exact product; errc::out_of_range when it does not fit in max_digits /
  /// max_scale (after dropping trailing zeros).
  static result<decimal> mul(decimal a, decimal b);

  /// Three-way exact comparison across scales: -1, 0 or 1.
  static int compare(decimal a, decimal b) noexcept;
};

inline bool operator==(decimal a, decimal b) noexcept {
  return a.mantissa == b.mantissa && a.scale == b.scale;
}
inline bool operator!=(decimal a, decimal b) noexcept { return !(a == b); }
inline bool operator<(decimal a, decimal b) noexcept {
  return decimal::compare(a, b) < 0;
}
inline bool operator>(decimal a, decimal b) noexcept { return b < a; }
inline bool operator<=(decimal a, decimal b) noexcept { return !(b < a); }
inline bool operator>=(decimal a, decimal b) noexcept { return !(a < b); }

} // namespace tickflow
