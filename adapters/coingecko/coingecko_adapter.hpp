#pragma once

// CoinGecko REST (API v3), crypto only.
//
// Requests (fetch_kind -> endpoint):
//   price, start_ns == 0   GET /api/v3/simple/price?ids=bitcoin
//                              &vs_currencies=usd&include_last_updated_at=true
//   price, start_ns > 0    GET /api/v3/coins/bitcoin/market_chart
//                              ?vs_currency=usd&days=N
//                          a price series (fetch_result.prices); `days`
//                          counts back from CoinGecko's "now", so the caller
//                          gives end_ns too and N = ceil((end - start) / 1d).
//                          total_volumes are parsed (coingecko_parse.hpp) but
//                          not returned: the canonical price has no volume.
//   bars 30m / 4h          GET /api/v3/coins/bitcoin/ohlc?vs_currency=usd
//                              &days=N
//                          The candle size follows `days` (docs: 1-2 days
//                          30m, 3-30 days 4h, 31+ days 4d) and `days` takes
//                          1/7/14/30/90/180/365/max: 30m asks days=1 (the
//                          last day only), 4h asks the smallest of 7/14/30
//                          covering the range or limit (30 at most). 4d has
//                          no tickflow interval and is not served. Candles
//                          have no volume: bars carry volume 0.
//   quote                  not served (errc::invalid_argument).
//   profile                GET /api/v3/coins/bitcoin?localization=false&...
//                          (coingecko_reference.hpp)
// Bars and series are trimmed to [start_ns, end_ns] and the newest `limit`.
//
// Symbols: canonical "BASE-QUOTE" <-> provider symbol "<id>/<vs>", e.g.
// "BTC-USD" <-> "bitcoin/usd": the coin id comes from
// adapter_options::symbol_overrides (canonical -> id, {"PEPE-USD", "pepe"})
// or from a built-in table of about 30 large coins (BTC bitcoin, ETH
// ethereum, ...); the quote currency lowercased is the vs currency.
//
// Key: optional (the keyless public API works). A Demo key goes in the
// x-cg-demo-api-key header (root https://api.coingecko.com), a Pro key in
// x-cg-pro-api-key (root https://pro-api.coingecko.com); the key is listed
// in outbound_request::secrets. make_coingecko_adapter picks Demo unless
// told otherwise.
//
// Errors (see coingecko_parse.hpp): status.error_code 429 rate_limited;
// 10002/10005/10010/10011 unauthorized; {"error":"coin not found"} and an
// empty simple/price object unknown_symbol; then the HTTP status.

#include <cstdint>
#include <memory>

#include "adapters/common/rest_adapter.hpp"

namespace tickflow {

namespace coingecko {

/// The plan a key belongs to: it decides the key header.
enum class plan : uint8_t {
  demo, ///< x-cg-demo-api-key, https://api.coingecko.com
  pro,  ///< x-cg-pro-api-key, https://pro-api.coingecko.com
};

} // namespace coingecko

/// The CoinGecko adapter, sending keys as a Demo plan key.
std::unique_ptr<rest_adapter>
make_coingecko_adapter(const adapter_options& options);

/// The CoinGecko adapter for keys of `key_plan`.
std::unique_ptr<rest_adapter>
make_coingecko_adapter(const adapter_options& options,
                       coingecko::plan key_plan);

} // namespace tickflow
