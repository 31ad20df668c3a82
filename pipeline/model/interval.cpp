#include "pipeline/model/interval.hpp"
#include "pipeline/model/calendar.hpp"

#include <cstddef>
#include <limits>
#include <string>

namespace tickflow {

namespace {

using int128 = __int128;

constexpr int64_t second_ns = 1'000'000'000;
constexpr int64_t minute_ns = 60 * second_ns;
constexpr int64_t hour_ns = 60 * minute_ns;
constexpr int64_t day_ns = 24 * hour_ns;

struct interval_info {
  std::string_view name;
  int64_t length_ns;
};

// Indexed by the enum value; keep in declaration order.
constexpr interval_info intervals[] = {
  {"1s", second_ns},     {"1m", minute_ns},      {"3m", 3 * minute_ns},
  {"5m", 5 * minute_ns}, {"15m", 15 * minute_ns}, {"30m", 30 * minute_ns},
  {"1h", hour_ns},       {"2h", 2 * hour_ns},     {"4h", 4 * hour_ns},
  {"6h", 6 * hour_ns},   {"8h", 8 * hour_ns},     {"12h", 12 * hour_ns},
  {"1d", day_ns},        {"3d", 3 * day_ns},      {"1w", 7 * day_ns},
  {"1M", 30 * day_ns},
};

constexpr size_t interval_count = sizeof(intervals) / sizeof(intervals[0]);

static_assert(interval_count == static_cast<size_t>(interval::mo1) + 1);

// The Monday before the epoch (1969-12-29) is 3 days before it.
constexpr int64_t monday_offset_ns = 3 * day_ns;

int64_t clamp_to_int64(int128 x) noexcept {
  constexpr auto lo = std::numeric_limits<int64_t>::min();
  constexpr auto hi = std::numeric_limits<int64_t>::max();
  return x < lo ? lo : (x > hi ? hi : static_cast<int64_t>(x));
}

int64_t floor_div(int64_t x, int64_t y) noexcept {
  auto q = x / y;
  if (x % y != 0 && ((x < 0) != (y < 0)))
    --q;
  return q;
}

// Largest t <= ts with (t + offset) a multiple of length, computed in 128
// bits. A start before the int64 range (only near year 1677) is clamped.
int64_t floor_to(int64_t ts, int64_t length, int64_t offset) noexcept {
  int128 shifted = static_cast<int128>(ts) + offset;
  int128 rem = shifted % length;
  if (rem < 0)
    rem += length;
  return clamp_to_int64(shifted - rem - offset);
}

using calendar::civil_date;
using calendar::civil_from_days;
using calendar::days_from_civil;

int64_t month_start(int64_t ts) noexcept {
  auto date = civil_from_days(floor_div(ts, day_ns));
  auto days = days_from_civil(date.year, date.month, 1);
  return clamp_to_int64(static_cast<int128>(days) * day_ns);
}

} // namespace

std::string_view to_string(interval iv) noexcept {
  auto i = static_cast<size_t>(iv);
  return i < interval_count ? intervals[i].name : std::string_view{"unknown"};
}

result<interval> parse_interval(std::string_view name) {
  for (size_t i = 0; i < interval_count; ++i)
    if (intervals[i].name == name)
      return static_cast<interval>(i);
  std::string ctx = "unknown interval \"";
  ctx.append(name.substr(0, 32));
  ctx.append("\" (expected 1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, "
             "1d, 3d, 1w or 1M)");
  return error{errc::invalid_argument, std::move(ctx)};
}

int64_t interval_ns(interval iv) noexcept {
  auto i = static_cast<size_t>(iv);
  return i < interval_count ? intervals[i].length_ns : 0;
}

// Negative timestamps (before 1970) floor toward the past like positive
// ones: 1969-12-31T23:59:59.5Z opens its 1m bar at 23:59:00.
int64_t bar_open_time(interval iv, int64_t ts_ns) noexcept {
  switch (iv) {
    case interval::w1:
      return floor_to(ts_ns, 7 * day_ns, monday_offset_ns);
    case interval::mo1:
      return month_start(ts_ns);
    default: {
      auto length = interval_ns(iv);
      return length > 0 ? floor_to(ts_ns, length, 0) : ts_ns;
    }
  }
}

} // namespace tickflow
