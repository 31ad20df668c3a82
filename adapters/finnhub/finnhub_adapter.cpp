#include "adapters/finnhub/finnhub_adapter.hpp"

#include <utility>

#include "adapters/common/exact_json.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/finnhub/finnhub_parse.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "adapters/finnhub/finnhub_reference.hpp"
#include "adapters/finnhub/finnhub_request.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

class finnhub_adapter final : public rest_adapter {
 public:
  explicit finnhub_adapter(const adapter_options& opts)
      : overrides_(opts.symbol_overrides) {
    // nop
  }

  const provider_info& info() const noexcept override {
    return finnhub_descriptor().info;
  }

  result<outbound_request> build(const fetch_request& req,
                                 const credentials& cred) const override {
    if (req.kind == fetch_kind::news && !req.query.empty())
      return error{errc::invalid_argument, "finnhub: no news search by text"};
    if (req.kind == fetch_kind::news && req.instrument.empty())
      return keyed(finnhub::market_news_request(cred.api_key), cred);
    auto sym = to_provider_symbol(req.instrument);
    if (sym.empty())
      return error{errc::unknown_symbol, req.instrument};
    result<outbound_request> out = error{errc::invalid_argument, {}};
    switch (req.kind) {
      case fetch_kind::price:
        out = finnhub::quote_request(sym, cred.api_key);
        break;
      case fetch_kind::bars:
        if (req.adjusted)
          return error{errc::invalid_argument,
                       "finnhub: no adjusted bars (candles are as traded)"};
        out = finnhub::candle_request(sym, req.span, req.start_ns, req.end_ns,
                                      req.limit, cred.api_key);
        break;
      case fetch_kind::quote:
        return error{errc::invalid_argument,
                     "finnhub: no quotes (bid/ask is a premium endpoint)"};
      case fetch_kind::profile:
        out = finnhub::profile_request(sym, cred.api_key);
        break;
      case fetch_kind::news:
        out = finnhub::company_news_request(sym, req.start_ns, req.end_ns,
                                            cred.api_key);
        break;
      case fetch_kind::trades:
        return error{errc::invalid_argument, "finnhub: no trades over REST"};
      case fetch_kind::splits:
      case fetch_kind::dividends:
        return error{errc::invalid_argument,
                     "finnhub: no " + std::string{to_string(req.kind)}};
    }
    return keyed(std::move(out), cred);
  }

  fetch_outcome parse(const fetch_request& req, const http_reply& reply,
                      int64_t recv_ns) const override {
    auto sym = to_provider_symbol(req.instrument);
    if (sym.empty() && !(req.kind == fetch_kind::news && req.instrument.empty()))
      return fetch_error{errc::unknown_symbol, req.instrument, 0};
    json::exact_document doc;
    if (auto e = read_exact_reply(reply, recv_ns, finnhub::classify_error,
                                  doc))
      return *e;
    finnhub::parse_context ctx{req.instrument, sym, req.span, req.limit,
                               recv_ns};
    fetch_result out;
    switch (req.kind) {
      case fetch_kind::price: {
        auto p = finnhub::parse_quote(doc, ctx);
        if (!p)
          return fold_parse_error(p.err());
        out.prices.push_back(std::move(*p));
        break;
      }
      case fetch_kind::bars: {
        auto bars = finnhub::parse_candles(doc, ctx);
        if (!bars)
          return fold_parse_error(bars.err());
        out.bars = std::move(*bars);
        break;
      }
      case fetch_kind::quote:
        return fetch_error{errc::invalid_argument, "finnhub: no quotes", 0};
      case fetch_kind::profile: {
        auto p = finnhub::parse_profile(doc, req.instrument, sym, recv_ns);
        if (!p)
          return fold_parse_error(p.err());
        out.profiles.push_back(std::move(*p));
        break;
      }
      case fetch_kind::news: {
        auto xs = finnhub::parse_news(doc, req.instrument, req.limit, recv_ns);
        if (!xs)
          return fold_parse_error(xs.err());
        out.news = std::move(*xs);
        break;
      }
      case fetch_kind::trades:
        return fetch_error{errc::invalid_argument,
                           "finnhub: no trades over REST", 0};
      case fetch_kind::splits:
      case fetch_kind::dividends:
        return fetch_error{errc::invalid_argument,
                           "finnhub: no " + std::string{to_string(req.kind)}, 0};
    }
    return out;
  }

  std::string to_provider_symbol(std::string_view canonical) const override {
    if (auto s = overridden_symbol(overrides_, canonical))
      return *s;
    return finnhub::to_finnhub_symbol(canonical);
  }

  std::string to_canonical(std::string_view provider_symbol) const override {
    if (auto c = overridden_canonical(overrides_, provider_symbol))
      return *c;
    return finnhub::from_finnhub_symbol(provider_symbol);
  }

 private:
  // A built request, refused when no key is configured (every endpoint
  // needs one).
  static result<outbound_request> keyed(result<outbound_request> out,
                                        const credentials& cred) {
    if (!out)
      return out;
    if (cred.api_key.empty())
      return error{errc::unauthorized, "finnhub: no API key configured"};
    return out;
  }

  kv_list overrides_;
};

} // namespace

std::unique_ptr<rest_adapter>
make_finnhub_adapter(const adapter_options& opts) {
  return std::make_unique<finnhub_adapter>(opts);
}

} // namespace tickflow
