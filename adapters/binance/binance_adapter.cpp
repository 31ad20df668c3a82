#include "adapters/binance/binance_adapter.hpp"

#include <rapidjson/document.h>

#include <string>
#include <utility>

#include "adapters/binance/binance_parse.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/binance/binance_request.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

// A pure-layer error as a fetch error, prefixed with what was parsed.
fetch_error to_fetch_error(const error& e, std::string_view what) {
  fetch_error out;
  out.code = e.code;
  out.message = std::string{what} + ": " + e.context;
  return out;
}

class binance_adapter final : public rest_adapter {
 public:
  binance_adapter(const adapter_options& opts,
                  const std::vector<binance_symbol_info>& table)
      : symbols_(opts.symbol_overrides, table) {
    // nop
  }

  const provider_info& info() const noexcept override {
    return binance_descriptor().info;
  }

  result<outbound_request> build(const fetch_request& req,
                                 const credentials& cred) const override {
    return binance::build_request(req, symbols_.to_provider(req.instrument),
                                  cred);
  }

  size_t page_limit(fetch_kind k) const noexcept override {
    return k == fetch_kind::bars ? binance::max_klines_limit : 0;
  }

  std::optional<fetch_request> next_page(const fetch_request& asked,
                                         const fetch_result& got) const override {
    return binance::next_klines_page(asked, got);
  }

  fetch_outcome parse(const fetch_request& req, const http_reply& reply,
                      int64_t recv_ns) const override {
    rapidjson::Document doc;
    auto json_ok = binance::parse_json(reply.body, doc);
    // Binance error objects come first: they name the cause better than
    // the status does.
    if (json_ok)
      if (auto e = binance::parse_error_body(doc, reply, recv_ns))
        return *std::move(e);
    fetch_error http_error;
    if (classify_http_status(reply, recv_ns, http_error))
      return http_error;
    if (!json_ok)
      return to_fetch_error(json_ok.err(), endpoint(req.kind));
    auto symbol = symbols_.to_provider(req.instrument);
    fetch_result out;
    switch (req.kind) {
      case fetch_kind::price: {
        if (doc.IsArray()) {
          auto xs = binance::parse_ticker_price_list(doc, symbols_, recv_ns);
          if (!xs)
            return to_fetch_error(xs.err(), endpoint(req.kind));
          if (xs->empty())
            return fetch_error{errc::not_found,
                               "no price for " + req.instrument, 0};
          out.prices = std::move(*xs);
          break;
        }
        auto x = binance::parse_ticker_price(doc, req.instrument, symbol,
                                             recv_ns);
        if (!x)
          return to_fetch_error(x.err(), endpoint(req.kind));
        out.prices.push_back(std::move(*x));
        break;
      }
      case fetch_kind::quote: {
        auto x = binance::parse_ticker_24hr_quote(doc, req.instrument, symbol,
                                                  recv_ns);
        if (!x)
          return to_fetch_error(x.err(), endpoint(req.kind));
        out.quotes.push_back(std::move(*x));
        break;
      }
      case fetch_kind::bars: {
        auto xs = binance::parse_klines(doc, req.instrument, symbol, req.span,
                                        recv_ns);
        if (!xs)
          return to_fetch_error(xs.err(), endpoint(req.kind));
        if (xs->empty())
          return fetch_error{errc::not_found,
                             "no " + std::string{to_string(req.span)}
                               + " bars for " + req.instrument
                               + " in the range",
                             0};
        out.bars = std::move(*xs);
        break;
      }
      case fetch_kind::trades: {
        auto xs = binance::parse_trades(doc, req.aggregated, req.instrument,
                                        symbol, req.start_ns, req.end_ns,
                                        recv_ns);
        if (!xs)
          return to_fetch_error(xs.err(), endpoint(req));
        out.trades = std::move(*xs);
        break;
      }
      default:
        return fetch_error{errc::invalid_argument,
                           "unsupported kind "
                             + std::string{to_string(req.kind)},
                           0};
    }
    return out;
  }

  std::string to_provider_symbol(std::string_view canonical) const override {
    return symbols_.to_provider(canonical);
  }

  size_t max_batch(fetch_kind kind) const noexcept override {
    return kind == fetch_kind::price ? binance::max_batch_symbols : 1;
  }

  result<outbound_request>
  build_batch(fetch_kind kind, const std::vector<std::string>& instruments,
              const credentials& cred) const override {
    std::vector<std::string> symbols;
    for (auto& id : instruments)
      if (auto s = symbols_.to_provider(id); !s.empty())
        symbols.push_back(std::move(s));
    return binance::build_batch_request(kind, symbols, cred);
  }

  fetch_outcome parse_batch(fetch_kind kind,
                            const std::vector<std::string>& instruments,
                            const http_reply& reply,
                            int64_t recv_ns) const override {
    if (kind != fetch_kind::price || instruments.empty())
      return fetch_error{errc::invalid_argument, "binance merges price requests only", 0};
    // The answer is the list form parse() already reads.
    fetch_request req;
    req.kind = kind;
    req.instrument = instruments.front();
    return parse(req, reply, recv_ns);
  }

  std::string to_canonical(std::string_view provider_symbol) const override {
    return symbols_.to_canonical(provider_symbol);
  }

 private:
  static std::string_view endpoint(const fetch_request& req) noexcept {
    if (req.kind == fetch_kind::trades && req.aggregated)
      return binance::agg_trades_path;
    return endpoint(req.kind);
  }

  static std::string_view endpoint(fetch_kind k) noexcept {
    switch (k) {
      case fetch_kind::price:
        return binance::ticker_price_path;
      case fetch_kind::quote:
        return binance::ticker_24hr_path;
      case fetch_kind::bars:
        return binance::klines_path;
      case fetch_kind::trades:
        return binance::trades_path;
      case fetch_kind::profile:
      case fetch_kind::news:
      case fetch_kind::splits:
      case fetch_kind::dividends:
        break; // not offered by Binance (build() refuses them first)
    }
    return "?";
  }

  binance::symbol_mapper symbols_;
};

} // namespace

std::unique_ptr<rest_adapter>
make_binance_adapter(const adapter_options& opts) {
  return std::make_unique<binance_adapter>(
    opts, std::vector<binance_symbol_info>{});
}

std::unique_ptr<rest_adapter>
make_binance_adapter(const adapter_options& opts,
                     const std::vector<binance_symbol_info>& table) {
  return std::make_unique<binance_adapter>(opts, table);
}

} // namespace tickflow
