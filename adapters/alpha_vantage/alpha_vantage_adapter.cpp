#include "adapters/alpha_vantage/alpha_vantage_adapter.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/alpha_vantage/alpha_vantage_parse.hpp"
#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
#include "adapters/alpha_vantage/alpha_vantage_reference.hpp"
#include "adapters/common/bar_window.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

// Rows in a "compact" reply.
constexpr size_t compact_rows = 100;

class alpha_vantage_adapter final : public rest_adapter {
 public:
  explicit alpha_vantage_adapter(const adapter_options& options)
      : overrides_(options.symbol_overrides) {
    // nop
  }

  const provider_info& info() const noexcept override {
    return alpha_vantage_descriptor().info;
  }

  result<outbound_request> build(const fetch_request& req,
                                 const credentials& cred) const override {
    auto symbol = to_provider_symbol(req.instrument);
    if (symbol.empty())
      return error{errc::unknown_symbol, req.instrument};
    outbound_request out;
    out.path = "/query";
    if (req.kind == fetch_kind::price) {
      out.query = {{"function", "GLOBAL_QUOTE"}, {"symbol", symbol}};
    } else if (req.kind == fetch_kind::profile) {
      out.query = {{"function", "OVERVIEW"}, {"symbol", symbol}};
    } else if (req.kind == fetch_kind::bars) {
      std::string outputsize = req.start_ns > 0 || req.limit > compact_rows
                                 ? "full"
                                 : "compact";
      if (req.span == interval::d1) {
        // Adjusted: the adjusted series (its "5. adjusted close").
        out.query = {{"function", req.adjusted ? "TIME_SERIES_DAILY_ADJUSTED"
                                               : "TIME_SERIES_DAILY"},
                     {"symbol", symbol},
                     {"outputsize", outputsize}};
      } else if (auto name = alpha_vantage::intraday_name(req.span);
                 !name.empty()) {
        out.query = {{"function", "TIME_SERIES_INTRADAY"},
                     {"symbol", symbol},
                     {"interval", std::string{name}},
                     {"outputsize", outputsize},
                     // Intraday rows are adjusted unless told otherwise.
                     {"adjusted", req.adjusted ? "true" : "false"}};
      } else {
        return error{errc::invalid_argument,
                     "alpha_vantage serves 1m, 5m, 15m, 30m, 1h and 1d "
                     "bars, not "
                       + std::string{to_string(req.span)}};
      }
    } else {
      return error{errc::invalid_argument,
                   "alpha_vantage does not serve "
                     + std::string{to_string(req.kind)}};
    }
    if (cred.api_key.empty())
      return error{errc::unauthorized, "alpha_vantage needs an API key"};
    out.query.emplace_back("apikey", cred.api_key);
    out.secrets.push_back(cred.api_key);
    return out;
  }

  fetch_outcome parse(const fetch_request& req, const http_reply& reply,
                      int64_t recv_ns) const override {
    rapidjson::Document doc;
    auto body_error = [&](const rapidjson::Value& body) {
      return alpha_vantage::parse_error_body(body, recv_ns);
    };
    if (auto e = read_number_text_reply(reply, recv_ns, body_error, doc))
      return *e;
    auto symbol = to_provider_symbol(req.instrument);
    if (symbol.empty())
      return fetch_error{errc::unknown_symbol, req.instrument, 0};
    fetch_result out;
    if (req.kind == fetch_kind::price) {
      auto x = alpha_vantage::parse_global_quote(doc, req.instrument, symbol,
                                                 recv_ns);
      if (!x)
        return to_fetch_error(x.err());
      out.prices.push_back(std::move(*x));
      return out;
    }
    if (req.kind == fetch_kind::profile) {
      auto x = alpha_vantage::parse_overview(doc, req.instrument, symbol, recv_ns);
      if (!x)
        return fold_parse_error(x.err());
      out.profiles.push_back(std::move(*x));
      return out;
    }
    if (req.kind != fetch_kind::bars)
      return fetch_error{errc::invalid_argument,
                         "alpha_vantage does not serve "
                           + std::string{to_string(req.kind)},
                         0};
    auto bars = alpha_vantage::parse_time_series(doc, req.span,
                                                 req.instrument, symbol,
                                                 recv_ns, req.adjusted);
    if (!bars)
      return to_fetch_error(bars.err());
    out.bars = std::move(*bars);
    trim_to_request(out.bars, req);
    return out;
  }

  std::string to_provider_symbol(std::string_view canonical) const override {
    if (auto s = overridden_symbol(overrides_, canonical))
      return *s;
    if (!is_canonical_instrument(canonical)
        || classify_instrument(canonical) != asset_class::equity)
      return {};
    return std::string{canonical};
  }

  std::string to_canonical(std::string_view provider_symbol) const override {
    if (auto c = overridden_canonical(overrides_, provider_symbol))
      return *c;
    if (!is_canonical_instrument(provider_symbol)
        || classify_instrument(provider_symbol) != asset_class::equity)
      return {};
    return std::string{provider_symbol};
  }

 private:
  kv_list overrides_;
};

} // namespace

std::unique_ptr<rest_adapter>
make_alpha_vantage_adapter(const adapter_options& options) {
  return std::make_unique<alpha_vantage_adapter>(options);
}

} // namespace tickflow
