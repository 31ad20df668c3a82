#pragma once

// The read side of the Redis cache (key schema in redis_schema.hpp and
// docs/STORAGE.md): read prices and bar ranges (decoded by event_codec.hpp),
// and delete keys by pattern. Blocking calls on a redis_client; never throw.

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
