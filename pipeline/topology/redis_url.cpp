#include "pipeline/topology/redis_url.hpp"

#include <cctype>
#include <charconv>

namespace tickflow {

namespace {

error bad(const char* what) {
  return error{errc::config_invalid, std::string{"redis URL: "} + what};
}

int hex(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/// %XX-decodes `in`; false on a broken escape.
bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size())
      return false;
    int h = hex(in[i + 1]);
    int l = hex(in[i + 2]);
    if (h < 0 || l < 0)
      return false;
    out.push_back(static_cast<char>(h * 16 + l));
    i += 2;
  }
  return true;
}

template <class T>
bool number(std::string_view s, T& out) noexcept {
  if (s.empty())
    return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

bool host_ok(std::string_view h) noexcept {
  if (h.empty() || h.size() > 253)
    return false;
  for (char c : h)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.'
          || c == '_' || c == ':'))
      return false;
  return true;
}

/// host[:port] or [v6][:port] into host and port (port kept when absent);
/// the problem, or nullptr.
const char* parse_host_port(std::string_view hostport, std::string& out_host,
                            uint16_t& out_port) {
  std::string_view host = hostport;
  std::string_view port;
  if (!hostport.empty() && hostport.front() == '[') {
    auto close = hostport.find(']');
    if (close == std::string_view::npos)
      return "unclosed [ in the host";
    host = hostport.substr(1, close - 1);
    auto after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':')
        return "junk after the host";
      port = after.substr(1);
      if (port.empty())
        return "empty port";
    }
  } else if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
    if (port.empty())
      return "empty port";
    if (host.find(':') != std::string_view::npos)
      return "an IPv6 host needs [brackets]";
  }
  if (!host_ok(host))
    return "bad or missing host";
  out_host = std::string{host};
  if (!port.empty()) {
    uint32_t p = 0;
    if (!number(port, p) || p == 0 || p > 65535)
      return "port must be 1..65535";
    out_port = static_cast<uint16_t>(p);
  }
  return nullptr;
}

} // namespace

result<redis_url> parse_redis_url(std::string_view url) {
  constexpr std::string_view scheme = "redis://";
  if (url.substr(0, scheme.size()) != scheme)
    return bad("must start with redis://");
  auto rest = url.substr(scheme.size());
  redis_url out;
  // The authority ends at the first '/' after the last '@'.
  auto at = rest.rfind('@');
  if (at != std::string_view::npos) {
    auto userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = userinfo.find(':');
    if (colon == std::string_view::npos)
      return bad("user info must be [user]:password");
    if (!percent_decode(userinfo.substr(0, colon), out.username)
        || !percent_decode(userinfo.substr(colon + 1), out.password))
      return bad("broken %-escape in the user info");
    if (out.password.empty())
      return bad("empty password");
  }
  std::string_view hostport = rest;
  std::string_view path;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    hostport = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }
  if (auto e = parse_host_port(hostport, out.host, out.port))
    return bad(e);
  if (!path.empty() && !number(path, out.db))
    return bad("db must be a number");
  return out;
}

result<std::vector<redis_endpoint>> parse_sentinels(std::string_view list) {
  std::vector<redis_endpoint> out;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front())))
      item.remove_prefix(1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back())))
      item.remove_suffix(1);
    redis_endpoint e;
    if (auto why = parse_host_port(item, e.host, e.port))
      return error{errc::config_invalid,
                   "sentinel " + std::to_string(out.size() + 1) + ": " + why};
    out.push_back(std::move(e));
    if (out.size() > 64)
      return error{errc::config_invalid, "more than 64 sentinels"};
  }
  if (out.empty())
    return error{errc::config_invalid, "no sentinel (host:port,host:port,...)"};
  return out;
}

std::string redacted(const redis_url& u) {
  std::string out{"redis://"};
  if (!u.password.empty()) {
    out += u.username;
    out += ":***@";
  }
  bool v6 = u.host.find(':') != std::string::npos;
  out += v6 ? "[" + u.host + "]" : u.host;
  out += ':';
  out += std::to_string(u.port);
  out += '/';
  out += std::to_string(u.db);
  return out;
}

} // namespace tickflow
