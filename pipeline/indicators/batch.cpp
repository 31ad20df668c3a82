#include "pipeline/indicators/batch.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace tickflow::indicators {

namespace {

error bad_param(std::string what) {
  return error{errc::invalid_argument, std::move(what)};
}

result<void> check_period(size_t period, size_t min = 1) {
  if (period < min)
    return bad_param("period must be at least " + std::to_string(min));
  return {};
}

/// Mean of xs[from, from + n), summed left to right.
double window_mean(const std::vector<double>& xs, size_t from, size_t n) {
  double sum = 0;
  for (size_t i = from; i < from + n; ++i)
    sum += xs[i];
  return sum / static_cast<double>(n);
}

/// Population variance of xs[from, from + n) around `mean` (two passes:
/// no cancellation between large squares).
double window_variance(const std::vector<double>& xs, size_t from, size_t n,
                       double mean) {
  double sum = 0;
  for (size_t i = from; i < from + n; ++i)
    sum += (xs[i] - mean) * (xs[i] - mean);
  return sum / static_cast<double>(n);
}

/// EMA of xs[first..]: seeded at first + period - 1; absent before.
series ema_from(const std::vector<double>& xs, size_t first, size_t period) {
  series out(xs.size());
  if (xs.size() < first + period)
    return out;
  double alpha = 2.0 / (static_cast<double>(period) + 1.0);
  double value = window_mean(xs, first, period);
  out[first + period - 1] = value;
  for (size_t i = first + period; i < xs.size(); ++i) {
    value = alpha * xs[i] + (1.0 - alpha) * value;
    out[i] = value;
  }
  return out;
}

/// Wilder smoothing of xs[1..]: the first value (index `period`) is the
/// mean of xs[1..period], then (prev * (period - 1) + x) / period.
series wilder_from_one(const std::vector<double>& xs, size_t period) {
  series out(xs.size());
  if (xs.size() < period + 1)
    return out;
  double value = window_mean(xs, 1, period);
  out[period] = value;
  auto n = static_cast<double>(period);
  for (size_t i = period + 1; i < xs.size(); ++i) {
    value = (value * (n - 1.0) + xs[i]) / n;
    out[i] = value;
  }
  return out;
}

} // namespace

result<series> sma(const std::vector<double>& xs, size_t period) {
  if (auto ok = check_period(period); !ok)
    return ok.err();
  series out(xs.size());
  for (size_t i = period - 1; i < xs.size(); ++i)
    out[i] = window_mean(xs, i + 1 - period, period);
  return out;
}

result<series> ema(const std::vector<double>& xs, size_t period) {
  if (auto ok = check_period(period); !ok)
    return ok.err();
  return ema_from(xs, 0, period);
}

result<series> rsi(const std::vector<double>& closes, size_t period) {
  if (auto ok = check_period(period); !ok)
    return ok.err();
  std::vector<double> gains(closes.size(), 0.0);
  std::vector<double> losses(closes.size(), 0.0);
  for (size_t i = 1; i < closes.size(); ++i) {
    double change = closes[i] - closes[i - 1];
    gains[i] = change > 0 ? change : 0.0;
    losses[i] = change < 0 ? -change : 0.0;
  }
  auto avg_gain = wilder_from_one(gains, period);
  auto avg_loss = wilder_from_one(losses, period);
  series out(closes.size());
  for (size_t i = 0; i < closes.size(); ++i) {
    if (!avg_gain[i])
      continue;
    double g = *avg_gain[i];
    double l = *avg_loss[i];
    out[i] = l == 0.0 ? 100.0 : 100.0 - 100.0 / (1.0 + g / l);
  }
  return out;
}

