#pragma once

// Kraken WebSocket v1 "book" frames (snapshot and updates) and how they
// apply to a book::l2_book. Pure: no I/O, no clock. Prices, volumes and
// times arrive as strings and are parsed exactly. No provider is
// registered for Kraken yet: this is the book part only.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/book/book_checksum.hpp"
#include "pipeline/book/l2_book.hpp"
#include "pipeline/model/decimal.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::kraken {

/// Most levels one side of a frame may carry (the largest v1 depth).
constexpr size_t max_book_levels = 1000;

/// One level of a book frame.
struct book_level {
  decimal price;
  decimal volume;    ///< 0 removes the level
  int64_t ts_ns = 0; ///< the level's last change, Unix ns
  bool republish = false; ///< "r": resent after a trade, not a new change
};

/// One parsed book frame.
struct book_frame {
  int64_t channel_id = 0;
  std::string channel; ///< "book-10"
  std::string pair;    ///< "XBT/USD"
  bool snapshot = false;
  std::vector<book_level> asks; ///< wire order
  std::vector<book_level> bids; ///< wire order
  std::optional<uint32_t> checksum; ///< "c" of an update
  /// Most fraction digits of the prices and volumes as written: the
  /// checksum format (take it from the snapshot).
  uint8_t price_scale = 0;
  uint8_t volume_scale = 0;
};

/// A v1 book frame: the snapshot
///   [336,{"as":[["27918.60000","0.10013466","1685349920.743439"],...],
///         "bs":[["27918.50000","0.44201019","1685349927.212868"],...]},
///    "book-10","XBT/USD"]
/// or an update, with "a" and/or "b" in one object or in two, the checksum
/// "c" (unsigned decimal string) in the last, a level optionally flagged
/// with a 4th element "r" (republish):
///   [336,{"a":[["27918.60000","0.19013466","1685349935.063741"]],
///         "c":"3509641781"},"book-10","XBT/USD"]
///   [336,{"a":[...]},{"b":[...],"c":"..."},"book-10","XBT/USD"]
/// Times are seconds with a fraction; they become ns.
/// Errors: errc::malformed (not JSON, not a 4- or 5-element book array, a
/// level not [price, volume, time(, "r")]), errc::bad_number,
/// errc::out_of_range (price <= 0, negative volume, more than
/// max_book_levels levels, a checksum beyond 32 bits).
result<book_frame> parse_book_frame(std::string_view text);

/// Applies `frame` to `book`: a snapshot replaces it, an update sets each
/// ask then each bid in wire order (volume 0 removes). The book's max_depth
/// should be the subscribed depth: Kraken sends no removal for a level
/// pushed out of it. The book's event time becomes the newest level time.
void apply_book_frame(const book_frame& frame, book::l2_book& book);

/// The checksum format of a snapshot frame's numbers, `depth` levels.
book::checksum_format checksum_format_of(const book_frame& snapshot,
                                         size_t depth = 10);

} // namespace tickflow::kraken
