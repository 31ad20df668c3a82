#include "pipeline/validate/finding.hpp"

namespace tickflow {

std::string_view to_string(event_action a) noexcept {
  switch (a) {
    case event_action::accept:
      return "accept";
    case event_action::drop:
      return "drop";
  }
  return "unknown";
}

const finding* verdict::find(rule r) const noexcept {
  for (auto& f : findings)
    if (f.which == r)
      return &f;
  return nullptr;
}

} // namespace tickflow
