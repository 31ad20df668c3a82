#pragma once

// The one place a symbol as a client wrote it becomes tickflow's canonical
// instrument id. Every REST route (through api::query_reader) and every
// WebSocket subscription resolves here first, so cache keys, stored rows and
// channels all use the same id:
//   btcusdt, BTCUSDT, BTC/USDT, BTC-USDT, BINANCE:BTCUSDT   BTC-USDT
//   X:BTCUSD, BTCUSD, BTC-USD                              BTC-USD
//   EURUSD=X, C:EURUSD, EUR/USD, EURUSD                     EUR-USD
//   AAPL, ESZ4                                              as written
//   BTC                                                     see below
// USD and USDT stay different instruments. A bare coin ("BTC") takes the
// configured default quote of its class ([failover] default-quotes);
// without one, the one known instrument of that base (configured streams,
// simulator, watchlists), several of them being ambiguous; with none known
// it stays bare and each provider adds its own quote ([failover] quotes).
// Pure: no I/O, no clock.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/normalize/asset_class.hpp"

namespace tickflow {

/// Default quote asset per asset class, for a bare base ("crypto=USDT").
using default_quotes = std::vector<std::pair<asset_class, std::string>>;

/// How a symbol resolved.
enum class resolve_status : uint8_t {
  ok,        ///< canonical holds the id
  invalid,   ///< not a symbol at all (empty, bad characters, too long)
  ambiguous, ///< several instruments fit: candidates lists them
};

/// One symbol, resolved.
struct resolved_symbol {
  resolve_status status = resolve_status::invalid;
  std::string canonical;   ///< "BTC-USDT"; "BTC" when it stays bare
  asset_class cls = asset_class::equity;
  bool bare = false;       ///< a coin with no quote (providers add theirs)
  std::vector<std::string> candidates; ///< ambiguous: the fitting ids, sorted
};

/// Resolves client symbols to canonical instrument ids (see the file comment).
class symbol_resolver {
public:
  symbol_resolver() = default;

  /// `known`: instruments tickflow has configured (any order, duplicates
  /// ignored); `quotes`: default quote per class; `overrides`: symbols whose
  /// class the shape rules get wrong ([failover] overrides).
  symbol_resolver(std::vector<std::string> known, default_quotes quotes,
                  asset_class_overrides overrides = {});

  /// Resolves `symbol` (any case; surrounding blanks are the caller's).
  resolved_symbol resolve(std::string_view symbol) const;

  /// The known instruments, sorted.
  const std::vector<std::string>& known() const noexcept { return known_; }

private:
  std::vector<std::string> known_;
  default_quotes quotes_;
  asset_class_overrides overrides_;
};

/// The resolver with no configuration: shapes and prefixes only.
const symbol_resolver& shape_resolver();

} // namespace tickflow
