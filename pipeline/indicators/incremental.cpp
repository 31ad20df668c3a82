#include "pipeline/indicators/incremental.hpp"

#include <algorithm>
#include <cmath>

namespace tickflow::indicators {

namespace {

/// Mean of a window, summed oldest first (as the batch functions do).
double mean_of(const std::deque<double>& xs) {
  double sum = 0;
  for (double x : xs)
    sum += x;
  return sum / static_cast<double>(xs.size());
}

template <class T>
void push_bounded(std::deque<T>& window, T x, size_t bound) {
  window.push_back(std::move(x));
  if (window.size() > bound)
    window.pop_front();
}

} // namespace

std::optional<double> sma_state::update(double x) {
  push_bounded(window_, x, period_);
  if (window_.size() < period_)
    return std::nullopt;
  return mean_of(window_);
}

std::optional<double> ema_state::update(double x) {
  ++seen_;
  if (seen_ <= period_) {
    seed_sum_ += x;
    if (seen_ < period_)
      return std::nullopt;
    value_ = seed_sum_ / static_cast<double>(period_);
    return value_;
  }
  double alpha = 2.0 / (static_cast<double>(period_) + 1.0);
  value_ = alpha * x + (1.0 - alpha) * value_;
  return value_;
}

std::optional<double> rsi_state::update(double close) {
  if (!prev_) {
    prev_ = close;
    return std::nullopt;
  }
  double change = close - *prev_;
  prev_ = close;
  double g = change > 0 ? change : 0.0;
  double l = change < 0 ? -change : 0.0;
  auto n = static_cast<double>(period_);
  ++changes_;
  if (changes_ <= period_) {
    gain_ += g;
    loss_ += l;
    if (changes_ < period_)
      return std::nullopt;
    gain_ /= n;
    loss_ /= n;
  } else {
    gain_ = (gain_ * (n - 1.0) + g) / n;
    loss_ = (loss_ * (n - 1.0) + l) / n;
  }
  return loss_ == 0.0 ? 100.0 : 100.0 - 100.0 / (1.0 + gain_ / loss_);
}

std::optional<macd_value> macd_state::update(double close) {
  auto f = fast_.update(close);
  auto s = slow_.update(close);
  if (!f || !s)
    return std::nullopt;
  macd_value out;
  out.macd = *f - *s;
  out.signal = signal_.update(out.macd);
  if (out.signal)
    out.hist = out.macd - *out.signal;
  return out;
}

std::optional<band_value> bollinger_state::update(double close) {
  push_bounded(window_, close, period_);
  if (window_.size() < period_)
    return std::nullopt;
  double mean = mean_of(window_);
  double sum = 0;
  for (double x : window_)
    sum += (x - mean) * (x - mean);
  double sd = std::sqrt(sum / static_cast<double>(period_));
  return band_value{mean, mean + k_ * sd, mean - k_ * sd};
}

std::optional<double> atr_state::update(const ohlcv& b) {
  if (!prev_close_) {
    prev_close_ = b.close;
    return std::nullopt;
  }
  double prev = *prev_close_;
  prev_close_ = b.close;
  double tr = std::max({b.high - b.low, std::fabs(b.high - prev),
                        std::fabs(b.low - prev)});
  auto n = static_cast<double>(period_);
  ++ranges_;
  if (ranges_ <= period_) {
    value_ += tr;
    if (ranges_ < period_)
      return std::nullopt;
    value_ /= n;
    return value_;
  }
  value_ = (value_ * (n - 1.0) + tr) / n;
  return value_;
}

std::optional<double> vwap_state::update(const ohlcv& b) {
  int64_t session = reset_ns_ > 0 ? b.t_ns / reset_ns_ : 0;
  if (session_ && *session_ != session) {
    pv_ = 0;
    volume_ = 0;
  }
  session_ = session;
  pv_ += (b.high + b.low + b.close) / 3.0 * b.volume;
  volume_ += b.volume;
  if (volume_ > 0)
    return pv_ / volume_;
  return std::nullopt;
}

std::optional<volatility_value> volatility_state::update(double close) {
  if (!prev_) {
    prev_ = close;
    return std::nullopt;
  }
  std::optional<double> r;
  if (close > 0 && *prev_ > 0)
    r = std::log(close / *prev_);
  prev_ = close;
  push_bounded(returns_, r, period_);
  if (returns_.size() < period_)
    return std::nullopt;
  double sum = 0;
  for (auto& x : returns_) {
    if (!x)
      return std::nullopt;
    sum += *x;
  }
  double mean = sum / static_cast<double>(period_);
  double squares = 0;
  for (auto& x : returns_)
    squares += (*x - mean) * (*x - mean);
  double sd = std::sqrt(squares / (static_cast<double>(period_) - 1.0));
  return volatility_value{sd, sd * std::sqrt(bars_per_year_)};
}

} // namespace tickflow::indicators
