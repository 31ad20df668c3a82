#pragma once

// [redis] url: redis://[[user]:password@]host[:port][/db]. Pure; errors
// never quote the URL (it may hold a password).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.hpp"

namespace tickflow {

/// The parts of a Redis URL.
struct redis_url {
  std::string host;
  uint16_t port = 6379;
  std::string username; ///< ACL user; "" = the default user
  std::string password; ///< "" = no AUTH
  uint32_t db = 0;      ///< SELECT index
};

/// One host:port (a Redis Sentinel).
struct redis_endpoint {
  std::string host;
  uint16_t port = 26379; ///< the Sentinel default when the item has none
};

/// Parses "host[:port],host[:port],..." ([redis] sentinels; IPv6 hosts in
/// [brackets], spaces around items ignored, 1 to 64 items).
/// errc::config_invalid names the item (by position) and what is wrong.
result<std::vector<redis_endpoint>> parse_sentinels(std::string_view list);

/// Parses "redis://[[user]:password@]host[:port][/db]": user and password
/// percent-decoded, host a name, an IPv4 literal or a bracketed IPv6
/// literal, port 1..65535, db 0..15 digits. errc::config_invalid names the
/// part that is wrong, never its value.
result<redis_url> parse_redis_url(std::string_view url);

/// The URL again with the password replaced by "***" (for logs and
/// answers): redis://user:***@host:port/db.
std::string redacted(const redis_url& u);

} // namespace tickflow
