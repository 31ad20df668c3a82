#pragma once

// Finnhub US stocks over REST, as a rest_adapter. What each fetch_kind asks
// for:
//   price  GET /api/v1/quote?symbol=S (c, stamped with t in seconds)
//   bars   GET /api/v1/stock/candle?symbol=S&resolution=R&from=F&to=T
//   quote  not offered (bid/ask is a premium endpoint): invalid_argument
//   profile GET /api/v1/stock/profile2?symbol=S
//   news   GET /api/v1/company-news?symbol=S&from=&to= (start_ns..end_ns),
//          or GET /api/v1/news?category=general without an instrument;
//          a text query is not offered (invalid_argument)
// (finnhub_reference.hpp)
// Symbols: US equities as is (AAPL <-> AAPL); anything else only through
// adapter_options::symbol_overrides (checked first, both ways).
// Resolutions 1, 5, 15, 30, 60, D, W, M. The token goes in the header
// X-Finnhub-Token (a secret), never in the URL.

#include <memory>

#include "adapters/common/rest_adapter.hpp"

namespace tickflow {

/// The Finnhub adapter (pure: builds requests, parses replies).
std::unique_ptr<rest_adapter> make_finnhub_adapter(const adapter_options& opts);

} // namespace tickflow
