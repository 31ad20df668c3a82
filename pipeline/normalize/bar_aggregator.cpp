#include "pipeline/normalize/bar_aggregator.hpp"

#include <algorithm>
#include <limits>

namespace tickflow {

namespace {

// Flags that describe where the data came from; a bar inherits them from its
// trades. Verdicts about single trades (outlier, stale, ...) do not carry over.
constexpr uint32_t provenance_flags = quality_synthetic | quality_backfilled;

constexpr int64_t day_ns = 86'400'000'000'000;

int64_t saturating_add(int64_t a, int64_t b) noexcept {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum))
    return b > 0 ? std::numeric_limits<int64_t>::max()
                 : std::numeric_limits<int64_t>::min();
  return sum;
}

// End of the bar that opens at open_ns (exclusive). Months end on the 1st of
// the next month rather than after interval_ns's nominal 30 days, so trades
// on the 31st still fold into their own month.
int64_t bar_end(interval iv, int64_t open_ns) noexcept {
  if (iv == interval::mo1)
    return bar_open_time(iv, saturating_add(open_ns, 32 * day_ns));
  return saturating_add(open_ns, interval_ns(iv));
}

// Turns b into a fresh one-trade bar (reusing its string buffers).
void start(bar& b, const trade& t, interval iv, int64_t open_ns) {
  b.instrument = t.instrument;
  b.provider_symbol = t.provider_symbol;
  b.source = t.source;
  b.span = iv;
  b.open_time_ns = open_ns;
  b.open = t.price;
  b.high = t.price;
  b.low = t.price;
  b.close = t.price;
  b.volume = t.size;
  b.trade_count = 1;
  b.closed = false;
  b.ts_recv_ns = t.ts_recv_ns;
  b.flags = t.flags & provenance_flags;
}

void fold(bar& b, const trade& t) {
  if (t.price > b.high)
    b.high = t.price;
  if (t.price < b.low)
    b.low = t.price;
  b.close = t.price;
  // On overflow the volume stays as it was; the trade still counts.
  if (auto sum = decimal::add(b.volume, t.size))
    b.volume = *sum;
  ++b.trade_count;
  b.ts_recv_ns = std::max(b.ts_recv_ns, t.ts_recv_ns);
  b.flags |= t.flags & provenance_flags;
}

} // namespace

bar_aggregator::bar_aggregator(std::vector<interval> intervals) {
  // A repeated interval would fold every trade twice into the same bar.
  for (auto iv : intervals)
    if (std::find(intervals_.begin(), intervals_.end(), iv) == intervals_.end())
      intervals_.push_back(iv);
}

// open_ keeps the latest bar of every series, also after it closed (then
// with closed == true) until the next trade opens a later one. That way a
// trade for an already emitted bar counts as late instead of opening the
// same bar a second time. The map holds one entry per (instrument, interval)
// ever seen.
void bar_aggregator::add(const trade& t, std::vector<bar>& closed) {
  bool late = false;
  std::pair<std::string, interval> key{t.instrument, interval::s1};
  for (auto iv : intervals_) {
    key.second = iv;
    auto open_ns = bar_open_time(iv, t.ts_event_ns);
    auto i = open_.find(key);
    if (i == open_.end()) {
      start(open_[key], t, iv, open_ns);
      continue;
    }
    auto& b = i->second;
    if (open_ns < b.open_time_ns || (open_ns == b.open_time_ns && b.closed)) {
      late = true;
      continue;
    }
    if (open_ns > b.open_time_ns) {
      if (!b.closed) {
        b.closed = true;
        closed.push_back(std::move(b));
      }
      start(b, t, iv, open_ns);
      continue;
    }
    fold(b, t);
  }
  if (late)
    ++late_trades_;
}

void bar_aggregator::close_until(int64_t now_ns, std::vector<bar>& closed) {
  for (auto& [key, b] : open_) {
    if (b.closed || bar_end(b.span, b.open_time_ns) > now_ns)
      continue;
    b.closed = true;
    closed.push_back(b);
  }
}

void bar_aggregator::open_bars(std::vector<bar>& out) const {
  for (auto& [key, b] : open_)
    if (!b.closed)
      out.push_back(b);
}

} // namespace tickflow
