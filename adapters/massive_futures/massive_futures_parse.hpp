#pragma once

// Massive futures REST replies -> canonical events, plus the contract and
// product reference lists. Shapes follow the documented examples of
// massive-com/client-go@eba06b44 rest/scripts/openapi.json (paths
// "/futures/vX/..."); no recorded reply was available. Prices and sizes are
// JSON numbers, read exactly from their text (adapters/common/exact_json.hpp);
// every timestamp is Unix ns (int64). Error bodies are those of the Polygon
// stocks API on the same host (polygon::classify_error, used by the
// adapter).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/exact_json.hpp"
#include "pipeline/model/decimal.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::massive_futures {

/// What a parser needs besides the payload.
struct parse_context {
  std::string instrument;       ///< canonical id the caller asked for
  std::string provider_symbol;  ///< contract ticker it was mapped to
  interval span = interval::d1; ///< bars: their interval
  int64_t recv_ns = 0;          ///< stamps ts_recv_ns; closes finished bars
};

// -- market data --------------------------------------------------------------
// Errors: errc::malformed / missing_field / bad_number / out_of_range
// (context names the field, e.g. "results[0].open"), errc::not_found when
// the reply holds no data.

/// GET /futures/vX/aggs/{ticker}: window_start is the bar start in Unix ns,
/// volume and transactions integers, prices numbers:
///   {"request_id":"b452e45b7eaad14151c3e1ce5129b558","status":"OK",
///    "results":[{"ticker":"GCJ5","window_start":1738627200000000000,
///    "session_end_date":"2025-02-04","open":2849.8,"high":2877.1,
///    "low":2837.4,"close":2874.2,"settlement_price":2875.8,
///    "volume":133072,"dollar_volume":380560636.01,"transactions":74223}]}
/// Bars come back in time order whatever the requested sort.
result<std::vector<bar>> parse_aggs(const json::exact_document& doc,
                                    const parse_context& ctx);
result<std::vector<bar>> parse_aggs(std::string_view body,
                                    const parse_context& ctx);

/// GET /futures/vX/trades/{ticker}?sort=timestamp.desc: the first (newest)
/// trade's price; timestamp Unix ns, sequence_number becomes the trade id:
///   {"status":"OK","results":[{"ticker":"ESZ4","price":6052,"size":3,
///    "timestamp":1734472799000509200,"sequence_number":27317882,
///    "report_sequence":12033289,"session_end_date":"2024-12-17"}, ...]}
result<price> parse_last_trade(const json::exact_document& doc,
                               const parse_context& ctx);
result<price> parse_last_trade(std::string_view body,
                               const parse_context& ctx);

/// GET /futures/vX/quotes/{ticker}?sort=timestamp.desc: the newest two-sided
/// quote (a result without bid_price or ask_price is one-sided and skipped);
/// sizes are contracts, timestamps Unix ns:
///   {"status":"OK","results":[{"ticker":"GCJ5","bid_price":2684.7,
///    "bid_size":1,"ask_price":2685.9,"ask_size":1,
///    "timestamp":1734472755134391800, ...}]}
/// errc::not_found when no result is two-sided.
result<quote> parse_last_quote(const json::exact_document& doc,
                               const parse_context& ctx);
result<quote> parse_last_quote(std::string_view body,
                               const parse_context& ctx);

// -- reference data -----------------------------------------------------------

/// One futures contract of /futures/vX/contracts.
struct futures_contract {
  std::string ticker;           ///< "ESZ4", "00CN5"
  std::string product_code;     ///< "ES", "00C"
  std::string name;             ///< "00CN5 Future"
  std::string trading_venue;    ///< MIC, "XCBT"
  std::string type;             ///< "single" or "combo"
  bool active = false;          ///< tradeable on `date`
  std::string date;             ///< point in time of this record, YYYY-MM-DD
  std::string first_trade_date; ///< YYYY-MM-DD, "" when absent
  std::string last_trade_date;  ///< YYYY-MM-DD, "" when absent
  std::string settlement_date;  ///< YYYY-MM-DD, "" when absent
  int64_t days_to_maturity = 0;
  decimal trade_tick_size;      ///< zero when absent
};

/// One futures product of /futures/vX/products.
struct futures_product {
  std::string product_code;     ///< "ES", "EBE"
  std::string name;
  std::string trading_venue;    ///< MIC, "XNYM"
  std::string type;             ///< "single" or "combo"
  std::string asset_class_name; ///< "commodity", "financials", ...
  std::string asset_sub_class;  ///< "energy", "equity", ...
  std::string sector;
  std::string sub_sector;
  std::string settlement_currency_code;
  std::string trade_currency_code;
  std::string price_quotation;  ///< "U.S. dollars and cents per metric ton"
  std::string unit_of_measure;  ///< "MTONS"
  decimal unit_of_measure_qty;  ///< zero when absent
};

/// One page of a reference list.
template <class T>
struct page {
  std::vector<T> items;
  std::string next_url; ///< "" on the last page (holds a cursor, no key)
};

/// GET /futures/vX/contracts; ticker and active are required, the rest is
/// optional (absent or null gives "" / 0):
///   {"status":"OK",
///    "next_url":"https://api.massive.com/futures/vX/contracts?cursor=...",
///    "results":[{"ticker":"00CN5","product_code":"00C","active":true,
///    "date":"2025-02-26","first_trade_date":"2025-01-15",
///    "last_trade_date":"2025-07-14","days_to_maturity":138,
///    "trade_tick_size":0.0025,"trading_venue":"XCBT","type":"single", ...}]}
/// An empty list is a valid page.
result<page<futures_contract>> parse_contracts(std::string_view body);

/// GET /futures/vX/products; product_code is required:
///   {"status":"OK","results":[{"product_code":"EBE","name":"1% Fuel Oil ...",
///    "asset_class":"commodity","asset_sub_class":"energy",
///    "trading_venue":"XNYM","unit_of_measure":"MTONS",
///    "unit_of_measure_qty":1000, ...}]}
result<page<futures_product>> parse_products(std::string_view body);

} // namespace tickflow::massive_futures
