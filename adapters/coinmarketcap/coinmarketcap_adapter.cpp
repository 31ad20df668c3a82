#include "adapters/coinmarketcap/coinmarketcap_adapter.hpp"

#include <string>
#include <string_view>
#include <utility>

#include "adapters/coinmarketcap/coinmarketcap_parse.hpp"
#include "adapters/coinmarketcap/coinmarketcap_provider.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

class coinmarketcap_adapter final : public rest_adapter {
 public:
  explicit coinmarketcap_adapter(const adapter_options& options)
      : overrides_(options.symbol_overrides) {
    // nop
  }

  const provider_info& info() const noexcept override {
    return coinmarketcap_descriptor().info;
  }

  result<outbound_request> build(const fetch_request& req,
                                 const credentials& cred) const override {
    if (req.kind != fetch_kind::price)
      return error{errc::invalid_argument,
                   "coinmarketcap serves prices only, not "
                     + std::string{to_string(req.kind)}};
    std::string symbol, convert;
    if (!map(req.instrument, symbol, convert))
      return error{errc::unknown_symbol, req.instrument};
    if (cred.api_key.empty())
      return error{errc::unauthorized, "coinmarketcap needs an API key"};
    outbound_request out;
    out.path = "/v1/cryptocurrency/quotes/latest";
    out.query = {{"symbol", symbol}, {"convert", convert}};
    out.headers = {{"X-CMC_PRO_API_KEY", cred.api_key}};
    out.secrets = {cred.api_key};
    return out;
  }

  fetch_outcome parse(const fetch_request& req, const http_reply& reply,
                      int64_t recv_ns) const override {
    rapidjson::Document doc;
    auto body_error = [&](const rapidjson::Value& body) {
      return coinmarketcap::parse_status(body, reply, recv_ns);
    };
    if (auto e = read_number_text_reply(reply, recv_ns, body_error, doc))
      return *e;
    if (req.kind != fetch_kind::price)
      return fetch_error{errc::invalid_argument,
                         "coinmarketcap serves prices only", 0};
    std::string symbol, convert;
    if (!map(req.instrument, symbol, convert))
      return fetch_error{errc::unknown_symbol, req.instrument, 0};
    auto x = coinmarketcap::parse_quotes_latest(doc, symbol, convert,
                                                req.instrument, recv_ns);
    if (!x)
      return to_fetch_error(x.err());
    fetch_result out;
    out.prices.push_back(std::move(*x));
    return out;
  }

  std::string to_provider_symbol(std::string_view canonical) const override {
    std::string symbol, convert;
    if (!map(canonical, symbol, convert))
      return {};
    return symbol + "/" + convert;
  }

  std::string to_canonical(std::string_view provider_symbol) const override {
    auto slash = provider_symbol.find('/');
    if (slash == std::string_view::npos)
      return {};
    auto symbol = provider_symbol.substr(0, slash);
    auto convert = provider_symbol.substr(slash + 1);
    std::string_view base, quote;
    for (auto& [canonical, cmc] : overrides_)
      if (cmc == symbol && split_pair(canonical, base, quote)
          && quote == convert)
        return canonical;
    auto canonical = std::string{symbol} + "-" + std::string{convert};
    if (!is_canonical_instrument(canonical)
        || classify_instrument(canonical) != asset_class::crypto)
      return {};
    return canonical;
  }

 private:
  // The CMC symbol and convert currency of a canonical crypto pair.
  bool map(std::string_view canonical, std::string& symbol,
           std::string& convert) const {
    std::string_view base, quote;
    if (!is_canonical_instrument(canonical)
        || !split_pair(canonical, base, quote)
        || classify_instrument(canonical) != asset_class::crypto)
      return false;
    symbol = base;
    for (auto& [c, cmc] : overrides_)
      if (c == canonical)
        symbol = cmc;
    convert = quote;
    return true;
  }

  kv_list overrides_;
};

} // namespace

std::unique_ptr<rest_adapter>
make_coinmarketcap_adapter(const adapter_options& options) {
  return std::make_unique<coinmarketcap_adapter>(options);
}

} // namespace tickflow
