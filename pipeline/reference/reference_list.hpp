#pragma once

// The providers' own instrument lists (Binance exchangeInfo, Polygon/Massive
// reference tickers, Massive futures contracts), provider-neutral: each
// adapter turns its list into reference_instrument rows, and
// reference_lists keeps one list per provider, resolves every symbol to its
// canonical id and merges them into one entry per id (the providers that
// list it, its tick and lot size). Bounded: rows beyond max_entries, over
// all providers together, are counted and dropped. Pure: no I/O, no clock.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pipeline/model/decimal.hpp"
#include "pipeline/normalize/asset_class.hpp"
#include "pipeline/normalize/symbol_resolver.hpp"
#include "pipeline/ratelimit/provider_limits.hpp"

namespace tickflow {

/// One instrument as a provider's reference list names it.
struct reference_instrument {
  /// What the symbol resolver reads: "BTC-USDT", "X:BTCUSD", "AAPL".
  std::string symbol;
  std::string native;  ///< the provider's own symbol: "BTCUSDT"
  asset_class cls = asset_class::equity; ///< as the provider classes it
  decimal tick_size;   ///< smallest price step; zero: not published
  decimal lot_size;    ///< smallest quantity step; zero: not published
};

/// One page of a provider's list: its rows and where the next page is
/// (the provider's path and query; "" when this was the last).
struct reference_page {
  std::vector<reference_instrument> items;
  std::string next;
};

/// One canonical instrument of the merged lists.
struct reference_entry {
  std::string id; ///< canonical
  asset_class cls = asset_class::equity;
  decimal tick_size; ///< the first listing provider's (by name) that has one
  decimal lot_size;  ///< likewise
  std::vector<std::string> providers; ///< the providers listing it, sorted
};

/// What one set() kept.
struct reference_set_outcome {
  size_t kept = 0;       ///< rows stored
  size_t dropped = 0;    ///< rows beyond the bound
  size_t unresolved = 0; ///< rows whose symbol the resolver refused
};

/// Every provider's reference list and their merge (see the file comment).
class reference_lists {
 public:
  /// At most `max_entries` rows over all providers (0: none kept).
  explicit reference_lists(size_t max_entries = 100'000);

  /// Replaces the list of `provider` with `rows`: each symbol resolved by
  /// `symbols` (a symbol it refuses or finds ambiguous is counted as
  /// unresolved and dropped), at most the room the other providers' lists
  /// leave (the rest counted as dropped); then rebuilds merged().
  reference_set_outcome set(const std::string& provider,
                            const std::vector<reference_instrument>& rows,
                            const symbol_resolver& symbols);

  /// One entry per canonical id, sorted by id.
  const std::vector<reference_entry>& merged() const noexcept { return merged_; }

  /// The merged entry of `id`, or nullptr.
  const reference_entry* find(const std::string& id) const noexcept;

  /// Forgets the list of `provider` (one no longer enabled).
  void remove(const std::string& provider);

  /// The providers that have a list, sorted.
  std::vector<std::string> providers() const;

  /// Rows stored for `provider` (0 when it has no list).
  size_t rows_of(const std::string& provider) const noexcept;

  /// Rows dropped beyond the bound, over every set() so far.
  uint64_t dropped() const noexcept { return dropped_; }

  /// Rows whose symbol did not resolve, over every set() so far.
  uint64_t unresolved() const noexcept { return unresolved_; }

  /// Counts `n` rows dropped before set() (a list that outgrew the bound
  /// while it was paged).
  void note_dropped(uint64_t n) noexcept { dropped_ += n; }

  /// The bound.
  size_t max_entries() const noexcept { return max_entries_; }

 private:
  struct row {
    std::string id;
    asset_class cls;
    decimal tick_size;
    decimal lot_size;
  };

  void rebuild();

  size_t max_entries_;
  std::map<std::string, std::vector<row>> lists_; // by provider
  std::vector<reference_entry> merged_;
  uint64_t dropped_ = 0;
  uint64_t unresolved_ = 0;
};

/// The pause between two pages of a reference list: the pages use at most
/// half of the provider's per-second and per-minute budget (so its data
/// calls keep the other half); 0 when it has neither limit.
int64_t reference_page_gap_ns(const provider_limits& limits) noexcept;

} // namespace tickflow
