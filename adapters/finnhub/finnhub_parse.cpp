#include "adapters/finnhub/finnhub_parse.hpp"

#include <limits>
#include <utility>

#include "adapters/common/ascii.hpp"
#include "adapters/common/bar_window.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "pipeline/model/session_date.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::finnhub {

namespace {

constexpr int64_t max_s = std::numeric_limits<int64_t>::max() / ns_per_s;

// Seconds -> ns, or out_of_range recorded on `in` for field `name`.
int64_t seconds_to_ns(json::exact_reader& in, std::string_view name,
                      int64_t s) {
  if (s < 0 || s > max_s) {
    in.fail(errc::out_of_range, name, "timestamp out of range");
    return 0;
  }
  return s * ns_per_s;
}

} // namespace

// -- parsers ------------------------------------------------------------------

result<price> parse_quote(const json::exact_document& doc,
                          const parse_context& ctx) {
  json::exact_reader in{doc, doc.root()};
  price x;
  x.instrument = ctx.instrument;
  x.source = providers::finnhub;
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
  return json::with_exact_document(body, [&](const auto& doc) {
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
    x.source = providers::finnhub;
    x.span = ctx.span;
    auto s = in.integer_at(*t, "t", i);
    if (in)
      x.open_time_ns = seconds_to_ns(in, json::element_name("t", i), s);
    // D/W/M candles are stamped at the US/Eastern midnight (04:00Z or
    // 05:00Z): they open at their session date, 00:00Z (docs/API.md).
    if (in && sessions::is_session_span(x.span))
      x.open_time_ns = sessions::period_open_ns(
        x.span, sessions::us_session_day_ns(x.open_time_ns));
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
  sort_by_open_time(out);
  keep_newest(out, ctx.limit);
  return out;
}

result<std::vector<bar>> parse_candles(std::string_view body,
                                       const parse_context& ctx) {
  return json::with_exact_document(body, [&](const auto& doc) {
    return parse_candles(doc, ctx);
  });
}

// -- errors -------------------------------------------------------------------

std::optional<fetch_error> classify_error(const http_reply& reply,
                                          const json::exact_document* doc,
                                          int64_t now_ns) {
  std::string_view message;
  if (doc != nullptr)
    message = doc->string_member(doc->root(), "error");
  bool body_error = doc != nullptr && doc->root().IsObject()
                    && doc->root().HasMember("error");
  auto e = classify_error_reply(reply, body_error, message,
                                "finnhub: error body", now_ns);
  // The status decides; the message only refines a generic provider_error.
  if (e && e->code == errc::provider_error) {
    if (ascii_icontains(message, "api key")
        || ascii_icontains(message, "token")
        || ascii_icontains(message, "access"))
      e->code = errc::unauthorized;
    else if (ascii_icontains(message, "limit reached"))
      e->code = errc::rate_limited;
  }
  return e;
}

} // namespace tickflow::finnhub
