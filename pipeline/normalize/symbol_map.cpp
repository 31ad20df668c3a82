#include "pipeline/normalize/symbol_map.hpp"

#include <utility>

namespace tickflow {

void symbol_map::add(std::string canonical, std::string provider_symbol) {
  // Drop the pairs either name was part of, so both directions stay
  // one-to-one: re-adding "BTC-USDT" with a new provider symbol forgets the
  // old symbol instead of leaving it pointing at "BTC-USDT".
  if (auto i = to_provider_.find(canonical); i != to_provider_.end()) {
    to_canonical_.erase(i->second);
    to_provider_.erase(i);
  }
  if (auto i = to_canonical_.find(provider_symbol); i != to_canonical_.end()) {
    to_provider_.erase(i->second);
    to_canonical_.erase(i);
  }
  to_canonical_.emplace(provider_symbol, canonical);
  to_provider_.emplace(std::move(canonical), std::move(provider_symbol));
}

std::string_view
symbol_map::to_canonical(std::string_view provider_symbol) const {
  auto i = to_canonical_.find(provider_symbol);
  return i != to_canonical_.end() ? std::string_view{i->second}
                                  : std::string_view{};
}

std::string_view symbol_map::to_provider(std::string_view canonical) const {
  auto i = to_provider_.find(canonical);
  return i != to_provider_.end() ? std::string_view{i->second}
                                 : std::string_view{};
}

} // namespace tickflow
