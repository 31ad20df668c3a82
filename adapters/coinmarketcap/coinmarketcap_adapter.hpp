#pragma once

// CoinMarketCap Pro API, crypto prices only.
//
// Request: price -> GET /v1/cryptocurrency/quotes/latest?symbol=BTC&convert=USD
// with the key in the X-CMC_PRO_API_KEY header (required, listed in
// outbound_request::secrets). Bars and quotes are not served
// (errc::invalid_argument).
//
// Replies: the v1 shape (data keyed by the symbol) and the v2 shapes (data
// keyed by id for id= / slug=, or an array per symbol for symbol=) are both
// read; the recorded fixtures are v2 responses. See coinmarketcap_parse.hpp.
//
// Symbols: canonical crypto "BASE-QUOTE" <-> provider symbol
// "<CMC symbol>/<convert>", e.g. "BTC-USD" <-> "BTC/USD". The CMC symbol is
// the base unless adapter_options::symbol_overrides names another
// (canonical -> CMC symbol, e.g. {"MIOTA-USD", "IOTA"}).

#include <memory>

#include "adapters/common/rest_adapter.hpp"

namespace tickflow {

/// The CoinMarketCap adapter.
std::unique_ptr<rest_adapter>
make_coinmarketcap_adapter(const adapter_options& options);

} // namespace tickflow
