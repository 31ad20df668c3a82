#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace tickflow {

/// One provider's symbols both ways: canonical id <-> provider symbol
/// ("BTC-USDT" <-> "BTCUSDT"). Lookups take string_view without allocating.
class symbol_map {
 public:
  /// Adds or replaces a pair.
  void add(std::string canonical, std::string provider_symbol);

  /// Canonical id of a provider symbol; empty when unknown.
  std::string_view to_canonical(std::string_view provider_symbol) const;

  /// Provider symbol of a canonical id; empty when unknown.
  std::string_view to_provider(std::string_view canonical) const;

  size_t size() const noexcept { return to_canonical_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> to_canonical_;
  std::map<std::string, std::string, std::less<>> to_provider_;
};

} // namespace tickflow
