#include "pipeline/ratelimit/coalesce.hpp"

namespace tickflow {

std::string coalescing_key(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) {
    out += std::to_string(p.size());
    out += ':';
    out.append(p);
  }
  return out;
}

} // namespace tickflow
