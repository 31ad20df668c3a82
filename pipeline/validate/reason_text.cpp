#include "pipeline/validate/reason_text.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "pipeline/model/time.hpp"

namespace tickflow {

std::string format_duration(int64_t ns) {
  struct unit {
    int64_t size;
    const char* name;
  };
  static constexpr unit units[] = {
    {ns_per_s, "s"}, {ns_per_ms, "ms"}, {ns_per_us, "us"}};
  if (ns == 0)
    return "0s";
  for (auto& u : units)
    if (ns % u.size == 0)
      return std::to_string(ns / u.size) + u.name;
  return std::to_string(ns) + "ns";
}

std::string format_fixed(double value, int digits) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value < 0 ? "-inf" : "inf";
  char buf[64];
  auto n = std::snprintf(buf, sizeof(buf), "%.*f", digits, value);
  if (n < 0 || static_cast<size_t>(n) >= sizeof(buf))
    return value < 0 ? "-huge" : "huge";
  return std::string(buf, static_cast<size_t>(n));
}

std::string format_general(double value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value < 0 ? "-inf" : "inf";
  char buf[64];
  auto n = std::snprintf(buf, sizeof(buf), "%.6g", value);
  if (n < 0 || static_cast<size_t>(n) >= sizeof(buf))
    return "?";
  return std::string(buf, static_cast<size_t>(n));
}

} // namespace tickflow
