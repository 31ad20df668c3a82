#pragma once

#include <string>

#include "pipeline/model/events.hpp"
#include "pipeline/model/json_string.hpp"

namespace tickflow::api {

/// JSON objects for canonical events, shared by REST and WebSocket.
/// Decimals are JSON strings (exact), timestamps are integer UTC ns plus an
/// ISO-8601 twin, e.g. for a trade:
///   {"instrument":"BTC-USDT","provider":"simulator","provider_symbol":"BTCUSDT",
///    "price":"65000.12","size":"0.015","side":"buy","trade_id":"17",
///    "ts":1700000000123000000,"time":"2023-11-14T22:13:20.123Z",
///    "ts_recv":1700000000123400000,"flags":[]}
/// Bars: instrument, provider, provider_symbol, interval, open_time (+ "time"),
/// open, high, low, close, volume, trades, closed, flags.
/// Prices: instrument, provider, price, trade_id, ts, time, ts_recv, flags.
/// flags is the list of quality flag names ("outlier", "backfilled", ...).
void append_json(std::string& out, const trade& x);
void append_json(std::string& out, const quote& x);
void append_json(std::string& out, const bar& x);
void append_json(std::string& out, const price& x);

/// Appends the names of the quality flags set in `flags` as a JSON array:
/// ["outlier","synthetic"].
void append_flag_list(std::string& out, uint32_t flags);

/// Appends s as a JSON string literal (quoted, escaped): the one escaper,
/// pipeline/model/json_string.hpp (invalid UTF-8 becomes U+FFFD).
using tickflow::append_json_string;

/// An exact decimal as a JSON string, or null when unset (zero): tick and
/// lot sizes, profile figures.
void append_decimal_or_null(std::string& out, const decimal& d);

} // namespace tickflow::api
