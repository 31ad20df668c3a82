#pragma once

// How old a cached answer may be. The L1 forgets a price [cache] ttl-price
// after its last update; the Redis step holds the same bound (a Redis price
// received longer ago than ttl-price is passed over, though Redis keeps it
// for its own 24 h TTL), and a client's max_age= (seconds, by the data's own
// event time) sends anything older on to the providers. Answers say their
// age from the event time (provenance), never from when it was cached.

#include <cstdint>
#include <optional>
#include <string>

#include "api/http_types.hpp"
#include "api/routes/query.hpp"

namespace tickflow::api {

/// Longest max_age= accepted: a week, in seconds.
inline constexpr int64_t max_age_limit_s = 7 * 86'400;

/// max_age= (whole seconds, 0..max_age_limit_s) in ns; nullopt when absent.
/// 0 asks for data of this very moment: every cache is passed over.
std::optional<int64_t> read_max_age(query_reader& in);

/// True if a value with event time `ts_event_ns` is young enough for
/// max_age (nullopt: any age) at `now_ns`.
bool within_max_age(int64_t ts_event_ns, int64_t now_ns,
                    std::optional<int64_t> max_age_ns) noexcept;

/// True if a price read from Redis may answer: received (ts_recv_ns, else
/// its event time when it has none) at most `ttl_ns` ago ([cache]
/// ttl-price, 0: no bound), and within max_age by its event time.
bool redis_may_answer(int64_t ts_event_ns, int64_t ts_recv_ns, int64_t now_ns,
                      int64_t ttl_ns, std::optional<int64_t> max_age_ns) noexcept;

/// 404 no_data: nothing younger than max_age, and no provider to ask.
http_response too_old(const std::string& instrument, int64_t max_age_ns);

} // namespace tickflow::api
