#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tickflow {

/// Kinds of instrument tickflow serves.
enum class asset_class : uint8_t { crypto, equity, forex, futures, index };

std::string_view to_string(asset_class c) noexcept;

/// Fiat currency codes tickflow knows (USD, EUR, GBP, JPY, CHF, CAD, AUD, NZD,
/// CNY, HKD, SGD, SEK, NOK, DKK, TRY, BRL, MXN, ZAR, INR, KRW, PLN, RUB).
bool is_fiat(std::string_view code) noexcept;

/// Splits a canonical "BASE-QUOTE" id; false when there is no single '-'.
bool split_pair(std::string_view id, std::string_view& base,
                std::string_view& quote) noexcept;

/// Asset class of a canonical id by its shape: "EUR-USD" (two fiats) forex,
/// any other "BASE-QUOTE" crypto, "^GSPC" / ".SPX" style index, anything else
/// equity. Futures need the provider's knowledge (not guessed here).
asset_class classify_instrument(std::string_view canonical) noexcept;

// -- detection from what a client typed (the scheduler's failover chains) ----

/// "crypto", "equity", "forex", "futures", "index" -> the class.
std::optional<asset_class> parse_asset_class(std::string_view name) noexcept;

/// Large coins whose bare ticker means the coin (BTC, ETH, SOL, ...).
bool is_crypto_base(std::string_view code) noexcept;

/// Quote assets recognised at the end of a crypto pair without a dash
/// (USDT, USDC, FDUSD, BUSD, TUSD, and BTC, ETH, BNB after a known coin).
bool is_crypto_quote(std::string_view code) noexcept;

/// CME/ICE futures roots (ES, NQ, CL, GC, ZN, 6E, ...).
bool is_futures_root(std::string_view code) noexcept;

/// Symbol -> class table from config ({"SOL", equity}): wins over the rules.
using asset_class_overrides = std::vector<std::pair<std::string, asset_class>>;

/// What a symbol is and how tickflow names it.
struct detected_symbol {
  asset_class cls = asset_class::equity;
  /// The canonical id: "BTCUSDT" -> "BTC-USDT", "EURUSD=X" -> "EUR-USD";
  /// anything else as given.
  std::string canonical;
  /// A bare crypto base ("BTC"): each provider adds its own quote asset.
  bool bare = false;
};

/// Detects the class of an upper-case symbol as a client wrote it:
///   an override                         its class
///   "EURUSD=X", "EURUSD", "EUR-USD", "EUR/USD" (two fiats)   forex
///   "ES=F", "ESZ4", "GCJ25" (known root + month code + year)  futures
///   "^GSPC", ".SPX"                     index
///   "BTC-USD", "BTCUSDT", "ETHBTC", "BTC"  crypto (known coins and quotes)
///   anything else ("AAPL", "BRK.B")     equity
detected_symbol detect_symbol(std::string_view symbol,
                              const asset_class_overrides& overrides = {});

} // namespace tickflow
