#pragma once

// Polygon.io (now Massive) stocks, crypto and forex over REST, as a
// rest_adapter. What each fetch_kind asks for:
//   bars   GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/
//          {from}/{to}
//   price  stocks: GET /v2/last/trade/{ticker} (the last trade's price);
//          crypto/forex ("X:", "C:", which have no /v2/last/trade):
//          GET /v2/aggs/ticker/{ticker}/prev (its close; the reply's bar is
//          returned too)
//   quote  stocks only: GET /v2/last/nbbo/{ticker}
//   trades GET /v3/trades/{ticker}?timestamp.gte=&timestamp.lte= (stream
//          backfill; first page only)
//   profile GET /v3/reference/tickers/{ticker}
//   news   GET /v2/reference/news?ticker=T&limit=N (no instrument: the
//          newest news); a text query is not offered (invalid_argument)
// (polygon_reference.hpp)
// Symbols: AAPL <-> AAPL, BTC-USD <-> X:BTCUSD, EUR-USD <-> C:EURUSD, with
// adapter_options::symbol_overrides checked first (both ways). Bars: every
// interval but 1s. The key goes in the query (`apiKey`, a secret).

#include <memory>

#include "adapters/common/rest_adapter.hpp"

namespace tickflow {

/// The Polygon adapter (pure: builds requests, parses replies).
std::unique_ptr<rest_adapter> make_polygon_adapter(const adapter_options& opts);

} // namespace tickflow
