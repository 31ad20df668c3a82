#include "api/routes/freshness.hpp"

#include "api/routes/common.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

std::optional<int64_t> read_max_age(query_reader& in) {
  if (in.text("max_age").empty())
    return std::nullopt;
  auto s = in.whole("max_age", 0, max_age_limit_s, 0);
  return static_cast<int64_t>(s) * ns_per_s;
}

bool within_max_age(int64_t ts_event_ns, int64_t now_ns,
                    std::optional<int64_t> max_age_ns) noexcept {
  if (!max_age_ns)
    return true;
  // A time ahead of the clock is age 0 (skew), never "too old".
  return now_ns - ts_event_ns <= *max_age_ns;
}

bool redis_may_answer(int64_t ts_event_ns, int64_t ts_recv_ns, int64_t now_ns,
                      int64_t ttl_ns, std::optional<int64_t> max_age_ns) noexcept {
  auto got = ts_recv_ns > 0 ? ts_recv_ns : ts_event_ns;
  if (ttl_ns > 0 && now_ns - got > ttl_ns)
    return false;
  return within_max_age(ts_event_ns, now_ns, max_age_ns);
}

http_response too_old(const std::string& instrument, int64_t max_age_ns) {
  return fail(404, "no_data",
              "no data of " + instrument + " younger than max_age="
                + std::to_string(max_age_ns / ns_per_s) + " s",
              "max_age");
}

} // namespace tickflow::api
