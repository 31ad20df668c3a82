#include "adapters/common/bar_window.hpp"

#include <algorithm>

#include "pipeline/model/time.hpp"

namespace tickflow {

bool in_window(const fetch_request& req, int64_t ts_ns) noexcept {
  return (req.start_ns == 0 || ts_ns >= req.start_ns)
         && (req.end_ns == 0 || ts_ns <= req.end_ns);
}

void trim_to_request(std::vector<bar>& bars, const fetch_request& req) {
  bars.erase(std::remove_if(bars.begin(), bars.end(),
                            [&](const bar& b) {
                              return !in_window(req, b.open_time_ns);
                            }),
             bars.end());
  keep_newest(bars, req.limit);
}

void trim_to_request(std::vector<price>& prices, const fetch_request& req) {
  prices.erase(std::remove_if(prices.begin(), prices.end(),
                              [&](const price& p) {
                                return !in_window(req, p.ts_event_ns);
                              }),
               prices.end());
  keep_newest(prices, req.limit);
}

void sort_by_open_time(std::vector<bar>& bars) {
  std::stable_sort(bars.begin(), bars.end(), [](const bar& a, const bar& b) {
    return a.open_time_ns < b.open_time_ns;
  });
}

bool bar_has_ended(interval span, int64_t open_ns, int64_t now_ns) noexcept {
  constexpr int64_t month_ns = 31 * 86'400 * ns_per_s;
  int64_t len = span == interval::mo1 ? month_ns : interval_ns(span);
  return now_ns >= open_ns && now_ns - open_ns >= len;
}

} // namespace tickflow
