#include "api/routes/resample.hpp"

#include <algorithm>

#include "pipeline/normalize/bar_resampler.hpp"

namespace tickflow::api {

std::vector<interval> resample_plan(interval target, const std::vector<interval>& live) {
  std::vector<interval> out;
  for (auto fine : finer_sources(target))
    if (fine == interval::m1 || std::find(live.begin(), live.end(), fine) != live.end())
      out.push_back(fine);
  return out;
}

ohlcv_query finer_query(const ohlcv_query& q, interval fine) {
  auto out = q;
  out.span = fine;
  out.validate = false;
  // A month counts 30 days in interval_ns; 31 covers every month.
  auto coarse_ns = q.span == interval::mo1 ? 31 * interval_ns(interval::d1)
                                           : interval_ns(q.span);
  auto per_bar = static_cast<size_t>(coarse_ns / interval_ns(fine));
  // One more coarse bar: the range may start inside one.
  out.limit = std::min(max_finer_bars, per_bar * (q.limit + 1));
  if (q.start_ns != 0)
    out.start_ns = bar_open_time(q.span, q.start_ns);
  if (q.end_ns != 0)
    out.end_ns = bar_close_time(q.span, bar_open_time(q.span, q.end_ns)) - interval_ns(fine);
  return out;
}

} // namespace tickflow::api
