#include "pipeline/reference/reference_list.hpp"

#include <algorithm>

namespace tickflow {

reference_lists::reference_lists(size_t max_entries) : max_entries_(max_entries) {
  // nop
}

reference_set_outcome reference_lists::set(const std::string& provider,
                                           const std::vector<reference_instrument>& rows,
                                           const symbol_resolver& symbols) {
  size_t others = 0;
  for (auto& [name, list] : lists_)
    if (name != provider)
      others += list.size();
  size_t room = others >= max_entries_ ? 0 : max_entries_ - others;
  reference_set_outcome out;
  std::vector<row> kept;
  kept.reserve(std::min(rows.size(), room));
  for (auto& x : rows) {
    auto r = symbols.resolve(x.symbol);
    if (r.status != resolve_status::ok || r.canonical.empty()) {
      out.unresolved += 1;
      continue;
    }
    if (kept.size() >= room) {
      out.dropped += 1;
      continue;
    }
    kept.push_back(row{std::move(r.canonical), x.cls, x.tick_size, x.lot_size});
  }
  out.kept = kept.size();
  dropped_ += out.dropped;
  unresolved_ += out.unresolved;
  lists_[provider] = std::move(kept);
  rebuild();
  return out;
}

void reference_lists::rebuild() {
  std::map<std::string, reference_entry> by_id;
  for (auto& [name, list] : lists_) // providers by name: the first wins a size
    for (auto& r : list) {
      auto [it, fresh] = by_id.try_emplace(r.id);
      auto& e = it->second;
      if (fresh) {
        e.id = r.id;
        e.cls = r.cls;
      }
      if (e.tick_size.is_zero() && !r.tick_size.is_zero())
        e.tick_size = r.tick_size;
      if (e.lot_size.is_zero() && !r.lot_size.is_zero())
        e.lot_size = r.lot_size;
      if (e.providers.empty() || e.providers.back() != name)
        e.providers.push_back(name);
    }
  merged_.clear();
  merged_.reserve(by_id.size());
  for (auto& [id, e] : by_id)
    merged_.push_back(std::move(e));
}

const reference_entry* reference_lists::find(const std::string& id) const noexcept {
  auto it = std::lower_bound(merged_.begin(), merged_.end(), id,
                             [](const reference_entry& e, const std::string& k) {
                               return e.id < k;
                             });
  return it != merged_.end() && it->id == id ? &*it : nullptr;
}

int64_t reference_page_gap_ns(const provider_limits& limits) noexcept {
  constexpr int64_t s = 1'000'000'000;
  int64_t gap = 0;
  if (limits.per_second > 0)
    gap = std::max<int64_t>(gap, 2 * s / static_cast<int64_t>(limits.per_second));
  if (limits.per_minute > 0)
    gap = std::max<int64_t>(gap, 120 * s / static_cast<int64_t>(limits.per_minute));
  return gap;
}

void reference_lists::remove(const std::string& provider) {
  if (lists_.erase(provider) > 0)
    rebuild();
}

std::vector<std::string> reference_lists::providers() const {
  std::vector<std::string> out;
  for (auto& [name, list] : lists_)
    out.push_back(name);
  return out;
}

size_t reference_lists::rows_of(const std::string& provider) const noexcept {
  auto it = lists_.find(provider);
  return it == lists_.end() ? 0 : it->second.size();
}

} // namespace tickflow
