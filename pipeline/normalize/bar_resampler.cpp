#include "pipeline/normalize/bar_resampler.hpp"

#include <algorithm>
#include <array>

namespace tickflow {

namespace {

constexpr std::array<interval, 16> all_intervals{
  interval::s1, interval::m1, interval::m3, interval::m5,  interval::m15, interval::m30,
  interval::h1, interval::h2, interval::h4, interval::h6,  interval::h8,  interval::h12,
  interval::d1, interval::d3, interval::w1, interval::mo1,
};

constexpr int64_t day_ns = 86'400'000'000'000;

// Folds b (a later finer bar) into c.
void fold(bar& c, const bar& b) {
  if (b.high > c.high)
    c.high = b.high;
  if (b.low < c.low)
    c.low = b.low;
  c.close = b.close;
  // On overflow the volume stays as it was (as bar_aggregator does).
  if (auto sum = decimal::add(c.volume, b.volume))
    c.volume = *sum;
  c.trade_count += b.trade_count;
  c.ts_recv_ns = std::max(c.ts_recv_ns, b.ts_recv_ns);
  c.flags |= b.flags;
  c.source = b.source;
}

// A fresh coarse bar from its first finer bar.
bar start(const bar& b, interval coarse, int64_t open_ns) {
  bar c = b;
  c.span = coarse;
  c.open_time_ns = open_ns;
  return c;
}

bool ends_window(const bar& fine, interval coarse, int64_t open_ns) {
  return fine.closed
         && bar_close_time(fine.span, fine.open_time_ns) >= bar_close_time(coarse, open_ns);
}

} // namespace

bool resamples_from(interval coarse, interval fine) noexcept {
  if (fine == coarse)
    return false;
  auto f = interval_ns(fine);
  if (coarse == interval::mo1) // months start on a day boundary, not on a week's
    return f <= day_ns;
  if (fine == interval::mo1 || f >= interval_ns(coarse))
    return false;
  if (coarse == interval::w1) // weeks start on Monday 00:00Z: days divide them
    return day_ns % f == 0;
  return interval_ns(coarse) % f == 0;
}

std::vector<interval> finer_sources(interval coarse) {
  std::vector<interval> out;
  for (auto it = all_intervals.rbegin(); it != all_intervals.rend(); ++it)
    if (resamples_from(coarse, *it))
      out.push_back(*it);
  return out;
}

int64_t bar_close_time(interval iv, int64_t open_ns) noexcept {
  if (iv == interval::mo1)
    return bar_open_time(iv, open_ns + 32 * day_ns);
  return open_ns + interval_ns(iv);
}

std::vector<bar> resample_bars(const std::vector<bar>& fine, interval coarse) {
  // Indices sorted by open time; stable, so the later of equal ones is last.
  std::vector<size_t> order(fine.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return fine[a].open_time_ns < fine[b].open_time_ns;
  });
  std::vector<bar> out;
  const bar* last = nullptr; // the fine bar folded last
  auto finish = [&] {
    if (last == nullptr || out.empty())
      return;
    auto& c = out.back();
    c.closed = last->closed
               && bar_close_time(last->span, last->open_time_ns)
                    >= bar_close_time(coarse, c.open_time_ns);
  };
  for (size_t k = 0; k < order.size(); ++k) {
    auto& b = fine[order[k]];
    // Of two bars with one open time, only the later counts.
    if (k + 1 < order.size() && fine[order[k + 1]].open_time_ns == b.open_time_ns)
      continue;
    auto open = bar_open_time(coarse, b.open_time_ns);
    if (out.empty() || out.back().open_time_ns != open) {
      finish();
      out.push_back(start(b, coarse, open));
    } else {
      fold(out.back(), b);
    }
    last = &b;
  }
  finish();
  return out;
}

std::optional<interval> live_source(interval coarse, const std::vector<interval>& live) {
  std::optional<interval> best;
  for (auto iv : live)
    if (resamples_from(coarse, iv) && (!best || interval_ns(iv) > interval_ns(*best)))
      best = iv;
  return best;
}

const bar* live_resampler::add(const bar& fine, interval coarse) {
  auto open = bar_open_time(coarse, fine.open_time_ns);
  auto [i, fresh] = series_.try_emplace({fine.instrument, coarse});
  auto& s = i->second;
  if (fresh || open > s.open_ns) {
    s.open_ns = open;
    s.has_done = false;
    s.has_current = false;
    s.last_done_ns = 0;
  } else if (open < s.open_ns || (s.has_done && fine.open_time_ns <= s.last_done_ns)) {
    return nullptr; // an older window, or a finer bar already final
  }
  if (fine.closed) {
    if (s.has_done)
      fold(s.done, fine);
    else
      s.done = start(fine, coarse, open);
    s.has_done = true;
    s.last_done_ns = fine.open_time_ns;
    s.has_current = false;
  } else {
    s.current = fine;
    s.has_current = true;
  }
  if (s.has_done) {
    s.out = s.done;
    if (s.has_current)
      fold(s.out, s.current);
  } else {
    s.out = start(s.current, coarse, open);
  }
  s.out.closed = !s.has_current && ends_window(fine, coarse, open);
  return &s.out;
}

} // namespace tickflow
