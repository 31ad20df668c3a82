#pragma once

// The books of many instruments, fed with canonical book updates: bounded
// in instruments and in depth per side, answering top-N views. A crossed or
// locked book is a validation finding: counted, and flagged in every view
// of it. Pure: no I/O, no clock.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "pipeline/book/l2_book.hpp"
#include "pipeline/model/book_update.hpp"

namespace tickflow::book {

/// Limits of a book_store ([books]).
struct store_settings {
  size_t max_instruments = 1000; ///< books kept; updates of others refused
  size_t max_depth = 1000;       ///< levels kept per side of each book
};

/// What apply() did with an update.
enum class store_outcome : uint8_t {
  applied,     ///< the book holds it
  no_snapshot, ///< a delta for a book without a snapshot yet: refused
  stale,       ///< update id not after the book's last: refused
  full,        ///< a new instrument past max_instruments: refused
};

/// A top-N view of one book.
struct book_view {
  std::string instrument;
  provider source{};
  uint64_t update_id = 0;
  int64_t ts_event_ns = 0;
  int64_t ts_recv_ns = 0;
  std::vector<level> bids; ///< best (highest) first
  std::vector<level> asks; ///< best (lowest) first
  bool crossed = false;    ///< best bid >= best ask: not a healthy book
};

/// The store's counters (cumulative).
struct store_counters {
  uint64_t applied = 0;
  uint64_t no_snapshot = 0;
  uint64_t stale = 0;
  uint64_t full = 0;
  uint64_t crossed = 0; ///< updates after which the book was crossed or locked
};

/// Changes that turn `before` into `after`, two views of one side ordered
/// best first: a level gone gets size 0. `s` says the order (bids
/// descending, asks ascending). Appended to `out`, best first.
void diff_levels(side s, const std::vector<level>& before,
                 const std::vector<level>& after, std::vector<book_level>& out);

/// Per-instrument L2 books.
class book_store {
 public:
  explicit book_store(store_settings settings = {}) : settings_(settings) {}

  /// Applies an update: a snapshot replaces (or creates) the book; a delta
  /// needs a book with a snapshot and an update id past its last.
  store_outcome apply(const book_update& u);

  /// The book of `instrument`, if it has one.
  const l2_book* find(const std::string& instrument) const;

  /// The best `depth` levels a side of `instrument`'s book, with its update
  /// id, times and crossed flag; nullopt when there is no book.
  std::optional<book_view> top(const std::string& instrument, size_t depth) const;

  /// Instruments with a book.
  size_t size() const noexcept { return books_.size(); }

  const store_counters& counters() const noexcept { return counters_; }
  const store_settings& settings() const noexcept { return settings_; }

 private:
  struct entry {
    l2_book book;
    provider source{};
    int64_t ts_recv_ns = 0;
  };
  store_settings settings_;
  std::unordered_map<std::string, entry> books_;
  store_counters counters_;
};

} // namespace tickflow::book
