#pragma once

// NewsAPI-style news search as a rest_adapter (provider `newsapi`): news
// only, about anything (every asset class), no prices.
//   news   GET /v2/everything?q=TERMS&pageSize=N&sortBy=publishedAt
//          TERMS: fetch_request::query, else the instrument (a pair's base:
//          BTC-USD -> BTC); neither: invalid_argument
//   others not offered (invalid_argument)
// A key is required, sent in the X-Api-Key header (a secret). The base URL
// comes from [newsapi] base-url (configs/live.ini names the real host).
// Parsing and error bodies: newsapi_parse.hpp.

#include <memory>

#include "adapters/common/rest_adapter.hpp"

namespace tickflow {

/// The NewsAPI adapter (pure: builds requests, parses replies).
std::unique_ptr<rest_adapter> make_newsapi_adapter(const adapter_options& opts);

} // namespace tickflow
