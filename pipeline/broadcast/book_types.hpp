#pragma once

// What goes in and out of the subscription book besides frames: its
// settings, the requests and notices it leaves for its owner, its counters.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/book/book_store.hpp"
#include "pipeline/broadcast/channel.hpp"
#include "pipeline/flow/client_send_queue.hpp"
#include "pipeline/topology/indicators_settings.hpp"

namespace tickflow {

/// The broadcaster's own counters (cumulative unless said otherwise).
struct broadcaster_stats {
  uint64_t clients = 0;          ///< connected now
  uint64_t behind = 0;           ///< clients whose updates are conflated now
  uint64_t backlog_bytes = 0;    ///< all clients' backlogs now (last known)
  uint64_t frames_sent = 0;      ///< frames handed to the WebSocket server
  uint64_t conflated = 0;        ///< updates dropped by conflation
  uint64_t snapshots = 0;        ///< snapshot messages sent
  uint64_t heartbeats = 0;       ///< heartbeat messages sent
  uint64_t statuses = 0;         ///< feed status events received
  uint64_t bad_commands = 0;     ///< client messages answered with an error
  uint64_t closed_slow = 0;      ///< closed 1008: over client-queue-bytes
  uint64_t closed_overload = 0;  ///< closed 1008: over max-queued-bytes
  uint64_t closed_idle = 0;      ///< closed 1001: idle timeout (the server counts)
  uint64_t instruments = 0;      ///< instruments remembered now
  uint64_t instruments_evicted = 0; ///< forgotten to stay within max-instruments
  uint64_t gaps = 0;             ///< channels restarted with a fresh snapshot (gap, resync)
};

} // namespace tickflow

namespace tickflow::broadcast {

/// The book's limits ([broadcaster] and [indicators]).
struct book_settings {
  size_t max_channels_per_client = 256;
  /// Instruments remembered as seen ([broadcaster] max-instruments); the
  /// configured ones are always kept.
  size_t max_instruments = 100'000;
  size_t snapshot_bars = 100;     ///< bars in a bars snapshot (0: none)
  send_queue_limits limits;       ///< conflate-bytes, client-queue-bytes
  size_t max_queued_bytes = 256 << 20; ///< all clients' backlogs together
  indicators_settings indicators; ///< live, max-period, seed-bars
  /// Market snapshots come from a cache (snapshot_request); without one
  /// they are empty at once.
  bool has_cache = true;
  /// Bar intervals the pipeline builds live; a bars channel of another
  /// interval is resampled from the coarsest of these that builds it.
  std::vector<interval> live_spans;
  /// The books mirrored for book channels ([books] max-instruments,
  /// max-depth).
  book::store_settings books;
};

/// A snapshot the book waits for: the owner asks the cache and hands the
/// answer back (subscription_book::answer / fail) with this request.
struct snapshot_request {
  enum class source : uint8_t {
    price,     ///< the last price of ch.instrument
    bars,      ///< the newest `limit` bars of (ch.instrument, ch.span)
    indicator, ///< the same, to seed an indicator channel
  };
  source from = source::price;
  uint64_t client = 0;
  uint64_t ticket = 0;
  channel ch;
  std::string name; ///< ch.name()
  size_t limit = 0; ///< bars and indicator
};

/// Something worth a log line.
struct client_notice {
  enum class what : uint8_t {
    connected,    ///< `clients`: connected now
    disconnected, ///< `clients`: connected now
    behind,       ///< `bytes`: unsent; its updates are conflated from now on
    caught_up,
    closed,       ///< by the book (1008): `reason`, `bytes` = its backlog
  };
  what kind = what::connected;
  uint64_t client = 0;
  size_t bytes = 0;
  size_t clients = 0;
  std::string reason;
};

/// What the book asks of its owner, gathered until take_effects().
struct book_effects {
  std::vector<snapshot_request> snapshots; ///< to ask the cache for
  std::vector<client_notice> notices;      ///< to log
  bool arm_flush = false; ///< a client is behind: call flush() in a conflate-interval
};

} // namespace tickflow::broadcast
