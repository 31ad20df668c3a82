#pragma once

// Technical indicators over a whole series, as pure functions (std only).
// Every output is aligned with its input: value i belongs to bar i and is
// absent (nullopt) while the indicator warms up. A period larger than the
// series gives a series of absent values, not an error; bad parameters
// (period 0, fast >= slow, k <= 0, ...) give errc::invalid_argument.
//
// Conventions (docs/API.md "Technical indicators" repeats them):
// - EMA: alpha = 2 / (period + 1), seeded with the SMA of the first `period`
//   inputs, so the first value is at index period - 1.
// - RSI (Wilder): changes from index 1; the first average gain/loss is the
//   mean of the first `period` changes (first value at index `period`), then
//   avg = (avg * (period - 1) + x) / period. No losses gives 100 (also for a
//   flat series: the formula's limit), no gains and some loss gives 0.
// - MACD: EMA(fast) - EMA(slow) of closes from index slow - 1; the signal is
//   the EMA(signal) of the MACD line (seeded with the SMA of its first
//   `signal` values); histogram = macd - signal.
// - Bollinger: middle = SMA(period), bands = middle +- k * the POPULATION
//   standard deviation (divide by period) of the same closes.
// - ATR (Wilder): true range from index 1 (max of high-low, |high-prev
//   close|, |low-prev close|); the first ATR is the mean of the first
//   `period` true ranges (index `period`), then Wilder smoothing.
// - VWAP: cumulative sum(typical * volume) / sum(volume) from the first bar,
//   typical = (high + low + close) / 3; absent while no volume was seen.
//   With reset_ns > 0 it starts again whenever t_ns / reset_ns changes (a
//   session: 86400 s for a UTC day).
// - Volatility: log returns ln(c_i / c_{i-1}) from index 1; the SAMPLE
//   standard deviation (divide by period - 1) of the last `period` returns
//   (first value at index `period`, period >= 2), and annualized by
//   sqrt(bars_per_year). A non-positive close has no log return: windows
//   holding it are absent.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "pipeline/indicators/ohlcv.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::indicators {

/// One optional value per input.
using series = std::vector<std::optional<double>>;

/// Simple moving average of the last `period` values.
result<series> sma(const std::vector<double>& xs, size_t period);

/// Exponential moving average (see the conventions above).
result<series> ema(const std::vector<double>& xs, size_t period);

/// Relative strength index, Wilder smoothing, 0..100.
result<series> rsi(const std::vector<double>& closes, size_t period);

struct macd_series {
  series macd;   ///< EMA(fast) - EMA(slow)
  series signal; ///< EMA(signal) of the MACD line
  series hist;   ///< macd - signal
};

/// MACD; needs 0 < fast < slow and signal > 0.
result<macd_series> macd(const std::vector<double>& closes, size_t fast,
                         size_t slow, size_t signal);

struct band_series {
  series middle;
  series upper;
  series lower;
};

/// Bollinger bands with k population standard deviations; k in (0, 100].
result<band_series> bollinger(const std::vector<double>& closes, size_t period,
                              double k);

/// Average true range, Wilder smoothing.
result<series> atr(const std::vector<ohlcv>& bars, size_t period);

/// Volume-weighted average price of the typical price; reset_ns 0: never
/// reset, else per t_ns / reset_ns.
result<series> vwap(const std::vector<ohlcv>& bars, int64_t reset_ns = 0);

struct volatility_series {
  series stdev;      ///< per bar: sample std dev of the log returns
  series annualized; ///< stdev * sqrt(bars_per_year)
};

/// Rolling volatility of log returns; period >= 2, bars_per_year > 0.
result<volatility_series> volatility(const std::vector<double>& closes,
                                     size_t period, double bars_per_year);

} // namespace tickflow::indicators
