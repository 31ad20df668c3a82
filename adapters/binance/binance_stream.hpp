#pragma once

// Binance spot live streams over one combined-stream connection
// (wss://<host>/stream), subscribed with JSON method messages:
//   -> {"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@kline_1m"],"id":1}
//   <- {"result":null,"id":1}
//   <- {"stream":"btcusdt@trade","data":{"e":"trade",...}}
// Raw payloads (without the "stream"/"data" wrapper) are read too. Pings are
// WebSocket ping frames, answered by the WebSocket library.
//
// Streams: trade (trades; trade_id = t), aggTrade (agg_trades; trade_id =
// "a" + aggregate id, so the two id spaces never collide downstream),
// bookTicker (quotes; spot frames carry no time, so ts_event_ns is the
// receive time), kline_<interval> (bars; every tickflow interval; k.x closed).
// Prices and sizes are decimal strings, read exactly; times are ms.

#include <cstddef>
#include <memory>
#include <string>

#include "adapters/streams/stream_protocol.hpp"

namespace tickflow {

namespace binance {

/// Streams on one connection (Binance's limit).
constexpr size_t max_streams = 1024;
/// Messages a client may send per second on one connection.
constexpr double max_messages_per_second = 5;
/// Stream names per SUBSCRIBE / UNSUBSCRIBE message (keeps frames small).
constexpr size_t max_params_per_request = 200;

} // namespace binance

/// The Binance stream dialect; symbols map like the REST adapter
/// ("BTC-USDT" <-> "BTCUSDT", overrides first).
std::unique_ptr<stream_protocol> make_binance_stream(const adapter_options& opts);

} // namespace tickflow
