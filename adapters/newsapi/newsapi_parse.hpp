#pragma once

// NewsAPI-style news search (newsapi.org /v2/everything and services that
// speak it): the request builder, the article parser and the error bodies.
// The key travels in the X-Api-Key header (a secret), never in the URL.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/exact_json.hpp"
#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/reference.hpp"

namespace tickflow::newsapi {

/// Header that carries the API key.
constexpr std::string_view key_header = "X-Api-Key";

/// Articles one request asks for when the caller gives no limit, and the
/// API maximum (pageSize).
constexpr size_t default_page_size = 20;
constexpr size_t max_page_size = 100;

/// What to search for: `query` when given, else the instrument's name in
/// news text (an equity id as is, "AAPL"; a pair's base, "BTC-USD" ->
/// "BTC"); "" when neither is given.
std::string search_terms(std::string_view query, std::string_view instrument);

/// GET /v2/everything?q=TERMS&pageSize=N&sortBy=publishedAt (header
/// X-Api-Key: KEY); limit 0 is default_page_size. errc::invalid_argument
/// for empty terms or a limit above max_page_size.
result<outbound_request> everything_request(std::string_view terms, size_t limit,
                                            std::string_view api_key);

/// GET /v2/everything:
///   {"status":"ok","totalResults":6463,"articles":[{"source":{"id":null,
///    "name":"Reuters"},"author":"...","title":"...","description":"...",
///    "url":"https://...","urlToImage":"https://...",
///    "publishedAt":"2024-05-01T12:00:00Z","content":"..."}]}
/// title, url and publishedAt (ISO 8601 UTC) are required; articles NewsAPI
/// withdrew (title "[Removed]") are skipped. publisher is source.name;
/// instruments is `instrument` when it is not empty; NewsAPI has no article
/// id (source.id names the outlet), so id stays "". Newest first, at most
/// `limit` (0: all). "status" other than "ok" is errc::malformed (error
/// bodies are classified before, by classify_error).
result<std::vector<news_item>> parse_everything(const json::exact_document& doc,
                                                std::string_view instrument, size_t limit,
                                                int64_t recv_ns);
result<std::vector<news_item>> parse_everything(std::string_view body,
                                                std::string_view instrument, size_t limit,
                                                int64_t recv_ns);

/// The typed error of a reply, or nullopt when it is a 2xx without an error
/// body. Error bodies are {"status":"error","code":"...","message":"..."}:
/// apiKeyMissing / apiKeyInvalid / apiKeyDisabled -> unauthorized;
/// apiKeyExhausted / rateLimited -> rate_limited (Retry-After when sent,
/// else the next 00:00 UTC for the daily quota, 60 s for rateLimited);
/// others (parameterInvalid, unexpectedError, ...) provider_error. Without a body code the HTTP status decides
/// (classify_http_status). The provider's message is kept.
std::optional<fetch_error> classify_error(const http_reply& reply,
                                          const json::exact_document* doc,
                                          int64_t now_ns);

} // namespace tickflow::newsapi
