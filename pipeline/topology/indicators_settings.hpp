#pragma once

// Settings of the indicators area; filled by pipeline/topology/topology_indicators.cpp.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tickflow {

/// [indicators]: technical indicators computed from tickflow's own bars
/// (GET /api/v1/technical/{symbol}, WebSocket channels ind:<name>:<interval>:<instrument>).
struct indicators_settings {
  bool enabled = true;       ///< the REST route answers (else 404 disabled)
  size_t max_period = 500;   ///< largest period (and MACD slow/signal) accepted
  size_t max_bars = 5000;    ///< bars one request may read, warm-up included
  size_t default_limit = 100; ///< points answered when no start is given
  bool live = true;          ///< ind: WebSocket channels accepted
  size_t seed_bars = 500;    ///< stored bars a live channel starts from (0: none)
};

} // namespace tickflow
