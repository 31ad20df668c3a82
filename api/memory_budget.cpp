#include "api/memory_budget.hpp"

#include <chrono>
#include <cstdio>

#include <unistd.h>

namespace tickflow::api {

namespace {

constexpr int64_t sample_period_ns = 50'000'000;

int64_t steady_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

} // namespace

uint64_t resident_bytes() noexcept {
  // /proc/self/statm: "size resident shared text lib data dt", in pages.
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr)
    return 0;
  unsigned long long size = 0;
  unsigned long long resident = 0;
  int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  if (n != 2)
    return 0;
  long page = sysconf(_SC_PAGESIZE);
  return resident * static_cast<uint64_t>(page > 0 ? page : 4096);
}

memory_budget& memory_budget::process() noexcept {
  static memory_budget budget;
  return budget;
}

void memory_budget::set_limit(uint64_t bytes) noexcept {
  limit_.store(bytes, std::memory_order_relaxed);
  sampled_ns_.store(0, std::memory_order_relaxed); // sample on the next ask
}

uint64_t memory_budget::limit() const noexcept {
  return limit_.load(std::memory_order_relaxed);
}

bool memory_budget::over() noexcept {
  auto limit = limit_.load(std::memory_order_relaxed);
  if (limit == 0)
    return false;
  auto now = steady_ns();
  auto last = sampled_ns_.load(std::memory_order_relaxed);
  // One thread samples; the others read the sample it leaves.
  if (now - last >= sample_period_ns
      && sampled_ns_.compare_exchange_strong(last, now,
                                             std::memory_order_relaxed))
    rss_.store(resident_bytes(), std::memory_order_relaxed);
  return rss_.load(std::memory_order_relaxed) > limit;
}

void memory_budget::count_refusal() noexcept {
  refusals_.fetch_add(1, std::memory_order_relaxed);
}

uint64_t memory_budget::rss() const noexcept {
  return rss_.load(std::memory_order_relaxed);
}

uint64_t memory_budget::refusals() const noexcept {
  return refusals_.load(std::memory_order_relaxed);
}

uint64_t memory_budget::sample() noexcept {
  auto bytes = resident_bytes();
  rss_.store(bytes, std::memory_order_relaxed);
  sampled_ns_.store(steady_ns(), std::memory_order_relaxed);
  return bytes;
}

} // namespace tickflow::api
