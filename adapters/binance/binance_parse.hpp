#pragma once

// Binance spot REST replies -> canonical events. Pure: no I/O, no clock.
// Prices and quantities arrive as JSON strings and are parsed exactly;
// times are Unix ms and become ns.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "adapters/binance/binance_symbols.hpp"
#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::binance {

/// Parses `body` into `doc`. errc::malformed "not JSON: <reason> at offset
/// <n>" when it is not JSON.
result<void> parse_json(std::string_view body, rapidjson::Document& doc);

/// A Binance error object, any HTTP status. Wire:
///   {"code":-1121,"msg":"Invalid symbol."}
/// -1121 unknown_symbol, -1003 rate_limited (Retry-After header of `reply`,
/// relative to `now_ns`), -2014/-2015 unauthorized, any other code
/// provider_error. The message is "<msg> (code <code>)". nullopt when
/// `doc` is not an object with an integer "code" and a string "msg".
std::optional<fetch_error> parse_error_body(const rapidjson::Value& doc,
                                            const http_reply& reply,
                                            int64_t now_ns);

/// GET /api/v3/klines rows, by position (times ms, prices/volumes strings):
///   [[1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100",
///     "148976.11427815",1499644799999,"2434.19055334",308,
///     "1756.87402397","28.46694368","0"]]
///   0 open time, 1-4 open/high/low/close, 5 base volume, 6 close time
///   (last ms of the bar), 7 quote volume, 8 trade count, 9-11 unused.
/// A bar is closed when its close time is before `recv_ns`. Bars carry
/// `instrument`, `symbol` and `span` from the request (rows name neither).
/// Errors: errc::malformed (not an array, a row not an array or shorter
/// than 9), errc::bad_number (context "klines[i][j]: ...").
result<std::vector<bar>> parse_klines(const rapidjson::Value& rows,
                                      std::string_view instrument,
                                      std::string_view symbol, interval span,
                                      int64_t recv_ns);

/// GET /api/v3/ticker/price?symbol=LTCBTC (no time on the wire, so
/// ts_event_ns is `recv_ns`):
///   {"symbol":"LTCBTC","price":"4.00000200"}
/// or GET /api/v3/ticker/24hr?symbol=BNBBTC, FULL or MINI (closeTime ms
/// becomes ts_event_ns, lastId the trade id):
///   {"symbol":"BNBBTC","lastPrice":"4.00000200","closeTime":1499869899040,
///    "lastId":28460,...}
/// The reply must be for `symbol`; the price is stamped `instrument`.
/// Errors: errc::malformed (not an object, another symbol),
/// errc::missing_field, errc::bad_number.
result<price> parse_ticker_price(const rapidjson::Value& obj,
                                 std::string_view instrument,
                                 std::string_view symbol, int64_t recv_ns);

/// GET /api/v3/ticker/price without symbol (or with symbols=[...]):
///   [{"symbol":"LTCBTC","price":"4.00000200"},
///    {"symbol":"ETHBTC","price":"0.07946600"}]
/// Entries whose symbol `symbols` cannot map are skipped (the unfiltered
/// list holds every pair Binance lists). ts_event_ns is `recv_ns`.
/// Errors: errc::malformed (not an array, an entry not an object),
/// errc::missing_field, errc::bad_number (context "[i].<field>...").
result<std::vector<price>>
parse_ticker_price_list(const rapidjson::Value& rows,
                        const symbol_mapper& symbols, int64_t recv_ns);

/// Top of book from GET /api/v3/ticker/24hr?symbol=BNBBTC (FULL; MINI has
/// no bid/ask and fails with missing_field "bidPrice"):
///   {"symbol":"BNBBTC","bidPrice":"4.00000000","bidQty":"100.00000000",
///    "askPrice":"4.00000200","askQty":"100.00000000",
///    "closeTime":1499869899040,...}
/// closeTime (ms) becomes ts_event_ns. The reply must be for `symbol`.
result<quote> parse_ticker_24hr_quote(const rapidjson::Value& obj,
                                      std::string_view instrument,
                                      std::string_view symbol,
                                      int64_t recv_ns);

/// One aggregate trade: a GET /api/v3/aggTrades row or the payload of an
/// aggTrade stream (which adds "e", "E", "s"), times ms, decimal strings:
///   {"a":26129,"p":"0.01633102","q":"4.70443515","f":27781,"l":27781,
///    "T":1498793709153,"m":true,"M":true}
/// trade_id is "a" + the aggregate id (its own id space, apart from raw
/// trade ids); m (buyer is maker) makes the aggressor a seller.
/// Errors: errc::malformed (not an object), errc::missing_field,
/// errc::bad_number (context "<field>...").
result<trade> parse_agg_trade(const rapidjson::Value& obj,
                              std::string_view instrument,
                              std::string_view symbol, int64_t recv_ns);

/// GET /api/v3/aggTrades (aggregated) or GET /api/v3/trades (raw) rows.
/// Raw rows (times ms, decimal strings; trade_id = id):
///   [{"id":28457,"price":"4.00000100","qty":"12.00000000",
///     "quoteQty":"48.000012","time":1499865549590,"isBuyerMaker":true,
///     "isBestMatch":true}]
/// Rows outside [start_ns, end_ns] are dropped (0 = unbounded): the raw
/// endpoint has no time bounds. Errors as parse_agg_trade, context
/// "[i].<field>".
result<std::vector<trade>> parse_trades(const rapidjson::Value& rows,
                                        bool aggregated,
                                        std::string_view instrument,
                                        std::string_view symbol,
                                        int64_t start_ns, int64_t end_ns,
                                        int64_t recv_ns);

} // namespace tickflow::binance
