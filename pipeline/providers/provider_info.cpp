#include "pipeline/providers/provider_info.hpp"

#include <algorithm>

namespace tickflow {

namespace {

struct table {
  std::vector<provider_info> infos;       // id order
  std::vector<const provider_info*> by_id; // indexed by id
};

table& installed() noexcept {
  static table t;
  return t;
}

} // namespace

result<void> install_providers(std::vector<provider_info> infos) {
  std::sort(infos.begin(), infos.end(),
            [](auto& a, auto& b) { return a.id < b.id; });
  for (size_t i = 0; i < infos.size(); ++i) {
    if (infos[i].name.empty())
      return error{errc::invalid_argument,
                   "provider id " + std::to_string(static_cast<int>(infos[i].id))
                     + " has no name"};
    for (size_t j = 0; j < i; ++j) {
      if (infos[j].id == infos[i].id)
        return error{errc::invalid_argument,
                     "provider id " + std::to_string(static_cast<int>(infos[i].id))
                       + " is taken twice"};
      if (infos[j].name == infos[i].name)
        return error{errc::invalid_argument,
                     "provider name " + std::string{infos[i].name} + " is taken twice"};
    }
  }
  auto& t = installed();
  t.infos = std::move(infos);
  t.by_id.assign(t.infos.empty() ? 0 : static_cast<size_t>(t.infos.back().id) + 1,
                 nullptr);
  std::vector<std::string_view> names(t.by_id.size());
  for (auto& x : t.infos) {
    t.by_id[static_cast<size_t>(x.id)] = &x;
    names[static_cast<size_t>(x.id)] = x.name;
  }
  install_provider_names(std::move(names));
  return {};
}

const std::vector<provider_info>& provider_table() noexcept {
  return installed().infos;
}

const provider_info* find_provider(std::string_view name) noexcept {
  for (auto& x : installed().infos)
    if (x.name == name)
      return &x;
  return nullptr;
}

const provider_info* find_provider(provider id) noexcept {
  auto& xs = installed().by_id;
  auto i = static_cast<size_t>(id);
  return i < xs.size() ? xs[i] : nullptr;
}

std::vector<std::string> default_enabled_providers() {
  return provider_names([](auto& x) { return x.enabled_by_default; });
}

} // namespace tickflow
