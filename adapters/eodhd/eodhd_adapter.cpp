#include "adapters/eodhd/eodhd_adapter.hpp"

#include <string>
#include <string_view>
#include <utility>

#include "adapters/common/bar_window.hpp"
#include "adapters/common/corporate_actions.hpp"
#include "adapters/common/json_number.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/eodhd/eodhd_actions.hpp"
#include "adapters/eodhd/eodhd_parse.hpp"
#include "adapters/eodhd/eodhd_provider.hpp"
#include "adapters/provider_descriptor.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {

namespace {

// "YYYY-MM-DD" of a UTC timestamp.
std::string utc_date(int64_t ts_ns) {
  return format_iso8601(ts_ns).substr(0, 10);
}

std::string replaced(std::string_view s, char from, char to) {
  std::string out{s};
  for (auto& c : out)
    if (c == from)
      c = to;
  return out;
}

// GET /api/splits/<symbol> or /api/div/<symbol> with from/to dates.
result<outbound_request> actions_request(const fetch_request& req, const std::string& symbol,
                                         const credentials& cred) {
  if (cred.api_key.empty())
    return error{errc::unauthorized, "eodhd needs an API token"};
  outbound_request out;
  out.path = (req.kind == fetch_kind::splits ? "/api/splits/" : "/api/div/") + url_encode(symbol);
  out.query = {{"api_token", cred.api_key}, {"fmt", "json"}};
  if (req.start_ns > 0)
    out.query.emplace_back("from", utc_date(req.start_ns));
  if (req.end_ns > 0)
    out.query.emplace_back("to", utc_date(req.end_ns));
  out.secrets.push_back(cred.api_key);
  return out;
}

class eodhd_adapter final : public rest_adapter {
 public:
  explicit eodhd_adapter(const adapter_options& options)
      : overrides_(options.symbol_overrides) {
    // nop
  }

  const provider_info& info() const noexcept override {
    return eodhd_descriptor().info;
  }

  result<outbound_request> build(const fetch_request& req,
                                 const credentials& cred) const override {
    auto symbol = to_provider_symbol(req.instrument);
    if (symbol.empty())
      return error{errc::unknown_symbol, req.instrument};
    if (req.kind == fetch_kind::splits || req.kind == fetch_kind::dividends)
      return actions_request(req, symbol, cred);
    if (req.kind != fetch_kind::bars)
      return error{errc::invalid_argument,
                   "eodhd serves bars only, not "
                     + std::string{to_string(req.kind)}};
    auto period = period_of(req.span);
    if (period.empty())
      return error{errc::invalid_argument,
                   "eodhd serves 1d, 1w and 1M bars, not "
                     + std::string{to_string(req.span)}};
    if (cred.api_key.empty())
      return error{errc::unauthorized, "eodhd needs an API token"};
    outbound_request out;
    out.path = "/api/eod/" + url_encode(symbol);
    out.query = {{"api_token", cred.api_key}, {"fmt", "json"}};
    if (req.start_ns > 0)
      out.query.emplace_back("from", utc_date(req.start_ns));
    if (req.end_ns > 0)
      out.query.emplace_back("to", utc_date(req.end_ns));
    out.query.emplace_back("period", std::string{period});
    out.secrets.push_back(cred.api_key);
    return out;
  }

  fetch_outcome parse(const fetch_request& req, const http_reply& reply,
                      int64_t recv_ns) const override {
    if (auto e = eodhd::parse_error_reply(reply, recv_ns))
      return *e;
    rapidjson::Document doc;
    auto parsed = json::parse_with_number_text(reply.body, doc);
    if (!parsed)
      return fetch_error{errc::malformed, parsed.err().context, 0};
    auto symbol = to_provider_symbol(req.instrument);
    if (symbol.empty())
      return fetch_error{errc::unknown_symbol, req.instrument, 0};
    if (req.kind == fetch_kind::splits || req.kind == fetch_kind::dividends) {
      auto xs = req.kind == fetch_kind::splits
                  ? eodhd::parse_splits(doc, req.instrument, recv_ns)
                  : eodhd::parse_dividends(doc, req.instrument, recv_ns);
      if (!xs)
        return to_fetch_error(xs.err());
      fetch_result out;
      out.actions = std::move(*xs);
      keep_actions_in_range(out.actions, req.start_ns, req.end_ns);
      return out;
    }
    if (req.kind != fetch_kind::bars || period_of(req.span).empty())
      return fetch_error{errc::invalid_argument,
                         "eodhd serves 1d, 1w and 1M bars only", 0};
    auto bars = eodhd::parse_eod(doc, req.span, req.instrument, symbol,
                                 recv_ns, req.adjusted);
    if (!bars)
      return to_fetch_error(bars.err());
    fetch_result out;
    out.bars = std::move(*bars);
    keep_newest(out.bars, req.limit);
    return out;
  }

  std::string to_provider_symbol(std::string_view canonical) const override {
    if (auto s = overridden_symbol(overrides_, canonical))
      return *s;
    if (!is_canonical_instrument(canonical))
      return {};
    std::string_view base, quote;
    switch (classify_instrument(canonical)) {
      case asset_class::equity:
        return replaced(canonical, '.', '-') + ".US";
      case asset_class::forex:
        split_pair(canonical, base, quote);
        return std::string{base} + std::string{quote} + ".FOREX";
      case asset_class::crypto:
        return std::string{canonical} + ".CC";
      default:
        return {};
    }
  }

  std::string to_canonical(std::string_view provider_symbol) const override {
    if (auto c = overridden_canonical(overrides_, provider_symbol))
      return *c;
    auto dot = provider_symbol.rfind('.');
    if (dot == std::string_view::npos)
      return {};
    auto ticker = provider_symbol.substr(0, dot);
    auto exchange = provider_symbol.substr(dot + 1);
    std::string canonical;
    auto expected = asset_class::equity;
    if (exchange == "US") {
      canonical = replaced(ticker, '-', '.');
    } else if (exchange == "FOREX" && ticker.size() == 6) {
      canonical = std::string{ticker.substr(0, 3)} + "-"
                  + std::string{ticker.substr(3)};
      expected = asset_class::forex;
    } else if (exchange == "CC") {
      canonical = std::string{ticker};
      expected = asset_class::crypto;
    }
    if (!is_canonical_instrument(canonical)
        || classify_instrument(canonical) != expected)
      return {};
    return canonical;
  }

 private:
  static std::string_view period_of(interval span) noexcept {
    switch (span) {
      case interval::d1: return "d";
      case interval::w1: return "w";
      case interval::mo1: return "m";
      default: return {};
    }
  }

  kv_list overrides_;
};

} // namespace

std::unique_ptr<rest_adapter>
make_eodhd_adapter(const adapter_options& options) {
  return std::make_unique<eodhd_adapter>(options);
}

} // namespace tickflow
