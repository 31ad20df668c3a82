#include "adapters/polygon/polygon_request.hpp"

#include <array>
#include <utility>

#include "pipeline/model/events.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/normalize/asset_class.hpp"

namespace tickflow::polygon {

namespace {

bool is_alnum(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
         || (c >= '0' && c <= '9');
}

bool all_alnum(std::string_view s) noexcept {
  for (char c : s)
    if (!is_alnum(c))
      return false;
  return !s.empty();
}

bool all_upper(std::string_view s) noexcept {
  for (char c : s)
    if (c < 'A' || c > 'Z')
      return false;
  return !s.empty();
}

// Quote codes recognized at the end of an "X:" ticker, longest first so
// "X:BTCUSDT" reads as BTC-USDT, not BTCU-SDT or BTCUSD-T.
constexpr std::array<std::string_view, 12> crypto_quotes{
  "USDT", "USDC", "USD", "EUR", "GBP", "JPY",
  "CAD",  "AUD",  "CHF", "BTC", "ETH", "DAI"};

// The request skeleton: GET path, nothing else yet.
outbound_request get(std::string path) {
  outbound_request out;
  out.method = "GET";
  out.path = std::move(path);
  return out;
}

} // namespace

// -- symbols ------------------------------------------------------------------

std::string to_polygon_ticker(std::string_view canonical) {
  if (!is_canonical_instrument(canonical))
    return {};
  std::string_view base, quote;
  switch (classify_instrument(canonical)) {
    case asset_class::equity:
      if (canonical.find(':') != std::string_view::npos)
        return {};
      return std::string{canonical};
    case asset_class::crypto:
    case asset_class::forex: {
      if (!split_pair(canonical, base, quote) || !all_alnum(base)
          || !all_alnum(quote))
        return {};
      std::string out = classify_instrument(canonical) == asset_class::forex
                          ? "C:"
                          : "X:";
      out.append(base);
      out.append(quote);
      return out;
    }
    case asset_class::futures:
    case asset_class::index:
      break;
  }
  return {};
}

std::string from_polygon_ticker(std::string_view ticker) {
  auto body = ticker.substr(ticker.size() >= 2 ? 2 : 0);
  if (ticker.substr(0, 2) == "C:") {
    if (body.size() != 6 || !all_upper(body))
      return {};
    std::string out{body.substr(0, 3)};
    out.push_back('-');
    out.append(body.substr(3));
    return out;
  }
  if (ticker.substr(0, 2) == "X:") {
    if (!all_alnum(body) || !is_canonical_instrument(body))
      return {};
    for (auto q : crypto_quotes) {
      if (body.size() > q.size()
          && body.substr(body.size() - q.size()) == q) {
        std::string out{body.substr(0, body.size() - q.size())};
        out.push_back('-');
        out.append(q);
        return out;
      }
    }
    return {};
  }
  if (ticker.find(':') != std::string_view::npos
      || !is_canonical_instrument(ticker))
    return {};
  return std::string{ticker};
}

bool is_crypto_or_forex(std::string_view ticker) noexcept {
  auto prefix = ticker.substr(0, 2);
  return prefix == "X:" || prefix == "C:";
}

std::string escape_path_segment(std::string_view segment) {
  static constexpr char hex[] = "0123456789ABCDEF";
  static constexpr std::string_view kept = "-._~!$&'()*+,;=:@";
  std::string out;
  out.reserve(segment.size());
  for (char c : segment) {
    if (is_alnum(c) || kept.find(c) != std::string_view::npos) {
      out.push_back(c);
    } else {
      auto u = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 0xf]);
    }
  }
  return out;
}

void add_api_key(outbound_request& out, std::string_view api_key) {
  out.query.emplace_back("apiKey", std::string{api_key});
  out.secrets.emplace_back(api_key);
}

// -- bar sizes ----------------------------------------------------------------

