// The building blocks: rolling return window, bounded id memory, reason text.

#include "pipeline/validate/reason_text.hpp"
#include "pipeline/validate/recent_set.hpp"
#include "pipeline/validate/return_window.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "pipeline/model/time.hpp"

namespace tickflow {
namespace {

return_window filled(size_t zscore_window, size_t mad_window,
                     const std::vector<double>& xs) {
  return_window w{zscore_window, mad_window};
  for (double x : xs)
    w.push(x);
  return w;
}

TEST(ValidateStats, ZScore) {
  struct row {
    const char* name;
    std::vector<double> pushed;
    size_t zscore_window;
    size_t mad_window;
    double r;
    double value; // < 0: nullopt expected
    double center;
    double scale;
  };
  const double sqrt2 = std::sqrt(2.0);
  const double sigma_123 = std::sqrt(2.0 / 3);
  const row rows[] = {
    {"1..5", {1, 2, 3, 4, 5}, 10, 10, 6, 3 / sqrt2, 3, sqrt2},
    {"below the mean", {1, 2, 3, 4, 5}, 10, 10, 0, 3 / sqrt2, 3, sqrt2},
    {"last 3 of 5", {100, 100, 1, 2, 3}, 3, 10, 4, 2 / sigma_123, 2,
     sigma_123},
    {"ring of 3", {100, 100, 1, 2, 3}, 3, 3, 4, 2 / sigma_123, 2, sigma_123},
    {"after wrapping many times", {9, 9, 9, 9, 9, 9, 9, 1, 2, 3}, 3, 2, 4,
     2 / sigma_123, 2, sigma_123},
    {"flat: floor", {0, 0, 0}, 10, 10, 0.5, 5000, 0, 1e-4},
    {"too few", {1, 2}, 10, 10, 6, -1, 0, 0},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto w = filled(r.zscore_window, r.mad_window, r.pushed);

    auto got = w.zscore(r.r, 3, 1e-4);

    if (r.value < 0) {
      EXPECT_FALSE(got);
      continue;
    }
    ASSERT_TRUE(got);
    EXPECT_NEAR(got->value, r.value, 1e-9);
    EXPECT_NEAR(got->center, r.center, 1e-12);
    EXPECT_NEAR(got->scale, r.scale, 1e-12);
    EXPECT_EQ(got->samples, std::min(r.zscore_window, r.pushed.size()));
  }
}

TEST(ValidateStats, MadScore) {
  struct row {
    const char* name;
    std::vector<double> pushed;
    size_t mad_window;
    double r;
    double value;
    double center;
    double scale;
  };
  const row rows[] = {
    // median 3, |x - 3| = 2 1 0 1 2 -> MAD 1
    {"odd", {5, 1, 4, 2, 3}, 16, 6, 3 / 1.4826, 3, 1.4826},
    // median 2.5, |x - 2.5| = 1.5 .5 .5 1.5 -> MAD 1
    {"even", {4, 1, 3, 2}, 16, 6.5, 4 / 1.4826, 2.5, 1.4826},
    // One wild value barely moves the median or the MAD.
    {"robust", {1, 2, 3, 4, 1000}, 16, 6, 3 / 1.4826, 3, 1.4826},
    // Only the last 5 count: the 1000s left the window.
    {"window", {1000, 1000, 5, 1, 4, 2, 3}, 5, 6, 3 / 1.4826, 3, 1.4826},
    // Distances all on one side of the median: 0 0 0 9 -> MAD 0 -> floor
    {"skewed", {1, 1, 1, 10}, 16, 1.001, 10, 1, 1e-4},
    {"flat: floor", {7, 7, 7}, 16, 7.001, 10, 7, 1e-4},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto w = filled(16, r.mad_window, r.pushed);

    auto got = w.mad_score(r.r, 3, 1e-4);

    ASSERT_TRUE(got);
    EXPECT_NEAR(got->value, r.value, 1e-6);
    EXPECT_NEAR(got->center, r.center, 1e-12);
    EXPECT_NEAR(got->scale, r.scale, 1e-12);
    EXPECT_EQ(got->samples, std::min(r.mad_window, r.pushed.size()));
  }
  EXPECT_FALSE(filled(16, 16, {1, 2}).mad_score(0, 3, 1e-4));
}

// The incremental window agrees with a brute-force computation.
TEST(ValidateStats, IncrementalMatchesBruteForce) {
  const size_t zw = 7, mw = 10;
  return_window w{zw, mw};
  std::vector<double> all;
  uint64_t seed = 3;
  auto median = [](std::vector<double> xs) {
    std::sort(xs.begin(), xs.end());
    auto n = xs.size();
    return n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  };
  for (int i = 0; i < 2000; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    // Coarse values, so ties and equal distances happen often.
    double x = static_cast<double>((seed >> 33) % 21) * 1e-4 - 1e-3;
    w.push(x);
    all.push_back(x);
    std::vector<double> zs(all.end() - static_cast<std::ptrdiff_t>(
                                         std::min(zw, all.size())),
                           all.end());
    std::vector<double> ms(all.end() - static_cast<std::ptrdiff_t>(
                                         std::min(mw, all.size())),
                           all.end());
    double mean = 0;
    for (double v : zs)
      mean += v;
    mean /= static_cast<double>(zs.size());
    double var = 0;
    for (double v : zs)
      var += (v - mean) * (v - mean);
    double sigma = std::max(std::sqrt(var / static_cast<double>(zs.size())),
                            1e-9);
    double m = median(ms);
    std::vector<double> dist;
    for (double v : ms)
      dist.push_back(std::fabs(v - m));
    double scale = std::max(1.4826 * median(dist), 1e-9);

    auto z = w.zscore(0.01, 1, 1e-9);
    auto mad = w.mad_score(0.01, 1, 1e-9);

    ASSERT_TRUE(z && mad);
    ASSERT_NEAR(z->center, mean, 1e-12) << i;
    ASSERT_NEAR(z->scale, sigma, 1e-9) << i;
    ASSERT_NEAR(mad->center, m, 1e-15) << i;
    ASSERT_NEAR(mad->scale, scale, 1e-15) << i;
  }
}

TEST(ValidateStats, WindowClearAndNonFinite) {
  auto w = filled(4, 4, {1, 2, 3, 4, 5});
  auto before = w.size();
  w.push(std::nan(""));
  w.push(std::numeric_limits<double>::infinity());
  auto with_junk = w.size();

  w.clear();

  EXPECT_EQ(before, 4u);
  EXPECT_EQ(with_junk, 4u);
  EXPECT_EQ(w.size(), 0u);
  EXPECT_FALSE(w.zscore(1, 1, 1e-4));
  EXPECT_FALSE(w.mad_score(1, 1, 1e-4));
}

TEST(ValidateStats, RecentSetForgetsTheOldest) {
  recent_set<std::string> ids{3};
  std::vector<bool> inserted;

  for (auto id : {"a", "b", "a", "c", "d", "a", "b"})
    inserted.push_back(ids.insert(id));

  // a b (a again) c | d evicts a | a evicts b | b evicts c
  EXPECT_EQ(inserted,
            (std::vector<bool>{true, true, false, true, true, true, true}));
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_FALSE(ids.contains("c"));
  EXPECT_TRUE(ids.contains("d"));
  EXPECT_TRUE(ids.contains("a"));
  EXPECT_TRUE(ids.contains("b"));
  EXPECT_EQ(ids.capacity(), 3u);
}

TEST(ValidateStats, ReasonText) {
  EXPECT_EQ(format_duration(5 * ns_per_s), "5s");
  EXPECT_EQ(format_duration(5001 * ns_per_ms), "5001ms");
  EXPECT_EQ(format_duration(1500 * ns_per_us), "1500us");
  EXPECT_EQ(format_duration(7), "7ns");
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(-3 * ns_per_s), "-3s");
  EXPECT_EQ(format_fixed(1.23456, 2), "1.23");
  EXPECT_EQ(format_fixed(std::numeric_limits<double>::infinity(), 2), "inf");
  EXPECT_EQ(format_general(6.0), "6");
  EXPECT_EQ(format_general(0.0001), "0.0001");
  constexpr auto max = std::numeric_limits<int64_t>::max();
  constexpr auto min = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(saturated_add(max, 1), max);
  EXPECT_EQ(saturated_add(min, -1), min);
  EXPECT_EQ(saturated_sub(min, 1), min);
  EXPECT_EQ(saturated_sub(max, -1), max);
  EXPECT_EQ(saturated_sub(5, 7), -2);
}

} // namespace
} // namespace tickflow
