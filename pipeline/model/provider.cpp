#include "pipeline/model/provider.hpp"

#include <cstddef>
#include <utility>

namespace tickflow {

namespace {

// The installed names, indexed by id. A plain pointer and count, constant-
// initialized, so the hot path (to_string per event rendered) reads them
// without a guard; `storage` owns them.
const std::string_view* names = nullptr;
size_t name_count = 0;

std::vector<std::string_view>& storage() noexcept {
  static std::vector<std::string_view> by_id;
  return by_id;
}

} // namespace

std::string_view to_string(provider p) noexcept {
  auto i = static_cast<size_t>(p);
  return i < name_count && !names[i].empty() ? names[i] : std::string_view{"unknown"};
}

std::optional<provider> provider_from_string(std::string_view name) noexcept {
  if (name.empty())
    return std::nullopt;
  for (size_t i = 0; i < name_count; ++i)
    if (names[i] == name)
      return static_cast<provider>(i);
  return std::nullopt;
}

bool is_known(provider p) noexcept {
  auto i = static_cast<size_t>(p);
  return i < name_count && !names[i].empty();
}

void install_provider_names(std::vector<std::string_view> by_id) {
  auto& xs = storage();
  xs = std::move(by_id);
  names = xs.data();
  name_count = xs.size();
}

} // namespace tickflow
