#pragma once

// Massive (formerly Polygon.io) futures REST requests: pure builders
// (model -> path + query). All paths hang off one prefix: the documented
// "/futures/vX" (massive-com/client-go rest/scripts/openapi.json and the
// official Python/Go/JS clients) unless the factory is given another one.
// The key travels as the query parameter `apiKey` (a secret), as on the
// Polygon stocks API of the same host.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/interval.hpp"

namespace tickflow::massive_futures {

/// Prefix of every futures path, as documented by Massive.
constexpr std::string_view default_path_prefix = "/futures/vX";

/// Most results one request may ask for (the API maximum).
constexpr size_t max_limit = 50'000;

/// Quotes fetched for a quote request: the newest quotes may be one-sided,
/// and the parser takes the newest two-sided one among them.
constexpr size_t quote_lookback = 10;

/// Canonical id of a futures contract: the contract ticker as given
/// ("ESZ4", "GCJ5"); "" when it is not a canonical id (lowercase, empty).
/// The same function maps both ways.
std::string to_contract_ticker(std::string_view id);

/// The `resolution` of a tickflow interval: 1s "1sec", 1m "1min", 5m "5min",
/// 15m "15min", 30m "30min", 1h "1hour", 4h "4hour", 1d "1day", 1w "1week",
/// 1M "1month"; nullopt for the others.
std::optional<std::string_view> to_resolution(interval iv) noexcept;

/// GET {prefix}/aggs/{ticker}?resolution=R[&window_start.gte=NS]
///   [&window_start.lte=NS][&limit=N]&sort=window_start.asc|desc&apiKey=KEY
/// Bounds are Unix ns and inclusive; 0 leaves a side open. start_ns == 0
/// asks for the newest bars (sort desc; the parser restores time order).
/// errc::invalid_argument for an unsupported interval, negative bounds,
/// start > end or a limit above max_limit.
result<outbound_request> aggs_request(std::string_view prefix,
                                      std::string_view ticker, interval span,
                                      int64_t start_ns, int64_t end_ns,
                                      size_t limit, std::string_view api_key);

/// GET {prefix}/trades/{ticker}?limit=N&sort=timestamp.desc&apiKey=KEY
/// (newest first; limit 1 gives the last trade).
outbound_request trades_request(std::string_view prefix,
                                std::string_view ticker, size_t limit,
                                std::string_view api_key);

/// GET {prefix}/quotes/{ticker}?limit=N&sort=timestamp.desc&apiKey=KEY
outbound_request quotes_request(std::string_view prefix,
                                std::string_view ticker, size_t limit,
                                std::string_view api_key);

/// GET {prefix}/contracts[?product_code=P][&limit=N]&apiKey=KEY
/// ("" product code and 0 limit are left out).
outbound_request contracts_request(std::string_view prefix,
                                   std::string_view product_code, size_t limit,
                                   std::string_view api_key);

/// GET {prefix}/products[?limit=N]&apiKey=KEY
outbound_request products_request(std::string_view prefix, size_t limit,
                                  std::string_view api_key);

} // namespace tickflow::massive_futures
