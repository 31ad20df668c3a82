#include "adapters/polygon/polygon_parse.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "pipeline/model/time.hpp"

namespace tickflow::polygon {

namespace {

constexpr int64_t max_ms = std::numeric_limits<int64_t>::max() / ns_per_ms;

// At most this many characters of a provider message are kept.
constexpr size_t max_message = 256;

char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Case-insensitive search of a lowercase `needle`.
bool contains(std::string_view haystack, std::string_view needle) noexcept {
  if (needle.size() > haystack.size())
    return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && lower(haystack[i + j]) == needle[j])
      ++j;
    if (j == needle.size())
      return true;
  }
  return false;
}

// The string member `name` of `v` if it is a real JSON string, else "".
std::string_view string_member(const json::exact_document& doc,
                               const rapidjson::Value& v, const char* name) {
  if (!v.IsObject())
    return {};
  auto i = v.FindMember(name);
  if (i == v.MemberEnd() || !i->value.IsString() || doc.is_number(i->value))
    return {};
  return {i->value.GetString(), i->value.GetStringLength()};
}

// Checks the optional ticker field `name` against the requested symbol.
void check_ticker(json::exact_reader& in, const char* name,
                  const parse_context& ctx) {
  if (!in.has_value(name))
    return;
  auto t = in.string(name);
  if (in && t != ctx.provider_symbol)
    in.fail(errc::malformed, name,
            "expected \"" + ctx.provider_symbol + "\", got \"" + std::string{t}
              + "\"");
}

// Reads a Unix ms timestamp field as ns.
int64_t read_ms(json::exact_reader& in, const char* name) {
  auto ms = in.integer(name);
  if (in && (ms < 0 || ms > max_ms)) {
    in.fail(errc::out_of_range, name, "timestamp out of range");
    return 0;
  }
  return ms * ns_per_ms;
}

// Reads a Unix ns timestamp field (must be positive).
int64_t read_ns(json::exact_reader& in, const char* name) {
  auto ns = in.integer(name);
  if (in && ns <= 0) {
    in.fail(errc::out_of_range, name, "timestamp out of range");
    return 0;
  }
  return ns;
}

// Reads one aggregate object ({"o","h","l","c","v","t"[,"n"]}).
bar read_bar(json::exact_reader& in, const parse_context& ctx) {
  bar x;
  x.instrument = ctx.instrument;
  x.provider_symbol = ctx.provider_symbol;
  x.source = provider::polygon;
  x.span = ctx.span;
  x.open = in.number("o");
  x.high = in.number("h");
  x.low = in.number("l");
  x.close = in.number("c");
  x.volume = in.number("v");
  x.open_time_ns = read_ms(in, "t");
  if (in.has_value("n"))
    x.trade_count = in.count("n");
  x.closed = bar_has_ended(x.span, x.open_time_ns, ctx.recv_ns);
  x.ts_recv_ns = ctx.recv_ns;
  return x;
}

error no_data(const parse_context& ctx) {
  return error{errc::not_found, "polygon: no data for " + ctx.provider_symbol};
}

std::string where(size_t i) { return "results[" + std::to_string(i) + "]."; }

// Parses `body` and runs `fn` on the document.
template <class Fn>
auto with_document(std::string_view body, Fn fn) -> decltype(fn(
  std::declval<const json::exact_document&>())) {
  json::exact_document doc;
  if (auto ok = doc.parse(body); !ok)
    return ok.err();
  return fn(doc);
}

} // namespace

bool bar_has_ended(interval span, int64_t open_ns, int64_t now_ns) noexcept {
  constexpr int64_t month_ns = 31 * 86'400 * ns_per_s;
  int64_t len = span == interval::mo1 ? month_ns : interval_ns(span);
  return now_ns >= open_ns && now_ns - open_ns >= len;
}

// -- parsers ------------------------------------------------------------------

result<std::vector<bar>> parse_aggs(const json::exact_document& doc,
                                    const parse_context& ctx) {
  json::exact_reader top{doc, doc.root()};
  check_ticker(top, "ticker", ctx);
  if (!top)
    return top.err();
  if (!top.has_value("results")) {
    if (top.has_value("resultsCount") && top.count("resultsCount") > 0)
      top.fail(errc::missing_field, "results", {});
    return top ? no_data(ctx) : top.err();
  }
  auto results = top.array("results");
  if (!top)
    return top.err();
  if (results->Empty())
    return no_data(ctx);
  std::vector<bar> out;
  out.reserve(results->Size());
  for (rapidjson::SizeType i = 0; i < results->Size(); ++i) {
    json::exact_reader in{doc, (*results)[i], where(i)};
    auto x = read_bar(in, ctx);
    if (!in)
      return in.err();
    out.push_back(std::move(x));
  }
  // sort=desc (the newest bars) comes back newest first.
  std::stable_sort(out.begin(), out.end(), [](const bar& a, const bar& b) {
    return a.open_time_ns < b.open_time_ns;
  });
  return out;
}

