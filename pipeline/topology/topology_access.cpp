// The access area of the schema: [auth], [limits], [webhooks].

#include <deque>

#include "pipeline/providers/provider_info.hpp"
#include "pipeline/topology/schema.hpp"

namespace tickflow {

std::vector<std::pair<std::string, std::string>> default_webhook_secret_envs() {
  auto names = provider_names([](const provider_info& p) { return p.webhook; });
  names.emplace_back("test");
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& name : names) {
    std::string var = "TICKFLOW_WEBHOOK_";
    for (char c : name)
      var += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    out.emplace_back(name, var + "_SECRET");
  }
  return out;
}

const std::string& webhook_settings::secret_env(std::string_view name) const noexcept {
  static const std::string none;
  for (auto& [n, var] : secret_envs)
    if (n == name)
      return var;
  return none;
}

std::string& webhook_settings::secret_env(std::string_view name) {
  for (auto& [n, var] : secret_envs)
    if (n == name)
      return var;
  return secret_envs.emplace_back(std::string{name}, std::string{}).second;
}

} // namespace tickflow

namespace tickflow::topo {

namespace {

/// A file path: not empty, no control characters.
result<void> set_path(std::string_view s, std::string& out) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return bad("must be a file path, got " + quote_for_error(s));
  out = std::string{s};
  return {};
}

/// A webhook body limit set above what the HTTP server reads at all is a
/// mistake (left at its default, the server's smaller limit simply applies).
result<void> check_webhook_body(const topology& t, const entry_index& set,
                                std::string_view source) {
  auto& wh = t.access.webhooks;
  auto e = lookup(set, "webhooks.max-body-bytes");
  if (e == nullptr || !wh.enabled || wh.max_body_bytes <= t.gateway.max_body_bytes)
    return {};
  return config_error(source, e->line, "webhooks.max-body-bytes",
                      "must be <= gateway.max-body-bytes ("
                        + std::to_string(t.gateway.max_body_bytes) + "), got "
                        + std::to_string(wh.max_body_bytes));
}

/// [webhooks] <name>-secret-env of every webhook, in secret_envs order.
std::vector<key_spec> webhook_secret_keys() {
  // A key_spec holds a string_view: the names live in a table that never
  // moves its strings.
  static std::deque<std::string> keys;
  std::vector<key_spec> out;
  for (auto& [name, var] : webhook_settings{}.secret_envs) {
    keys.push_back(name + "-secret-env");
    out.push_back(key_spec{keys.back(),
                           [name = name](std::string_view v, topology& t) {
                             return set_env_name(v, t.access.webhooks.secret_env(name));
                           }});
  }
  return out;
}

} // namespace

schema_extension access_schema() {
  schema_extension x{
    {
      {"auth",
       {
         {"keys-file",
          [](std::string_view v, topology& t) {
            return set_path(v, t.access.auth.keys_file);
          }},
         {"admin-token-env",
          [](std::string_view v, topology& t) {
            return set_env_name(v, t.access.auth.admin_token_env);
          }},
         {"allow-remote-without-keys",
          [](std::string_view v, topology& t) {
            return set_bool(v, t.access.auth.allow_remote_without_keys);
          }},
       }},
      {"limits",
       {
         {"requests-per-second",
          [](std::string_view v, topology& t) {
            return set_parsed(parse_number(v, 0, 1'000'000),
                              t.access.limits.requests_per_second);
          }},
         {"burst",
          [](std::string_view v, topology& t) {
            return set_uint(v, 1, 1'000'000, t.access.limits.burst);
          }},
         {"max-clients",
          [](std::string_view v, topology& t) {
            return set_uint(v, 1, 10'000'000, t.access.limits.max_clients);
          }},
         {"max-batch-items",
          [](std::string_view v, topology& t) {
            return set_uint(v, 1, 10'000, t.access.limits.max_batch_items);
          }},
       }},
      {"webhooks",
       {
         {"enabled",
          [](std::string_view v, topology& t) {
            return set_bool(v, t.access.webhooks.enabled);
          }},
         {"max-body-bytes",
          [](std::string_view v, topology& t) {
            return set_uint(v, 64, 64 * mib, t.access.webhooks.max_body_bytes);
          }},
         {"timestamp-window",
          [](std::string_view v, topology& t) {
            return set_duration(v, ns_per_s, 24 * ns_per_h,
                                t.access.webhooks.timestamp_window_ns);
          }},
       }},
    },
    {check_webhook_body},
  };
  // The secrets' keys follow enabled.
  for (auto& sec : x.sections)
    if (sec.name == "webhooks") {
      auto keys = webhook_secret_keys();
      sec.keys.insert(sec.keys.begin() + 1, keys.begin(), keys.end());
    }
  return x;
}

} // namespace tickflow::topo
