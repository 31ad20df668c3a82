#include "adapters/common/corporate_actions.hpp"

#include <algorithm>

#include "pipeline/model/time.hpp"

namespace tickflow {

result<int64_t> parse_action_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-')
    return error{errc::invalid_argument, "expected YYYY-MM-DD"};
  return parse_timestamp(text);
}

std::string action_date_text(int64_t ns) {
  return format_iso8601(ns).substr(0, 10);
}

void keep_actions_in_range(std::vector<corporate_action>& xs, int64_t start_ns,
                           int64_t end_ns) {
  xs.erase(std::remove_if(xs.begin(), xs.end(),
                          [&](const corporate_action& x) {
                            return (start_ns > 0 && x.ex_date_ns < start_ns)
                                   || (end_ns > 0 && x.ex_date_ns > end_ns);
                          }),
           xs.end());
  std::stable_sort(xs.begin(), xs.end(), [](const auto& a, const auto& b) {
    return a.ex_date_ns != b.ex_date_ns ? a.ex_date_ns < b.ex_date_ns : a.kind < b.kind;
  });
}

} // namespace tickflow
