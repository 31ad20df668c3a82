#include "pipeline/flow/client_send_queue.hpp"

#include <algorithm>

namespace tickflow {

std::vector<uint64_t> over_budget(std::vector<backlog_entry> entries,
                                  size_t budget) {
  size_t total = 0;
  for (auto& e : entries)
    total += e.bytes;
  std::vector<uint64_t> out;
  if (total <= budget)
    return out;
  std::sort(entries.begin(), entries.end(),
            [](const backlog_entry& a, const backlog_entry& b) {
              return a.bytes != b.bytes ? a.bytes > b.bytes : a.id < b.id;
            });
  for (auto& e : entries) {
    if (total <= budget)
      break;
    out.push_back(e.id);
    total -= e.bytes;
  }
  return out;
}

} // namespace tickflow
