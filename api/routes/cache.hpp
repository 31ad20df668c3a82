#pragma once

// The cache routes' queries and bodies:
//   GET  /api/v1/cache/stats   the L1's counters and the Redis reader's
//   POST /api/v1/cache/clear?pattern=<glob>[&layer=l1|redis|all] (admin):
//        the L1 entries and Redis keys whose names match; names are
//        price:<instrument> and bars:<interval>:<instrument>

#include <cstdint>
#include <string>

#include "api/api_error.hpp"
#include "api/http_types.hpp"
#include "pipeline/model/reports.hpp"

namespace tickflow::api {

/// Body of GET /api/v1/cache/stats: {"l1":{..},"redis":{..}}; Redis is
/// {"enabled":false} when off, and says "answered":false when its reader
/// did not answer (`redis` null).
std::string cache_stats_body(const cache_stats& l1, bool redis_enabled,
                             const stage_stats* redis);

/// POST /api/v1/cache/clear, checked.
struct clear_query {
  std::string pattern; ///< a glob (pipeline/cache/glob_match)
  bool l1 = true;      ///< layer l1 or all
  bool redis = true;   ///< layer redis or all
};

/// pattern= is required and a valid glob; layer= is l1, redis or all
/// (default all).
api_result<clear_query> parse_clear_query(const http_request& req);

/// The JSON object of what one layer's clear did.
std::string l1_removed(uint64_t n);               ///< {"removed":n}
std::string l1_kept();                            ///< {"cleared":false}
std::string redis_removed(uint64_t n);            ///< {"enabled":true,"removed":n}
std::string redis_kept(bool enabled);             ///< the Redis layer not asked

/// 200 {"pattern":..,"l1":<l1>,"redis":<redis>}.
http_response cache_cleared(const std::string& pattern, const std::string& l1,
                            const std::string& redis);

/// 502 redis_unavailable: the Redis keys were not removed (the L1's were:
/// `l1` says how many).
http_response redis_clear_failed(const std::string& pattern, const std::string& l1);

} // namespace tickflow::api
