#include "pipeline/ratelimit/batch_merge.hpp"

#include <algorithm>

namespace tickflow {

batch_builder::batch_builder(std::string group, size_t max_items)
    : group_(std::move(group)), max_items_(std::max<size_t>(1, max_items)) {
  // nop
}

bool batch_builder::offer(priority p, std::string_view group,
                          std::string_view item) {
  if (p != priority::batch || group != group_ || full())
    return false;
  if (std::find(items_.begin(), items_.end(), item) != items_.end())
    return false;
  items_.emplace_back(item);
  return true;
}

} // namespace tickflow
