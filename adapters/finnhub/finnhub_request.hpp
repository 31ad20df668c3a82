#pragma once

// Finnhub REST requests: symbols, resolutions and the pure request builders
// (model -> path + query + headers). The token travels in the header
// X-Finnhub-Token (Finnhub accepts it there or as the query parameter
// `token`): a header keeps it out of every URL, so even an unredacted URL
// in a log or an error carries no secret. It is listed in
// outbound_request::secrets all the same.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/interval.hpp"

namespace tickflow::finnhub {

/// Header that carries the API token.
constexpr std::string_view token_header = "X-Finnhub-Token";

/// End of the range when the caller gives none (end_ns == 0): 2100-01-01 in
/// Unix seconds. Builders never read the clock.
constexpr int64_t open_end_s = 4'102'444'800;

/// Finnhub symbol of a canonical id (no overrides): US equities as is
/// ("AAPL", "BRK.B"); "" for pairs ("BTC-USD", "EUR-USD": Finnhub names them
/// "BINANCE:BTCUSDT", "OANDA:EUR_USD" and serves them from other endpoints;
/// map them with symbol_overrides), indices and ids containing ':'.
std::string to_finnhub_symbol(std::string_view canonical);

/// Canonical id of a Finnhub symbol: as is when it is a canonical equity id,
/// "" otherwise ("BINANCE:BTCUSDT", lowercase).
std::string from_finnhub_symbol(std::string_view symbol);

/// The stock/candle `resolution` of an interval: 1m "1", 5m "5", 15m "15",
/// 30m "30", 1h "60", 1d "D", 1w "W", 1M "M"; nullopt for the others.
std::optional<std::string_view> to_resolution(interval iv) noexcept;

/// GET /api/v1/quote?symbol=S (header X-Finnhub-Token: KEY).
outbound_request quote_request(std::string_view symbol,
                               std::string_view api_key);

/// GET /api/v1/stock/candle?symbol=S&resolution=R&from=F&to=T
/// (header X-Finnhub-Token: KEY). from/to are Unix seconds (floor of the ns
/// bounds); end_ns == 0 uses open_end_s. The API has no default range, so
/// start_ns == 0 needs end_ns and limit: from = end - limit * span, in
/// calendar time (markets that close return fewer bars; the parser keeps the
/// last `limit`). errc::invalid_argument for an unsupported interval,
/// negative bounds, start > end, or start_ns == 0 without end_ns and limit.
result<outbound_request> candle_request(std::string_view symbol,
                                        interval span, int64_t start_ns,
                                        int64_t end_ns, size_t limit,
                                        std::string_view api_key);

} // namespace tickflow::finnhub
