#pragma once

#include <string>

#include <caf/all.hpp>

#include "actors/flow.hpp"

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// The storage writer's messages (tick_atom, retry_atom: its own timers).
using storage_writer_actor = batch_sink_actor::extend_with<quarantine_sink_actor>::extend<
  caf::reacts_to<tick_atom>, caf::reacts_to<retry_atom>,
  caf::replies_to<flush_atom>::with<writer_stats>,
  caf::replies_to<stats_atom, writer_atom>::with<writer_stats>,
  caf::replies_to<get_bars_atom, bars_query>::with<bars_reply>,
  caf::replies_to<get_trades_atom, trades_query>::with<trades_reply>>;

/// Spawns the storage writer ([storage]), a detached actor and a router
/// sink that keeps the history in PostgreSQL (adapters/postgres).
///
/// What is stored: trades and *closed* bars. Open (in-progress) bar updates
/// are not stored (the closed version follows and is the one that counts;
/// the cache and the broadcaster serve the open bar), nor are quotes (there
/// is no quotes table).
///
/// Every batch that holds something to store is first appended to the
/// writer's own disk journal ([storage] journal-dir; fsync always, once per
/// flush-interval, or never) and only then acked upstream (flow.hpp), so an
/// acknowledged batch survives a Postgres outage and a crash of the process.
/// Healthy, batches are gathered in memory and flushed (COPY + idempotent
/// merge) when they reach batch-size events or every flush-interval; a
/// successful flush acks their journal records. When Postgres is down or a
/// write fails, the writer stops buffering, keeps journaling, and retries
/// with exponential backoff (100 ms .. 2 s); once Postgres answers it
/// replays the journal in order, then buffers again. Migrations run at
/// start; what a previous run left in the journal is replayed first. On exit
/// it flushes what it holds once (bounded by the connect and statement
/// timeouts); whatever fails stays in the journal for the next start. The
/// journal's bound policy decides what happens to new batches when it is
/// full during a long outage (reject-new or drop-oldest, counted as dropped).
/// Answers:
///   (stats_atom) -> stage_stats
///   (stats_atom, writer_atom) -> writer_stats
///   (flush_atom) -> writer_stats, after flushing or one replay attempt
///   (get_bars_atom, bars_query) -> bars_reply: the newest `limit` stored
///     bars of the range (no_data when Postgres is away or holds none)
///   (get_trades_atom, trades_query) -> trades_reply: the newest `limit`
///     stored trades of the range, oldest first (no_data as above)
storage_writer_actor spawn_storage_writer(caf::actor_system& sys, const topology& topo);

/// The libpq conninfo of [storage]: dsn plus the password read from the
/// environment variable named by dsn-env (when set). Never log the result.
std::string storage_conninfo(const storage_settings& s);

} // namespace tickflow
