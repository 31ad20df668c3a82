#include "api/data_queries.hpp"

#include <charconv>

#include "pipeline/model/events.hpp"
#include "pipeline/model/provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

namespace {

constexpr size_t max_limit = 5000;

// Rules shared by every parameter: surrounding ASCII whitespace is ignored,
// and an empty value counts as absent (so "?limit=" means the default and
// "?symbol=" is a missing symbol).

std::string_view trim(std::string_view s) noexcept {
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

// The trimmed value of `name`, empty when absent.
std::string_view param_value(const http_request& req, const std::string& name) {
  auto* p = req.param(name);
  return p ? trim(*p) : std::string_view{};
}

api_error missing(std::string field) {
  api_error e;
  e.status = 400;
  e.code = "missing_parameter";
  e.message = "missing required parameter '" + field + "'";
  e.field = std::move(field);
  return e;
}

api_error invalid(std::string field, std::string message) {
  api_error e;
  e.status = 400;
  e.code = "invalid_parameter";
  e.message = std::move(message);
  e.field = std::move(field);
  return e;
}

api_result<std::string> parse_symbol(const http_request& req) {
  auto text = param_value(req, "symbol");
  if (text.empty())
    return missing("symbol");
  std::string id{text};
  for (auto& c : id)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  if (!is_canonical_instrument(id))
    return invalid("symbol",
                   "'symbol' must be an instrument id such as BTC-USDT "
                   "(1-32 of A-Z, 0-9, '-', '.', '=', '_', '/', ':')");
  return id;
}

// 0 when absent; parse_timestamp otherwise; negative times are refused
// (0 already means "unbounded").
api_result<int64_t> parse_bound(const http_request& req,
                                const std::string& name) {
  auto text = param_value(req, name);
  if (text.empty())
    return int64_t{0};
  auto ts = parse_timestamp(text);
  if (!ts || *ts < 0)
    return invalid(name, "'" + name
                             + "' must be a date (YYYY-MM-DD), an ISO 8601 "
                               "UTC time or an epoch number");
  return *ts;
}

// "" when absent; a known provider name otherwise (lowercased).
api_result<std::string> parse_provider(const http_request& req) {
  std::string name{param_value(req, "provider")};
  for (auto& c : name)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  if (!name.empty() && !provider_from_string(name))
    return invalid("provider", "'provider' must be a provider name such as "
                               "binance, polygon or simulator");
  return name;
}

/// limit in 1..max (digits only); `fallback` when absent.
api_result<size_t> parse_limit(const http_request& req, size_t fallback, size_t max) {
  auto text = param_value(req, "limit");
  if (text.empty())
    return fallback;
  size_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n < 1 || n > max)
    return invalid("limit", "'limit' must be an integer from 1 to " + std::to_string(max));
  return n;
}

/// An optional symbol: "" when absent, canonical otherwise.
api_result<std::string> parse_optional_symbol(const http_request& req) {
  if (param_value(req, "symbol").empty())
    return std::string{};
  return parse_symbol(req);
}

} // namespace

api_result<quarantine_query> parse_quarantine_query(const http_request& req) {
  quarantine_query q;
  auto symbol = parse_optional_symbol(req);
  if (auto* e = std::get_if<api_error>(&symbol))
    return std::move(*e);
  q.instrument = std::move(std::get<std::string>(symbol));
  auto limit = parse_limit(req, 50, 1000);
  if (auto* e = std::get_if<api_error>(&limit))
    return std::move(*e);
  q.limit = std::get<size_t>(limit);
  return q;
}

api_result<quality_query> parse_quality_query(const http_request& req) {
  auto symbol = parse_optional_symbol(req);
  if (auto* e = std::get_if<api_error>(&symbol))
    return std::move(*e);
  return quality_query{std::move(std::get<std::string>(symbol))};
}

api_result<price_query> parse_price_query(const http_request& req) {
  auto symbol = parse_symbol(req);
  if (auto* e = std::get_if<api_error>(&symbol))
    return std::move(*e);
  auto from = parse_provider(req);
  if (auto* e = std::get_if<api_error>(&from))
    return std::move(*e);
  price_query q;
  q.instrument = std::move(std::get<std::string>(symbol));
  q.provider = std::move(std::get<std::string>(from));
  return q;
}

api_result<ohlcv_query> parse_ohlcv_query(const http_request& req) {
  ohlcv_query q;
  // Symbol.
  auto symbol = parse_symbol(req);
  if (auto* e = std::get_if<api_error>(&symbol))
    return std::move(*e);
  q.instrument = std::move(std::get<std::string>(symbol));
  auto from = parse_provider(req);
  if (auto* e = std::get_if<api_error>(&from))
    return std::move(*e);
  q.provider = std::move(std::get<std::string>(from));
  // Interval: exact spelling, "1m" and "1M" differ.
  if (auto text = param_value(req, "interval"); !text.empty()) {
    auto iv = parse_interval(text);
    if (!iv)
      return invalid("interval",
                     "'interval' must be one of 1s, 1m, 3m, 5m, 15m, 30m, "
                     "1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M");
    q.span = *iv;
  }
  // Limit: digits only, 1..5000.
  if (auto text = param_value(req, "limit"); !text.empty()) {
    size_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n < 1
        || n > max_limit)
      return invalid("limit", "'limit' must be an integer from 1 to 5000");
    q.limit = n;
  }
  // Range.
  auto start = parse_bound(req, "start");
  if (auto* e = std::get_if<api_error>(&start))
    return std::move(*e);
  auto end = parse_bound(req, "end");
  if (auto* e = std::get_if<api_error>(&end))
    return std::move(*e);
  q.start_ns = std::get<int64_t>(start);
  q.end_ns = std::get<int64_t>(end);
  if (q.start_ns != 0 && q.end_ns != 0 && q.start_ns > q.end_ns)
    return invalid("start", "'start' must not be after 'end'");
  if (auto text = param_value(req, "validate"); !text.empty()) {
    if (text == "true" || text == "1")
      q.validate = true;
    else if (text != "false" && text != "0")
      return invalid("validate", "'validate' must be true or false");
  }
  return q;
}

} // namespace tickflow::api
