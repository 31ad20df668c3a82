#pragma once

// The Binance spot REST adapter (rest_adapter over binance_request,
// binance_parse and binance_symbols).

#include <memory>
#include <vector>

#include "adapters/binance/binance_symbols.hpp"
#include "adapters/common/rest_adapter.hpp"

namespace tickflow {

/// One row of Binance's exchangeInfo symbol table.
using binance_symbol_info = binance::symbol_info;

/// Binance spot: price (ticker/price), quote (ticker/24hr bid/ask), bars
/// (klines, every tickflow interval) and trades (aggTrades / trades, for
/// stream backfill) for crypto pairs; no key needed (a
/// configured one is sent as X-MBX-APIKEY). Symbols map by shape
/// ("BTC-USDT" <-> "BTCUSDT") after `opts.symbol_overrides`.
std::unique_ptr<rest_adapter> make_binance_adapter(const adapter_options& opts);

/// The same, mapping symbols through an exchangeInfo table
/// (binance::parse_exchange_info) after the overrides: a pair that is not
/// in the table is unknown. An empty table means "no table".
std::unique_ptr<rest_adapter>
make_binance_adapter(const adapter_options& opts,
                     const std::vector<binance_symbol_info>& table);

} // namespace tickflow
