#pragma once

// The simulator's order books: one L2 book per simulated instrument around
// its last trade price, deterministic from the seed. Pure: time is a
// parameter.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "adapters/simulator/simulator_feed.hpp"
#include "pipeline/model/book_update.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow::simulator {

/// Simulated books. Each side holds a level at every tick within
/// `levels` ticks of the price (bids below it, asks above it, so a book is
/// never crossed), 1..max_lots lots each. The first advance() makes a
/// snapshot of each book; each later one a delta per instrument: the levels
/// the price's move pushed out of (or into) the band, plus `changes` random
/// size changes or removals inside it. Update ids count from 1 per book.
class book_feed {
 public:
  /// `source`: the provider id the updates carry.
  book_feed(const simulator_settings& settings, provider source,
            size_t levels = 50, size_t changes = 3);

  /// The updates at now_ns around the prices of `prices`, appended to `out`.
  void advance(const feed& prices, int64_t now_ns, std::vector<book_update>& out);

 private:
  struct sim_book {
    std::string instrument;
    std::map<int64_t, uint32_t> bids; ///< price ticks -> lots
    std::map<int64_t, uint32_t> asks;
    uint64_t update_id = 0;
  };

  uint64_t next_random();
  uint64_t uniform(uint64_t n);
  /// Moves one side's band to [lo, hi]: levels outside go, gaps fill.
  void rebase(std::map<int64_t, uint32_t>& side, int64_t lo, int64_t hi,
              std::vector<book_level>& out);
  book_level level_of(int64_t ticks, uint32_t lots) const;

  simulator_settings settings_;
  provider source_;
  size_t levels_;
  size_t changes_;
  std::vector<sim_book> books_;
  uint64_t rng_state_;
};

} // namespace tickflow::simulator