result<macd_series> macd(const std::vector<double>& closes, size_t fast,
                         size_t slow, size_t signal) {
  if (fast == 0 || signal == 0)
    return bad_param("fast and signal periods must be at least 1");
  if (fast >= slow)
    return bad_param("the fast period must be shorter than the slow one");
  auto f = ema_from(closes, 0, fast);
  auto s = ema_from(closes, 0, slow);
  macd_series out{series(closes.size()), series(closes.size()),
                  series(closes.size())};
  // The MACD line exists from slow - 1 (the fast EMA exists earlier).
  std::vector<double> line(closes.size(), 0.0);
  for (size_t i = slow - 1; i < closes.size(); ++i) {
    line[i] = *f[i] - *s[i];
    out.macd[i] = line[i];
  }
  if (closes.size() < slow)
    return out;
  out.signal = ema_from(line, slow - 1, signal);
  for (size_t i = 0; i < closes.size(); ++i)
    if (out.signal[i])
      out.hist[i] = line[i] - *out.signal[i];
  return out;
}

result<band_series> bollinger(const std::vector<double>& closes, size_t period,
                              double k) {
  if (auto ok = check_period(period); !ok)
    return ok.err();
  if (!(k > 0.0 && k <= 100.0))
    return bad_param("k must be greater than 0 and at most 100");
  band_series out{series(closes.size()), series(closes.size()),
                  series(closes.size())};
  for (size_t i = period - 1; i < closes.size(); ++i) {
    auto from = i + 1 - period;
    double mean = window_mean(closes, from, period);
    double sd = std::sqrt(window_variance(closes, from, period, mean));
    out.middle[i] = mean;
    out.upper[i] = mean + k * sd;
    out.lower[i] = mean - k * sd;
  }
  return out;
}

result<series> atr(const std::vector<ohlcv>& bars, size_t period) {
  if (auto ok = check_period(period); !ok)
    return ok.err();
  std::vector<double> tr(bars.size(), 0.0);
  for (size_t i = 1; i < bars.size(); ++i) {
    double prev = bars[i - 1].close;
    tr[i] = std::max({bars[i].high - bars[i].low, std::fabs(bars[i].high - prev),
                      std::fabs(bars[i].low - prev)});
  }
  return wilder_from_one(tr, period);
}

result<series> vwap(const std::vector<ohlcv>& bars, int64_t reset_ns) {
  if (reset_ns < 0)
    return bad_param("reset must not be negative");
  series out(bars.size());
  double pv = 0;
  double volume = 0;
  for (size_t i = 0; i < bars.size(); ++i) {
    auto& b = bars[i];
    if (i > 0 && reset_ns > 0 && b.t_ns / reset_ns != bars[i - 1].t_ns / reset_ns) {
      pv = 0;
      volume = 0;
    }
    pv += (b.high + b.low + b.close) / 3.0 * b.volume;
    volume += b.volume;
    if (volume > 0)
      out[i] = pv / volume;
  }
  return out;
}

result<volatility_series> volatility(const std::vector<double>& closes,
                                     size_t period, double bars_per_year) {
  if (auto ok = check_period(period, 2); !ok)
    return ok.err();
  if (!(bars_per_year > 0.0) || !std::isfinite(bars_per_year))
    return bad_param("bars per year must be a positive number");
  volatility_series out{series(closes.size()), series(closes.size())};
  std::vector<double> returns(closes.size(), 0.0);
  std::vector<bool> defined(closes.size(), false);
  for (size_t i = 1; i < closes.size(); ++i) {
    if (closes[i] > 0 && closes[i - 1] > 0) {
      returns[i] = std::log(closes[i] / closes[i - 1]);
      defined[i] = true;
    }
  }
  auto n = static_cast<double>(period);
  for (size_t i = period; i < closes.size(); ++i) {
    auto from = i + 1 - period;
    if (!std::all_of(defined.begin() + static_cast<std::ptrdiff_t>(from),
                     defined.begin() + static_cast<std::ptrdiff_t>(i + 1),
                     [](bool d) { return d; }))
      continue;
    double mean = window_mean(returns, from, period);
    double sum = 0;
    for (size_t j = from; j <= i; ++j)
      sum += (returns[j] - mean) * (returns[j] - mean);
    double sd = std::sqrt(sum / (n - 1.0));
    out.stdev[i] = sd;
    out.annualized[i] = sd * std::sqrt(bars_per_year);
  }
  return out;
}

} // namespace tickflow::indicators
