#pragma once

// Live WebSocket feeds: one actor per connection of a provider's stream.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/capture_writer_actor.hpp"
#include "actors/flow.hpp"
#include "actors/rest_provider_actor.hpp"
#include "actors/scheduler_actor.hpp"
#include "adapters/streams/feed_session.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

// stream_connection_spec and plan_stream_connections: adapters/streams/feed_plan.hpp;
// spawn_capture_writer: actors/capture_writer_actor.hpp.

// Messages of a stream actor to itself (I/O callbacks and timers). Each
// carries the generation of the transport it is about, so news from a
// connection that was already replaced is ignored (by the session).
using connect_atom = caf::atom_constant<caf::atom("sconnect")>;
using opened_atom = caf::atom_constant<caf::atom("sopened")>;
using frame_atom = caf::atom_constant<caf::atom("sframe")>;
using binary_atom = caf::atom_constant<caf::atom("sbinary")>;
using oversize_atom = caf::atom_constant<caf::atom("soversize")>;
using alive_atom = caf::atom_constant<caf::atom("salive")>;
using closed_atom = caf::atom_constant<caf::atom("sclosed")>;
using pace_atom = caf::atom_constant<caf::atom("space")>;
using watch_atom = caf::atom_constant<caf::atom("swatch")>;
using age_atom = caf::atom_constant<caf::atom("sage")>;
using settle_atom = caf::atom_constant<caf::atom("ssettle")>;
using backfill_atom = caf::atom_constant<caf::atom("sbackfill")>;

/// A stream connection actor's messages: the first twelve are its own (I/O
/// callbacks and timers); (scheduler_atom, s): backfills ask `s` from now on.
using stream_provider_actor = stats_actor::extend<
  caf::reacts_to<connect_atom, uint64_t>, caf::reacts_to<opened_atom, uint64_t>,
  caf::reacts_to<frame_atom, uint64_t, std::string, int64_t>,
  caf::reacts_to<binary_atom, uint64_t, uint64_t>,
  caf::reacts_to<oversize_atom, uint64_t, uint64_t>,
  caf::reacts_to<alive_atom, uint64_t, int64_t>,
  caf::reacts_to<closed_atom, uint64_t, std::string>, caf::reacts_to<pace_atom>,
  caf::reacts_to<watch_atom>, caf::reacts_to<age_atom, uint64_t>,
  caf::reacts_to<settle_atom, uint64_t>, caf::reacts_to<backfill_atom, uint64_t>,
  caf::replies_to<subscribe_atom, std::string>::with<uint64_t>,
  caf::replies_to<unsubscribe_atom, std::string>::with<uint64_t>,
  caf::reacts_to<ack_atom>, caf::reacts_to<scheduler_atom, sched_fetch_actor>,
  caf::replies_to<health_atom>::with<stream_health>>;

/// Spawns one stream connection actor (detached: it owns a WebSocket
/// transport whose close it may wait for). Its feed_session
/// (adapters/streams/feed_session) decides what follows; the actor owns the
/// transport, the timers and the links, and carries the session's actions
/// out. It connects to the feed's URL, sends the dialect's on-open frames and subscriptions (paced: Binance 5
/// frames/s), parses every text frame, drops what was already passed on,
/// and sends event_batch to `intake` (the sharder) within the credit of
/// its link ([pipeline] queue-bound; while the link is full events gather in
/// one pending batch, beyond a bound they are dropped and counted: a live
/// feed cannot be paused). feed_status events ride in the batches:
/// connected, disconnected (gap start), reconnected (gap start and end),
/// degraded (silent beyond stale-after: then it reconnects), backfilled.
/// Reconnects use full-jitter backoff within reconnect-min..reconnect-max and
/// restore every subscription; before max-connection-age it reconnects on
/// its own. Gaps (skipped ids or open times, every disconnect) are asked of
/// `rest` as (fetch_atom, fetch_request) -> fetch_reply when it is set and
/// backfill is on; recovered events are marked backfilled. With `capture`
/// set, every text frame goes to it (spawn_capture_writer).
/// Subscriptions change at run time with (subscribe_atom | unsubscribe_atom,
/// std::string topics) in the config syntax ("ETH-USDT:trades, ..."): sent
/// at once when connected (Binance SUBSCRIBE / UNSUBSCRIBE method messages),
/// kept for reconnects; the reply is the new subscription count, or
/// sec::invalid_argument (a bad topic, one the dialect cannot stream, or
/// more than the connection may hold).
/// Answers stats_atom -> stage_stats and health_atom -> stream_health.
/// `rest` and `capture` may be null (no backfill, no capture).
stream_provider_actor spawn_stream_provider(caf::actor_system& sys, const topology& topo,
                                            stream_connection_spec spec,
                                            batch_sink_actor intake, fetch_actor rest,
                                            capture_writer_actor capture);

} // namespace tickflow
