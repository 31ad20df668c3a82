#include "pipeline/cache/range_gaps.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace tickflow::cache {

namespace {

constexpr int64_t day_ns = 86'400'000'000'000;
constexpr int64_t max_ns = std::numeric_limits<int64_t>::max();
constexpr int64_t min_ns = std::numeric_limits<int64_t>::min();

int64_t add_saturated(int64_t a, int64_t b) noexcept {
  if (b > 0 && a > max_ns - b)
    return max_ns;
  if (b < 0 && a < min_ns - b)
    return min_ns;
  return a + b;
}

} // namespace

int64_t next_slot(interval iv, int64_t open_ns) noexcept {
  // Months differ in length: 31 days after the 1st always lands in the next
  // month, whose start bar_open_time finds.
  if (iv == interval::mo1)
    return bar_open_time(iv, add_saturated(open_ns, 31 * day_ns));
  return add_saturated(open_ns, interval_ns(iv));
}

int64_t previous_slot(interval iv, int64_t open_ns) noexcept {
  return bar_open_time(iv, add_saturated(open_ns, -1));
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
  if (max_ranges < 1)
    max_ranges = 1;
  if (gaps.size() <= max_ranges)
    return gaps;
  // Keep the max_ranges - 1 widest runs of held slots as the splits; every
  // other run between two gaps is fetched again inside a merged range.
  std::vector<size_t> runs(gaps.size() - 1); // run i lies between gap i and i+1
  std::iota(runs.begin(), runs.end(), size_t{0});
  auto held_between = [&](size_t i) {
    return count_slots(iv, next_slot(iv, gaps[i].last_ns),
                       previous_slot(iv, gaps[i + 1].first_ns));
  };
  std::vector<size_t> widths(runs.size());
  for (size_t i = 0; i < runs.size(); ++i)
    widths[i] = held_between(i);
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
      open.slots = count_slots(iv, open.first_ns, open.last_ns);
      merged.push_back(open);
      open = gaps[i + 1];
    } else {
      open.last_ns = gaps[i + 1].last_ns;
    }
  }
  open.slots = count_slots(iv, open.first_ns, open.last_ns);
  merged.push_back(open);
  return merged;
}

} // namespace tickflow::cache
