// The access area of the schema: [auth], [limits], [webhooks].

#include "pipeline/topology/schema.hpp"

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

} // namespace

schema_extension access_schema() {
  return {
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
         {"binance-secret-env",
          [](std::string_view v, topology& t) {
            return set_env_name(v, t.access.webhooks.binance_secret_env);
          }},
         {"polygon-secret-env",
          [](std::string_view v, topology& t) {
            return set_env_name(v, t.access.webhooks.polygon_secret_env);
          }},
         {"test-secret-env",
          [](std::string_view v, topology& t) {
            return set_env_name(v, t.access.webhooks.test_secret_env);
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
}

} // namespace tickflow::topo
