#include "adapters/finnhub/finnhub_parse.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "pipeline/model/time.hpp"

namespace tickflow::finnhub {

namespace {

constexpr int64_t max_s = std::numeric_limits<int64_t>::max() / ns_per_s;

// At most this many characters of a provider message are kept.
constexpr size_t max_message = 256;

char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Case-insensitive search of a lowercase `needle`.
bool contains(std::string_view haystack, std::string_view needle) noexcept {
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && lower(haystack[i + j]) == needle[j])
      ++j;
    if (j == needle.size())
      return true;
  }
  return false;
}

// Seconds -> ns, or out_of_range recorded on `in` for field `name`.
int64_t seconds_to_ns(json::exact_reader& in, std::string_view name,
                      int64_t s) {
  if (s < 0 || s > max_s) {
    in.fail(errc::out_of_range, name, "timestamp out of range");
    return 0;
  }
  return s * ns_per_s;
}

// True once a bar of `span` opened at `open_ns` has ended by `now_ns` (a
// month counts 31 days: late, never early).
bool bar_has_ended(interval span, int64_t open_ns, int64_t now_ns) noexcept {
  constexpr int64_t month_ns = 31 * 86'400 * ns_per_s;
  int64_t len = span == interval::mo1 ? month_ns : interval_ns(span);
  return now_ns >= open_ns && now_ns - open_ns >= len;
}

template <class Fn>
auto with_document(std::string_view body, Fn fn) -> decltype(fn(
  std::declval<const json::exact_document&>())) {
  json::exact_document doc;
  if (auto ok = doc.parse(body); !ok)
    return ok.err();
  return fn(doc);
}

} // namespace

// -- parsers ------------------------------------------------------------------

result<price> parse_quote(const json::exact_document& doc,
                          const parse_context& ctx) {
  json::exact_reader in{doc, doc.root()};
  price x;
  x.instrument = ctx.instrument;
  x.source = provider::finnhub;
  x.value = in.number("c");
  in.number("h");
  in.number("l");
  in.number("o");
  in.number("pc");
  auto t = in.integer("t");
  if (!in)
    return in.err();
  if (x.value.is_zero() && t == 0)
    return error{errc::unknown_symbol, ctx.provider_symbol};
  x.ts_event_ns = seconds_to_ns(in, "t", t);
  x.ts_recv_ns = ctx.recv_ns;
  if (!in)
    return in.err();
  return x;
}

result<price> parse_quote(std::string_view body, const parse_context& ctx) {
  return with_document(body, [&](const json::exact_document& doc) {
    return parse_quote(doc, ctx);
  });
}

result<std::vector<bar>> parse_candles(const json::exact_document& doc,
                                       const parse_context& ctx) {
  json::exact_reader in{doc, doc.root()};
  auto status = in.string("s");
  if (!in)
    return in.err();
  if (status == "no_data")
    return error{errc::not_found,
                 "finnhub: no data for " + ctx.provider_symbol};
  if (status != "ok") {
    in.fail(errc::malformed, "s",
            "expected \"ok\" or \"no_data\", got \"" + std::string{status}
              + "\"");
    return in.err();
  }
  auto t = in.array("t");
  auto o = in.array("o");
  auto h = in.array("h");
  auto l = in.array("l");
  auto c = in.array("c");
  auto v = in.array("v");
  if (!in)
    return in.err();
  size_t n = t->Size();
  const std::pair<const char*, const rapidjson::Value*> columns[] = {
    {"o", o}, {"h", h}, {"l", l}, {"c", c}, {"v", v}};
  for (const auto& [name, column] : columns) {
    if (column->Size() != n) {
      in.fail(errc::malformed, name,
              std::to_string(column->Size()) + " values for "
                + std::to_string(n) + " timestamps");
      return in.err();
    }
  }
  if (n == 0)
    return error{errc::not_found,
                 "finnhub: no data for " + ctx.provider_symbol};
  std::vector<bar> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    bar x;
    x.instrument = ctx.instrument;
    x.provider_symbol = ctx.provider_symbol;
    x.source = provider::finnhub;
    x.span = ctx.span;
    auto s = in.integer_at(*t, "t", i);
    if (in)
      x.open_time_ns = seconds_to_ns(in, json::element_name("t", i), s);
    x.open = in.number_at(*o, "o", i);
    x.high = in.number_at(*h, "h", i);
    x.low = in.number_at(*l, "l", i);
    x.close = in.number_at(*c, "c", i);
    x.volume = in.number_at(*v, "v", i);
    x.closed = bar_has_ended(x.span, x.open_time_ns, ctx.recv_ns);
    x.ts_recv_ns = ctx.recv_ns;
    if (!in)
      return in.err();
    out.push_back(std::move(x));
  }
  std::stable_sort(out.begin(), out.end(), [](const bar& a, const bar& b) {
    return a.open_time_ns < b.open_time_ns;
  });
  if (ctx.limit > 0 && out.size() > ctx.limit)
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(
                                           out.size() - ctx.limit));
  return out;
}

result<std::vector<bar>> parse_candles(std::string_view body,
                                       const parse_context& ctx) {
  return with_document(body, [&](const json::exact_document& doc) {
    return parse_candles(doc, ctx);
  });
}

// -- errors -------------------------------------------------------------------

std::optional<fetch_error> classify_error(const http_reply& reply,
                                          const json::exact_document* doc,
                                          int64_t now_ns) {
  std::string_view message;
  if (doc != nullptr && doc->root().IsObject()) {
    auto i = doc->root().FindMember("error");
    if (i != doc->root().MemberEnd() && i->value.IsString()
        && !doc->is_number(i->value))
      message = {i->value.GetString(), i->value.GetStringLength()};
  }
  bool http_error = reply.status < 200 || reply.status >= 300;
  bool body_error = doc != nullptr && doc->root().IsObject()
                    && doc->root().HasMember("error");
  if (!http_error && !body_error)
    return std::nullopt;
  fetch_error e;
  if (!http_error || !classify_http_status(reply, now_ns, e)) {
    e.code = errc::provider_error;
    e.message = "finnhub: error body";
  }
  if (!message.empty())
    e.message = std::string{message.substr(0, max_message)};
  // The status decides; the message only refines a generic provider_error.
  if (e.code == errc::provider_error) {
    if (contains(message, "api key") || contains(message, "token")
        || contains(message, "access"))
      e.code = errc::unauthorized;
    else if (contains(message, "limit reached"))
      e.code = errc::rate_limited;
  }
  return e;
}

fetch_error to_fetch_error(const error& e) {
  switch (e.code) {
    case errc::malformed:
    case errc::missing_field:
    case errc::bad_number:
    case errc::out_of_range:
      return fetch_error{errc::malformed, e.message(), 0};
    default:
      return fetch_error{e.code, e.context, 0};
  }
}

} // namespace tickflow::finnhub
