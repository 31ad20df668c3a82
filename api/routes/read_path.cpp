#include "api/routes/read_path.hpp"

#include <algorithm>

namespace tickflow::api {

namespace {

std::vector<int64_t> open_times(const std::vector<bar>& xs) {
  std::vector<int64_t> out;
  out.reserve(xs.size());
  for (auto& b : xs)
    out.push_back(b.open_time_ns);
  return out;
}

const trading_calendar& always_open() {
  static const trading_calendar cal;
  return cal;
}

} // namespace

const trading_calendar& bars_read::calendar() const noexcept {
  return cal ? *cal : always_open();
}

bool bars_read::closed() const {
  return ranged && !calendar().always_open()
         && !cache::any_open_slot(q.span, calendar(), window_start_ns, end_ns);
}

int64_t bars_read::fetch_start(int64_t start_ns) const {
  if (start_ns == 0 || calendar().always_open() || direct(q))
    return start_ns;
  auto open = cache::missing_ranges(q.span, calendar(), start_ns, end_ns, {}, 1);
  return open.empty() ? start_ns : std::max(start_ns, open.front().first_ns);
}

bool bars_read::direct(const ohlcv_query& q) noexcept {
  return !q.provider.empty() && q.provider != "simulator";
}

void bars_read::init(int64_t now_ns) {
  end_given = q.end_ns != 0;
  end_ns = end_given ? q.end_ns : now_ns;
  ranged = !direct(q) && (q.start_ns != 0 || fetchable);
  if (ranged)
    window_start_ns = cache::newest_slots_start(q.span, calendar(), q.start_ns, end_ns,
                                                 q.limit);
}

bars_query bars_read::l1_query() const {
  return {q.instrument, q.span, q.limit, q.start_ns, q.end_ns};
}

bars_query bars_read::step_query() const {
  if (!ranged)
    return l1_query();
  // Every slot, open or not: a store may hold bars outside the session
  // (a provider's pre-market bars), which must not push session bars out.
  auto slots = cache::count_slots(q.span, window_start_ns,
                                  bar_open_time(q.span, end_ns));
  return {q.instrument, q.span, std::clamp<size_t>(slots, 1, q.limit),
          window_start_ns, end_ns};
}

std::vector<bar> bars_read::keep(std::vector<bar> xs) const {
  // Out-of-range bars go before the newest `limit` are kept, so they cannot
  // push in-range bars out.
  auto lo = q.start_ns != 0 ? bar_open_time(q.span, q.start_ns) : none_before;
  auto hi = end_given ? end_ns : std::numeric_limits<int64_t>::max();
  xs.erase(std::remove_if(xs.begin(), xs.end(),
                          [&](const bar& b) {
                            return b.open_time_ns < lo || b.open_time_ns > hi;
                          }),
           xs.end());
  std::stable_sort(xs.begin(), xs.end(), [](const bar& a, const bar& b) {
    return a.open_time_ns < b.open_time_ns;
  });
  xs.erase(std::unique(xs.begin(), xs.end(),
                       [](const bar& a, const bar& b) {
                         return a.open_time_ns == b.open_time_ns;
                       }),
           xs.end());
  if (xs.size() > q.limit)
    xs.erase(xs.begin(), xs.end() - static_cast<std::ptrdiff_t>(q.limit));
  return xs;
}

std::optional<bars_fill> bars_read::fill(const std::vector<bar>& kept,
                                         int64_t known_from) const {
  if (kept.empty())
    return std::nullopt;
  bars_fill f;
  f.instrument = q.instrument;
  f.span = q.span;
  f.bars = kept;
  f.from_ns = kept.size() >= q.limit ? kept.front().open_time_ns : known_from;
  f.to_ns = end_ns;
  f.open_ended = !end_given;
  return f;
}

std::optional<int64_t> bars_read::redis_answer(const std::vector<bar>& bars) const {
  if (bars.empty())
    return std::nullopt;
  if (!ranged)
    return bars.front().open_time_ns;
  auto gaps = cache::missing_ranges(q.span, calendar(), window_start_ns, end_ns,
                                    open_times(bars), 1);
  if (!gaps.empty())
    return std::nullopt;
  return window_start_ns;
}

storage_decision bars_read::after_storage(const std::vector<bar>& stored) const {
  storage_decision d;
  if (!ranged) { // the newest bars, and no provider to ask
    d.next = stored.empty() ? next_step::nothing_found : next_step::answer;
    return d;
  }
  d.known_from = window_start_ns;
  auto gaps = cache::missing_ranges(q.span, calendar(), window_start_ns, end_ns,
                                    open_times(stored), max_gap_requests);
  if (gaps.empty() && (!stored.empty() || closed())) {
    d.next = next_step::answer;
  } else if (!fetchable) { // partial (or nothing): what storage has
    d.next = stored.empty() ? next_step::nothing_found : next_step::answer;
    d.fill = false;
  } else if (stored.empty()) {
    d.next = next_step::fetch_whole;
  } else {
    d.next = next_step::fill_gaps;
    d.gaps = std::move(gaps);
  }
  return d;
}

std::string bars_read::body(const std::vector<bar>& kept, provenance from) const {
  from.as_of_ns = kept.empty() ? 0 : kept.back().open_time_ns;
  from.requested = q.requested;
  from.adjusted = q.adjusted;
  return ohlcv_body(q.instrument, q.span, kept, from, q.validate);
}

void gap_merge::add(const cache::slot_range& g, interval span,
                    const std::string& provider, std::vector<bar> fetched) {
  bool any = false;
  for (auto& b : fetched) {
    auto slot = bar_open_time(span, b.open_time_ns);
    if (slot >= g.first_ns && slot <= g.last_ns) {
      bars.push_back(std::move(b));
      any = true;
    }
  }
  if (any)
    providers.insert(provider);
}

std::string gap_merge::source() const {
  std::string out = "postgres";
  for (auto& p : providers)
    out += "+" + p;
  return out;
}

} // namespace tickflow::api
