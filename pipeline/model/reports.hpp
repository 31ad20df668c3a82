#pragma once

// The values actors answer each other with: counters, health, lookups.
// Plain values (no CAF, no I/O), so the pure route code in api/routes can
// read and render them; actors/messages.hpp adds their inspect() overloads.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/model/events.hpp"
#include "pipeline/model/interval.hpp"
#include "pipeline/validate/quality_report.hpp"
#include "pipeline/validate/quarantine.hpp"

namespace tickflow {

/// Counters every pipeline stage reports on stats_atom.
struct stage_stats {
  std::string name;
  uint64_t batches_in = 0;
  uint64_t events_in = 0;
  uint64_t events_out = 0;
  uint64_t rejected = 0;  ///< bad data, counted by reason in the logs
  uint64_t dropped = 0;   ///< overflow policy "drop"
  uint64_t held = 0;      ///< upstream acks held back right now (backpressure)
};

/// Counters of a cache or storage writer, answered to (stats_atom, writer_atom).
/// Batches count what reached the writer after filtering (the storage writer
/// keeps closed bars and trades only).
struct writer_stats {
  std::string name;
  uint64_t batches_in = 0;  ///< event batches received
  uint64_t events_in = 0;   ///< events in them
  uint64_t written = 0;     ///< batches written to the server (live path)
  uint64_t journaled = 0;   ///< batches appended to the journal
  uint64_t replayed = 0;    ///< journaled batches written after an outage/restart
  uint64_t dropped = 0;     ///< batches lost to the journal's bound policy
  uint64_t failures = 0;    ///< failed writes / connects
  uint64_t pending = 0;     ///< journaled batches not yet in the server
  uint64_t acked_seq = 0;   ///< journal: every sequence <= this is in the server
  uint64_t next_seq = 0;    ///< journal: the sequence of the next append
  bool connected = false;   ///< the server answered the last call
  std::string last_error;   ///< the last failure (never a password)
};

/// What a lookup found.
enum class lookup_status : uint8_t {
  ok,       ///< found
  unknown,  ///< instrument is not known to tickflow
  no_data,  ///< known, but nothing has arrived yet
};

/// Reply to get_price_atom.
struct price_reply {
  lookup_status status = lookup_status::unknown;
  price value;
};

/// Counters of the in-process cache (L1), for GET /api/v1/cache/stats.
struct cache_stats {
  uint64_t price_hits = 0;
  uint64_t price_misses = 0;
  uint64_t bars_hits = 0;       ///< complete answers
  uint64_t bars_misses = 0;     ///< nothing, or not known to be complete
  uint64_t instruments = 0;     ///< known now
  uint64_t series = 0;          ///< (instrument, interval) bar series held
  uint64_t bars = 0;            ///< bars held
  uint64_t bars_evicted = 0;    ///< pushed out of a full series
  uint64_t instruments_refused = 0; ///< new instruments refused: cache full
  uint64_t entries = 0;         ///< L1 entries (prices + series)
  uint64_t bytes = 0;           ///< L1 bytes (estimated)
  uint64_t max_entries = 0;
  uint64_t max_bytes = 0;
  uint64_t evicted_capacity = 0; ///< entries pushed out by max-entries
  uint64_t evicted_bytes = 0;    ///< entries pushed out by max-bytes
  uint64_t expired = 0;          ///< entries dropped past their TTL
  uint64_t cleared = 0;          ///< entries removed by a cache clear
  uint64_t fills = 0;            ///< read-through fills received
};

/// A read-through fill of the L1, sent as (fill_atom, bars_fill): `bars` are
/// every bar of the series with open times in [from_ns, to_ns] (from_ns
/// INT64_MIN: none before), up to now when `open_ended` (an answer for the
/// newest bars).
struct bars_fill {
  std::string instrument;
  interval span = interval::m1;
  std::vector<bar> bars;
  int64_t from_ns = 0;
  int64_t to_ns = 0;
  bool open_ended = false;
};

/// Argument of get_bars_atom: the newest `limit` bars in [start, end].
struct bars_query {
  std::string instrument;
  interval span = interval::m1;
  size_t limit = 100;
  int64_t start_ns = 0; ///< 0: unbounded
  int64_t end_ns = 0;   ///< 0: unbounded
};

/// Reply to get_bars_atom, oldest bar first.
struct bars_reply {
  lookup_status status = lookup_status::unknown;
  std::vector<bar> bars;
};

/// Health of one provider, for /api/v1/data/providers.
struct provider_health {
  std::string provider;
  bool key_configured = false;
  uint64_t requests = 0;
  uint64_t successes = 0;
  uint64_t failures = 0;
  int64_t last_success_ns = 0;
  int64_t last_error_ns = 0;
  std::string last_error;     ///< "rate_limited: ..." (never a secret)
  int64_t last_latency_ns = 0;
};

/// A validator's rolling quality, answered to (quality_atom, instrument):
/// `subject` is the instrument's report (overall when instrument is "").
struct validator_quality {
  quality_report subject;
  std::vector<std::pair<std::string, quality_report>> providers;
  std::vector<std::string> stale; ///< instruments silent beyond their cadence
  uint64_t instruments = 0;       ///< instruments with state in this validator
  uint64_t evicted = 0;           ///< instruments forgotten ([validator] max-instruments)
};

/// A validator's recent quarantine, answered to
/// (quarantine_atom, std::string instrument, uint64_t limit).
struct quarantine_page {
  std::vector<quarantined_event> events; ///< newest first
  quarantine::counters totals;
};

/// One live stream connection (actors/stream_provider_actor), answered to
/// health_atom: its state and counters since it started.
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
