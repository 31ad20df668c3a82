#pragma once

// Finnhub reference data: the company profile (fundamentals) and news.
//   profile        GET /api/v1/stock/profile2?symbol=S
//   company news   GET /api/v1/company-news?symbol=S&from=YYYY-MM-DD&to=YYYY-MM-DD
//   market news    GET /api/v1/news?category=general   (no instrument)
// The token travels in the X-Finnhub-Token header, as for quotes
// (finnhub_request.hpp). Numbers are JSON numbers, read exactly.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/exact_json.hpp"
#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/reference.hpp"

namespace tickflow::finnhub {

// -- requests -----------------------------------------------------------------

/// GET /api/v1/stock/profile2?symbol=S (header X-Finnhub-Token: KEY).
outbound_request profile_request(std::string_view symbol, std::string_view api_key);

/// GET /api/v1/company-news?symbol=S&from=F&to=T, F and T the UTC dates of
/// start_ns and end_ns. errc::invalid_argument unless 0 <= start_ns <= end_ns
/// and end_ns > 0 (the API has no default range).
result<outbound_request> company_news_request(std::string_view symbol, int64_t start_ns,
                                              int64_t end_ns, std::string_view api_key);

/// GET /api/v1/news?category=general (header X-Finnhub-Token: KEY).
outbound_request market_news_request(std::string_view api_key);

// -- parsers ------------------------------------------------------------------

/// GET /api/v1/stock/profile2: marketCapitalization and shareOutstanding are
/// in MILLIONS (of `currency`, of shares):
///   {"country":"US","currency":"USD","exchange":"NASDAQ/NMS (GLOBAL MARKET)",
///    "ipo":"1980-12-12","marketCapitalization":1415993,"name":"Apple Inc",
///    "phone":"14089961010","shareOutstanding":4375.47998046875,
///    "ticker":"AAPL","weburl":"https://www.apple.com/","logo":"https://...png",
///    "finnhubIndustry":"Technology"}
/// Every field may be absent or null (left unset). An unknown symbol answers
/// {}: errc::unknown_symbol. A field of the wrong type is errc::malformed; a
/// product that does not fit a decimal errc::out_of_range.
result<asset_profile> parse_profile(const json::exact_document& doc,
                                    std::string_view instrument,
                                    std::string_view symbol, int64_t recv_ns);
result<asset_profile> parse_profile(std::string_view body, std::string_view instrument,
                                    std::string_view symbol, int64_t recv_ns);

/// GET /api/v1/company-news and /api/v1/news: an array of articles,
/// datetime in Unix SECONDS, related a comma-separated symbol list:
///   [{"category":"company news","datetime":1569550360,"headline":"...",
///     "id":25286,"image":"https://...","related":"AAPL",
///     "source":"The Economic Times India","summary":"...","url":"https://..."}]
/// headline, url and datetime are required (errc::missing_field); the
/// others may be absent. instruments are the canonical ids of `related`
/// (from_finnhub_symbol;
/// others are left out), plus `instrument`
/// when it is not empty. The newest `limit` (0: all), newest first.
result<std::vector<news_item>> parse_news(const json::exact_document& doc,
                                          std::string_view instrument, size_t limit,
                                          int64_t recv_ns);
result<std::vector<news_item>> parse_news(std::string_view body, std::string_view instrument,
                                          size_t limit, int64_t recv_ns);

} // namespace tickflow::finnhub
