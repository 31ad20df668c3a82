#include "adapters/common/rest_adapter.hpp"

#include <array>
#include <limits>

#include "pipeline/model/text.hpp"

#include "adapters/common/ascii.hpp"
#include "pipeline/model/calendar.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {

namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

bool is_unreserved(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
         || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
         || c == '~';
}

// Replaces every occurrence of `needle` in `text` by "***".
void replace_all(std::string& text, std::string_view needle) {
  if (needle.empty())
    return;
  size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    text.replace(pos, needle.size(), "***");
    pos += 3;
  }
}

// -- HTTP-date (RFC 9110 section 5.6.7) ---------------------------------------

// A cursor over the date text; every reader returns false on a mismatch.
struct date_cursor {
  std::string_view in;

  bool literal(std::string_view s) noexcept {
    if (in.substr(0, s.size()) != s)
      return false;
    in.remove_prefix(s.size());
    return true;
  }

  // Exactly `n` digits (n <= 4).
  bool digits(size_t n, unsigned& out) noexcept {
    if (in.size() < n)
      return false;
    out = 0;
    for (size_t i = 0; i < n; ++i) {
      if (in[i] < '0' || in[i] > '9')
        return false;
      out = out * 10 + static_cast<unsigned>(in[i] - '0');
    }
    in.remove_prefix(n);
    return true;
  }

  // One of `names` (case-sensitive, as the grammar says); index in `out`.
  template <size_t N>
  bool one_of(const std::array<std::string_view, N>& names,
              unsigned& out) noexcept {
    for (size_t i = 0; i < N; ++i)
      if (literal(names[i])) {
        out = static_cast<unsigned>(i);
        return true;
      }
    return false;
  }

  // "HH:MM:SS"
  bool time_of_day(unsigned& h, unsigned& m, unsigned& s) noexcept {
    return digits(2, h) && literal(":") && digits(2, m) && literal(":")
           && digits(2, s);
  }
};

constexpr std::array<std::string_view, 7> day_names{"Mon", "Tue", "Wed", "Thu",
                                                    "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> long_day_names{
  "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> month_names{
  "Jan", "Feb", "Mar", "Apr", "May", "Jun",
  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_leap(unsigned y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(unsigned y, unsigned m) noexcept {
  constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Seconds since the epoch of a validated date; -1 when a field is out of range.
int64_t to_epoch_s(unsigned y, unsigned mon, unsigned d, unsigned h, unsigned m,
                   unsigned s) noexcept {
  if (mon < 1 || mon > 12 || d < 1 || d > days_in_month(y, mon) || h > 23
      || m > 59 || s > 60)
    return -1;
  if (s == 60) // a leap second: the next second is close enough
    s = 59;
  return calendar::days_from_civil(y, mon, d) * 86'400
         + static_cast<int64_t>(h) * 3600 + m * 60 + s;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate), "Sunday, 06-Nov-94 08:49:37
// GMT" (RFC 850) or "Sun Nov  6 08:49:37 1994" (asctime); -1 otherwise.
int64_t parse_http_date_s(std::string_view text) noexcept {
  unsigned wd = 0, d = 0, mon = 0, y = 0, h = 0, m = 0, s = 0;
  // IMF-fixdate.
  {
    date_cursor c{text};
    if (c.one_of(day_names, wd) && c.literal(", ") && c.digits(2, d)
        && c.literal(" ") && c.one_of(month_names, mon) && c.literal(" ")
        && c.digits(4, y) && c.literal(" ") && c.time_of_day(h, m, s)
        && c.literal(" GMT") && c.in.empty())
      return to_epoch_s(y, mon + 1, d, h, m, s);
  }
  // RFC 850: two-digit years within 50 years of now are read as 19xx/20xx
  // by the usual pivot (< 70 is 20xx).
  {
    date_cursor c{text};
    if (c.one_of(long_day_names, wd) && c.literal(", ") && c.digits(2, d)
        && c.literal("-") && c.one_of(month_names, mon) && c.literal("-")
        && c.digits(2, y) && c.literal(" ") && c.time_of_day(h, m, s)
        && c.literal(" GMT") && c.in.empty())
      return to_epoch_s(y < 70 ? 2000 + y : 1900 + y, mon + 1, d, h, m, s);
  }
  // asctime: the day is space-padded to two characters.
  {
    date_cursor c{text};
    if (c.one_of(day_names, wd) && c.literal(" ") && c.one_of(month_names, mon)
        && c.literal(" ")) {
      bool day_ok = c.literal(" ") ? c.digits(1, d) : c.digits(2, d);
      if (day_ok && c.literal(" ") && c.time_of_day(h, m, s) && c.literal(" ")
          && c.digits(4, y) && c.in.empty())
        return to_epoch_s(y, mon + 1, d, h, m, s);
    }
  }
  return -1;
}

} // namespace

std::string url_encode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (is_unreserved(c)) {
      out += c;
    } else {
      auto b = static_cast<unsigned char>(c);
      out += '%';
      out += hex_digits[b >> 4];
      out += hex_digits[b & 0x0F];
    }
  }
  return out;
}

