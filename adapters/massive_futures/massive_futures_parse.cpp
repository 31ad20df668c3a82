#include "adapters/massive_futures/massive_futures_parse.hpp"

#include <utility>

#include "adapters/common/bar_window.hpp"
#include "adapters/massive_futures/massive_futures_provider.hpp"
#include "pipeline/model/session_date.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::massive_futures {

namespace {

std::string where(size_t i) { return "results[" + std::to_string(i) + "]."; }

error no_data(const parse_context& ctx) {
  return error{errc::not_found,
               "massive_futures: no data for " + ctx.provider_symbol};
}

// A Unix ns timestamp field (>= 0).
int64_t read_ns(json::exact_reader& in, const char* name) {
  auto ns = in.integer(name);
  if (in && ns < 0) {
    in.fail(errc::out_of_range, name, "timestamp out of range");
    return 0;
  }
  return ns;
}

// The "results" array of a reply; nullptr with `in` failed when it is not an
// array, nullptr with `in` fine when it is absent or null.
const rapidjson::Value* results_of(json::exact_reader& in) {
  if (!in || !in.has_value("results"))
    return nullptr;
  return in.array("results");
}

// Reads a list reply: "results" (required array) and "next_url".
template <class T, class ReadItem>
result<page<T>> parse_page(std::string_view body, ReadItem read_item) {
  return json::with_exact_document(body, [&](const auto& doc)
                                             -> result<page<T>> {
    json::exact_reader top{doc, doc.root()};
    page<T> out;
    out.next_url = std::string{top.optional_string("next_url")};
    auto results = top.array("results");
    if (!top)
      return top.err();
    out.items.reserve(results->Size());
    for (rapidjson::SizeType i = 0; i < results->Size(); ++i) {
      json::exact_reader in{doc, (*results)[i], where(i)};
      auto item = read_item(in);
      if (!in)
        return in.err();
      out.items.push_back(std::move(item));
    }
    return out;
  });
}

} // namespace

// -- market data --------------------------------------------------------------

result<std::vector<bar>> parse_aggs(const json::exact_document& doc,
                                    const parse_context& ctx) {
  json::exact_reader top{doc, doc.root()};
  auto results = results_of(top);
  if (!top)
    return top.err();
  if (results == nullptr || results->Empty())
    return no_data(ctx);
  std::vector<bar> out;
  out.reserve(results->Size());
  for (rapidjson::SizeType i = 0; i < results->Size(); ++i) {
    json::exact_reader in{doc, (*results)[i], where(i)};
    in.check_optional_string("ticker", ctx.provider_symbol);
    bar x;
    x.instrument = ctx.instrument;
    x.provider_symbol = ctx.provider_symbol;
    x.source = providers::massive_futures;
    x.span = ctx.span;
    x.open_time_ns = read_ns(in, "window_start");
    // A daily bar opens at its session date, 00:00Z (docs/API.md): the
    // trading day is session_end_date (a CME session opens the evening
    // before), else window_start's UTC date.
    if (in && sessions::is_session_span(x.span)) {
      auto day = sessions::local_day_ns(x.open_time_ns, 0);
      if (in.has_value("session_end_date")) {
        auto date = in.string("session_end_date");
        auto parsed = date.size() == 10 ? parse_timestamp(date)
                                        : result<int64_t>{errc::invalid_argument, ""};
        if (!parsed)
          in.fail(errc::malformed, "session_end_date", "expected YYYY-MM-DD");
        else
          day = *parsed;
      }
      x.open_time_ns = sessions::period_open_ns(x.span, day);
    }
    x.open = in.number("open");
    x.high = in.number("high");
    x.low = in.number("low");
    x.close = in.number("close");
    x.volume = in.number("volume");
    if (in.has_value("transactions"))
      x.trade_count = in.count("transactions");
    x.closed = bar_has_ended(x.span, x.open_time_ns, ctx.recv_ns);
    x.ts_recv_ns = ctx.recv_ns;
    if (!in)
      return in.err();
    out.push_back(std::move(x));
  }
  sort_by_open_time(out);
  return out;
}

result<std::vector<bar>> parse_aggs(std::string_view body,
                                    const parse_context& ctx) {
  return json::with_exact_document(body, [&](const auto& doc) {
    return parse_aggs(doc, ctx);
  });
}

