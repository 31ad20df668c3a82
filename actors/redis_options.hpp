#pragma once

#include <algorithm>
#include <cstdlib>

#include "adapters/redis/redis_client.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// The connection options every Redis client of this node uses (cache
/// writer, reader, subscriber, shared budget): [redis] host, port (or url),
/// connect-timeout, AUTH with the url's password or the one in
/// $[redis] password-env (which wins when set and non-empty), SELECT db.
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
  return co;
}

} // namespace tickflow
