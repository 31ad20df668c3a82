#pragma once

#include <cstdint>
#include <string>

namespace tickflow {

/// Health of one live stream connection (a feed session), answered to
/// health_atom by the stream actors.
struct stream_health {
  std::string provider;   ///< "binance"
  std::string connection; ///< "binance#0"
  std::string state;      ///< connecting | up | degraded | down | auth_failed
  uint64_t subscriptions = 0;
  uint64_t frames = 0;      ///< text frames received
  uint64_t events = 0;      ///< live events passed downstream
  uint64_t malformed = 0;   ///< frames the parser refused (skipped)
  uint64_t binary = 0;      ///< binary frames (skipped)
  uint64_t oversize = 0;    ///< frames over max-frame-bytes (skipped)
  uint64_t duplicates = 0;  ///< events dropped as already passed on
  uint64_t gaps = 0;        ///< holes found (id/open-time skips, disconnects)
  uint64_t backfill_requests = 0;
  uint64_t backfilled = 0;  ///< events recovered over REST
  uint64_t backfill_failures = 0;
  uint64_t reconnects = 0;  ///< connections reopened after a loss
  uint64_t dropped = 0;     ///< events dropped: the pipeline was too far behind
  uint64_t sent = 0;        ///< frames sent (auth, subscribe)
  int64_t connected_since_ns = 0; ///< 0 while down
  int64_t last_message_ns = 0;    ///< last sign of life
  std::string last_error;         ///< last close or failure reason (no secret)
};

} // namespace tickflow
