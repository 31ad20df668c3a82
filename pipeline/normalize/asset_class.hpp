#pragma once

#include <cstdint>
#include <string_view>

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

} // namespace tickflow
