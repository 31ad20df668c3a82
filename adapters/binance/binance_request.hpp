#pragma once

// Binance spot REST: endpoints and the request builder (model -> URL).

#include <cstddef>
#include <string_view>

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
/// GET: trading rules and the symbol table.
constexpr std::string_view exchange_info_path = "/api/v3/exchangeInfo";

/// Header carrying the API key (only needed by account endpoints; sent
/// when one is configured).
constexpr std::string_view api_key_header = "X-MBX-APIKEY";

/// Largest `limit` /api/v3/klines accepts.
constexpr size_t max_klines_limit = 1000;

/// The request for `req` on Binance symbol `symbol`:
///   price -> GET /api/v3/ticker/price?symbol=BTCUSDT
///   quote -> GET /api/v3/ticker/24hr?symbol=BTCUSDT
///   bars  -> GET /api/v3/klines?symbol=BTCUSDT&interval=1m
///              [&startTime=<ms>][&endTime=<ms>][&limit=<n>]
/// start_ns/end_ns are floored to ms; 0 leaves the bound to Binance.
/// Errors: errc::unknown_symbol (empty `symbol`; context is the instrument),
/// errc::invalid_argument (negative bound, start after end, limit above
/// max_klines_limit).
result<outbound_request> build_request(const fetch_request& req,
                                       std::string_view symbol,
                                       const credentials& cred);

/// GET /api/v3/exchangeInfo (all symbols).
outbound_request build_exchange_info_request(const credentials& cred);

} // namespace tickflow::binance
