#include "pipeline/cache/range_gaps.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "pipeline/model/saturating.hpp"

namespace tickflow::cache {

namespace {

constexpr int64_t day_ns = 86'400'000'000'000;
constexpr int64_t max_ns = std::numeric_limits<int64_t>::max();

/// At most max_ranges (>= 1) of `gaps`: the ranges separated by the fewest
/// held slots (widths[i]: held between gap i and i + 1) are merged.
std::vector<slot_range> merge_gaps(std::vector<slot_range> gaps,
                                   const std::vector<size_t>& widths, size_t max_ranges) {
  if (max_ranges < 1)
    max_ranges = 1;
  if (gaps.size() <= max_ranges)
    return gaps;
  // Keep the max_ranges - 1 widest runs of held slots as the splits; every
  // other run between two gaps is fetched again inside a merged range.
  std::vector<size_t> runs(gaps.size() - 1); // run i lies between gap i and i+1
  std::iota(runs.begin(), runs.end(), size_t{0});
  std::stable_sort(runs.begin(), runs.end(), [&](size_t a, size_t b) {
    return widths[a] > widths[b];
  });
  std::vector<bool> split(runs.size(), false);
  for (size_t k = 0; k + 1 < max_ranges; ++k)
    split[runs[k]] = true;
  std::vector<slot_range> merged;
  auto open = gaps.front();
  for (size_t i = 0; i + 1 < gaps.size(); ++i) {
    if (split[i]) {
      merged.push_back(open);
      open = gaps[i + 1];
    } else {
      open.last_ns = gaps[i + 1].last_ns;
      open.slots += widths[i] + gaps[i + 1].slots;
    }
  }
  merged.push_back(open);
  return merged;
}

} // namespace

int64_t next_slot(interval iv, int64_t open_ns) noexcept {
  // Months differ in length: 31 days after the 1st always lands in the next
  // month, whose start bar_open_time finds.
  // Past the end of the int64 range the next slot is max_ns: the last
  // month (2262-04) must not be its own successor, or a walk over slots
  // never ends (it hung the gateway on ohlcv ... end=9223372036854775807).
  if (iv == interval::mo1) {
    auto later = saturated_add(open_ns, 31 * day_ns);
    return later == max_ns ? max_ns : bar_open_time(iv, later);
  }
  return saturated_add(open_ns, interval_ns(iv));
}

int64_t previous_slot(interval iv, int64_t open_ns) noexcept {
  return bar_open_time(iv, saturated_add(open_ns, -1));
}

int64_t first_slot_at_or_after(interval iv, int64_t ts_ns) noexcept {
  auto open = bar_open_time(iv, ts_ns);
  return open == ts_ns ? open : next_slot(iv, open);
}

size_t count_slots(interval iv, int64_t first_open_ns,
                   int64_t last_open_ns) noexcept {
  if (last_open_ns < first_open_ns)
    return 0;
  if (iv != interval::mo1) {
    auto length = static_cast<unsigned __int128>(interval_ns(iv));
    auto span = static_cast<unsigned __int128>(
      static_cast<__int128>(last_open_ns) - first_open_ns);
    return static_cast<size_t>(span / length + 1);
  }
  size_t n = 0;
  for (auto t = first_open_ns; t <= last_open_ns; t = next_slot(iv, t)) {
    ++n;
    if (t == max_ns)
      break;
  }
  return n;
}

int64_t newest_slots_start(interval iv, int64_t start_ns, int64_t end_ns,
                           size_t count) noexcept {
  auto first = first_slot_at_or_after(iv, start_ns);
  auto last = bar_open_time(iv, end_ns);
  if (last < first || count <= 1)
    return count <= 1 && last >= first ? last : first;
  if (iv != interval::mo1) {
    auto back = static_cast<__int128>(interval_ns(iv))
                * static_cast<__int128>(count - 1);
    auto candidate = static_cast<__int128>(last) - back;
    return candidate <= first ? first : static_cast<int64_t>(candidate);
  }
  auto t = last;
  for (size_t i = 1; i < count && t > first; ++i)
    t = previous_slot(iv, t);
  return std::max(t, first);
}

std::vector<slot_range> missing_ranges(interval iv, int64_t start_ns,
                                       int64_t end_ns,
                                       std::vector<int64_t> held_open_ns,
                                       size_t max_ranges) {
  std::vector<slot_range> gaps;
  auto first = first_slot_at_or_after(iv, start_ns);
  auto last = bar_open_time(iv, end_ns);
  if (last < first)
    return gaps;
  for (auto& t : held_open_ns)
    t = bar_open_time(iv, t);
  std::sort(held_open_ns.begin(), held_open_ns.end());
  held_open_ns.erase(std::unique(held_open_ns.begin(), held_open_ns.end()),
                     held_open_ns.end());
  auto cursor = first; // the oldest slot not yet accounted for
  bool done = false;   // cursor went past the end of time
  for (auto held : held_open_ns) {
    if (held < first)
      continue;
    if (held > last)
      break;
    if (held > cursor) {
      auto gap_last = previous_slot(iv, held);
      gaps.push_back({cursor, gap_last, count_slots(iv, cursor, gap_last)});
    }
    if (held == max_ns) {
      done = true;
      break;
    }
    cursor = next_slot(iv, held);
  }
  if (!done && cursor <= last)
    gaps.push_back({cursor, last, count_slots(iv, cursor, last)});
  if (gaps.size() <= std::max<size_t>(max_ranges, 1))
    return gaps;
  std::vector<size_t> widths(gaps.size() - 1);
  for (size_t i = 0; i < widths.size(); ++i)
    widths[i] = count_slots(iv, next_slot(iv, gaps[i].last_ns),
                            previous_slot(iv, gaps[i + 1].first_ns));
  return merge_gaps(std::move(gaps), widths, max_ranges);
}

// -- with a trading calendar ------------------------------------------------
// The same questions, asked of the slots in which the market trades. The
// open slots of a range are gathered as runs of consecutive slots (one per
// session for intraday bars), so a range of years costs one step per date,
// not per slot.

namespace {

int64_t floor_div(int64_t a, int64_t b) noexcept {
  auto q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/// Consecutive open slots first..last (both open times).
struct run {
  int64_t first = 0;
  int64_t last = 0;
};

/// The open slots of `cal` in [first, last] (slot open times), as runs,
/// oldest first; adjacent runs (a 24-hour session and the next) are one.
std::vector<run> open_runs(interval iv, const trading_calendar& cal, int64_t first,
                           int64_t last) {
  std::vector<run> out;
  if (last < first)
    return out;
  if (interval_ns(iv) >= day_ns) {
    for (auto t = first; t <= last;) {
      if (cal.slot_open(iv, t)) {
        if (!out.empty() && next_slot(iv, out.back().last) == t)
          out.back().last = t;
        else
          out.push_back({t, t});
      }
      auto next = next_slot(iv, t);
      if (next <= t)
        break;
      t = next;
    }
    return out;
  }
  // Intraday: the slots that overlap each date's session (a session may
  // begin the evening before its date, so one date either side is asked).
  for (auto d = floor_div(first, day_ns) - 1; d <= floor_div(last, day_ns) + 1; ++d) {
    auto s = cal.session(d);
    if (!s.open())
      continue;
    auto a = std::max(first, bar_open_time(iv, s.open_ns));
    auto b = std::min(last, bar_open_time(iv, s.close_ns - 1));
    if (a <= b)
      out.push_back({a, b});
  }
  std::sort(out.begin(), out.end(), [](const run& x, const run& y) { return x.first < y.first; });
  std::vector<run> merged;
  for (auto& r : out) {
    if (!merged.empty() && r.first <= next_slot(iv, merged.back().last))
      merged.back().last = std::max(merged.back().last, r.last);
    else
      merged.push_back(r);
  }
  return merged;
}

size_t count_in(interval iv, const std::vector<run>& runs) {
  size_t n = 0;
  for (auto& r : runs)
    n += count_slots(iv, r.first, r.last);
  return n;
}

} // namespace

size_t count_slots(interval iv, const trading_calendar& cal, int64_t first_open_ns,
                   int64_t last_open_ns) {
  if (cal.always_open())
    return count_slots(iv, first_open_ns, last_open_ns);
  return count_in(iv, open_runs(iv, cal, first_open_ns, last_open_ns));
}

bool any_open_slot(interval iv, const trading_calendar& cal, int64_t start_ns,
                   int64_t end_ns) {
  auto first = first_slot_at_or_after(iv, start_ns);
  auto last = bar_open_time(iv, end_ns);
  if (last < first)
    return false;
  return cal.always_open() || !open_runs(iv, cal, first, last).empty();
}

int64_t newest_slots_start(interval iv, const trading_calendar& cal, int64_t start_ns,
                           int64_t end_ns, size_t count) {
  if (cal.always_open())
    return newest_slots_start(iv, start_ns, end_ns, count);
  auto first = first_slot_at_or_after(iv, start_ns);
  auto last = bar_open_time(iv, end_ns);
  if (last < first)
    return first;
  count = std::max<size_t>(count, 1);
  // Look back twice the calendar span of `count` slots plus a week, and
  // twice as far again until enough open slots are found or `first` is
  // reached (a year of holidays is never more than a few doublings).
  auto span = static_cast<__int128>(interval_ns(iv)) * static_cast<__int128>(count) * 2
              + 7 * static_cast<__int128>(day_ns);
  for (;;) {
    auto from128 = static_cast<__int128>(last) - span;
    auto from = from128 <= first ? first : first_slot_at_or_after(iv, static_cast<int64_t>(from128));
    auto runs = open_runs(iv, cal, from, last);
    auto n = count_in(iv, runs);
    if (n >= count) {
      // Walk back from the newest run to the count-th newest slot.
      size_t need = count;
      for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
        auto in_run = count_slots(iv, it->first, it->last);
        if (in_run < need) {
          need -= in_run;
          continue;
        }
        return newest_slots_start(iv, it->first, it->last, need);
      }
    }
    if (from == first)
      return runs.empty() ? first : runs.front().first;
    span *= 2;
  }
}

std::vector<slot_range> missing_ranges(interval iv, const trading_calendar& cal,
                                       int64_t start_ns, int64_t end_ns,
                                       std::vector<int64_t> held_open_ns,
                                       size_t max_ranges) {
  if (cal.always_open())
    return missing_ranges(iv, start_ns, end_ns, std::move(held_open_ns), max_ranges);
  std::vector<slot_range> gaps;
  std::vector<size_t> widths; // held open slots between gap i and i + 1
  auto first = first_slot_at_or_after(iv, start_ns);
  auto last = bar_open_time(iv, end_ns);
  if (last < first)
    return gaps;
  for (auto& t : held_open_ns)
    t = bar_open_time(iv, t);
  std::sort(held_open_ns.begin(), held_open_ns.end());
  held_open_ns.erase(std::unique(held_open_ns.begin(), held_open_ns.end()),
                     held_open_ns.end());
  auto held = std::lower_bound(held_open_ns.begin(), held_open_ns.end(), first);
  bool open_gap = false; // the last gap reaches the end of the previous run
  size_t held_since = 0; // held open slots since the last gap
  auto add_gap = [&](int64_t a, int64_t b) {
    auto n = count_slots(iv, a, b);
    if (open_gap && held_since == 0) { // only closed slots between: one range
      gaps.back().last_ns = b;
      gaps.back().slots += n;
    } else {
      if (!gaps.empty())
        widths.push_back(held_since);
      gaps.push_back({a, b, n});
    }
    held_since = 0;
  };
  for (auto& r : open_runs(iv, cal, first, last)) {
    auto cursor = r.first;
    bool at_end = false; // the run's last slot is a gap's
    while (held != held_open_ns.end() && *held <= r.last) {
      auto h = *held++;
      if (h < cursor) // held but closed (outside any run): not a slot
        continue;
      if (h > cursor)
        add_gap(cursor, previous_slot(iv, h));
      open_gap = false;
      ++held_since;
      cursor = next_slot(iv, h);
      if (cursor <= h) { // the end of time
        cursor = r.last + 1;
        break;
      }
    }
    if (cursor <= r.last) {
      add_gap(cursor, r.last);
      at_end = true;
    }
    open_gap = at_end;
  }
  if (gaps.size() <= std::max<size_t>(max_ranges, 1))
    return gaps;
  return merge_gaps(std::move(gaps), widths, max_ranges);
}

} // namespace tickflow::cache
