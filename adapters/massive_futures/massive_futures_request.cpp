#include "adapters/massive_futures/massive_futures_request.hpp"

#include <utility>

#include "adapters/polygon/polygon_request.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::massive_futures {

namespace {

outbound_request get(std::string_view prefix, std::string_view resource,
                     std::string_view ticker = {}) {
  outbound_request out;
  out.method = "GET";
  out.path.assign(prefix);
  out.path.push_back('/');
  out.path.append(resource);
  if (!ticker.empty()) {
    out.path.push_back('/');
    out.path.append(polygon::escape_path_segment(ticker));
  }
  return out;
}

outbound_request newest_first(std::string_view prefix,
                              std::string_view resource,
                              std::string_view ticker, size_t limit,
                              std::string_view api_key) {
  auto out = get(prefix, resource, ticker);
  out.query.emplace_back("limit", std::to_string(limit));
  out.query.emplace_back("sort", "timestamp.desc");
  polygon::add_api_key(out, api_key);
  return out;
}

} // namespace

std::string to_contract_ticker(std::string_view id) {
  if (!is_canonical_instrument(id))
    return {};
  return std::string{id};
}

std::optional<std::string_view> to_resolution(interval iv) noexcept {
  switch (iv) {
    case interval::s1: return "1sec";
    case interval::m1: return "1min";
    case interval::m5: return "5min";
    case interval::m15: return "15min";
    case interval::m30: return "30min";
    case interval::h1: return "1hour";
    case interval::h4: return "4hour";
    case interval::d1: return "1day";
    case interval::w1: return "1week";
    case interval::mo1: return "1month";
    default: return std::nullopt;
  }
}

result<outbound_request> aggs_request(std::string_view prefix,
                                      std::string_view ticker, interval span,
                                      int64_t start_ns, int64_t end_ns,
                                      size_t limit, std::string_view api_key) {
  auto res = to_resolution(span);
  if (!res)
    return error{errc::invalid_argument,
                 "massive_futures: no bars of " + std::string{to_string(span)}};
  if (auto ok = check_time_bounds("massive_futures", start_ns, end_ns); !ok)
    return ok.err();
  if (limit > max_limit)
    return error{errc::invalid_argument,
                 "massive_futures: limit above " + std::to_string(max_limit)};
  auto out = get(prefix, "aggs", ticker);
  out.query.emplace_back("resolution", std::string{*res});
  if (start_ns > 0)
    out.query.emplace_back("window_start.gte", std::to_string(start_ns));
  if (end_ns > 0)
    out.query.emplace_back("window_start.lte", std::to_string(end_ns));
  if (limit > 0)
    out.query.emplace_back("limit", std::to_string(limit));
  out.query.emplace_back("sort", start_ns == 0 ? "window_start.desc"
                                               : "window_start.asc");
  polygon::add_api_key(out, api_key);
  return out;
}

outbound_request trades_request(std::string_view prefix,
                                std::string_view ticker, size_t limit,
                                std::string_view api_key) {
  return newest_first(prefix, "trades", ticker, limit, api_key);
}

outbound_request quotes_request(std::string_view prefix,
                                std::string_view ticker, size_t limit,
                                std::string_view api_key) {
  return newest_first(prefix, "quotes", ticker, limit, api_key);
}

outbound_request contracts_request(std::string_view prefix,
                                   std::string_view product_code, size_t limit,
                                   std::string_view api_key) {
  auto out = get(prefix, "contracts");
  if (!product_code.empty())
    out.query.emplace_back("product_code", std::string{product_code});
  if (limit > 0)
    out.query.emplace_back("limit", std::to_string(limit));
  polygon::add_api_key(out, api_key);
  return out;
}

outbound_request products_request(std::string_view prefix, size_t limit,
                                  std::string_view api_key) {
  auto out = get(prefix, "products");
  if (limit > 0)
    out.query.emplace_back("limit", std::to_string(limit));
  polygon::add_api_key(out, api_key);
  return out;
}

} // namespace tickflow::massive_futures