result<price> parse_last_trade(const json::exact_document& doc,
                               const parse_context& ctx) {
  json::exact_reader top{doc, doc.root()};
  auto results = results_of(top);
  if (!top)
    return top.err();
  if (results == nullptr || results->Empty())
    return no_data(ctx);
  json::exact_reader in{doc, (*results)[0], where(0)};
  in.check_optional_string("ticker", ctx.provider_symbol);
  price x;
  x.instrument = ctx.instrument;
  x.source = providers::massive_futures;
  x.value = in.number("price");
  x.ts_event_ns = read_ns(in, "timestamp");
  if (in.has_value("sequence_number"))
    x.trade_id = std::to_string(in.integer("sequence_number"));
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

result<quote> parse_last_quote(const json::exact_document& doc,
                               const parse_context& ctx) {
  json::exact_reader top{doc, doc.root()};
  auto results = results_of(top);
  if (!top)
    return top.err();
  if (results == nullptr || results->Empty())
    return no_data(ctx);
  for (rapidjson::SizeType i = 0; i < results->Size(); ++i) {
    json::exact_reader in{doc, (*results)[i], where(i)};
    if (in && (!in.has_value("bid_price") || !in.has_value("ask_price")))
      continue; // one-sided: look at the next (older) quote
    in.check_optional_string("ticker", ctx.provider_symbol);
    quote x;
    x.instrument = ctx.instrument;
    x.provider_symbol = ctx.provider_symbol;
    x.source = providers::massive_futures;
    x.bid_price = in.number("bid_price");
    x.bid_size = in.number("bid_size");
    x.ask_price = in.number("ask_price");
    x.ask_size = in.number("ask_size");
    x.ts_event_ns = read_ns(in, "timestamp");
    x.ts_recv_ns = ctx.recv_ns;
    if (!in)
      return in.err();
    return x;
  }
  return error{errc::not_found, "massive_futures: no two-sided quote for "
                                  + ctx.provider_symbol};
}

result<quote> parse_last_quote(std::string_view body,
                               const parse_context& ctx) {
  return json::with_exact_document(body, [&](const auto& doc) {
    return parse_last_quote(doc, ctx);
  });
}

// -- reference data -----------------------------------------------------------

result<page<futures_contract>> parse_contracts(std::string_view body) {
  return parse_page<futures_contract>(body, [](json::exact_reader& in) {
    futures_contract x;
    x.ticker = in.string("ticker");
    x.active = in.boolean("active");
    x.product_code = in.optional_string("product_code");
    x.name = in.optional_string("name");
    x.trading_venue = in.optional_string("trading_venue");
    x.type = in.optional_string("type");
    x.date = in.optional_string("date");
    x.first_trade_date = in.optional_string("first_trade_date");
    x.last_trade_date = in.optional_string("last_trade_date");
    x.settlement_date = in.optional_string("settlement_date");
    if (in.has_value("days_to_maturity"))
      x.days_to_maturity = in.integer("days_to_maturity");
    if (in.has_value("trade_tick_size"))
      x.trade_tick_size = in.number("trade_tick_size");
    if (in && x.ticker.empty())
      in.fail(errc::malformed, "ticker", "empty");
    return x;
  });
}

result<page<futures_product>> parse_products(std::string_view body) {
  return parse_page<futures_product>(body, [](json::exact_reader& in) {
    futures_product x;
    x.product_code = in.string("product_code");
    x.name = in.optional_string("name");
    x.trading_venue = in.optional_string("trading_venue");
    x.type = in.optional_string("type");
    x.asset_class_name = in.optional_string("asset_class");
    x.asset_sub_class = in.optional_string("asset_sub_class");
    x.sector = in.optional_string("sector");
    x.sub_sector = in.optional_string("sub_sector");
    x.settlement_currency_code = in.optional_string("settlement_currency_code");
    x.trade_currency_code = in.optional_string("trade_currency_code");
    x.price_quotation = in.optional_string("price_quotation");
    x.unit_of_measure = in.optional_string("unit_of_measure");
    if (in.has_value("unit_of_measure_qty"))
      x.unit_of_measure_qty = in.number("unit_of_measure_qty");
    if (in && x.product_code.empty())
      in.fail(errc::malformed, "product_code", "empty");
    return x;
  });
}

} // namespace tickflow::massive_futures
