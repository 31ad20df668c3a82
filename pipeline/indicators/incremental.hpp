#pragma once

// The indicators of batch.hpp fed one closed bar at a time, for live
// updates: each update() returns what the batch function gives for that
// bar (nullopt while warming up), with the same conventions. Parameters are
// taken as given: callers validate them first (indicator_spec does).
// Memory is bounded by the period.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "pipeline/indicators/ohlcv.hpp"

namespace tickflow::indicators {

class sma_state {
 public:
  explicit sma_state(size_t period) : period_(period) {}
  std::optional<double> update(double x);

 private:
  size_t period_;
  std::deque<double> window_;
};

class ema_state {
 public:
  explicit ema_state(size_t period) : period_(period) {}
  std::optional<double> update(double x);

 private:
  size_t period_;
  size_t seen_ = 0;
  double seed_sum_ = 0;
  double value_ = 0;
};

class rsi_state {
 public:
  explicit rsi_state(size_t period) : period_(period) {}
  std::optional<double> update(double close);

 private:
  size_t period_;
  std::optional<double> prev_;
  size_t changes_ = 0;
  double gain_ = 0; ///< sum while seeding, then the average
  double loss_ = 0;
};

struct macd_value {
  double macd = 0;
  std::optional<double> signal; ///< absent while the signal warms up
  std::optional<double> hist;
};

class macd_state {
 public:
  macd_state(size_t fast, size_t slow, size_t signal)
      : fast_(fast), slow_(slow), signal_(signal) {}
  std::optional<macd_value> update(double close);

 private:
  ema_state fast_;
  ema_state slow_;
  ema_state signal_;
};

struct band_value {
  double middle = 0;
  double upper = 0;
  double lower = 0;
};

class bollinger_state {
 public:
  bollinger_state(size_t period, double k) : period_(period), k_(k) {}
  std::optional<band_value> update(double close);

 private:
  size_t period_;
  double k_;
  std::deque<double> window_;
};

class atr_state {
 public:
  explicit atr_state(size_t period) : period_(period) {}
  std::optional<double> update(const ohlcv& b);

 private:
  size_t period_;
  std::optional<double> prev_close_;
  size_t ranges_ = 0;
  double value_ = 0; ///< sum while seeding, then the average
};

class vwap_state {
 public:
  /// reset_ns 0: never starts again; else whenever t_ns / reset_ns changes.
  explicit vwap_state(int64_t reset_ns = 0) : reset_ns_(reset_ns) {}
  std::optional<double> update(const ohlcv& b);

 private:
  int64_t reset_ns_;
  std::optional<int64_t> session_;
  double pv_ = 0;
  double volume_ = 0;
};

struct volatility_value {
  double stdev = 0;
  double annualized = 0;
};

class volatility_state {
 public:
  volatility_state(size_t period, double bars_per_year)
      : period_(period), bars_per_year_(bars_per_year) {}
  std::optional<volatility_value> update(double close);

 private:
  size_t period_;
  double bars_per_year_;
  std::optional<double> prev_;
  std::deque<std::optional<double>> returns_;
};

} // namespace tickflow::indicators
