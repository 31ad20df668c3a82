#pragma once

// Polygon.io (now Massive) live streams: wss://<host>/stocks (or /crypto).
// After the socket opens the client authenticates, then subscribes:
//   -> {"action":"auth","params":"KEY"}          (KEY is a secret)
//   <- [{"ev":"status","status":"auth_success","message":"authenticated"}]
//   -> {"action":"subscribe","params":"T.AAPL,Q.AAPL,A.AAPL,AM.AAPL"}
//   <- [{"ev":"T","sym":"MSFT","i":"12345","p":114.125,"s":100,"t":1536036818784,...},
//       {"ev":"Q",...}]
// Events always come in a JSON array, several per frame. Numbers are JSON
// numbers, read from their text; times are Unix ms.
//   stocks: T. trades (trade_id = i), Q. quotes, A. 1s bars, AM. 1m bars
//   crypto: XT. trades, XQ. quotes, XA. 1m bars (pair "BTC-USD")
// Aggregates arrive once their window ended, so they are closed bars.

#include <cstddef>
#include <memory>

#include "adapters/streams/stream_protocol.hpp"

namespace tickflow {

/// Which Polygon cluster a connection talks to.
enum class polygon_market : uint8_t { stocks, crypto };

namespace polygon {

/// Stream names per subscribe message.
constexpr size_t max_params_per_request = 500;

} // namespace polygon

/// The Polygon stream dialect for `market` (make_stream_protocol gives
/// stocks). Stocks map as is ("AAPL"), crypto "BTC-USD" <-> pair "BTC-USD"
/// (REST ticker "X:BTCUSD"), overrides first (they name REST tickers).
/// Subscriptions of the other market are errc::invalid_argument.
std::unique_ptr<stream_protocol>
make_polygon_stream(const adapter_options& opts,
                    polygon_market market = polygon_market::stocks);

} // namespace tickflow
