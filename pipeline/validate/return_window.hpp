#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace tickflow {

/// The most recent log returns of one series, with the two outlier scores
/// the validation engine needs, both O(1) or O(window) without sorting per
/// query: a running sum and sum of squares over the last `zscore_window`
/// returns, and a sorted copy of the last `mad_window` returns. Plain
/// doubles: this is statistics, never prices.
class return_window {
 public:
  /// How far a value lies from the window, in units of its spread.
  struct score {
    double value = 0;  ///< |r - center| / scale
    double center = 0; ///< mean (z-score) or median (MAD)
    double scale = 0;  ///< sigma or 1.4826 * MAD, after the floor
    size_t samples = 0;
  };

  /// Windows of at least 1 return each.
  explicit return_window(size_t zscore_window = 1, size_t mad_window = 1);

  /// Appends a return; the oldest leaves each window when it is full.
  /// Non-finite values are ignored.
  void push(double r);

  /// Forgets every return.
  void clear() noexcept;

  /// Returns held (the larger window's fill).
  size_t size() const noexcept { return size_; }

  /// z-score of r against the mean and (population) standard deviation of
  /// the last zscore_window returns; nullopt with fewer than min_samples of
  /// them. The deviation is at least `floor`.
  std::optional<score> zscore(double r, size_t min_samples,
                              double floor) const;

  /// Robust score of r: |r - median| / (1.4826 * MAD) over the last
  /// mad_window returns (MAD = median of |x - median|); nullopt with fewer
  /// than min_samples of them. The scaled MAD is at least `floor`.
  std::optional<score> mad_score(double r, size_t min_samples,
                                 double floor) const;

 private:
  // Recomputes the running sums from the ring (bounds rounding drift).
  void refresh_sums() noexcept;

  size_t zscore_window_;
  size_t mad_window_;
  size_t capacity_; // the larger window
  // Grows to capacity_ as returns arrive (nothing reserved up front: most
  // series of a busy validator never fill a window); next_ is the oldest
  // when full.
  std::vector<double> ring_;
  size_t next_ = 0;
  size_t size_ = 0;
  double sum_ = 0;     // over the last min(size_, zscore_window_) returns
  double squares_ = 0; // same, squared
  size_t pushes_since_refresh_ = 0;
  std::vector<double> sorted_; // the last min(size_, mad_window_), ascending
};

} // namespace tickflow
