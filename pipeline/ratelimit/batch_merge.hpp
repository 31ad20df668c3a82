#pragma once

// Merging BATCH calls: several queued BATCH requests for one provider go
// out as one upstream request where the provider allows it (one query
// parameter listing every id, e.g. ids=a,b,c). Calls of any other priority are never
// delayed or merged: they go alone.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/ratelimit/priority.hpp"

namespace tickflow {

/// Gathers the items of one merged request.
class batch_builder {
 public:
  /// A batch for `group` (provider and request shape) of at most
  /// `max_items` (1: no merging).
  batch_builder(std::string group, size_t max_items);

  /// Adds `item` when the call is BATCH, of the same group, not in the
  /// batch yet and there is room; true when it was added.
  bool offer(priority p, std::string_view group, std::string_view item);

  const std::vector<std::string>& items() const noexcept { return items_; }

  bool full() const noexcept { return items_.size() >= max_items_; }

 private:
  std::string group_;
  size_t max_items_;
  std::vector<std::string> items_;
};

} // namespace tickflow
