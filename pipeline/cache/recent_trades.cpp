#include "pipeline/cache/recent_trades.hpp"

#include <algorithm>

namespace tickflow::cache {

recent_trades::recent_trades(size_t per_instrument)
  : per_instrument_(per_instrument) {
  // nop
}

void recent_trades::add(const trade& t) {
  if (per_instrument_ == 0)
    return;
  auto it = rings_.find(t.instrument);
  if (it == rings_.end())
    it = rings_.emplace(t.instrument, ring{}).first;
  auto& r = it->second;
  if (r.slots.size() < per_instrument_) {
    r.slots.push_back(t);
    ++held_;
    return;
  }
  r.slots[r.next] = t; // copy-assigns: the slot's strings keep their buffers
  r.next = (r.next + 1) % per_instrument_;
}

recent_answer recent_trades::query(const std::string& instrument,
                                   int64_t start_ns, int64_t end_ns,
                                   size_t limit) const {
  recent_answer out;
  auto it = rings_.find(instrument);
  if (it == rings_.end() || limit == 0)
    return out;
  auto& slots = it->second.slots;
  std::vector<const trade*> hits;
  int64_t oldest = 0;
  for (auto& t : slots) {
    if (oldest == 0 || t.ts_event_ns < oldest)
      oldest = t.ts_event_ns;
    if (t.ts_event_ns >= start_ns && (end_ns == 0 || t.ts_event_ns <= end_ns))
      hits.push_back(&t);
  }
  out.oldest_ns = oldest;
  // Feeds are mostly in order but not always: order by event time, then id.
  std::sort(hits.begin(), hits.end(), [](const trade* a, const trade* b) {
    if (a->ts_event_ns != b->ts_event_ns)
      return a->ts_event_ns < b->ts_event_ns;
    return a->trade_id < b->trade_id;
  });
  size_t from = hits.size() > limit ? hits.size() - limit : 0;
  out.trades.reserve(hits.size() - from);
  for (size_t i = from; i < hits.size(); ++i)
    out.trades.push_back(*hits[i]);
  // The ring holds the newest trades without a hole: with `limit` of them
  // in range, or reaching back to the start, nothing older is missing.
  out.complete = hits.size() >= limit || (start_ns > 0 && oldest <= start_ns);
  return out;
}

} // namespace tickflow::cache
