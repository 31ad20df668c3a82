#include "pipeline/normalize/asset_class.hpp"

#include <algorithm>
#include <array>

namespace tickflow {

std::string_view to_string(asset_class c) noexcept {
  switch (c) {
    case asset_class::crypto: return "crypto";
    case asset_class::equity: return "equity";
    case asset_class::forex: return "forex";
    case asset_class::futures: return "futures";
    case asset_class::index: return "index";
  }
  return "unknown";
}

bool is_fiat(std::string_view code) noexcept {
  static constexpr std::array<std::string_view, 22> fiats{
    "AUD", "BRL", "CAD", "CHF", "CNY", "DKK", "EUR", "GBP", "HKD", "INR", "JPY",
    "KRW", "MXN", "NOK", "NZD", "PLN", "RUB", "SEK", "SGD", "TRY", "USD", "ZAR"};
  return std::binary_search(fiats.begin(), fiats.end(), code);
}

bool split_pair(std::string_view id, std::string_view& base,
                std::string_view& quote) noexcept {
  auto dash = id.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 >= id.size()
      || id.find('-', dash + 1) != std::string_view::npos)
    return false;
  base = id.substr(0, dash);
  quote = id.substr(dash + 1);
  return true;
}

asset_class classify_instrument(std::string_view canonical) noexcept {
  std::string_view base, quote;
  if (split_pair(canonical, base, quote))
    return is_fiat(base) && is_fiat(quote) ? asset_class::forex
                                           : asset_class::crypto;
  if (!canonical.empty() && (canonical[0] == '^' || canonical[0] == '.'))
    return asset_class::index;
  return asset_class::equity;
}

} // namespace tickflow
