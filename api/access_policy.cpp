#include "api/access_policy.hpp"

#include "api/digest.hpp"

namespace tickflow::api {

namespace {

api_error refuse(unsigned status, std::string code, std::string message) {
  return api_error{status, std::move(code), std::move(message), "authorization"};
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] - 'A' + 'a' : a[i];
    auto y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] - 'A' + 'a' : b[i];
    if (x != y)
      return false;
  }
  return true;
}

} // namespace

std::string remote_host(std::string_view remote) {
  if (!remote.empty() && remote.front() == '[') {
    auto close = remote.find(']');
    return std::string{remote.substr(1, close == std::string_view::npos
                                          ? std::string_view::npos
                                          : close - 1)};
  }
  auto colon = remote.rfind(':');
  if (colon != std::string_view::npos && remote.find(':') == colon)
    return std::string{remote.substr(0, colon)}; // IPv4 with a port
  return std::string{remote};
}

bool is_loopback(std::string_view host) noexcept {
  if (host == "::1")
    return true;
  constexpr std::string_view mapped = "::ffff:";
  if (host.size() > mapped.size() && iequals(host.substr(0, mapped.size()), mapped))
    host.remove_prefix(mapped.size());
  return host.substr(0, 4) == "127.";
}

std::optional<std::string_view> bearer_token(const http_request& req) {
  auto h = req.header("authorization");
  if (h == nullptr)
    return std::nullopt;
  std::string_view v{*h};
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
    v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
    v.remove_suffix(1);
  constexpr std::string_view scheme = "bearer";
  if (v.size() <= scheme.size() + 1 || !iequals(v.substr(0, scheme.size()), scheme)
      || (v[scheme.size()] != ' ' && v[scheme.size()] != '\t'))
    return std::nullopt;
  v.remove_prefix(scheme.size());
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
    v.remove_prefix(1);
  if (v.empty())
    return std::nullopt;
  return v;
}

access_decision decide_access(access_level level, const http_request& req,
                              const access_rules& rules) {
  access_decision out;
  auto host = remote_host(req.remote);
  out.client = "addr:" + host;
  switch (level) {
    case access_level::open:
      out.allowed = true;
      return out;
    case access_level::admin: {
      if (rules.admin_token.empty()) {
        out.refusal = refuse(403, "admin_disabled",
                             "admin routes are off: no admin token is configured");
        return out;
      }
      auto token = bearer_token(req);
      if (!token) {
        out.refusal = refuse(401, "unauthorized",
                             "admin route: send Authorization: Bearer <admin token>");
        return out;
      }
      if (!constant_time_equal(sha256(*token), sha256(rules.admin_token))) {
        out.refusal = refuse(401, "unauthorized", "wrong admin token");
        return out;
      }
      out.allowed = true;
      out.client = "admin";
      return out;
    }
    case access_level::api:
      break;
  }
  if (rules.keys != nullptr && !rules.keys->empty()) {
    auto token = bearer_token(req);
    if (!token) {
      out.refusal = refuse(401, "unauthorized",
                           "missing API key: send Authorization: Bearer <key>");
      return out;
    }
    auto key = rules.keys->find(*token);
    if (key == nullptr) {
      out.refusal = refuse(401, "unauthorized", "unknown API key");
      return out;
    }
    out.allowed = true;
    out.key = key;
    out.client = "key:" + key->name;
    return out;
  }
  if (!rules.allow_remote_without_keys && !is_loopback(host)) {
    out.refusal = api_error{403, "forbidden",
                            "no API keys are configured: the API serves loopback"
                            " clients only", {}};
    return out;
  }
  out.allowed = true;
  return out;
}

} // namespace tickflow::api