result<std::vector<bar>> parse_aggs(std::string_view body,
                                    const parse_context& ctx) {
  return with_document(body, [&](const json::exact_document& doc) {
    return parse_aggs(doc, ctx);
  });
}

result<bar> parse_prev_close(const json::exact_document& doc,
                             const parse_context& ctx) {
  json::exact_reader top{doc, doc.root()};
  check_ticker(top, "ticker", ctx);
  if (!top)
    return top.err();
  if (!top.has_value("results"))
    return no_data(ctx);
  auto results = top.array("results");
  if (!top)
    return top.err();
  if (results->Empty())
    return no_data(ctx);
  json::exact_reader in{doc, (*results)[0], where(0)};
  check_ticker(in, "T", ctx);
  auto day = ctx;
  day.span = interval::d1;
  auto x = read_bar(in, day);
  if (!in)
    return in.err();
  return x;
}

result<bar> parse_prev_close(std::string_view body, const parse_context& ctx) {
  return with_document(body, [&](const json::exact_document& doc) {
    return parse_prev_close(doc, ctx);
  });
}

price price_of_prev_close(const bar& b) {
  price p;
  p.instrument = b.instrument;
  p.source = b.source;
  p.value = b.close;
  p.ts_event_ns = b.open_time_ns;
  p.ts_recv_ns = b.ts_recv_ns;
  return p;
}

result<price> parse_last_trade(const json::exact_document& doc,
                               const parse_context& ctx) {
  json::exact_reader top{doc, doc.root()};
  if (!top)
    return top.err();
  if (!top.has_value("results"))
    return no_data(ctx);
  json::exact_reader in{doc, doc.root()["results"], "results."};
  check_ticker(in, "T", ctx);
  price x;
  x.instrument = ctx.instrument;
  x.source = provider::polygon;
  x.value = in.number("p");
  x.trade_id = in.optional_string("i");
  x.ts_event_ns = read_ns(in, "t");
  x.ts_recv_ns = ctx.recv_ns;
  if (!in)
    return in.err();
  return x;
}

result<price> parse_last_trade(std::string_view body,
                               const parse_context& ctx) {
  return with_document(body, [&](const json::exact_document& doc) {
    return parse_last_trade(doc, ctx);
  });
}

result<quote> parse_last_nbbo(const json::exact_document& doc,
                              const parse_context& ctx) {
  json::exact_reader top{doc, doc.root()};
  if (!top)
    return top.err();
  if (!top.has_value("results"))
    return no_data(ctx);
  json::exact_reader in{doc, doc.root()["results"], "results."};
  check_ticker(in, "T", ctx);
  quote x;
  x.instrument = ctx.instrument;
  x.provider_symbol = ctx.provider_symbol;
  x.source = provider::polygon;
  x.bid_price = in.number("p");
  x.bid_size = in.number("s");
  x.ask_price = in.number("P");
  x.ask_size = in.number("S");
  x.ts_event_ns = read_ns(in, "t");
  x.ts_recv_ns = ctx.recv_ns;
  if (!in)
    return in.err();
  return x;
}

result<quote> parse_last_nbbo(std::string_view body, const parse_context& ctx) {
  return with_document(body, [&](const json::exact_document& doc) {
    return parse_last_nbbo(doc, ctx);
  });
}

// -- errors -------------------------------------------------------------------

std::optional<fetch_error> classify_error(const http_reply& reply,
                                          const json::exact_document* doc,
                                          int64_t now_ns) {
  std::string_view status;
  std::string_view message;
  if (doc != nullptr) {
    status = string_member(*doc, doc->root(), "status");
    message = string_member(*doc, doc->root(), "error");
    if (message.empty())
      message = string_member(*doc, doc->root(), "message");
  }
  bool http_error = reply.status < 200 || reply.status >= 300;
  bool body_error = status == "ERROR" || status == "NOT_AUTHORIZED"
                    || status == "NOT_FOUND";
  if (!http_error && !body_error)
    return std::nullopt;
  fetch_error e;
  if (!http_error || !classify_http_status(reply, now_ns, e)) {
    e.code = errc::provider_error;
    e.message = "status " + std::string{status};
  }
  if (!message.empty())
    e.message = std::string{message.substr(0, max_message)};
  if (e.code != errc::rate_limited) {
    if (status == "NOT_AUTHORIZED" || contains(message, "api key"))
      e.code = errc::unauthorized;
    else if (status == "NOT_FOUND")
      e.code = errc::not_found;
    else if (contains(message, "maximum requests"))
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

} // namespace tickflow::polygon
