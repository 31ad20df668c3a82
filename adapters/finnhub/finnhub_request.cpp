#include "adapters/finnhub/finnhub_request.hpp"

#include <utility>

#include "pipeline/model/events.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/normalize/asset_class.hpp"

namespace tickflow::finnhub {

namespace {

outbound_request get(std::string path, std::string_view symbol,
                     std::string_view api_key) {
  outbound_request out;
  out.method = "GET";
  out.path = std::move(path);
  out.query.emplace_back("symbol", std::string{symbol});
  out.headers.emplace_back(std::string{token_header}, std::string{api_key});
  out.secrets.emplace_back(api_key);
  return out;
}

// Length of one bar for range arithmetic; a month counts 31 days so that
// `limit` months always fit.
int64_t span_ns(interval iv) noexcept {
  return iv == interval::mo1 ? 31 * 86'400 * ns_per_s : interval_ns(iv);
}

} // namespace

std::string to_finnhub_symbol(std::string_view canonical) {
  if (!is_canonical_instrument(canonical)
      || classify_instrument(canonical) != asset_class::equity
      || canonical.find(':') != std::string_view::npos)
    return {};
  return std::string{canonical};
}

std::string from_finnhub_symbol(std::string_view symbol) {
  return to_finnhub_symbol(symbol);
}

std::optional<std::string_view> to_resolution(interval iv) noexcept {
  switch (iv) {
    case interval::m1: return "1";
    case interval::m5: return "5";
    case interval::m15: return "15";
    case interval::m30: return "30";
    case interval::h1: return "60";
    case interval::d1: return "D";
    case interval::w1: return "W";
    case interval::mo1: return "M";
    default: return std::nullopt;
  }
}

outbound_request quote_request(std::string_view symbol,
                               std::string_view api_key) {
  return get("/api/v1/quote", symbol, api_key);
}

result<outbound_request> candle_request(std::string_view symbol,
                                        interval span, int64_t start_ns,
                                        int64_t end_ns, size_t limit,
                                        std::string_view api_key) {
  auto res = to_resolution(span);
  if (!res)
    return error{errc::invalid_argument,
                 "finnhub: no candles of " + std::string{to_string(span)}};
  if (auto ok = check_time_bounds("finnhub", start_ns, end_ns); !ok)
    return ok.err();
  int64_t from_ns = start_ns;
  if (start_ns == 0) {
    if (end_ns == 0 || limit == 0)
      return error{errc::invalid_argument,
                   "finnhub: stock/candle has no default range: give "
                   "start_ns, or end_ns and limit"};
    auto len = span_ns(span);
    auto bars = static_cast<uint64_t>(end_ns / len);
    from_ns = limit >= bars ? 0 : end_ns - static_cast<int64_t>(limit) * len;
  }
  int64_t from_s = from_ns / ns_per_s;
  int64_t to_s = end_ns == 0 ? open_end_s : end_ns / ns_per_s;
  auto out = get("/api/v1/stock/candle", symbol, api_key);
  out.query.emplace_back("resolution", std::string{*res});
  out.query.emplace_back("from", std::to_string(from_s));
  out.query.emplace_back("to", std::to_string(to_s));
  return out;
}

} // namespace tickflow::finnhub
