#pragma once

// Settings of the cluster area ([cluster]); filled by
// pipeline/topology/topology_cluster.cpp. docs/SCALING.md explains the roles.

#include <string>

namespace tickflow {

/// [cluster]: several tickflow nodes on one Redis and one PostgreSQL.
struct cluster_settings {
  /// Names this node in what its cache writer publishes ("origin"), so a
  /// subscribing node skips its own events. "" = untagged; required when
  /// subscribe is true. 1 to 64 of A-Z, a-z, 0-9, '_', '-', '.'.
  std::string node_id;
  /// PSUBSCRIBE <[redis] key-prefix>:events:* on [redis] host:port and pass
  /// what other nodes published to this node's WebSocket clients and L1.
  bool subscribe = false;
};

} // namespace tickflow
