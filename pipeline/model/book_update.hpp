#pragma once

// The canonical order book event: one provider's level changes of one
// instrument's L2 book, provider-neutral, exact decimals.

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/model/decimal.hpp"
#include "pipeline/model/provider.hpp"

namespace tickflow {

/// One price level of a book update: the size now resting at `price`
/// (size 0 removes the level).
struct book_level {
  decimal price;
  decimal size;
};

inline bool operator==(const book_level& a, const book_level& b) noexcept {
  return a.price == b.price && a.size == b.size;
}

/// Level changes of an instrument's book, or (snapshot) its whole book.
struct book_update {
  std::string instrument;   ///< canonical id, e.g. "BTC-USDT"
  provider source{};
  uint64_t update_id = 0;   ///< the provider's (or feed's) book sequence
  int64_t ts_event_ns = 0;  ///< provider clock, UTC ns
  int64_t ts_recv_ns = 0;   ///< our wall clock when it arrived
  std::vector<book_level> bids; ///< best first or any order
  std::vector<book_level> asks;
  bool snapshot = false;    ///< true: bids/asks replace the whole book
};

} // namespace tickflow
