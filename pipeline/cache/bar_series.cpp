#include "pipeline/cache/bar_series.hpp"

#include <algorithm>
#include <limits>

#include "pipeline/cache/range_gaps.hpp"

namespace tickflow::cache {

namespace {

constexpr int64_t min_ns = std::numeric_limits<int64_t>::min();
constexpr int64_t max_ns = std::numeric_limits<int64_t>::max();

bool open_before(const bar& x, int64_t t) { return x.open_time_ns < t; }

/// Heap bytes of a string beyond the small-string buffer.
size_t heap_bytes(const std::string& s) noexcept {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

} // namespace

bar_series::bar_series(interval span, size_t max_bars)
  : span_(span), max_bars_(max_bars < 1 ? 1 : max_bars) {}

void bar_series::store(const bar& b) {
  if (bars_.empty() || bars_.back().open_time_ns < b.open_time_ns) {
    bars_.push_back(b);
    return;
  }
  auto pos = std::lower_bound(bars_.begin(), bars_.end(), b.open_time_ns,
                              open_before);
  if (pos != bars_.end() && pos->open_time_ns == b.open_time_ns)
    *pos = b;
  else
    bars_.insert(pos, b);
}

size_t bar_series::enforce_bound() {
  size_t evicted = 0;
  while (bars_.size() > max_bars_) {
    bars_.pop_front();
    ++evicted;
  }
  if (evicted > 0) {
    // What was evicted is no longer held: coverage starts at the oldest bar.
    auto oldest = bars_.front().open_time_ns;
    bool had_tail = !spans_.empty();
    spans_.erase(std::remove_if(spans_.begin(), spans_.end(),
                                [&](const covered_span& s) {
                                  return s.to_ns < oldest;
                                }),
                 spans_.end());
    for (auto& s : spans_)
      s.from_ns = std::max(s.from_ns, oldest);
    if (had_tail && spans_.empty())
      tail_ = tail_kind::closed;
  }
  if (spans_.size() > max_spans) {
    spans_.erase(spans_.begin(),
                 spans_.begin()
                   + static_cast<std::ptrdiff_t>(spans_.size() - max_spans));
  }
  return evicted;
}

bool bar_series::covered(int64_t open_ns) const noexcept {
  for (auto& s : spans_)
    if (s.from_ns <= open_ns && open_ns <= s.to_ns)
      return true;
  return false;
}

size_t bar_series::cover(int64_t from_ns, int64_t to_ns) {
  // Spans hold slot open times: from rounded up, to rounded down.
  auto from = from_ns == min_ns ? min_ns : first_slot_at_or_after(span_, from_ns);
  auto to = to_ns == max_ns ? max_ns : bar_open_time(span_, to_ns);
  if (to < from)
    return spans_.size(); // no slot in it
  spans_.push_back({from, to});
  std::sort(spans_.begin(), spans_.end(),
            [](const covered_span& a, const covered_span& b) {
              return a.from_ns < b.from_ns;
            });
  std::vector<covered_span> merged;
  for (auto& s : spans_) {
    if (!merged.empty()) {
      auto& last = merged.back();
      auto after = last.to_ns == max_ns ? max_ns : next_slot(span_, last.to_ns);
      if (s.from_ns <= after) { // overlapping or adjacent
        last.to_ns = std::max(last.to_ns, s.to_ns);
        continue;
      }
    }
    merged.push_back(s);
  }
  spans_ = std::move(merged);
  for (size_t i = 0; i < spans_.size(); ++i)
    if (spans_[i].from_ns <= from && to <= spans_[i].to_ns)
      return i;
  return spans_.size();
}

size_t bar_series::add_live(const bar& b) {
  store(b);
  auto t = b.open_time_ns;
  if (spans_.empty()) {
    spans_.push_back({t, t});
    tail_ = tail_kind::live;
  } else if (auto& last = spans_.back(); tail_ != tail_kind::closed) {
    last.to_ns = std::max(last.to_ns, t);
  } else if (t > last.to_ns) {
    if (t <= next_slot(span_, last.to_ns))
      last.to_ns = t; // the next slot: the span continues, live from here
    else
      spans_.push_back({t, t}); // after a gap: a new live span
    tail_ = tail_kind::live;
  }
  // A late bar inside or before the spans changes no coverage.
  return enforce_bound();
}

size_t bar_series::fill(const std::vector<bar>& bars, int64_t from_ns,
                        int64_t to_ns, bool open_ended) {
  for (auto& b : bars)
    store(b);
  if (!open_ended && tail_ != tail_kind::closed && !bars_.empty()
      && to_ns >= bars_.back().open_time_ns)
    tail_ = tail_kind::closed;
  if (!open_ended) {
    cover(from_ns, to_ns);
  } else if (!bars.empty()) {
    // Covered up to the newest bar of the answer, and beyond it up to now
    // when that span is the newest.
    int64_t newest = min_ns;
    for (auto& b : bars)
      newest = std::max(newest, b.open_time_ns);
    auto at = cover(from_ns, newest);
    if (at + 1 == spans_.size() && tail_ != tail_kind::live)
      tail_ = tail_kind::filled;
  }
  return enforce_bound();
}

series_answer bar_series::query(int64_t start_ns, int64_t end_ns,
                                size_t limit) const {
  series_answer out;
  if (limit == 0 || bars_.empty())
    return out;
  auto last = bars_.end();
  if (end_ns != 0)
    last = std::upper_bound(bars_.begin(), bars_.end(), end_ns,
                            [](int64_t t, const bar& x) {
                              return t < x.open_time_ns;
                            });
  auto first = bars_.begin();
  if (start_ns != 0)
    first = std::lower_bound(bars_.begin(), last, start_ns, open_before);
  if (static_cast<size_t>(last - first) > limit)
    first = last - static_cast<std::ptrdiff_t>(limit);
  out.bars.assign(first, last);
  if (out.bars.empty())
    return out;
  // The slots the answer must be complete over.
  int64_t need_from;
  if (out.bars.size() == limit)
    need_from = out.bars.front().open_time_ns; // nothing older is needed
  else if (start_ns != 0)
    need_from = first_slot_at_or_after(span_, start_ns);
  else if (tail_ == tail_kind::live)
    need_from = out.bars.front().open_time_ns; // all the live feed has
  else
    need_from = min_ns;
  auto need_to = end_ns == 0 ? max_ns : bar_open_time(span_, end_ns);
  for (size_t i = 0; i < spans_.size(); ++i) {
    auto& s = spans_[i];
    bool open = i + 1 == spans_.size() && tail_ != tail_kind::closed;
    if (s.from_ns <= need_from && (open || need_to <= s.to_ns)) {
      out.complete = true;
      break;
    }
  }
  return out;
}

size_t bar_series::approx_bytes() const noexcept {
  size_t per_bar = sizeof(bar);
  if (!bars_.empty())
    per_bar += heap_bytes(bars_.front().instrument)
               + heap_bytes(bars_.front().provider_symbol);
  return sizeof(*this) + bars_.size() * per_bar
         + spans_.capacity() * sizeof(covered_span);
}

} // namespace tickflow::cache
