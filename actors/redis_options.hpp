#pragma once

#include <algorithm>
#include <cstdlib>
#include <string>

#include "adapters/redis/redis_client.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// The connection options every Redis client of this node uses (cache
/// writer, reader, subscriber, shared budget): [redis] host, port (or url),
/// connect-timeout, AUTH with the url's password or the one in
/// $[redis] password-env (which wins when set and non-empty), SELECT db,
/// and [redis] sentinels + master-name (the primary asked on every connect;
/// AUTH on the sentinels with $[redis] sentinel-password-env when set).
inline redis::client_options redis_options(const redis_settings& r) {
  redis::client_options co;
  co.host = r.host;
  co.port = r.port;
  co.connect_timeout_ms = static_cast<int>(
    std::max<int64_t>(1, r.connect_timeout_ns / 1'000'000));
  co.io_timeout_ms = std::max(co.io_timeout_ms, co.connect_timeout_ms);
  co.username = r.username;
  co.password = r.password;
  if (!r.password_env.empty())
    if (const char* pw = std::getenv(r.password_env.c_str()); pw && *pw)
      co.password = pw;
  co.db = r.db;
  for (auto& s : r.sentinels)
    co.sentinels.emplace_back(s.host, s.port);
  co.master_name = r.master_name;
  if (!r.sentinel_password_env.empty())
    if (const char* pw = std::getenv(r.sentinel_password_env.c_str()); pw && *pw)
      co.sentinel_password = pw;
  return co;
}

/// Where this node's Redis is, for log lines: "host:port", or "master M
/// via sentinels h:p,h:p". Never holds the password.
inline std::string redis_where(const redis_settings& r) {
  if (r.sentinels.empty())
    return r.host + ":" + std::to_string(r.port);
  std::string out = "master " + r.master_name + " via sentinels ";
  for (size_t i = 0; i < r.sentinels.size(); ++i)
    out += (i ? "," : "") + r.sentinels[i].host + ":" + std::to_string(r.sentinels[i].port);
  return out;
}

} // namespace tickflow
