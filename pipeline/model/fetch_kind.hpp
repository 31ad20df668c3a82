#pragma once

#include <cstdint>
#include <string_view>

namespace tickflow {

/// What a consumer asks a REST provider for; also the data kinds a
/// provider's descriptor says it serves (pipeline/providers/provider_info.hpp).
enum class fetch_kind : uint8_t {
  price, ///< latest price (ticker / quote / last trade / simple price)
  bars,  ///< OHLCV bars of `span` in [start_ns, end_ns]
  quote, ///< top of book (where the provider has it)
  trades, ///< individual trades in [start_ns, end_ns] (stream backfill)
  profile, ///< company / asset profile (fundamentals) of `instrument`
  news,    ///< news about `instrument` ("" = market news), or `query`
  splits,    ///< stock splits of `instrument` in [start_ns, end_ns]
  dividends, ///< cash dividends of `instrument` in [start_ns, end_ns]
};

/// "price", "bars", "quote", "trades", "profile", "news", "splits",
/// "dividends".
std::string_view to_string(fetch_kind k) noexcept;

} // namespace tickflow
