// Memory bounds of the servers and of per-instrument state (issue 26): keys
// added to [gateway], [broadcaster] and [validator], each a number of bytes
// or of items, with the checks that tie them to the keys they bound.

#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

namespace {

/// "<section>.<key>: must be >= <other> (<n>), got <m>".
result<void> at_least(const entry_index& set, std::string_view source,
                      std::string_view key, std::string_view other,
                      uint64_t floor, uint64_t value) {
  if (value >= floor)
    return {};
  auto e = lookup(set, key);
  return config_error(source, e ? e->line : 0, key,
                      "must be >= " + std::string{other} + " ("
                        + std::to_string(floor) + "), got "
                        + std::to_string(value));
}

/// The read buffer holds a whole request head; one connection's answer
/// fits the total; the process budget holds every unsent answer.
result<void> check_gateway_bounds(const topology& t, const entry_index& set,
                                  std::string_view source) {
  auto& g = t.gateway;
  if (auto ok = at_least(set, source, "gateway.max-read-buffer-bytes",
                         "max-header-bytes", g.max_header_bytes,
                         g.max_read_buffer_bytes);
      !ok)
    return ok;
  if (auto ok = at_least(set, source, "gateway.max-unsent-bytes",
                         "max-response-bytes", g.max_response_bytes,
                         g.max_unsent_bytes);
      !ok)
    return ok;
  if (g.max_memory_bytes == 0)
    return {};
  // The process must be able to hold the answers it lets wait unsent.
  return at_least(set, source, "gateway.max-memory", "max-unsent-bytes",
                  g.max_unsent_bytes, g.max_memory_bytes);
}

} // namespace

schema_extension limits_schema() {
  return {
    {
      {"gateway",
       {
         {"max-read-buffer-bytes",
          [](std::string_view v, topology& t) {
            return set_uint(v, 4 * kib, 64 * mib, t.gateway.max_read_buffer_bytes);
          }},
         {"max-response-bytes",
          [](std::string_view v, topology& t) {
            return set_uint(v, kib, 1024 * mib, t.gateway.max_response_bytes);
          }},
         {"max-unsent-bytes",
          [](std::string_view v, topology& t) {
            return set_uint(v, mib, 64 * 1024 * mib, t.gateway.max_unsent_bytes);
          }},
         {"max-memory",
          [](std::string_view v, topology& t) {
            return set_uint(v, 0, 1024 * 1024 * mib, t.gateway.max_memory_bytes);
          }},
       }},
      {"broadcaster",
       {
         {"max-control-frames",
          [](std::string_view v, topology& t) {
            return set_uint(v, 1, 65536, t.broadcaster.max_control_frames);
          }},
         {"max-instruments",
          [](std::string_view v, topology& t) {
            return set_uint(v, 1, 10'000'000, t.broadcaster.max_instruments);
          }},
       }},
      {"books",
       {
         {"max-instruments",
          [](std::string_view v, topology& t) {
            return set_uint(v, 1, 1'000'000, t.books.max_instruments);
          }},
         {"max-depth",
          [](std::string_view v, topology& t) {
            return set_uint(v, 1, 10'000, t.books.max_depth);
          }},
       }},
      {"validator",
       {
         {"max-instruments",
          [](std::string_view v, topology& t) {
            return set_uint(v, 1, 10'000'000, t.validator.rules.max_instruments);
          }},
       }},
    },
    {check_gateway_bounds},
  };
}

} // namespace tickflow::topo
