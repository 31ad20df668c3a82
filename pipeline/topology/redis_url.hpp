#pragma once

// [redis] url: redis://[[user]:password@]host[:port][/db]. Pure; errors
// never quote the URL (it may hold a password).

#include <cstdint>
#include <string>
#include <string_view>

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

/// Parses "redis://[[user]:password@]host[:port][/db]": user and password
/// percent-decoded, host a name, an IPv4 literal or a bracketed IPv6
/// literal, port 1..65535, db 0..15 digits. errc::config_invalid names the
/// part that is wrong, never its value.
result<redis_url> parse_redis_url(std::string_view url);

/// The URL again with the password replaced by "***" (for logs and
/// answers): redis://user:***@host:port/db.
std::string redacted(const redis_url& u);

} // namespace tickflow
