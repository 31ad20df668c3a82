#include "adapters/polygon/polygon_adapter.hpp"

#include <string>
#include <utility>

#include "adapters/common/corporate_actions.hpp"
#include "adapters/common/exact_json.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/polygon/polygon_actions.hpp"
#include "adapters/polygon/polygon_paging.hpp"
#include "adapters/polygon/polygon_parse.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/polygon/polygon_reference.hpp"
#include "adapters/polygon/polygon_request.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

class polygon_adapter final : public rest_adapter {
 public:
  explicit polygon_adapter(const adapter_options& opts)
      : overrides_(opts.symbol_overrides) {
    // nop
  }

  const provider_info& info() const noexcept override {
    return polygon_descriptor().info;
  }

  result<outbound_request> build(const fetch_request& req,
                                 const credentials& cred) const override {
    if (req.kind == fetch_kind::news && !req.query.empty())
      return error{errc::invalid_argument, "polygon: no news search by text"};
    auto sym = to_provider_symbol(req.instrument);
    bool market_news = req.kind == fetch_kind::news && req.instrument.empty();
    if (sym.empty() && !market_news)
      return error{errc::unknown_symbol, req.instrument};
    result<outbound_request> out = error{errc::invalid_argument, {}};
    switch (req.kind) {
      case fetch_kind::bars:
        out = !req.page.empty()
                ? polygon::page_request(req.page, cred.api_key)
                : polygon::aggs_request(sym, req.span, req.start_ns, req.end_ns,
                                        req.limit, cred.api_key, req.adjusted);
        break;
      case fetch_kind::price:
        out = polygon::is_crypto_or_forex(sym)
                ? polygon::prev_close_request(sym, cred.api_key)
                : polygon::last_trade_request(sym, cred.api_key);
        break;
      case fetch_kind::quote:
        if (polygon::is_crypto_or_forex(sym))
          return error{errc::invalid_argument,
                       "polygon: quotes are for stocks only (/v2/last/nbbo)"};
        out = polygon::last_nbbo_request(sym, cred.api_key);
        break;
      case fetch_kind::profile:
        out = polygon::ticker_details_request(sym, cred.api_key);
        break;
      case fetch_kind::news:
        out = polygon::news_request(sym, req.limit, cred.api_key);
        break;
      case fetch_kind::trades:
        out = polygon::trades_request(sym, req.start_ns, req.end_ns,
                                      req.limit, cred.api_key);
        break;
      case fetch_kind::splits:
        out = polygon::splits_request(sym, req.start_ns, req.end_ns, cred.api_key);
        break;
      case fetch_kind::dividends:
        out = polygon::dividends_request(sym, req.start_ns, req.end_ns, cred.api_key);
        break;
    }
    if (!out)
      return out;
    if (cred.api_key.empty())
      return error{errc::unauthorized, "polygon: no API key configured"};
    return out;
  }

  fetch_outcome parse(const fetch_request& req, const http_reply& reply,
                      int64_t recv_ns) const override {
    auto sym = to_provider_symbol(req.instrument);
    if (sym.empty() && !(req.kind == fetch_kind::news && req.instrument.empty()))
      return fetch_error{errc::unknown_symbol, req.instrument, 0};
    json::exact_document doc;
    if (auto e = read_exact_reply(reply, recv_ns, polygon::classify_error,
                                  doc))
      return *e;
    polygon::parse_context ctx{req.instrument, sym, req.span, recv_ns};
    fetch_result out;
    switch (req.kind) {
      case fetch_kind::bars: {
        auto bars = polygon::parse_aggs(doc, ctx);
        if (!bars)
          return fold_parse_error(bars.err());
        out.bars = std::move(*bars);
        out.next_page = polygon::page_of_next_url(
          doc.string_member(doc.root(), "next_url"),
          "/v2/aggs/ticker/" + polygon::escape_path_segment(sym) + "/");
        break;
      }
      case fetch_kind::price: {
        if (polygon::is_crypto_or_forex(sym)) {
          auto prev = polygon::parse_prev_close(doc, ctx);
          if (!prev)
            return fold_parse_error(prev.err());
          out.prices.push_back(polygon::price_of_prev_close(*prev));
          out.bars.push_back(std::move(*prev));
        } else {
          auto last = polygon::parse_last_trade(doc, ctx);
          if (!last)
            return fold_parse_error(last.err());
          out.prices.push_back(std::move(*last));
        }
        break;
      }
      case fetch_kind::quote: {
        if (polygon::is_crypto_or_forex(sym))
          return fetch_error{errc::invalid_argument,
                             "polygon: quotes are for stocks only", 0};
        auto q = polygon::parse_last_nbbo(doc, ctx);
        if (!q)
          return fold_parse_error(q.err());
        out.quotes.push_back(std::move(*q));
        break;
      }
      case fetch_kind::profile: {
        auto p = polygon::parse_ticker_details(doc, req.instrument, sym, recv_ns);
        if (!p)
          return fold_parse_error(p.err());
        out.profiles.push_back(std::move(*p));
        break;
      }
      case fetch_kind::news: {
        auto xs = polygon::parse_news(doc, req.instrument, req.limit, recv_ns);
        if (!xs)
          return fold_parse_error(xs.err());
        out.news = std::move(*xs);
        break;
      }
      case fetch_kind::trades: {
        auto xs = polygon::parse_trades(doc, ctx);
        if (!xs)
          return fold_parse_error(xs.err());
        out.trades = std::move(*xs);
        break;
      }
      case fetch_kind::splits:
      case fetch_kind::dividends: {
        auto xs = req.kind == fetch_kind::splits
                    ? polygon::parse_splits(doc, req.instrument, sym, recv_ns)
                    : polygon::parse_dividends(doc, req.instrument, sym, recv_ns);
        if (!xs)
          return fold_parse_error(xs.err());
        out.actions = std::move(*xs);
        keep_actions_in_range(out.actions, req.start_ns, req.end_ns);
        break;
      }
    }
    return out;
  }

  std::string to_provider_symbol(std::string_view canonical) const override {
    if (auto s = overridden_symbol(overrides_, canonical))
      return *s;
    return polygon::to_polygon_ticker(canonical);
  }

  std::string to_canonical(std::string_view provider_symbol) const override {
    if (auto c = overridden_canonical(overrides_, provider_symbol))
      return *c;
    return polygon::from_polygon_ticker(provider_symbol);
  }

 private:
  kv_list overrides_;
};

} // namespace

std::unique_ptr<rest_adapter>
make_polygon_adapter(const adapter_options& opts) {
  return std::make_unique<polygon_adapter>(opts);
}

} // namespace tickflow
