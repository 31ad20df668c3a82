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

namespace tickflow {

namespace {

template <size_t N>
bool sorted_contains(const std::array<std::string_view, N>& xs,
                     std::string_view x) noexcept {
  return std::binary_search(xs.begin(), xs.end(), x);
}

bool all_alnum(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

bool is_month_code(char c) noexcept {
  return std::string_view{"FGHJKMNQUVXZ"}.find(c) != std::string_view::npos;
}

// "ESZ4", "GCJ25": a known root, a month code, one or two year digits.
bool is_futures_contract(std::string_view s) noexcept {
  for (size_t digits = 1; digits <= 2; ++digits) {
    if (s.size() < digits + 2)
      continue;
    auto year = s.substr(s.size() - digits);
    if (!std::all_of(year.begin(), year.end(),
                     [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    auto month = s[s.size() - digits - 1];
    auto root = s.substr(0, s.size() - digits - 1);
    if (is_month_code(month) && is_futures_root(root))
      return true;
  }
  return false;
}

// The class a symbol has by its shape alone, with its canonical id.
detected_symbol by_shape(std::string_view s) {
  detected_symbol out;
  out.canonical = std::string{s};
  auto as_pair = [&](std::string_view base, std::string_view quote,
                     asset_class cls) {
    out.cls = cls;
    out.canonical = std::string{base} + "-" + std::string{quote};
  };
  if (!s.empty() && (s[0] == '^' || s[0] == '.')) {
    out.cls = asset_class::index;
    return out;
  }
  auto ends_with = [&](std::string_view suffix) {
    return s.size() > suffix.size()
           && s.substr(s.size() - suffix.size()) == suffix;
  };
  if (ends_with("=F")) {
    out.cls = asset_class::futures;
    return out;
  }
  if (ends_with("=X")) { // "EURUSD=X" (the =X forex convention), or "JPY=X" for USD-JPY
    auto body = s.substr(0, s.size() - 2);
    if (body.size() == 6 && is_fiat(body.substr(0, 3)) && is_fiat(body.substr(3)))
      as_pair(body.substr(0, 3), body.substr(3), asset_class::forex);
    else if (body.size() == 3 && is_fiat(body))
      as_pair("USD", body, asset_class::forex);
    else
      out.cls = asset_class::forex;
    return out;
  }
  for (char sep : {'-', '/'}) {
    auto at = s.find(sep);
    if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()
        || s.find(sep, at + 1) != std::string_view::npos)
      continue;
    auto base = s.substr(0, at);
    auto quote = s.substr(at + 1);
    if (is_fiat(base) && is_fiat(quote))
      as_pair(base, quote, asset_class::forex);
    else if (is_crypto_base(base) || is_crypto_quote(quote) || is_fiat(quote))
      as_pair(base, quote, asset_class::crypto);
    else
      out.cls = asset_class::equity; // "BRK-B": a share class
    return out;
  }
  if (!all_alnum(s)) { // "BRK.B", "AZN.LON"
    out.cls = asset_class::equity;
    return out;
  }
  if (s.size() == 6 && is_fiat(s.substr(0, 3)) && is_fiat(s.substr(3))) {
    as_pair(s.substr(0, 3), s.substr(3), asset_class::forex);
    return out;
  }
  if (is_futures_contract(s)) {
    out.cls = asset_class::futures;
    return out;
  }
  // "BTCUSDT", "ETHBTC", "BTCUSD": the longest known quote that leaves a base.
  for (size_t len = std::min<size_t>(5, s.empty() ? 0 : s.size() - 1); len >= 3; --len) {
    auto base = s.substr(0, s.size() - len);
    auto quote = s.substr(s.size() - len);
    // A fiat after a known coin too ("BTCUSD", Polygon's and Coinbase's
    // pairs); USD and USDT stay apart.
    if (base.size() < 2 || !(is_crypto_quote(quote) || is_fiat(quote)))
      continue;
    bool stable = quote.size() >= 4; // USDT, USDC, FDUSD, ...: unambiguous
    if (stable || is_crypto_base(base)) {
      as_pair(base, quote, asset_class::crypto);
      return out;
    }
  }
  if (is_crypto_base(s)) {
    out.cls = asset_class::crypto;
    out.bare = true;
    return out;
  }
  out.cls = asset_class::equity;
  return out;
}

} // namespace

std::optional<asset_class> parse_asset_class(std::string_view name) noexcept {
  for (auto c : {asset_class::crypto, asset_class::equity, asset_class::forex,
                 asset_class::futures, asset_class::index})
    if (to_string(c) == name)
      return c;
  return std::nullopt;
}

bool is_crypto_base(std::string_view code) noexcept {
  static constexpr std::array<std::string_view, 34> coins{
    "AAVE", "ADA",  "APT",  "ARB",  "ATOM", "AVAX", "BCH",  "BNB",  "BTC",
    "DOGE", "DOT",  "ETC",  "ETH",  "FIL",  "HBAR", "ICP",  "LINK", "LTC",
    "MATIC", "NEAR", "OP",  "PEPE", "SHIB", "SOL",  "SUI",  "TON",  "TRX",
    "UNI",  "USDC", "USDT", "XLM",  "XMR",  "XRP",  "ZEC"};
  return sorted_contains(coins, code);
}

bool is_crypto_quote(std::string_view code) noexcept {
  static constexpr std::array<std::string_view, 10> quotes{
    "BNB", "BTC", "BUSD", "DAI", "ETH", "EUR", "FDUSD", "TUSD", "USDC", "USDT"};
  return sorted_contains(quotes, code);
}

bool is_futures_root(std::string_view code) noexcept {
  static constexpr std::array<std::string_view, 44> roots{
    "6A",  "6B",  "6C",  "6E",  "6J",  "6N",  "6S",  "CC",  "CL",  "CT",  "ES",
    "GC",  "GF",  "HE",  "HG",  "HO",  "KC",  "LE",  "M2K", "MBT", "MCL", "MES",
    "MGC", "MNQ", "MYM", "NG",  "NQ",  "OJ",  "PA",  "PL",  "RB",  "RTY", "SB",
    "SI",  "VX",  "YM",  "ZB",  "ZC",  "ZF",  "ZL",  "ZM",  "ZN",  "ZS",  "ZW"};
  return sorted_contains(roots, code);
}

detected_symbol detect_symbol(std::string_view symbol,
                              const asset_class_overrides& overrides) {
  auto out = by_shape(symbol);
  for (auto& [name, cls] : overrides) {
    if (name != symbol)
      continue;
    if (cls != out.cls) { // the table wins; the id stays as typed
      out.cls = cls;
      out.canonical = std::string{symbol};
      out.bare = cls == asset_class::crypto && symbol.find('-') == std::string_view::npos
                 && all_alnum(symbol);
    }
    break;
  }
  return out;
}

} // namespace tickflow
