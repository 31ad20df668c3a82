// [cluster]: the node id and whether this node subscribes to what the
// other nodes publish on Redis (docs/SCALING.md).

#include <cctype>

#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

namespace {

/// "" (untagged) or 1 to 64 of A-Z, a-z, 0-9, '_', '-', '.'.
result<void> set_node_id(std::string_view v, std::string& out) {
  bool ok = v.size() <= 64;
  for (char c : v)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'
          || c == '.'))
      ok = false;
  if (!ok)
    return bad("must be empty or 1 to 64 of A-Z, a-z, 0-9, '_', '-', '.', got "
               + quote_for_error(v));
  out = std::string{v};
  return {};
}

/// A subscribing node must tag what it publishes, or its own events would
/// reach its WebSocket clients twice (locally and back through Redis).
result<void> check_node_id(const topology& t, const entry_index& set,
                           std::string_view source) {
  if (!t.cluster.subscribe || !t.cluster.node_id.empty())
    return {};
  auto e = lookup(set, "cluster.subscribe");
  return config_error(source, e ? e->line : 0, "cluster.node-id",
                      "required because cluster.subscribe is true");
}

/// Sentinels and a master name go together: one without the other would
/// silently connect to [redis] host:port.
result<void> check_sentinels(const topology& t, const entry_index& set,
                             std::string_view source) {
  bool with = !t.redis.sentinels.empty();
  if (with == !t.redis.master_name.empty())
    return {};
  auto key = with ? "redis.master-name" : "redis.sentinels";
  auto e = lookup(set, with ? "redis.sentinels" : "redis.master-name");
  return config_error(source, e ? e->line : 0, key,
                      with ? "required because redis.sentinels is set"
                           : "required because redis.master-name is set");
}

} // namespace

schema_extension cluster_schema() {
  return {
    {
      {"cluster",
       {
         {"node-id",
          [](std::string_view v, topology& t) {
            return set_node_id(v, t.cluster.node_id);
          }},
         {"subscribe",
          [](std::string_view v, topology& t) {
            return set_bool(v, t.cluster.subscribe);
          }},
       }},
    },
    {check_node_id, check_sentinels},
  };
}

} // namespace tickflow::topo
