#include "adapters/yahoo/yahoo_adapter.hpp"

#include <string>
#include <string_view>
#include <utility>

#include "adapters/common/bar_window.hpp"
#include "adapters/common/corporate_actions.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/provider_descriptor.hpp"
#include "adapters/yahoo/yahoo_events.hpp"
#include "adapters/yahoo/yahoo_parse.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {

namespace {

// Range asked for when the request has no start.
std::string_view default_range(interval span) noexcept {
  switch (span) {
    case interval::m1: return "1d";
    case interval::m5:
    case interval::m15:
    case interval::m30: return "5d";
    case interval::h1: return "1mo";
    case interval::d1: return "1y";
    case interval::w1: return "5y";
    default: return "max";
  }
}

class yahoo_adapter final : public rest_adapter {
 public:
  explicit yahoo_adapter(const adapter_options& options)
      : overrides_(options.symbol_overrides) {
    // nop
  }

  const provider_info& info() const noexcept override {
    return yahoo_descriptor().info;
  }

  result<outbound_request> build(const fetch_request& req,
                                 const credentials&) const override {
    auto symbol = to_provider_symbol(req.instrument);
    if (symbol.empty())
      return error{errc::unknown_symbol, req.instrument};
    outbound_request out;
    out.path = "/v8/finance/chart/" + url_encode(symbol);
    if (req.kind == fetch_kind::price) {
      out.query = {{"interval", "1d"}, {"range", "1d"}};
      return out;
    }
    if (req.kind == fetch_kind::splits || req.kind == fetch_kind::dividends) {
      // Daily chart with its events over the range (all of it without one).
      out.query = {{"interval", "1d"}, {"events", "div|split"}};
      out.query.emplace_back("period1", std::to_string(req.start_ns / ns_per_s));
      out.query.emplace_back("period2", req.end_ns > 0
                                          ? std::to_string(req.end_ns / ns_per_s + 86'400)
                                          : std::string{"9999999999"});
      return out;
    }
    if (req.kind != fetch_kind::bars)
      return error{errc::invalid_argument,
                   "yahoo does not serve " + std::string{to_string(req.kind)}};
    auto name = yahoo::interval_name(req.span);
    if (name.empty())
      return error{errc::invalid_argument,
                   "yahoo serves 1m, 5m, 15m, 30m, 1h, 1d, 1w and 1M bars, "
                   "not "
                     + std::string{to_string(req.span)}};
    out.query = {{"interval", std::string{name}}};
    if (req.start_ns > 0) {
      auto span_s = interval_ns(req.span) / ns_per_s;
      out.query.emplace_back("period1",
                             std::to_string(req.start_ns / ns_per_s));
      out.query.emplace_back(
        "period2", req.end_ns > 0
                     ? std::to_string(req.end_ns / ns_per_s + span_s)
                     : std::string{"9999999999"});
    } else {
      out.query.emplace_back("range", std::string{default_range(req.span)});
    }
    return out;
  }

  fetch_outcome parse(const fetch_request& req, const http_reply& reply,
                      int64_t recv_ns) const override {
    rapidjson::Document doc;
    if (auto e = read_number_text_reply(reply, recv_ns,
                                        yahoo::parse_chart_error, doc))
      return *e;
    auto symbol = to_provider_symbol(req.instrument);
    if (symbol.empty())
      return fetch_error{errc::unknown_symbol, req.instrument, 0};
    fetch_result out;
    if (req.kind == fetch_kind::price) {
      auto x = yahoo::parse_chart_price(doc, req.instrument, symbol, recv_ns);
      if (!x)
        return to_fetch_error(x.err());
      out.prices.push_back(std::move(*x));
      return out;
    }
    if (req.kind == fetch_kind::splits || req.kind == fetch_kind::dividends) {
      auto kind = req.kind == fetch_kind::splits ? action_kind::split : action_kind::dividend;
      auto xs = yahoo::parse_chart_events(doc, kind, req.instrument, symbol, recv_ns);
      if (!xs)
        return to_fetch_error(xs.err());
      out.actions = std::move(*xs);
      keep_actions_in_range(out.actions, req.start_ns, req.end_ns);
      return out;
    }
    if (req.kind != fetch_kind::bars || yahoo::interval_name(req.span).empty())
      return fetch_error{errc::invalid_argument,
                         "yahoo does not serve this request", 0};
    auto chart = yahoo::parse_chart_bars(doc, req.span, req.instrument,
                                         symbol, recv_ns, req.adjusted);
    if (!chart)
      return to_fetch_error(chart.err());
    out.bars = std::move(chart->bars);
    trim_to_request(out.bars, req);
    return out;
  }

  std::string to_provider_symbol(std::string_view canonical) const override {
    if (auto s = overridden_symbol(overrides_, canonical))
      return *s;
    if (!is_canonical_instrument(canonical))
      return {};
    std::string_view base, quote;
    if (classify_instrument(canonical) == asset_class::forex
        && split_pair(canonical, base, quote))
      return std::string{base} + std::string{quote} + "=X";
    return std::string{canonical};
  }

  std::string to_canonical(std::string_view provider_symbol) const override {
    if (auto c = overridden_canonical(overrides_, provider_symbol))
      return *c;
    std::string candidate{provider_symbol};
    if (provider_symbol.size() == 8 && provider_symbol.substr(6) == "=X")
      candidate = std::string{provider_symbol.substr(0, 3)} + "-"
                  + std::string{provider_symbol.substr(3, 3)};
    // Only ids that map back to the same Yahoo symbol.
    return to_provider_symbol(candidate) == provider_symbol ? candidate
                                                            : std::string{};
  }

 private:
  kv_list overrides_;
};

} // namespace

std::unique_ptr<rest_adapter>
make_yahoo_adapter(const adapter_options& options) {
  return std::make_unique<yahoo_adapter>(options);
}

} // namespace tickflow
