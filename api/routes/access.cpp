#include "api/routes/access.hpp"

#include <fstream>
#include <sstream>

#include "api/routes/common.hpp"

namespace tickflow::api {

bool is_limited(const std::string& path) noexcept {
  return path.rfind("/api/", 0) == 0 || path.rfind("/webhooks/", 0) == 0;
}

client_rate rate_for(const client_limit_settings& limits,
                     const api_key_entry* key) noexcept {
  client_rate rate{limits.requests_per_second, limits.burst};
  if (key != nullptr && key->requests_per_second)
    rate.requests_per_second = *key->requests_per_second;
  if (key != nullptr && key->burst)
    rate.burst = *key->burst;
  return rate;
}

std::optional<http_response> access_guard::admit(access_level level,
                                                 const http_request& req,
                                                 const access_settings& cfg,
                                                 int64_t now_ns) {
  access_rules rules{&keys, admin_token, cfg.auth.allow_remote_without_keys};
  auto d = decide_access(level, req, rules);
  if (is_limited(req.path)) {
    auto verdict = limiter.acquire(d.client, rate_for(cfg.limits, d.key), now_ns);
    if (!verdict.allowed) {
      rate_limited += 1;
      auto secs = retry_after_seconds(verdict.retry_after_ns);
      auto res = fail(429, "rate_limited",
                      "too many requests: retry in " + std::to_string(secs) + " s");
      res.headers.emplace_back("Retry-After", std::to_string(secs));
      return res;
    }
  }
  if (d.allowed)
    return std::nullopt;
  auto res = error_response(d.refusal);
  if (d.refusal.status == 401)
    res.headers.emplace_back("WWW-Authenticate", "Bearer");
  return res;
}

result<api_key_set> read_key_file(const std::string& path) {
  if (path.empty())
    return api_key_set{};
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return error{errc::config_invalid, path + ": cannot open the file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return error{errc::config_invalid, path + ": cannot read the file"};
  return api_key_set::parse(text.str(), path);
}

} // namespace tickflow::api
