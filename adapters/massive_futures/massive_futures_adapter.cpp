#include "adapters/massive_futures/massive_futures_adapter.hpp"

#include <utility>

#include "adapters/common/exact_json.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/massive_futures/massive_futures_parse.hpp"
#include "adapters/massive_futures/massive_futures_provider.hpp"
#include "adapters/massive_futures/massive_futures_request.hpp"
#include "adapters/polygon/polygon_parse.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

class massive_futures_adapter final : public rest_adapter {
 public:
  massive_futures_adapter(const adapter_options& opts, std::string prefix)
      : overrides_(opts.symbol_overrides),
        prefix_(std::move(prefix)) {
    // nop
  }

  const provider_info& info() const noexcept override {
    return massive_futures_descriptor().info;
  }

  result<outbound_request> build(const fetch_request& req,
                                 const credentials& cred) const override {
    namespace mf = massive_futures;
    auto sym = to_provider_symbol(req.instrument);
    if (sym.empty())
      return error{errc::unknown_symbol, req.instrument};
    result<outbound_request> out = error{errc::invalid_argument, {}};
    switch (req.kind) {
      case fetch_kind::bars:
        out = mf::aggs_request(prefix_, sym, req.span, req.start_ns,
                               req.end_ns, req.limit, cred.api_key);
        break;
      case fetch_kind::price:
        out = mf::trades_request(prefix_, sym, 1, cred.api_key);
        break;
      case fetch_kind::quote:
        out = mf::quotes_request(prefix_, sym, mf::quote_lookback,
                                 cred.api_key);
        break;
      case fetch_kind::profile:
      case fetch_kind::news:
      case fetch_kind::trades:
      case fetch_kind::splits:
      case fetch_kind::dividends:
        return error{errc::invalid_argument,
                     "massive_futures: no " + std::string{to_string(req.kind)}
                       + " over REST"};
    }
    if (!out)
      return out;
    if (cred.api_key.empty())
      return error{errc::unauthorized,
                   "massive_futures: no API key configured"};
    return out;
  }

  fetch_outcome parse(const fetch_request& req, const http_reply& reply,
                      int64_t recv_ns) const override {
    namespace mf = massive_futures;
    auto sym = to_provider_symbol(req.instrument);
    if (sym.empty())
      return fetch_error{errc::unknown_symbol, req.instrument, 0};
    // Error bodies are those of the Polygon stocks API on the same host.
    json::exact_document doc;
    if (auto e = read_exact_reply(reply, recv_ns, polygon::classify_error,
                                  doc))
      return *e;
    mf::parse_context ctx{req.instrument, sym, req.span, recv_ns};
    fetch_result out;
    switch (req.kind) {
      case fetch_kind::bars: {
        auto bars = mf::parse_aggs(doc, ctx);
        if (!bars)
          return fold_parse_error(bars.err());
        out.bars = std::move(*bars);
        break;
      }
      case fetch_kind::price: {
        auto last = mf::parse_last_trade(doc, ctx);
        if (!last)
          return fold_parse_error(last.err());
        out.prices.push_back(std::move(*last));
        break;
      }
      case fetch_kind::quote: {
        auto q = mf::parse_last_quote(doc, ctx);
        if (!q)
          return fold_parse_error(q.err());
        out.quotes.push_back(std::move(*q));
        break;
      }
      case fetch_kind::profile:
      case fetch_kind::news:
      case fetch_kind::trades:
      case fetch_kind::splits:
      case fetch_kind::dividends:
        return fetch_error{errc::invalid_argument,
                           "massive_futures: no "
                             + std::string{to_string(req.kind)}
                             + " over REST",
                           0};
    }
    return out;
  }

  std::string to_provider_symbol(std::string_view canonical) const override {
    if (auto s = overridden_symbol(overrides_, canonical))
      return *s;
    return massive_futures::to_contract_ticker(canonical);
  }

  std::string to_canonical(std::string_view provider_symbol) const override {
    if (auto c = overridden_canonical(overrides_, provider_symbol))
      return *c;
    return massive_futures::to_contract_ticker(provider_symbol);
  }

 private:
  kv_list overrides_;
  std::string prefix_;
};

} // namespace

std::unique_ptr<rest_adapter>
make_massive_futures_adapter(const adapter_options& opts) {
  return make_massive_futures_adapter(
    opts, std::string{massive_futures::default_path_prefix});
}

std::unique_ptr<rest_adapter>
make_massive_futures_adapter(const adapter_options& opts,
                             std::string path_prefix) {
  return std::make_unique<massive_futures_adapter>(opts,
                                                   std::move(path_prefix));
}

} // namespace tickflow
