#include "pipeline/model/corporate_action.hpp"

namespace tickflow {

std::string_view to_string(action_kind k) noexcept {
  switch (k) {
    case action_kind::split:
      return "split";
    case action_kind::dividend:
      return "dividend";
  }
  return "unknown";
}

} // namespace tickflow
