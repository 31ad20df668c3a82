#include "api/routes/query.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "pipeline/model/events.hpp"
#include "pipeline/model/provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

std::string_view trim_space(std::string_view s) noexcept {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
           || c == '\v';
  };
  while (!s.empty() && space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && space(s.back()))
    s.remove_suffix(1);
  return s;
}

std::string_view query_reader::text(std::string_view name) const noexcept {
  for (auto& [key, value] : req_->query)
    if (key == name)
      return trim_space(value);
  return {};
}

void query_reader::missing(std::string_view field, std::string message) {
  if (failed_)
    return;
  failed_ = true;
  error_.status = 400;
  error_.code = "missing_parameter";
  error_.field = std::string{field};
  error_.message = message.empty()
                     ? "missing required parameter '" + error_.field + "'"
                     : std::move(message);
}

void query_reader::invalid(std::string_view field, std::string message) {
  if (failed_)
    return;
  failed_ = true;
  error_.status = 400;
  error_.code = "invalid_parameter";
  error_.field = std::string{field};
  error_.message = std::move(message);
}

api_result<std::string> read_instrument(std::string_view value,
                                        std::string_view rule,
                                        const symbol_resolver& symbols) {
  value = trim_space(value);
  if (value.empty())
    return api_error{400, "missing_parameter", "missing required parameter 'symbol'",
                     "symbol"};
  auto r = symbols.resolve(value);
  switch (r.status) {
    case resolve_status::ok:
      return std::move(r.canonical);
    case resolve_status::ambiguous: {
      std::string message = "'" + r.canonical + "' could be ";
      for (size_t i = 0; i < r.candidates.size(); ++i)
        message += (i > 0 ? ", " : "") + r.candidates[i];
      message += ": ask for one of them";
      return api_error{400, "ambiguous_symbol", std::move(message), "symbol",
                       std::move(r.candidates)};
    }
    case resolve_status::invalid:
      break;
  }
  return api_error{400, "invalid_parameter", std::string{rule}, "symbol"};
}

std::string query_reader::instrument(std::string_view value,
                                     std::string_view rule) {
  if (failed_)
    return {};
  auto id = read_instrument(value, rule, *symbols_);
  if (auto* e = std::get_if<api_error>(&id)) {
    failed_ = true;
    error_ = std::move(*e);
    return {};
  }
  return std::move(std::get<std::string>(id));
}

std::string query_reader::symbol(std::string_view rule) {
  return instrument(text("symbol"), rule);
}

std::string query_reader::optional_symbol(std::string_view rule) {
  auto value = text("symbol");
  return value.empty() ? std::string{} : instrument(value, rule);
}

std::string query_reader::provider() {
  auto value = text("provider");
  if (failed_ || value.empty())
    return {};
  std::string name{value};
  for (auto& c : name)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  if (!provider_from_string(name)) {
    invalid("provider", "'provider' must be a provider name such as "
                        "binance, polygon or simulator");
    return {};
  }
  return name;
}

interval query_reader::span(interval fallback) {
  auto value = text("interval");
  if (failed_ || value.empty())
    return fallback;
  auto iv = parse_interval(value);
  if (!iv) {
    invalid("interval", "'interval' must be one of 1s, 1m, 3m, 5m, 15m, 30m, "
                        "1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M");
    return fallback;
  }
  return *iv;
}

size_t query_reader::whole(std::string_view name, size_t lo, size_t hi,
                           size_t fallback, range_words words) {
  auto value = text(name);
  if (failed_ || value.empty())
    return fallback;
  size_t n = 0;
  auto* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, n);
  if (ec == std::errc{} && ptr == end && n >= lo && n <= hi)
    return n;
  auto message = "'" + std::string{name} + "' must be an integer ";
  message += words == range_words::from_to
               ? "from " + std::to_string(lo) + " to " + std::to_string(hi)
               : "in " + std::to_string(lo) + ".." + std::to_string(hi);
  invalid(name, std::move(message));
  return fallback;
}

double query_reader::positive(std::string_view name, double hi,
                              double fallback, std::string_view rule) {
  auto value = text(name);
  if (failed_ || value.empty())
    return fallback;
  double x = 0;
  auto* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, x);
  if (ec == std::errc{} && ptr == end && std::isfinite(x) && x > 0 && x <= hi)
    return x;
  invalid(name, std::string{rule});
  return fallback;
}

namespace {

// "YYYY-MM-DD" (parse_timestamp checks the digits and the ranges).
bool is_bare_date(std::string_view text) noexcept {
  return text.size() == 10 && text[4] == '-' && text[7] == '-';
}

} // namespace

int64_t query_reader::timestamp(std::string_view name) {
  auto value = text(name);
  if (failed_ || value.empty())
    return 0;
  auto ts = parse_timestamp(value);
  if (ts && *ts >= 0) // 0 already means "unbounded"
    return *ts;
  invalid(name, "'" + std::string{name}
                  + "' must be a date (YYYY-MM-DD), an ISO 8601 UTC time or "
                    "an epoch number");
  return 0;
}

void query_reader::ordered(int64_t start_ns, int64_t end_ns) {
  if (start_ns != 0 && end_ns != 0 && start_ns > end_ns)
    invalid("start", "'start' must not be after 'end'");
}

time_range query_reader::range(bool whole_end_date) {
  time_range r;
  auto start = text("start");
  auto end = text("end");
  if (!start.empty())
    r.start_ns = timestamp("start");
  if (!end.empty())
    r.end_ns = timestamp("end");
  if (failed_)
    return r;
  if (r.end_ns && *r.end_ns == 0) {
    invalid("end", "'end' must be after the epoch (1970-01-01T00:00:00Z)");
    return r;
  }
  if (whole_end_date && r.end_ns && is_bare_date(end)) {
    // The whole date (its last ns; 2262-04-11 ends where int64 does).
    constexpr int64_t rest_of_day = 86'400 * ns_per_s - 1;
    *r.end_ns = *r.end_ns > std::numeric_limits<int64_t>::max() - rest_of_day
                  ? std::numeric_limits<int64_t>::max()
                  : *r.end_ns + rest_of_day;
  }
  if (r.start_ns && r.end_ns && *r.start_ns > *r.end_ns)
    invalid("start", "'start' must not be after 'end'");
  return r;
}

bool query_reader::flag(std::string_view name) {
  auto value = text(name);
  if (failed_ || value.empty())
    return false;
  if (value == "true" || value == "1")
    return true;
  if (value != "false" && value != "0")
    invalid(name, "'" + std::string{name} + "' must be true or false");
  return false;
}

} // namespace tickflow::api
