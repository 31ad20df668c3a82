#pragma once

// Settings of the access area; filled by pipeline/topology/topology_access.cpp.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tickflow {

/// [auth]: who may call the REST API.
struct auth_settings {
  /// File of SHA-256-hashed client keys (format in docs/API.md); "" = no
  /// keys: the /api routes are open (to loopback clients only unless
  /// allow_remote_without_keys).
  std::string keys_file;
  /// Environment variable holding the admin token; "" or unset: admin
  /// routes are off.
  std::string admin_token_env = "TICKFLOW_ADMIN_TOKEN";
  /// Without keys, serve /api routes to non-loopback clients too.
  bool allow_remote_without_keys = false;
};

/// [limits]: per-client request limits on the REST API.
struct client_limit_settings {
  /// Sustained requests per second per client (API key, or remote address
  /// when no key is used); 0 = no limit. A key may set its own limit.
  double requests_per_second = 0;
  /// Requests a client may send at once before the rate applies.
  uint32_t burst = 100;
  /// Clients tracked at once; the longest idle is forgotten beyond it.
  size_t max_clients = 10000;
  /// Items in one POST /api/v1/data/batch or /api/v1/prefetch.
  size_t max_batch_items = 100;
};

/// The webhooks and their secrets' default variables: every provider whose
/// descriptor accepts webhooks, in id order, then "test".
std::vector<std::pair<std::string, std::string>> default_webhook_secret_envs();

/// [webhooks]: signed pushes from providers.
struct webhook_settings {
  bool enabled = true;
  /// Environment variable holding each webhook's HMAC-SHA256 secret, by
  /// webhook name ([webhooks] <name>-secret-env): every provider whose
  /// descriptor accepts webhooks, in id order, then "test"; by default
  /// TICKFLOW_WEBHOOK_<NAME>_SECRET. A webhook whose variable is empty or
  /// unset is off.
  std::vector<std::pair<std::string, std::string>> secret_envs =
    default_webhook_secret_envs();
  size_t max_body_bytes = 65536;
  /// A signed timestamp further than this from our clock is refused, and a
  /// signature seen within it is a replay.
  int64_t timestamp_window_ns = 300'000'000'000;

  /// The variable of webhook `name` ("" for no such webhook).
  const std::string& secret_env(std::string_view name) const noexcept;
  /// The same, to set.
  std::string& secret_env(std::string_view name);
};

struct access_settings {
  auth_settings auth;
  client_limit_settings limits;
  webhook_settings webhooks;
};

} // namespace tickflow
