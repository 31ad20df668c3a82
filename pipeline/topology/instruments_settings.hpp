#pragma once

// Settings of the instruments search; filled by
// pipeline/topology/topology_instruments.cpp.

#include <cstddef>
#include <cstdint>

namespace tickflow {

/// [instruments]: the providers' reference lists GET /api/v1/instruments
/// searches besides the configured and seen instruments.
struct instruments_settings {
  /// false: no list is asked for; the search knows configured and seen only.
  bool reference_lists = true;
  /// How often every enabled provider's list is asked again.
  int64_t refresh_ns = 12 * 3600 * 1'000'000'000LL;
  /// Rows kept over all providers' lists; beyond it they are counted and
  /// dropped.
  size_t max_reference = 100'000;
};

} // namespace tickflow
