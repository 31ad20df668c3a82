#include "adapters/polygon/polygon_parse.hpp"

#include <limits>
#include <utility>

#include "adapters/common/ascii.hpp"
#include "adapters/common/bar_window.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "pipeline/model/session_date.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::polygon {

namespace {

constexpr int64_t max_ms = std::numeric_limits<int64_t>::max() / ns_per_ms;

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
  x.source = providers::polygon;
  x.span = ctx.span;
  x.open = in.number("o");
  x.high = in.number("h");
  x.low = in.number("l");
  x.close = in.number("c");
  x.volume = in.number("v");
  x.open_time_ns = read_ms(in, "t");
  // Day and longer bars are stamped at the US/Eastern midnight (04:00Z or
  // 05:00Z): they open at their session date, 00:00Z (docs/API.md).
  if (in && sessions::is_session_span(x.span))
    x.open_time_ns = sessions::period_open_ns(
      x.span, sessions::us_session_day_ns(x.open_time_ns));
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

} // namespace

// -- parsers ------------------------------------------------------------------

result<std::vector<bar>> parse_aggs(const json::exact_document& doc,
                                    const parse_context& ctx) {
  json::exact_reader top{doc, doc.root()};
  top.check_optional_string("ticker", ctx.provider_symbol);
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
  sort_by_open_time(out);
  return out;
}

result<std::vector<bar>> parse_aggs(std::string_view body,
                                    const parse_context& ctx) {
  return json::with_exact_document(body, [&](const auto& doc) {
    return parse_aggs(doc, ctx);
  });
}

result<bar> parse_prev_close(const json::exact_document& doc,
                             const parse_context& ctx) {
  json::exact_reader top{doc, doc.root()};
  top.check_optional_string("ticker", ctx.provider_symbol);
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
  in.check_optional_string("T", ctx.provider_symbol);
  auto day = ctx;
  day.span = interval::d1;
  auto x = read_bar(in, day);
  if (!in)
    return in.err();
  return x;
}

result<bar> parse_prev_close(std::string_view body, const parse_context& ctx) {
  return json::with_exact_document(body, [&](const auto& doc) {
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
  in.check_optional_string("T", ctx.provider_symbol);
  price x;
  x.instrument = ctx.instrument;
  x.source = providers::polygon;
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
  return json::with_exact_document(body, [&](const auto& doc) {
    return parse_last_trade(doc, ctx);
  });
}

result<std::vector<trade>> parse_trades(const json::exact_document& doc,
                                        const parse_context& ctx) {
  json::exact_reader top{doc, doc.root()};
  if (!top)
    return top.err();
  std::vector<trade> out;
  if (!top.has_value("results"))
    return out;
  auto results = top.array("results");
  if (!top)
    return top.err();
  out.reserve(results->Size());
  for (rapidjson::SizeType i = 0; i < results->Size(); ++i) {
    json::exact_reader in{doc, (*results)[i], where(i)};
    trade x;
    x.instrument = ctx.instrument;
    x.provider_symbol = ctx.provider_symbol;
    x.source = providers::polygon;
    x.price = in.number("price");
    x.size = in.number("size");
    x.trade_id = in.string("id");
    x.ts_event_ns = read_ns(in, in.has_value("sip_timestamp")
                                  ? "sip_timestamp"
                                  : "participant_timestamp");
    x.ts_recv_ns = ctx.recv_ns;
    if (!in)
      return in.err();
    out.push_back(std::move(x));
  }
  return out;
}

result<quote> parse_last_nbbo(const json::exact_document& doc,
                              const parse_context& ctx) {
  json::exact_reader top{doc, doc.root()};
  if (!top)
    return top.err();
  if (!top.has_value("results"))
    return no_data(ctx);
  json::exact_reader in{doc, doc.root()["results"], "results."};
  in.check_optional_string("T", ctx.provider_symbol);
  quote x;
  x.instrument = ctx.instrument;
  x.provider_symbol = ctx.provider_symbol;
  x.source = providers::polygon;
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
  return json::with_exact_document(body, [&](const auto& doc) {
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
    status = doc->string_member(doc->root(), "status");
    message = doc->string_member(doc->root(), "error");
    if (message.empty())
      message = doc->string_member(doc->root(), "message");
  }
  bool body_error = status == "ERROR" || status == "NOT_AUTHORIZED"
                    || status == "NOT_FOUND";
  auto e = classify_error_reply(reply, body_error, message,
                                "status " + std::string{status}, now_ns);
  if (e && e->code != errc::rate_limited) {
    if (status == "NOT_AUTHORIZED" || ascii_icontains(message, "api key"))
      e->code = errc::unauthorized;
    else if (status == "NOT_FOUND")
      e->code = errc::not_found;
    else if (ascii_icontains(message, "maximum requests"))
      e->code = errc::rate_limited;
  }
  return e;
}

} // namespace tickflow::polygon
