#include "adapters/binance/binance_request.hpp"

#include <algorithm>
#include <string>

#include "pipeline/model/time.hpp"

namespace tickflow::binance {

namespace {

void add_key(outbound_request& out, const credentials& cred) {
  if (cred.api_key.empty())
    return;
  out.headers.emplace_back(std::string{api_key_header}, cred.api_key);
  out.secrets.push_back(cred.api_key);
}

} // namespace

result<outbound_request> build_request(const fetch_request& req,
                                       std::string_view symbol,
                                       const credentials& cred) {
  if (symbol.empty())
    return error{errc::unknown_symbol, req.instrument};
  outbound_request out;
  out.method = "GET";
  out.query.emplace_back("symbol", std::string{symbol});
  switch (req.kind) {
    case fetch_kind::price:
      out.path = ticker_price_path;
      break;
    case fetch_kind::quote:
      out.path = ticker_24hr_path;
      break;
    case fetch_kind::bars: {
      if (req.start_ns < 0 || req.end_ns < 0)
        return error{errc::invalid_argument, "negative time bound"};
      if (req.start_ns > 0 && req.end_ns > 0 && req.start_ns > req.end_ns)
        return error{errc::invalid_argument, "start after end"};
      if (req.limit > max_klines_limit)
        return error{errc::invalid_argument,
                     "limit " + std::to_string(req.limit) + " above "
                       + std::to_string(max_klines_limit)};
      out.path = klines_path;
      // Binance serves every tickflow interval under the same name.
      out.query.emplace_back("interval", std::string{to_string(req.span)});
      if (req.start_ns > 0)
        out.query.emplace_back("startTime",
                               std::to_string(req.start_ns / ns_per_ms));
      if (req.end_ns > 0)
        out.query.emplace_back("endTime",
                               std::to_string(req.end_ns / ns_per_ms));
      if (req.limit > 0)
        out.query.emplace_back("limit", std::to_string(req.limit));
      break;
    }
    case fetch_kind::trades: {
      if (req.start_ns < 0 || req.end_ns < 0)
        return error{errc::invalid_argument, "negative time bound"};
      if (req.start_ns > 0 && req.end_ns > 0 && req.start_ns > req.end_ns)
        return error{errc::invalid_argument, "start after end"};
      if (req.limit > max_trades_limit)
        return error{errc::invalid_argument,
                     "limit " + std::to_string(req.limit) + " above "
                       + std::to_string(max_trades_limit)};
      auto limit = std::to_string(req.limit > 0 ? req.limit
                                                : max_trades_limit);
      if (!req.aggregated) {
        out.path = trades_path;
        out.query.emplace_back("limit", std::move(limit));
        break;
      }
      out.path = agg_trades_path;
      auto start_ms = req.start_ns / ns_per_ms;
      auto end_ms = req.end_ns / ns_per_ms;
      if (req.start_ns > 0 && req.end_ns > 0
          && end_ms - start_ms > max_agg_trades_window_ms)
        end_ms = start_ms + max_agg_trades_window_ms;
      if (req.start_ns > 0)
        out.query.emplace_back("startTime", std::to_string(start_ms));
      if (req.end_ns > 0)
        out.query.emplace_back("endTime", std::to_string(end_ms));
      out.query.emplace_back("limit", std::move(limit));
      break;
    }
    default:
      return error{errc::invalid_argument,
                   "unsupported kind " + std::string{to_string(req.kind)}};
  }
  add_key(out, cred);
  return out;
}

outbound_request build_exchange_info_request(const credentials& cred) {
  outbound_request out;
  out.method = "GET";
  out.path = exchange_info_path;
  add_key(out, cred);
  return out;
}

result<outbound_request> build_batch_request(fetch_kind kind,
                                             const std::vector<std::string>& symbols,
                                             const credentials& cred) {
  if (kind != fetch_kind::price)
    return error{errc::invalid_argument,
                 "cannot merge " + std::string{to_string(kind)} + " requests"};
  if (symbols.empty())
    return error{errc::unknown_symbol, "no symbol to ask for"};
  if (symbols.size() > max_batch_symbols)
    return error{errc::invalid_argument,
                 std::to_string(symbols.size()) + " symbols, at most "
                   + std::to_string(max_batch_symbols)};
  std::string list = "[";
  for (auto& s : symbols) {
    if (list.size() > 1)
      list += ',';
    list += '"' + s + '"';
  }
  list += ']';
  outbound_request out;
  out.method = "GET";
  out.path = ticker_price_path;
  out.query.emplace_back("symbols", std::move(list));
  add_key(out, cred);
  return out;
}

std::optional<fetch_request> next_klines_page(const fetch_request& asked,
                                              const fetch_result& got) {
  if (asked.kind != fetch_kind::bars || asked.limit == 0 || got.bars.size() < asked.limit)
    return std::nullopt;
  auto oldest = got.bars.front().open_time_ns;
  auto newest = oldest;
  for (auto& b : got.bars) {
    oldest = std::min(oldest, b.open_time_ns);
    newest = std::max(newest, b.open_time_ns);
  }
  auto next = asked;
  if (asked.start_ns != 0) {
    // Past the newest open time (Binance bounds are ms, inclusive).
    next.start_ns = (newest / ns_per_ms + 1) * ns_per_ms;
    if (asked.end_ns != 0 && next.start_ns > asked.end_ns)
      return std::nullopt;
  } else {
    next.end_ns = (oldest / ns_per_ms - 1) * ns_per_ms;
    if (next.end_ns <= 0)
      return std::nullopt;
  }
  return next;
}

} // namespace tickflow::binance
