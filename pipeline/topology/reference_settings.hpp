#pragma once

// Settings of the reference area; filled by pipeline/topology/topology_reference.cpp.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tickflow {

/// [reference]: fundamentals (GET /api/v1/fundamentals/{symbol}) and news
/// (GET /api/v1/news), asked of the providers through the scheduler and kept
/// in the gateway's own LRU cache.
struct reference_settings {
  /// false: both routes answer 503 reference_disabled.
  bool enabled = true;
  /// How long a fetched profile is served from the cache.
  int64_t fundamentals_ttl_ns = 24 * 3600 * 1'000'000'000LL;
  /// How long a merged news answer is served from the cache.
  int64_t news_ttl_ns = 5 * 60 * 1'000'000'000LL;
  /// Answers kept (profiles and news lists together); least recently used
  /// leave first.
  size_t cache_entries = 1000;
  /// How far back company news is asked for (providers that need a range).
  int64_t news_lookback_ns = 7 * 24 * 3600 * 1'000'000'000LL;
};

} // namespace tickflow