std::optional<timespan> to_timespan(interval iv) noexcept {
  switch (iv) {
    case interval::s1: return std::nullopt;
    case interval::m1: return timespan{1, "minute"};
    case interval::m3: return timespan{3, "minute"};
    case interval::m5: return timespan{5, "minute"};
    case interval::m15: return timespan{15, "minute"};
    case interval::m30: return timespan{30, "minute"};
    case interval::h1: return timespan{1, "hour"};
    case interval::h2: return timespan{2, "hour"};
    case interval::h4: return timespan{4, "hour"};
    case interval::h6: return timespan{6, "hour"};
    case interval::h8: return timespan{8, "hour"};
    case interval::h12: return timespan{12, "hour"};
    case interval::d1: return timespan{1, "day"};
    case interval::d3: return timespan{3, "day"};
    case interval::w1: return timespan{1, "week"};
    case interval::mo1: return timespan{1, "month"};
  }
  return std::nullopt;
}

// -- request builders ---------------------------------------------------------

result<outbound_request> aggs_request(std::string_view ticker, interval span,
                                      int64_t start_ns, int64_t end_ns,
                                      size_t limit, std::string_view api_key,
                                      bool adjusted) {
  auto ts = to_timespan(span);
  if (!ts)
    return error{errc::invalid_argument,
                 "polygon: no bars of " + std::string{to_string(span)}};
  if (auto ok = check_time_bounds("polygon", start_ns, end_ns); !ok)
    return ok.err();
  if (limit > max_aggs_limit)
    return error{errc::invalid_argument,
                 "polygon: limit above " + std::to_string(max_aggs_limit)};
  int64_t from_ms = start_ns / ns_per_ms;
  int64_t to_ms = end_ns == 0 ? open_end_ms : end_ns / ns_per_ms;
  std::string path = "/v2/aggs/ticker/";
  path.append(escape_path_segment(ticker));
  path.append("/range/");
  path.append(std::to_string(ts->multiplier));
  path.push_back('/');
  path.append(ts->unit);
  path.push_back('/');
  path.append(std::to_string(from_ms));
  path.push_back('/');
  path.append(std::to_string(to_ms));
  auto out = get(std::move(path));
  out.query.emplace_back("adjusted", adjusted ? "true" : "false");
  out.query.emplace_back("sort", start_ns == 0 ? "desc" : "asc");
  if (limit > 0)
    out.query.emplace_back("limit", std::to_string(limit));
  add_api_key(out, api_key);
  return out;
}

outbound_request prev_close_request(std::string_view ticker,
                                    std::string_view api_key) {
  auto out = get("/v2/aggs/ticker/" + escape_path_segment(ticker) + "/prev");
  out.query.emplace_back("adjusted", "true");
  add_api_key(out, api_key);
  return out;
}

outbound_request last_trade_request(std::string_view ticker,
                                    std::string_view api_key) {
  auto out = get("/v2/last/trade/" + escape_path_segment(ticker));
  add_api_key(out, api_key);
  return out;
}

outbound_request last_nbbo_request(std::string_view ticker,
                                   std::string_view api_key) {
  auto out = get("/v2/last/nbbo/" + escape_path_segment(ticker));
  add_api_key(out, api_key);
  return out;
}

result<outbound_request> trades_request(std::string_view ticker,
                                        int64_t start_ns, int64_t end_ns,
                                        size_t limit,
                                        std::string_view api_key) {
  if (auto ok = check_time_bounds("polygon", start_ns, end_ns); !ok)
    return ok.err();
  if (limit > max_trades_limit)
    return error{errc::invalid_argument,
                 "polygon: limit above " + std::to_string(max_trades_limit)};
  auto out = get("/v3/trades/" + escape_path_segment(ticker));
  if (start_ns > 0)
    out.query.emplace_back("timestamp.gte", std::to_string(start_ns));
  if (end_ns > 0)
    out.query.emplace_back("timestamp.lte", std::to_string(end_ns));
  out.query.emplace_back("order", "asc");
  out.query.emplace_back("sort", "timestamp");
  out.query.emplace_back("limit",
                         std::to_string(limit > 0 ? limit : max_trades_limit));
  add_api_key(out, api_key);
  return out;
}

} // namespace tickflow::polygon
