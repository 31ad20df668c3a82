#pragma once

// Polygon.io (now Massive) reference data: ticker details (fundamentals) and
// ticker news.
//   profile  GET /v3/reference/tickers/{ticker}?apiKey=KEY
//   news     GET /v2/reference/news?ticker=T&order=desc&sort=published_utc
//                &limit=N&apiKey=KEY   (no ticker: the newest news)
// The key goes in the query (`apiKey`, a secret), as for prices.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/exact_json.hpp"
#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/reference.hpp"

namespace tickflow::polygon {

/// Articles one news request asks for when the caller gives no limit, and
/// the API maximum.
constexpr size_t default_news_limit = 20;
constexpr size_t max_news_limit = 1000;

// -- requests -----------------------------------------------------------------

/// GET /v3/reference/tickers/{ticker}?apiKey=KEY
outbound_request ticker_details_request(std::string_view ticker, std::string_view api_key);

/// GET /v2/reference/news?[ticker=T&]order=desc&sort=published_utc&limit=N
/// &apiKey=KEY; `ticker` "" asks for the newest news of every ticker, limit 0
/// is default_news_limit. errc::invalid_argument above max_news_limit.
result<outbound_request> news_request(std::string_view ticker, size_t limit,
                                      std::string_view api_key);

// -- parsers ------------------------------------------------------------------

/// GET /v3/reference/tickers/{ticker} (trimmed):
///   {"request_id":"31d5...","status":"OK","results":{"ticker":"AAPL",
///    "name":"Apple Inc.","market":"stocks","locale":"us",
///    "primary_exchange":"XNAS","type":"CS","currency_name":"usd",
///    "description":"...","homepage_url":"https://www.apple.com",
///    "list_date":"1980-12-12","market_cap":2771126040150,
///    "share_class_shares_outstanding":16406400000,
///    "weighted_shares_outstanding":16334371000,
///    "sic_description":"ELECTRONIC COMPUTERS",
///    "branding":{"logo_url":"https://...svg","icon_url":"https://...png"}}}
/// results is required; its fields may be absent. asset_type from market
/// and type (stocks CS -> equity, ETF/ETN/ETV -> etf, ADRC -> adr, crypto,
/// fx -> forex, indices -> index, other types lowercased); exchange from the
/// primary exchange's MIC (XNAS -> NASDAQ, XNYS -> NYSE, ...; unknown MICs
/// as they are); currency upper-cased; country from locale ("us" -> "US");
/// shares: share_class_shares_outstanding, else weighted_shares_outstanding.
/// A results.ticker other than `ticker` is errc::malformed. (An unknown
/// ticker is a 404 NOT_FOUND body: classify_error, errc::not_found.)
result<asset_profile> parse_ticker_details(const json::exact_document& doc,
                                           std::string_view instrument,
                                           std::string_view ticker, int64_t recv_ns);
result<asset_profile> parse_ticker_details(std::string_view body,
                                           std::string_view instrument,
                                           std::string_view ticker, int64_t recv_ns);

/// GET /v2/reference/news (trimmed):
///   {"status":"OK","count":1,"results":[{"id":"8ec6...","title":"...",
///    "author":"Sam Boughedda","published_utc":"2024-06-24T18:33:53Z",
///    "article_url":"https://...","tickers":["UBS"],"image_url":"https://...",
///    "description":"...","publisher":{"name":"Investing.com",...}}]}
/// title, article_url and published_utc (ISO 8601 UTC) are required;
/// instruments are the canonical ids of `tickers` (from_polygon_ticker; the
/// others are left out), plus `instrument` when it is not empty. Newest
/// first, at most `limit` (0: all).
result<std::vector<news_item>> parse_news(const json::exact_document& doc,
                                          std::string_view instrument, size_t limit,
                                          int64_t recv_ns);
result<std::vector<news_item>> parse_news(std::string_view body, std::string_view instrument,
                                          size_t limit, int64_t recv_ns);

} // namespace tickflow::polygon
