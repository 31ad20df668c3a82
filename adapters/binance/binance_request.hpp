#pragma once

// Binance spot REST: endpoints and the request builder (model -> URL).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::binance {

/// Production base URL (configs point tests at loopback instead).
constexpr std::string_view rest_base_url = "https://api.binance.com";

/// GET, one symbol: {"symbol","price"}.
constexpr std::string_view ticker_price_path = "/api/v3/ticker/price";
/// GET, one symbol: 24 h statistics with lastPrice and bid/ask.
constexpr std::string_view ticker_24hr_path = "/api/v3/ticker/24hr";
/// GET: OHLCV rows for symbol + interval.
constexpr std::string_view klines_path = "/api/v3/klines";
/// GET: aggregate trades of a symbol in [startTime, endTime] (at most 1 h).
constexpr std::string_view agg_trades_path = "/api/v3/aggTrades";
/// GET: the newest raw trades of a symbol (no time bounds).
constexpr std::string_view trades_path = "/api/v3/trades";
/// GET: trading rules and the symbol table.
constexpr std::string_view exchange_info_path = "/api/v3/exchangeInfo";

/// Header carrying the API key (only needed by account endpoints; sent
/// when one is configured).
constexpr std::string_view api_key_header = "X-MBX-APIKEY";

/// Largest `limit` /api/v3/aggTrades and /api/v3/trades accept.
constexpr size_t max_trades_limit = 1000;

/// Widest [startTime, endTime] /api/v3/aggTrades accepts, ms.
constexpr int64_t max_agg_trades_window_ms = 60 * 60 * 1000 - 1;

/// Largest `limit` /api/v3/klines accepts.
constexpr size_t max_klines_limit = 1000;

/// The request for `req` on Binance symbol `symbol`:
///   price -> GET /api/v3/ticker/price?symbol=BTCUSDT
///   quote -> GET /api/v3/ticker/24hr?symbol=BTCUSDT
///   bars  -> GET /api/v3/klines?symbol=BTCUSDT&interval=1m
///              [&startTime=<ms>][&endTime=<ms>][&limit=<n>]
///   trades, aggregated -> GET /api/v3/aggTrades?symbol=BTCUSDT
///              [&startTime=<ms>][&endTime=<ms>]&limit=<n, default 1000>
///              (a window wider than Binance's 1 h keeps its first hour)
///   trades, raw -> GET /api/v3/trades?symbol=BTCUSDT&limit=<n, default
///              1000> (the newest trades; the parser applies the bounds)
/// start_ns/end_ns are floored to ms; 0 leaves the bound to Binance.
/// Errors: errc::unknown_symbol (empty `symbol`; context is the instrument),
/// errc::invalid_argument (negative bound, start after end, limit above
/// max_klines_limit / max_trades_limit).
result<outbound_request> build_request(const fetch_request& req,
                                       std::string_view symbol,
                                       const credentials& cred);

/// The klines page after `got`, the answer to `asked` (at most
/// max_klines_limit bars a request): when the page came full, the same
/// request with startTime 1 ms past the newest open time (with a start),
/// or endTime 1 ms before the oldest (the newest bars, no start); nullopt
/// when the page was not full or the range is done.
std::optional<fetch_request> next_klines_page(const fetch_request& asked,
                                              const fetch_result& got);

/// GET /api/v3/exchangeInfo (all symbols).
outbound_request build_exchange_info_request(const credentials& cred);

/// Symbols one merged ticker/price request carries at most (the URL stays
/// short; Binance charges weight 4 whatever the count).
constexpr size_t max_batch_symbols = 100;

/// Several symbols in one request:
///   price -> GET /api/v3/ticker/price?symbols=["BTCUSDT","ETHUSDT"]
/// Errors: errc::unknown_symbol (no symbol), errc::invalid_argument (another
/// kind, more than max_batch_symbols).
result<outbound_request> build_batch_request(fetch_kind kind,
                                             const std::vector<std::string>& symbols,
                                             const credentials& cred);

} // namespace tickflow::binance
