#pragma once

// What REST adapters do to a provider's bars (and price series) after
// parsing: put them in time order, keep the ones the request asked for
// ([start_ns, end_ns], then the newest `limit`), and tell whether a bar has
// ended. Pure: time is always a parameter.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow {

/// True when `ts_ns` lies in [req.start_ns, req.end_ns], a bound of 0 being
/// open ("no start", "no end").
bool in_window(const fetch_request& req, int64_t ts_ns) noexcept;

/// Keeps the last `limit` elements of an oldest-first series (all of them
/// when `limit` is 0).
template <class T>
void keep_newest(std::vector<T>& xs, size_t limit) {
  if (limit > 0 && xs.size() > limit)
    xs.erase(xs.begin(), xs.end() - static_cast<std::ptrdiff_t>(limit));
}

/// Keeps the oldest-first `bars` whose open time is in_window(req), then the
/// newest req.limit of them. The order is kept.
void trim_to_request(std::vector<bar>& bars, const fetch_request& req);

/// The same for a price series, by ts_event_ns.
void trim_to_request(std::vector<price>& prices, const fetch_request& req);

/// Sorts `bars` by open time, oldest first; bars opening at the same time
/// keep their order.
void sort_by_open_time(std::vector<bar>& bars);

/// True when a bar of `span` opened at `open_ns` has ended by `now_ns` (a
/// month counts 31 days: a short month's bar is reported closed late, never
/// early).
bool bar_has_ended(interval span, int64_t open_ns, int64_t now_ns) noexcept;

} // namespace tickflow
