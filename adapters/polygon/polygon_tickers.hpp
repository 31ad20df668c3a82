#pragma once

// Polygon/Massive reference tickers (GET /v3/reference/tickers): every
// ticker the provider lists, page by page (next_url, polygon_paging), for
// the instruments search (pipeline/reference/reference_list).

#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/reference/reference_list.hpp"

namespace tickflow::polygon {

/// The path of the ticker list.
inline constexpr std::string_view reference_tickers_path = "/v3/reference/tickers";

/// One row of /v3/reference/tickers "results".
struct ticker_info {
  std::string ticker;   ///< "A", "X:BTCUSD", "C:EURUSD", "I:SPX"
  std::string name;     ///< "Agilent Technologies Inc." ("" when absent)
  std::string market;   ///< "stocks", "crypto", "fx", "otc", "indices"
  std::string locale;   ///< "us", "global" ("" when absent)
  std::string currency; ///< currency_name, as sent: "usd" ("" when absent)
  bool active = true;   ///< "active" (true when absent)
};

/// One page of the list.
struct tickers_page {
  std::vector<ticker_info> tickers;
  std::string next_url; ///< "" on the last page
};

/// GET /v3/reference/tickers?active=true&limit=1000&apiKey=KEY (1000: the
/// documented maximum page).
outbound_request reference_tickers_request(std::string_view api_key);

/// Parses one page. Wire (trimmed; the Massive-branded OpenAPI example):
///   {"count":1,"next_url":"https://api.massive.com/v3/reference/tickers?
///      cursor=YWN0aXZl...","request_id":"e70013d9...",
///    "results":[{"active":true,"cik":"0001090872","currency_name":"usd",
///      "locale":"us","market":"stocks","name":"Agilent Technologies Inc.",
///      "primary_exchange":"XNYS","ticker":"A","type":"CS"}],
///    "status":"OK"}
/// Errors: errc::malformed (not JSON, not an object, results not an array,
/// a row not an object or a field of the wrong type), errc::missing_field
/// ("results[i].ticker", "results[i].market").
result<tickers_page> parse_reference_tickers(std::string_view body);

/// The rows of a page: active tickers of a market tickflow classes (stocks
/// and otc equity, crypto, fx forex, indices index), as the ticker reads
/// ("X:BTCUSD": the resolver makes it BTC-USD); no tick or lot size.
std::vector<reference_instrument> reference_rows(const tickers_page& page);

/// A body as a page of rows, its next page the path and query of next_url
/// when it stays on /v3/reference/tickers (page_of_next_url).
result<reference_page> parse_reference_list(std::string_view body);

/// The request of a page: "" the first, else a path parse_reference_list
/// returned (page_request: the key added again).
result<outbound_request> reference_list_request(std::string_view page,
                                                std::string_view api_key);

} // namespace tickflow::polygon
