#pragma once

// A small log-linear latency histogram for the benchmarks (no allocation on
// record): exact below 128 ns, then 64 sub-buckets per power of two, so any
// value is reported within 1.6% of what was recorded. Not thread-safe: one
// writer, read after the writer is done.

#include <array>
#include <cstddef>
#include <cstdint>

namespace tickflow::bench {

class histogram {
 public:
  static constexpr size_t linear = 128;
  static constexpr size_t subs = 64;
  static constexpr size_t buckets = linear + (64 - 7) * subs;

  void record(int64_t value_ns, uint64_t count = 1) noexcept {
    if (value_ns < 0) {
      negative_ += count;
      value_ns = 0;
    }
    auto v = static_cast<uint64_t>(value_ns);
    counts_[index_of(v)] += count;
    total_ += count;
    if (v > max_)
      max_ = v;
  }

  uint64_t count() const noexcept { return total_; }
  uint64_t negative() const noexcept { return negative_; }
  uint64_t max() const noexcept { return max_; }

  /// The value at quantile q in [0, 1] (middle of its bucket), 0 when empty.
  uint64_t quantile(double q) const noexcept {
    if (total_ == 0)
      return 0;
    auto rank = static_cast<uint64_t>(q * static_cast<double>(total_));
    if (rank >= total_)
      rank = total_ - 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < buckets; ++i) {
      seen += counts_[i];
      if (seen > rank) {
        auto lo = lower_of(i);
        auto hi = i + 1 < buckets ? lower_of(i + 1) : lo;
        auto mid = lo + (hi - lo) / 2;
        return mid < max_ ? mid : max_;
      }
    }
    return max_;
  }

  void merge(const histogram& other) noexcept {
    for (size_t i = 0; i < buckets; ++i)
      counts_[i] += other.counts_[i];
    total_ += other.total_;
    negative_ += other.negative_;
    if (other.max_ > max_)
      max_ = other.max_;
  }

  void reset() noexcept { *this = histogram{}; }

 private:
  static size_t index_of(uint64_t v) noexcept {
    if (v < linear)
      return static_cast<size_t>(v);
    int e = 63 - __builtin_clzll(v); // >= 7
    auto sub = (v >> (e - 6)) - subs; // 0..63
    return linear + static_cast<size_t>(e - 7) * subs + static_cast<size_t>(sub);
  }

  static uint64_t lower_of(size_t i) noexcept {
    if (i < linear)
      return i;
    auto k = i - linear;
    auto e = static_cast<int>(k / subs) + 7;
    auto sub = static_cast<uint64_t>(k % subs);
    return (subs + sub) << (e - 6);
  }

  std::array<uint64_t, buckets> counts_{};
  uint64_t total_ = 0;
  uint64_t negative_ = 0;
  uint64_t max_ = 0;
};

} // namespace tickflow::bench
