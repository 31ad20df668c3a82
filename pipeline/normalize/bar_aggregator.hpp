#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/model/events.hpp"

namespace tickflow {

/// Builds OHLCV bars of several intervals from a stream of trades. Pure: time
/// only comes in as parameters. Trades older than the open bar of their series
/// are ignored for that bar (counted in late_trades()).
class bar_aggregator {
 public:
  explicit bar_aggregator(std::vector<interval> intervals);

  /// Folds a trade into the open bar of each interval. A trade that falls in
  /// a later bar first closes the open one, which is appended to `closed`.
  void add(const trade& t, std::vector<bar>& closed);

  /// Closes every open bar whose end is <= now_ns, appending it to `closed`.
  void close_until(int64_t now_ns, std::vector<bar>& closed);

  /// Appends a copy of every open (not yet closed) bar to `out`.
  void open_bars(std::vector<bar>& out) const;

  uint64_t late_trades() const noexcept { return late_trades_; }

 private:
  std::vector<interval> intervals_;
  std::map<std::pair<std::string, interval>, bar> open_;
  uint64_t late_trades_ = 0;
};

} // namespace tickflow
