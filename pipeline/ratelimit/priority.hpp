#pragma once

#include <cstdint>
#include <string_view>

namespace tickflow {

/// Priority of an upstream call: a queued call is granted before every call
/// of a lower priority. Consumers waiting on an answer are URGENT or HIGH;
/// refreshes MEDIUM or LOW; backfills and prefetches BATCH.
enum class priority : uint8_t { urgent, high, medium, low, batch };

inline constexpr size_t priority_count = 5;

constexpr std::string_view to_string(priority p) noexcept {
  switch (p) {
    case priority::urgent: return "urgent";
    case priority::high: return "high";
    case priority::medium: return "medium";
    case priority::low: return "low";
    case priority::batch: return "batch";
  }
  return "unknown";
}

} // namespace tickflow
