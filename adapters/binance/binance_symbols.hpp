#pragma once

// Binance spot symbols: the exchangeInfo symbol table and the mapping
// between canonical ids ("BTC-USDT") and Binance symbols ("BTCUSDT").

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/decimal.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/normalize/symbol_map.hpp"

namespace tickflow::binance {

/// One entry of GET /api/v3/exchangeInfo "symbols".
struct symbol_info {
  std::string symbol;      ///< "ETHBTC"
  std::string base_asset;  ///< "ETH"
  std::string quote_asset; ///< "BTC"
  std::string status;      ///< "TRADING", "BREAK", ...
  /// Digits after the point of a price: the scale of PRICE_FILTER tickSize
  /// when there is one, else quoteAssetPrecision (or the older
  /// quotePrecision).
  uint8_t price_precision = 0;
  /// PRICE_FILTER tickSize; zero when the symbol has no PRICE_FILTER.
  decimal tick_size;
  /// LOT_SIZE stepSize; zero when the symbol has no LOT_SIZE.
  decimal lot_size;
  /// USD-M futures contractType ("PERPETUAL"); "" when absent (spot, the
  /// 2020 futures schema).
  std::string contract_type;
};

/// Parses a GET /api/v3/exchangeInfo body. Wire (trimmed; precisions are
/// digit counts, tickSize a decimal string):
///   {"timezone":"UTC","serverTime":1565246363776,"symbols":[
///     {"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH",
///      "quoteAsset":"BTC","quotePrecision":8,"quoteAssetPrecision":8,
///      "filters":[{"filterType":"PRICE_FILTER","minPrice":"0.00000100",
///                  "maxPrice":"100000.00000000","tickSize":"0.00000100"}]}]}
/// USD-M futures GET /fapi/v1/exchangeInfo has the same shape (the 2020
/// schema names quotePrecision, newer ones add "contractType"):
///   {"symbols":[{"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC",
///     "quoteAsset":"USDT","pricePrecision":2,"quotePrecision":8,
///     "filters":[{"filterType":"PRICE_FILTER","tickSize":"0.01",...},
///                {"filterType":"LOT_SIZE","stepSize":"0.001",...}]}]}
/// LOT_SIZE stepSize is read like tickSize (a decimal string).
/// Errors: errc::malformed (not JSON, not an object, "symbols" not an
/// array, an entry not an object, contractType not a string),
/// errc::missing_field / errc::bad_number (context "symbols[i].<field>:
/// ...").
result<std::vector<symbol_info>> parse_exchange_info(std::string_view body);

/// Quote assets recognised at the end of a Binance symbol when no
/// exchangeInfo table is loaded, longest first.
const std::vector<std::string_view>& known_quote_assets();

/// Canonical id <-> Binance symbol. Order of precedence: the configured
/// overrides, then the exchangeInfo table when one was given (a symbol not
/// in it is unknown), else the shape: "BASE-QUOTE" <-> "BASEQUOTE" where
/// QUOTE is a known quote asset (longest suffix first) and both parts are
/// A-Z/0-9.
class symbol_mapper {
 public:
  symbol_mapper() = default;

  /// `overrides` pairs are {canonical id, Binance symbol}.
  explicit symbol_mapper(const kv_list& overrides,
                         const std::vector<symbol_info>& table = {});

  /// "BTC-USDT" -> "BTCUSDT"; empty when it cannot be mapped.
  std::string to_provider(std::string_view canonical) const;

  /// "BTCUSDT" -> "BTC-USDT"; empty when it cannot be mapped.
  std::string to_canonical(std::string_view provider_symbol) const;

  /// True when an exchangeInfo table was given.
  bool has_table() const noexcept { return has_table_; }

 private:
  symbol_map overrides_;
  symbol_map table_;
  bool has_table_ = false;
};

} // namespace tickflow::binance
