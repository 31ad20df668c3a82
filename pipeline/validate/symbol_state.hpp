#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "pipeline/model/decimal.hpp"
#include "pipeline/model/interval.hpp"
#include "pipeline/model/provider.hpp"
#include "pipeline/validate/quality_report.hpp"
#include "pipeline/validate/recent_set.hpp"
#include "pipeline/validate/return_window.hpp"

namespace tickflow {

/// FNV-1a 64 of a trade id (stable across runs and platforms).
inline uint64_t id_hash(std::string_view id) noexcept {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

/// Which stream of an instrument a series is.
enum class series_kind : uint8_t { trade, quote, bar };

/// One provider's stream of one kind (and, for bars, one interval) of an
/// instrument: the unit of ordering, duplicate and outlier state.
struct series_key {
  provider source{};
  series_kind kind = series_kind::trade;
  interval span = interval::m1; ///< bars only; m1 otherwise

  friend bool operator<(const series_key& a, const series_key& b) noexcept {
    return std::tie(a.source, a.kind, a.span)
           < std::tie(b.source, b.kind, b.span);
  }
};

/// State of one series.
struct series_state {
  /// Sized from the settings (duplicate_memory, the outlier windows).
  series_state(size_t id_memory, size_t zscore_window, size_t mad_window)
      : trade_ids(id_memory),
        closed_bars(id_memory),
        returns(zscore_window, mad_window) {
    // nop
  }

  /// Newest event time seen (trades, quotes: ts_event_ns; bars: open time).
  std::optional<int64_t> last_time_ns;
  /// Trade ids recently seen (rule::duplicate, trades).
  /// Recent trade ids by their 64-bit hash (id_hash): a string per id cost
  /// ~0.4 MB per busy series; a false duplicate now needs a hash collision
  /// among the last `id_memory` ids (about n^2 / 2^65).
  recent_set<uint64_t> trade_ids;
  /// Open times of recently closed bars (rule::duplicate, bars).
  recent_set<int64_t> closed_bars;
  /// Price the next log return is taken from: the last in-order accepted
  /// non-outlier price (trade price, quote mid, closed bar close).
  std::optional<decimal> reference;
  /// Outliers in a row since the last normal return (re-basing).
  size_t consecutive_outliers = 0;
  /// Recent normal log returns.
  return_window returns;
};

/// Latest price of one provider for an instrument (rule::divergence).
struct provider_price {
  provider source{};
  decimal value;
  int64_t time_ns = 0;
};

/// Everything a validation engine knows about one instrument. Owned by one
/// engine (one validator actor), so it needs no locks.
struct symbol_state {
  std::map<series_key, series_state> series;
  /// One entry per provider, the newest by time.
  std::vector<provider_price> latest;
  /// `now` of the last accepted event, else of the first event or watch().
  std::optional<int64_t> last_update_ns;
  /// Provider of the last accepted event.
  std::optional<provider> last_source;
  /// Rolling quality of the instrument, all providers together.
  quality_report quality;
};

} // namespace tickflow
