#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/normalize/bar_aggregator.hpp"
#include "pipeline/normalize/symbol_map.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow::simulator {

/// A deterministic random-walk market: the same settings and seed give the
/// same frames for the same sequence of calls. Pure: time is a parameter.
///
/// Output is the simulator's own wire format (one JSON object per frame), so
/// the simulator goes through the same parse/normalize path as real providers:
///   {"e":"trade","s":"BTCUSDT","t":17,"p":"65000.12","q":"0.015","m":false,"T":<ns>}
///   {"e":"bar","s":"BTCUSDT","i":"1m","t":<open ns>,"o":"..","h":"..","l":"..",
///    "c":"..","v":"..","n":42,"x":true}
///   {"e":"quote","s":"BTCUSDT","b":"65000.11","B":"0.5","a":"65000.13",
///    "A":"0.5","T":<ns>}
/// "m" is true when the buyer was the maker (the seller initiated); "x" is
/// true for a closed bar. A quote is the top of book around the last trade:
/// bid one tick below it, ask one tick above (the bid never below one tick),
/// max_lots / 2 lots (at least one) on each side, at the last trade's time.
/// Provider symbols are the canonical id without '-'.
class feed {
 public:
  explicit feed(const simulator_settings& settings);

  /// Emits the trades due in (last, now_ns] at trades_per_second per symbol,
  /// with timestamps spread evenly, plus a frame for every bar that closed and
  /// (once per call) the open bars' current state and, with
  /// simulator_settings::quotes, the quotes of the symbols that traded. The
  /// first call only sets
  /// the clock. At most max_frames frames are produced; trades beyond that
  /// are skipped (the clock still moves on: no catch-up burst).
  /// Returns the number of frames appended.
  size_t advance(int64_t now_ns, std::vector<std::string>& out,
                 size_t max_frames = 100000);

  /// Emits exactly n trades (round-robin over symbols) with timestamps
  /// spaced 1 us apart from the last one, plus closed-bar frames; for
  /// benchmarks that run as fast as they can.
  size_t generate(size_t n, std::vector<std::string>& out);

  /// provider symbol <-> canonical id of every simulated instrument.
  const symbol_map& symbols() const noexcept { return symbols_; }

  /// The last trade price of `instrument` in tick_size units (0 when it is
  /// not simulated): where the simulated book centers.
  int64_t price_ticks(const std::string& instrument) const noexcept {
    for (auto& w : walks_)
      if (w.instrument == instrument)
        return w.price_ticks;
    return 0;
  }

  /// Trades generated so far.
  uint64_t trades() const noexcept { return next_trade_id_; }

 private:
  struct walk {
    std::string instrument;
    std::string provider_symbol;
    int64_t price_ticks = 0; ///< price in tick_size units
    int64_t last_trade_ns = 0; ///< time of its last trade
  };

  void emit_trade(walk& w, int64_t ts_ns, std::vector<std::string>& out);
  std::string quote_frame(const walk& w) const;
  uint64_t next_random();

  simulator_settings settings_;
  symbol_map symbols_;
  std::vector<walk> walks_;
  bar_aggregator bars_;
  uint64_t rng_state_;
  uint64_t next_trade_id_ = 0;
  int64_t clock_ns_ = 0;     ///< last time advanced to (0: not started)
  double carry_ = 0;         ///< fractional trades carried between calls
  size_t round_robin_ = 0;
};

} // namespace tickflow::simulator
