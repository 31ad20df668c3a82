#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tickflow {

/// Every data source tickflow knows. The simulator and replay are sources too.
enum class provider : uint8_t {
  simulator,
  replay,
  binance,
  polygon,
  coingecko,
  coinmarketcap,
  alpha_vantage,
  eodhd,
  finnhub,
  yahoo,
  massive_futures,
  newsapi, ///< news only (NewsAPI-style /v2/everything)
};

/// Stable snake_case name ("simulator", "alpha_vantage").
std::string_view to_string(provider p) noexcept;

/// Inverse of to_string; nullopt for an unknown name.
std::optional<provider> provider_from_string(std::string_view name) noexcept;

} // namespace tickflow
