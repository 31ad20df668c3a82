#pragma once

// The read side of the Redis cache (key schema in redis_schema.hpp and
// docs/STORAGE.md): parse the JSON the cache writer stored back into model
// values, read prices and bar ranges, and delete keys by pattern. Blocking
// calls on a redis_client; never throw.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/redis/redis_client.hpp"
#include "adapters/redis/redis_schema.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::redis {

/// A price as api::append_json renders it:
///   {"instrument":"BTC-USDT","provider":"simulator","price":"65000.12",
///    "trade_id":"17"|null,"ts":<ns>,"time":"..","ts_recv":<ns>,"flags":[..]}
/// errc::malformed (not JSON, not an object, unknown provider or flag),
/// missing_field or bad_number name the field.
result<price> parse_price_json(std::string_view json);

/// A bar as api::append_json renders it: instrument, provider,
/// provider_symbol, interval, open_time (ns), open, high, low, close,
/// volume (decimal strings), trades, closed, flags. ts_recv_ns is not stored
/// (0).
result<bar> parse_bar_json(std::string_view json);

/// Bars read from a series, oldest first.
struct bars_read {
  std::vector<bar> bars;
  size_t skipped = 0; ///< members that did not parse (bad data, dropped)
};

/// GET <prefix>:price:<instrument>: nullopt when absent. A value that does
/// not parse is errc::malformed.
result<std::optional<price>> read_price(redis_client& client,
                                        const cache_settings& keys,
                                        std::string_view instrument);

/// The newest `limit` bars (>= 1) of <prefix>:bars:<interval>:<instrument>
/// with open times in [start_ns, end_ns], 0 = unbounded on that side,
/// oldest first; a missing key is an empty result.
result<bars_read> read_bars(redis_client& client, const cache_settings& keys,
                            interval span, std::string_view instrument,
                            int64_t start_ns, int64_t end_ns, size_t limit);

/// Deletes (UNLINK) every key matching <prefix>:<pattern>, walking the key
/// space with SCAN ... MATCH ... COUNT `batch` (never KEYS, so the server
/// is never blocked for long). Returns the number of keys removed.
result<uint64_t> delete_matching(redis_client& client,
                                 const cache_settings& keys,
                                 std::string_view pattern, size_t batch = 500);

} // namespace tickflow::redis
