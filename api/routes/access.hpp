#pragma once

// The gateway's access part ([auth], [limits]): API keys, the admin token
// and the per-client request limits, checked before a route runs.

#include <cstdint>
#include <optional>
#include <string>

#include "api/access_policy.hpp"
#include "api/api_keys.hpp"
#include "api/client_limiter.hpp"
#include "api/http_types.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/topology/access_settings.hpp"

namespace tickflow::api {

/// Paths whose callers the per-client limits apply to: /api/ and /webhooks/.
bool is_limited(const std::string& path) noexcept;

/// The request rate of a client: its key's own, else [limits].
client_rate rate_for(const client_limit_settings& limits,
                     const api_key_entry* key) noexcept;

/// Keys, admin token and limiter, and what they decided.
struct access_guard {
  api_key_set keys;          ///< [auth] keys-file (hashes only)
  std::string admin_token;   ///< from [auth] admin-token-env; never logged
  client_limiter limiter;    ///< [limits], per client
  uint64_t rate_limited = 0; ///< requests answered 429 by the limiter

  /// nullopt when `req` may go on to a route of `level` at `now_ns`; else
  /// the refusal to answer: 429 with Retry-After when the client's limit is
  /// spent (checked first: a refused caller counts against its address, so
  /// guessing keys runs into the limit like any other traffic), 401 with
  /// WWW-Authenticate, or 403.
  std::optional<http_response> admit(access_level level, const http_request& req,
                                     const access_settings& cfg, int64_t now_ns);
};

/// Reads and parses the [auth] keys-file; an empty set when `path` is "";
/// errc::config_invalid ("<path>: cannot open the file", or the parse error)
/// otherwise.
result<api_key_set> read_key_file(const std::string& path);

} // namespace tickflow::api
