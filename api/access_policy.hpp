#pragma once

// Who may call a route: API keys, the loopback rule and the admin token.
// Pure: the gateway passes the request and the configured rules.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_error.hpp"
#include "api/api_keys.hpp"
#include "api/http_types.hpp"

namespace tickflow::api {

/// The access a route asks for.
enum class access_level : uint8_t {
  open,  ///< anyone who reaches the port
  api,   ///< a valid key when keys are configured, else loopback (or anyone when allowed)
  admin, ///< the admin token; refused when none is configured
};

/// What is configured.
struct access_rules {
  const api_key_set* keys = nullptr; ///< nullptr or empty: no keys
  std::string admin_token;           ///< "": admin routes are off
  bool allow_remote_without_keys = false;
};

/// The outcome for one request.
struct access_decision {
  bool allowed = false;
  api_error refusal;  ///< when refused: 401 (add WWW-Authenticate) or 403
  /// Who is calling, for limits and metrics: "key:<name>", "admin" or
  /// "addr:<host>" (never a key or a token).
  std::string client;
  const api_key_entry* key = nullptr; ///< the caller's key, if any
};

/// Decides whether `req` may use a route of `level`:
/// - open: always.
/// - api with keys: `Authorization: Bearer KEY` naming a configured key;
///   missing or unknown: 401 unauthorized.
/// - api without keys: loopback clients, or anyone when
///   allow_remote_without_keys; else 403 forbidden.
/// - admin: 403 admin_disabled without a configured token; a missing or
///   wrong `Authorization: Bearer TOKEN` is 401 (compared in constant time).
access_decision decide_access(access_level level, const http_request& req,
                              const access_rules& rules);

/// The host of a peer address: "127.0.0.1:5123" -> "127.0.0.1",
/// "[::1]:5123" -> "::1".
std::string remote_host(std::string_view remote);

/// True for 127.0.0.0/8, ::1 and ::ffff:127.x.y.z.
bool is_loopback(std::string_view host) noexcept;

/// The token of an `Authorization: Bearer <token>` header (scheme in any
/// case), or nullopt.
std::optional<std::string_view> bearer_token(const http_request& req);

} // namespace tickflow::api