std::string outbound_request::url(std::string_view base_url) const {
  std::string out{base_url};
  if (!out.empty() && out.back() == '/' && !path.empty() && path[0] == '/')
    out.pop_back();
  out += path;
  char sep = '?';
  for (const auto& [key, value] : query) {
    out += sep;
    out += url_encode(key);
    out += '=';
    out += url_encode(value);
    sep = '&';
  }
  return out;
}

std::string outbound_request::redacted_url(std::string_view base_url) const {
  auto out = url(base_url);
  // The encoded form first: it is what url() wrote for query values.
  for (const auto& secret : secrets) {
    replace_all(out, url_encode(secret));
    replace_all(out, secret);
  }
  return out;
}

const std::string* http_reply::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (ascii_iequals(key, name))
      return &value;
  return nullptr;
}

bool classify_http_status(const http_reply& reply, int64_t now_ns,
                          fetch_error& out) {
  if (reply.status >= 200 && reply.status < 300)
    return false;
  out = fetch_error{};
  out.message = "HTTP " + std::to_string(reply.status);
  switch (reply.status) {
    case 401:
    case 403:
      out.code = errc::unauthorized;
      break;
    case 404:
      out.code = errc::not_found;
      break;
    case 418:
    case 429:
      out.code = errc::rate_limited;
      out.retry_after_ns = retry_after_of(reply, now_ns);
      break;
    default:
      out.code = errc::provider_error;
  }
  return true;
}

const std::string* overridden_symbol(const kv_list& overrides,
                                     std::string_view canonical) noexcept {
  for (const auto& [from, to] : overrides)
    if (from == canonical)
      return &to;
  return nullptr;
}

const std::string* overridden_canonical(const kv_list& overrides,
                                        std::string_view
                                          provider_symbol) noexcept {
  for (const auto& [from, to] : overrides)
    if (to == provider_symbol)
      return &from;
  return nullptr;
}

result<void> check_time_bounds(std::string_view who, int64_t start_ns,
                               int64_t end_ns) {
  if (start_ns < 0 || end_ns < 0)
    return error{errc::invalid_argument,
                 std::string{who} + ": negative time bound"};
  if (end_ns != 0 && start_ns > end_ns)
    return error{errc::invalid_argument,
                 std::string{who} + ": start_ns > end_ns"};
  return {};
}

int64_t retry_after_of(const http_reply& reply, int64_t now_ns) {
  auto value = reply.header("retry-after");
  return value != nullptr ? parse_retry_after(*value, now_ns) : 0;
}

int64_t parse_retry_after(std::string_view value, int64_t now_ns) {
  value = trim_blanks(value);
  if (value.empty())
    return 0;
  // delta-seconds: 1*DIGIT, clamped instead of overflowing.
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    constexpr int64_t max_s = std::numeric_limits<int64_t>::max() / ns_per_s;
    int64_t seconds = 0;
    for (char c : value) {
      seconds = seconds * 10 + (c - '0');
      if (seconds > max_s)
        return std::numeric_limits<int64_t>::max();
    }
    return seconds * ns_per_s;
  }
  auto at_s = parse_http_date_s(value);
  if (at_s < 0)
    return 0;
  // Years past 2262 do not fit in int64 ns: wait "forever".
  if (at_s > std::numeric_limits<int64_t>::max() / ns_per_s)
    return std::numeric_limits<int64_t>::max();
  auto delta = at_s * ns_per_s - now_ns;
  return delta > 0 ? delta : 0;
}

} // namespace tickflow
