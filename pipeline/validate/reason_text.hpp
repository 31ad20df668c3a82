#pragma once

#include <cstdint>
#include <string>

#include "pipeline/model/saturating.hpp"

namespace tickflow {

/// Exact duration text in the largest unit that divides it: "5s", "250ms",
/// "1500us", "7ns", "-3s".
std::string format_duration(int64_t ns);

/// Fixed-point text of a statistic (never of a price): format_fixed(1.23456,
/// 2) == "1.23". Non-finite values render as "inf" / "nan".
std::string format_fixed(double value, int digits);

/// Shortest text of a setting or statistic with up to 6 significant digits:
/// 6.0 -> "6", 0.01 -> "0.01", 1e-4 -> "0.0001".
std::string format_general(double value);

} // namespace tickflow
