#pragma once

// Finnhub live trades: wss://<host>/?token=KEY (KEY is a secret), one
// subscribe message per symbol:
//   -> {"type":"subscribe","symbol":"AAPL"}
//   <- {"type":"ping"}
//   <- {"type":"trade","data":[{"p":7296.89,"s":"BINANCE:BTCUSDT","t":1575526691134,"v":0.011467,"c":null}]}
//   <- {"type":"error","msg":"Invalid symbol"}
// Trades only (no quotes or bars on this stream). Prices and volumes are
// JSON numbers read from their text; t is Unix ms. Finnhub trades have no
// id: trade_id is derived from symbol, t, p and v (plus "#n" for the n-th
// repeat of the same four within one frame), so a re-sent trade dedupes.

#include <cstddef>
#include <memory>
#include <string>

#include "adapters/streams/stream_protocol.hpp"
#include "pipeline/model/decimal.hpp"

namespace tickflow {

namespace finnhub {

/// Symbols on one connection (the free plan's limit).
constexpr size_t max_stream_symbols = 50;

/// The trade id derived from a trade: "f" + 16 hex digits of FNV-1a 64 over
/// "<symbol>|<t>|<p>|<v>" (decimals normalized), then "#n" when
/// `repeat` n > 0.
std::string derived_trade_id(std::string_view symbol, int64_t t_ms,
                             decimal p, decimal v, size_t repeat);

} // namespace finnhub

/// The Finnhub stream dialect; symbols map like the REST adapter (equities
/// as is, anything else through overrides such as {"BTC-USDT",
/// "BINANCE:BTCUSDT"}).
std::unique_ptr<stream_protocol> make_finnhub_stream(const adapter_options& opts);

} // namespace tickflow
