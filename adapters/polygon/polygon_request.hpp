#pragma once

// Polygon.io (now Massive) REST requests: symbols, bar sizes and the pure
// request builders (model -> path + query). The API key travels as the query
// parameter `apiKey` and is always listed in outbound_request::secrets.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/interval.hpp"

namespace tickflow::polygon {

// -- symbols ------------------------------------------------------------------

/// Polygon ticker of a canonical id by its shape (no overrides): equities as
/// is ("AAPL", "BRK.B"), crypto "BTC-USD" -> "X:BTCUSD", forex (two fiat
/// codes) "EUR-USD" -> "C:EURUSD". "" for anything else (indices, ids that
/// are not canonical, ids containing ':').
std::string to_polygon_ticker(std::string_view canonical);

/// Canonical id of a Polygon ticker: "X:BTCUSD" -> "BTC-USD" (the quote is
/// the longest known quote code at the end: USDT, USDC, USD, EUR, GBP, JPY,
/// BTC, ETH, ...), "C:EURUSD" -> "EUR-USD" (six letters, split 3/3),
/// "AAPL" -> "AAPL". "" when it cannot be mapped ("I:SPX", lowercase).
std::string from_polygon_ticker(std::string_view ticker);

/// True for crypto ("X:") and forex ("C:") tickers, which have no
/// /v2/last/trade or /v2/last/nbbo endpoint (those are stocks only).
bool is_crypto_or_forex(std::string_view ticker) noexcept;

/// Percent-encodes one path segment: RFC 3986 pchar (unreserved, sub-delims,
/// ':' and '@') is kept, so "X:BTCUSD" stays as is.
std::string escape_path_segment(std::string_view segment);

/// Appends the key as the query parameter `apiKey` (always last) and lists
/// it in out.secrets. Massive's futures API on the same host takes it the
/// same way.
void add_api_key(outbound_request& out, std::string_view api_key);

// -- bar sizes ----------------------------------------------------------------

/// A Polygon bar size: /range/{multiplier}/{timespan}/.
struct timespan {
  int multiplier = 1;
  std::string_view unit; ///< "minute", "hour", "day", "week", "month"
};

/// The bar size of a tickflow interval: 1m -> 1/minute, 3m, 5m, 15m, 30m ->
/// N/minute, 1h..12h -> N/hour, 1d -> 1/day, 3d -> 3/day, 1w -> 1/week,
/// 1M -> 1/month. nullopt for 1s (not offered here).
std::optional<timespan> to_timespan(interval iv) noexcept;

// -- request builders ---------------------------------------------------------

/// Most bars one aggregates request may ask for (the API maximum).
constexpr size_t max_aggs_limit = 50'000;

/// End of the range when the caller gives none (end_ns == 0): 2100-01-01 in
/// ms. Builders never read the clock; Polygon returns bars up to now.
constexpr int64_t open_end_ms = 4'102'444'800'000;

/// GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}
///   ?adjusted=true|false&sort=asc|desc[&limit=N]&apiKey=KEY
/// adjusted: split-adjusted bars (fetch_request::adjusted), else as traded.
/// from/to are Unix ms (floor of the ns bounds). start_ns == 0 asks for the
/// newest bars: from = 0 and sort=desc (the parser puts bars back in time
/// order); end_ns == 0 uses open_end_ms. limit 0 leaves the provider default
/// (5000). errc::invalid_argument for 1s, negative bounds, start > end or a
/// limit above max_aggs_limit.
result<outbound_request> aggs_request(std::string_view ticker, interval span,
                                      int64_t start_ns, int64_t end_ns,
                                      size_t limit, std::string_view api_key,
                                      bool adjusted = false);

/// GET /v2/aggs/ticker/{ticker}/prev?adjusted=true&apiKey=KEY
outbound_request prev_close_request(std::string_view ticker,
                                    std::string_view api_key);

/// GET /v2/last/trade/{ticker}?apiKey=KEY (stocks).
outbound_request last_trade_request(std::string_view ticker,
                                    std::string_view api_key);

/// GET /v2/last/nbbo/{ticker}?apiKey=KEY (stocks).
outbound_request last_nbbo_request(std::string_view ticker,
                                   std::string_view api_key);

/// Most trades one /v3/trades request may ask for (the API maximum).
constexpr size_t max_trades_limit = 50'000;

/// GET /v3/trades/{ticker}?timestamp.gte=<ns>&timestamp.lte=<ns>
///   &order=asc&sort=timestamp&limit=N&apiKey=KEY
/// Bounds are Unix ns (0 leaves that side open); limit 0 asks for
/// max_trades_limit. Only the first page is fetched (next_url is not
/// followed). errc::invalid_argument for negative bounds, start > end or a
/// limit above max_trades_limit.
result<outbound_request> trades_request(std::string_view ticker,
                                        int64_t start_ns, int64_t end_ns,
                                        size_t limit,
                                        std::string_view api_key);

} // namespace tickflow::polygon
