#include "pipeline/validate/return_window.hpp"

#include <algorithm>
#include <cmath>

namespace tickflow {

namespace {

// Scale factor that makes the MAD a consistent estimator of sigma for
// normally distributed data (1 / Phi^-1(3/4)).
constexpr double mad_to_sigma = 1.4826;

} // namespace

return_window::return_window(size_t zscore_window, size_t mad_window)
    : zscore_window_(std::max<size_t>(zscore_window, 1)),
      mad_window_(std::max<size_t>(mad_window, 1)),
      capacity_(std::max(zscore_window_, mad_window_)) {
  // nop
}

void return_window::push(double r) {
  if (!std::isfinite(r))
    return; // keeps the sums and the sorted copy meaningful
  auto cap = capacity_;
  // The values leaving each window, read before the slot is overwritten.
  if (size_ >= zscore_window_) {
    double out = ring_[(next_ + cap - zscore_window_) % cap];
    sum_ -= out;
    squares_ -= out * out;
  }
  if (size_ >= mad_window_) {
    double out = ring_[(next_ + cap - mad_window_) % cap];
    auto i = std::lower_bound(sorted_.begin(), sorted_.end(), out);
    if (i != sorted_.end())
      sorted_.erase(i);
  }
  if (next_ < ring_.size())
    ring_[next_] = r;
  else
    ring_.push_back(r); // still growing: next_ == ring_.size()
  next_ = (next_ + 1) % cap;
  size_ = std::min(size_ + 1, cap);
  sum_ += r;
  squares_ += r * r;
  sorted_.insert(std::upper_bound(sorted_.begin(), sorted_.end(), r), r);
  if (++pushes_since_refresh_ >= cap)
    refresh_sums();
}

void return_window::clear() noexcept {
  next_ = 0;
  size_ = 0;
  sum_ = 0;
  squares_ = 0;
  pushes_since_refresh_ = 0;
  sorted_.clear();
}

void return_window::refresh_sums() noexcept {
  auto cap = capacity_;
  auto n = std::min(size_, zscore_window_);
  sum_ = 0;
  squares_ = 0;
  for (size_t i = 0; i < n; ++i) {
    double x = ring_[(next_ + cap - 1 - i) % cap];
    sum_ += x;
    squares_ += x * x;
  }
  pushes_since_refresh_ = 0;
}

std::optional<return_window::score>
return_window::zscore(double r, size_t min_samples, double floor) const {
  auto n = std::min(size_, zscore_window_);
  if (n == 0 || n < min_samples)
    return std::nullopt;
  auto count = static_cast<double>(n);
  double mean = sum_ / count;
  double variance = std::max(squares_ / count - mean * mean, 0.0);
  double sigma = std::max(std::sqrt(variance), floor);
  return score{std::fabs(r - mean) / sigma, mean, sigma, n};
}

std::optional<return_window::score>
return_window::mad_score(double r, size_t min_samples, double floor) const {
  auto n = sorted_.size();
  if (n == 0 || n < min_samples)
    return std::nullopt;
  auto& s = sorted_;
  double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  // The distances |x - median| are two sorted runs: s[n/2 - 1] down to s[0]
  // and s[n/2] up to s[n-1]. Merge them up to the middle one(s).
  auto k = n / 2; // the median distance is the k-th (and, n even, k-1-th)
  size_t left = n / 2; // next on the left is s[left - 1]
  size_t right = n / 2;
  double previous = 0;
  double current = 0;
  for (size_t step = 0; step <= k; ++step) {
    previous = current;
    bool take_left = right == n
                     || (left > 0 && median - s[left - 1] <= s[right] - median);
    if (take_left) {
      current = median - s[left - 1];
      --left;
    } else {
      current = s[right] - median;
      ++right;
    }
  }
  double mad = n % 2 == 1 ? current : (previous + current) / 2;
  double scale = std::max(mad_to_sigma * mad, floor);
  return score{std::fabs(r - median) / scale, median, scale, n};
}

} // namespace tickflow
