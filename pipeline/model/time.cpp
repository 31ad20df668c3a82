#include "pipeline/model/time.hpp"
#include "pipeline/model/calendar.hpp"

#include <cstddef>
#include <limits>

namespace tickflow {

namespace {

using int128 = __int128;

constexpr int64_t seconds_per_day = 86'400;

using calendar::civil_date;
using calendar::civil_from_days;
using calendar::days_from_civil;

bool is_leap_year(int64_t y) noexcept {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

unsigned days_in_month(int64_t y, unsigned m) noexcept {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30,
                                      31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : days[m - 1];
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Writes value as exactly `width` digits (value must fit).
void put_digits(std::string& out, int64_t value, int width) {
  char buf[20];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<size_t>(width));
}

error invalid(const char* problem, std::string_view text) {
  constexpr size_t max_shown = 64;
  std::string ctx{problem};
  ctx.append(": \"");
  ctx.append(text.substr(0, max_shown));
  if (text.size() > max_shown)
    ctx.append("...");
  ctx.push_back('"');
  return error{errc::invalid_argument, std::move(ctx)};
}

// Reads text[pos, pos + n) as digits; false if any is not a digit.
bool read_digits(std::string_view text, size_t pos, size_t n,
                 unsigned& out) noexcept {
  if (pos + n > text.size())
    return false;
  unsigned v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(text[i]))
      return false;
    v = v * 10 + static_cast<unsigned>(text[i] - '0');
  }
  out = v;
  return true;
}

// A plain non-negative integer; its magnitude picks the unit.
result<int64_t> parse_integer(std::string_view text) {
  // int64 has at most 19 digits; skip leading zeros first.
  size_t first = 0;
  while (first + 1 < text.size() && text[first] == '0')
    ++first;
  if (text.size() - first > 19)
    return invalid("integer timestamp out of range", text);
  uint64_t v = 0;
  for (size_t i = first; i < text.size(); ++i)
    v = v * 10 + static_cast<uint64_t>(text[i] - '0');
  constexpr auto max = static_cast<uint64_t>(
    std::numeric_limits<int64_t>::max());
  if (v > max)
    return invalid("integer timestamp out of range", text);
  uint64_t unit = 1; // ns
  if (v < 100'000'000'000ull)
    unit = ns_per_s;
  else if (v < 100'000'000'000'000ull)
    unit = ns_per_ms;
  else if (v < 100'000'000'000'000'000ull)
    unit = ns_per_us;
  if (v > max / unit)
    return invalid("integer timestamp out of range", text);
  return static_cast<int64_t>(v * unit);
}

} // namespace

std::string format_iso8601(int64_t ts_ns) {
  // Floor to whole seconds without overflowing at the int64 limits.
  int64_t secs = ts_ns / ns_per_s;
  int64_t nanos = ts_ns % ns_per_s;
  if (nanos < 0) {
    nanos += ns_per_s;
    --secs;
  }
  int64_t days = secs / seconds_per_day;
  int64_t sod = secs % seconds_per_day;
  if (sod < 0) {
    sod += seconds_per_day;
    --days;
  }
  auto date = civil_from_days(days);
  std::string out;
  out.reserve(30);
  // int64 ns spans 1677..2262: the year always has four digits.
  put_digits(out, date.year, 4);
  out.push_back('-');
  put_digits(out, date.month, 2);
  out.push_back('-');
  put_digits(out, date.day, 2);
  out.push_back('T');
  put_digits(out, sod / 3600, 2);
  out.push_back(':');
  put_digits(out, sod / 60 % 60, 2);
  out.push_back(':');
  put_digits(out, sod % 60, 2);
  if (nanos != 0) {
    out.push_back('.');
    if (nanos % 1'000'000 == 0)
      put_digits(out, nanos / 1'000'000, 3);
    else if (nanos % 1'000 == 0)
      put_digits(out, nanos / 1'000, 6);
    else
      put_digits(out, nanos, 9);
  }
  out.push_back('Z');
  return out;
}

// Accepted: "YYYY-MM-DD" (midnight UTC), "YYYY-MM-DDTHH:MM:SS" with an
// optional fraction of 1 to 9 digits and a "Z" or "+00:00" suffix, and plain
// integers: < 1e11 seconds, < 1e14 ms, < 1e17 us, else ns. Other offsets,
// leap seconds (":60"), signs and dates outside the int64 ns range
// (1677-09-21..2262-04-11) are rejected.
result<int64_t> parse_timestamp(std::string_view text) {
  if (text.empty())
    return invalid("empty timestamp", text);
  bool all_digits = true;
  for (char c : text)
    all_digits = all_digits && is_digit(c);
  if (all_digits)
    return parse_integer(text);
  // Date part.
  unsigned year = 0;
  unsigned month = 0;
  unsigned day = 0;
  if (text.size() < 10 || !read_digits(text, 0, 4, year) || text[4] != '-'
      || !read_digits(text, 5, 2, month) || text[7] != '-'
      || !read_digits(text, 8, 2, day))
    return invalid("expected YYYY-MM-DD[THH:MM:SS[.f]Z] or an integer",
                   text);
  if (month < 1 || month > 12)
    return invalid("month out of range (01-12)", text);
  if (day < 1 || day > days_in_month(year, month))
    return invalid("day out of range for the month", text);
  // Time part.
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;
  uint64_t fraction_ns = 0;
  if (text.size() > 10) {
    if (text[10] != 'T')
      return invalid("expected 'T' after the date", text);
    if (text.size() < 19 || !read_digits(text, 11, 2, hour) || text[13] != ':'
        || !read_digits(text, 14, 2, minute) || text[16] != ':'
        || !read_digits(text, 17, 2, second))
      return invalid("expected HH:MM:SS after 'T'", text);
    if (hour > 23)
      return invalid("hour out of range (00-23)", text);
    if (minute > 59)
      return invalid("minute out of range (00-59)", text);
    if (second > 59)
      return invalid("second out of range (00-59)", text);
    size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      size_t digits = 0;
      while (pos < text.size() && is_digit(text[pos])) {
        if (digits < 9)
          fraction_ns = fraction_ns * 10
                        + static_cast<uint64_t>(text[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0)
        return invalid("missing fraction digits after '.'", text);
      if (digits > 9)
        return invalid("too many fraction digits (max 9)", text);
      for (size_t i = digits; i < 9; ++i)
        fraction_ns *= 10;
    }
    auto zone = text.substr(pos);
    if (zone.empty())
      return invalid("missing UTC designator (Z or +00:00)", text);
    if (zone != "Z" && zone != "+00:00") {
      if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-')
          && zone[3] == ':')
        return invalid("only UTC offsets are supported (Z or +00:00)", text);
      return invalid("unexpected text after the time", text);
    }
  }
  int128 secs = static_cast<int128>(days_from_civil(year, month, day))
                  * seconds_per_day
                + hour * 3600 + minute * 60 + second;
  int128 ns = secs * ns_per_s + fraction_ns;
  if (ns < std::numeric_limits<int64_t>::min()
      || ns > std::numeric_limits<int64_t>::max())
    return invalid("timestamp outside the int64 ns range (1677-2262)", text);
  return static_cast<int64_t>(ns);
}

} // namespace tickflow
