#pragma once

// Which indicator with which parameters, named the way clients write it
// ("rsi14", "sma50", "macd", "bb20", "atr14", "vwap", "vol20"), plus one
// interface over every indicator: compute() for a whole series (batch.hpp)
// and indicator_state for one closed bar at a time (incremental.hpp).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pipeline/indicators/incremental.hpp"
#include "pipeline/indicators/ohlcv.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/interval.hpp"

namespace tickflow::indicators {

enum class indicator_kind : uint8_t {
  sma, ema, rsi, macd, bollinger, atr, vwap, volatility,
};

/// Short name: "sma", "ema", "rsi", "macd", "bb", "atr", "vwap", "vol".
std::string_view to_string(indicator_kind k) noexcept;

/// Largest period any config may allow (max-period is checked against it).
inline constexpr size_t period_ceiling = 10000;

struct indicator_spec {
  indicator_kind kind = indicator_kind::sma;
  size_t period = 0;          ///< sma, ema, rsi, bollinger, atr, volatility
  size_t fast = 12;           ///< macd
  size_t slow = 26;           ///< macd
  size_t signal = 9;          ///< macd
  double k = 2.0;             ///< bollinger: standard deviations
  double bars_per_year = 365; ///< volatility: annualization
  int64_t reset_ns = 0;       ///< vwap: session length (0: cumulative)

  /// The name clients use and answers are keyed by: kind + period
  /// ("rsi14", "bb20", "vol20"); "macd" and "vwap" carry no period.
  std::string name() const;

  /// Bars before the first value: period - 1 (sma, ema, bollinger), period
  /// (rsi, atr, volatility: they need a previous close), slow + signal - 2
  /// (macd, when the signal exists too), 0 (vwap).
  size_t warmup() const noexcept;
};

/// The period used when a name has none: sma/ema/bollinger/volatility 20,
/// rsi/atr 14; 0 for macd and vwap.
size_t default_period(indicator_kind k) noexcept;

/// Checks the parameters: periods within 1..max_period (volatility from 2),
/// 0 < fast < slow <= max_period, signal 1..max_period, k in (0, 100],
/// bars_per_year > 0, reset_ns >= 0. errc::invalid_argument says which.
result<void> validate(const indicator_spec& s, size_t max_period);

/// Parses a name: "sma", "ema", "rsi", "macd", "bb" (or "bollinger"), "atr",
/// "vwap", "vol" (or "volatility"), lowercase, with an optional period in
/// digits ("rsi14"); without one, `fallback_period` when it is not 0, else
/// default_period(). macd and vwap take no digits. Checked with validate().
result<indicator_spec> parse_indicator(std::string_view name,
                                       size_t fallback_period,
                                       size_t max_period);

/// Bars of `iv` in a year of 365 days (a month interval: 12), for
/// annualizing volatility of markets that trade around the clock.
double bars_per_year(interval iv) noexcept;

/// One value of an indicator at one bar; values[] by value_names().
struct point {
  int64_t t_ns = 0; ///< open time of the bar
  std::array<double, 3> values{};
};

/// The fields of a point: {"value"}, {"macd","signal","hist"},
/// {"middle","upper","lower"}, or {"value","annualized"} (volatility).
std::vector<std::string_view> value_names(indicator_kind k);

/// Every defined point of the indicator over `bars` (sorted by time, one
/// per open time), oldest first; bars in warm-up have none. MACD points
/// start when the signal exists. Errors: bad parameters.
result<std::vector<point>> compute(const indicator_spec& s,
                                   const std::vector<ohlcv>& bars);

/// The indicator fed one closed bar at a time; update() gives the point
/// compute() gives for that bar. The spec must be valid (validate()).
class indicator_state {
 public:
  explicit indicator_state(const indicator_spec& s);

  std::optional<point> update(const ohlcv& b);

  const indicator_spec& spec() const noexcept { return spec_; }

 private:
  indicator_spec spec_;
  std::variant<sma_state, ema_state, rsi_state, macd_state, bollinger_state,
               atr_state, vwap_state, volatility_state>
    state_;
};

} // namespace tickflow::indicators
