#pragma once

// The reference routes' queries and bodies: fundamentals and news.
//   GET /api/v1/fundamentals/{symbol}  the first provider of the symbol's
//       failover chain that serves profiles wins (no field-by-field merge)
//   GET /api/v1/news?symbol=&query=&limit=  every enabled provider that
//       serves news, asked at once; merged, deduplicated, newest first
//       (pipeline/reference/news_merge); failures listed beside the rest

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_error.hpp"
#include "api/http_types.hpp"
#include "pipeline/model/events.hpp"
#include "pipeline/reference/reference_cache.hpp"
#include "pipeline/reference/reference_query.hpp"

namespace tickflow::api {

// -- queries --------------------------------------------------------------------

/// The instrument of /fundamentals/{symbol} (the path segment, read as
/// symbol= is): "aapl " -> "AAPL".
api_result<std::string> parse_fundamentals_symbol(std::string_view segment);

/// symbol (optional, canonical), query (optional, at most
/// reference::max_query_chars, no control characters) and limit (optional,
/// an integer in 1..reference::max_news_limit, default
/// reference::default_news_limit). Neither symbol nor query: market news.
api_result<reference::news_query> parse_news_query(const http_request& req);

// -- bodies ---------------------------------------------------------------------

/// {"symbol":..,"source":..,"cached":..,"fetched_at":ISO,"profile":{..}
///  [,"failover":[{"provider":..,"reason":..}]]}; a text the provider did
/// not give is null, and so is a number that is zero.
std::string fundamentals_body(const std::string& symbol, const asset_profile& p,
                              bool cached, const std::vector<std::string>& failover);

/// What one news provider answered.
struct news_outcome {
  bool ok = false;
  std::vector<news_item> news; ///< ok: its items
  http_response error;         ///< !ok: its error response
};

/// The answer to a news request once every provider answered.
struct news_result {
  http_response reply;
  /// The merged answer to cache: not when a provider failed (the next
  /// caller asks the failed ones again) or nothing served.
  std::optional<reference::news_answer> keep;
};

/// Merges the providers' outcomes (`outcomes[i]` from `providers[i]`): a
/// provider that cannot serve the request (no text search, an instrument
/// it does not cover) is "skipped", other failures are "errors" beside the
/// items ("partial":true). Nobody served: the first failure, else 404
/// no_provider.
news_result finish_news(const reference::news_query& q,
                        const std::vector<std::string>& providers,
                        std::vector<news_outcome> outcomes);

/// The body of a cached news answer.
std::string cached_news_body(const reference::news_query& q,
                             const reference::news_answer& a);

/// 503 reference_disabled: [reference] enabled = false.
http_response reference_disabled();

/// 404 no_provider: no enabled provider serves news.
http_response no_news_provider();

} // namespace tickflow::api
