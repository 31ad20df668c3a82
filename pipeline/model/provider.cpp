#include "pipeline/model/provider.hpp"

#include <cstddef>

namespace tickflow {

namespace {

// Indexed by the enum value; keep in declaration order.
constexpr std::string_view provider_names[] = {
  "simulator", "replay",        "binance",      "polygon",
  "coingecko", "coinmarketcap", "alpha_vantage", "eodhd",
  "finnhub",   "yahoo",         "massive_futures", "newsapi",
};

constexpr size_t provider_count =
  sizeof(provider_names) / sizeof(provider_names[0]);

static_assert(provider_count
              == static_cast<size_t>(provider::newsapi) + 1);

} // namespace

std::string_view to_string(provider p) noexcept {
  auto i = static_cast<size_t>(p);
  return i < provider_count ? provider_names[i] : std::string_view{"unknown"};
}

std::optional<provider> provider_from_string(std::string_view name) noexcept {
  for (size_t i = 0; i < provider_count; ++i)
    if (provider_names[i] == name)
      return static_cast<provider>(i);
  return std::nullopt;
}

} // namespace tickflow
