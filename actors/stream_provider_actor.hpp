#pragma once

// Live WebSocket feeds: one actor per connection of a provider's stream.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/capture_writer_actor.hpp"
#include "adapters/streams/feed_session.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

// stream_connection_spec and plan_stream_connections: adapters/streams/feed_plan.hpp;
// spawn_capture_writer: actors/capture_writer_actor.hpp.

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
caf::actor spawn_stream_provider(caf::actor_system& sys, const topology& topo,
                                 stream_connection_spec spec, caf::actor intake,
                                 caf::actor rest, caf::actor capture);

} // namespace tickflow
