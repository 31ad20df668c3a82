#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>

#include "actors/book_messages.hpp"
#include "actors/cache_actor.hpp"
#include "actors/flow.hpp"
#include "pipeline/broadcast/book_types.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Asks the broadcaster for its broadcaster_stats.
using ws_stats_atom = caf::atom_constant<caf::atom("wsstats")>;

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, broadcaster_stats& x) {
  return f(caf::meta::type_name("broadcaster_stats"), x.clients, x.behind,
           x.backlog_bytes, x.frames_sent, x.conflated, x.snapshots,
           x.heartbeats, x.statuses, x.bad_commands, x.closed_slow,
           x.closed_overload, x.closed_idle, x.instruments, x.instruments_evicted,
           x.gaps);
}

/// The broadcaster's messages: ws_opened / ws_text_atom / ws_close_atom
/// come from the WebSocket server's thread; flush_atom and tick_atom are its
/// own timers.
using broadcaster_actor = batch_sink_actor::extend<
  caf::replies_to<start_atom>::with<uint16_t>, caf::reacts_to<ws_opened>,
  caf::reacts_to<ws_text_atom, uint64_t, std::string>,
  caf::reacts_to<ws_close_atom, uint64_t>, caf::reacts_to<flush_atom>,
  caf::reacts_to<tick_atom>, caf::replies_to<ws_stats_atom>::with<broadcaster_stats>,
  caf::reacts_to<gap_atom, uint32_t, uint32_t>, caf::reacts_to<book_batch>>;

/// Spawns the broadcaster: it owns the WebSocket server ([broadcaster]) on
/// `ioc` and a subscription book (pipeline/broadcast/subscription_book,
/// which decides everything below), and fans accepted event batches out to
/// subscribers, one JSON frame per event, serialized once per event and
/// shared by every subscriber. docs/WEBSOCKET.md is the protocol.
///
/// - A subscription starts with a snapshot from `cache` (last price, last N
///   bars) or, for status channels, from the statuses seen so far; no live
///   event of that channel reaches the client before it.
/// - Each client has a client_send_queue: a client that falls behind
///   (conflate-bytes) gets the newest update per channel every
///   conflate-interval; past client-queue-bytes it is closed (1008). Past
///   max-queued-bytes over all clients, the largest backlogs are closed
///   (1008) until the total fits.
/// - Idle clients get a heartbeat message; the server pings quiet clients
///   and closes idle ones (1001).
/// - (gap_atom, shard, shards) from the Redis subscriber: stream shard
///   `shard` of `shards` lost entries before this node read them; every
///   channel of an instrument of that shard gets a gap message and a fresh
///   snapshot.
/// - book_batch from the books actor: the book and book_top channels
///   (subscription_book::book), from a mirror of the books.
/// Answers (start_atom) -> uint16_t bound port (or an error), stats_atom ->
/// stage_stats, ws_stats_atom -> broadcaster_stats.
/// `known` lists the instruments clients may subscribe to before their first
/// event; instruments seen in events join it. Without a cache, snapshots of
/// market channels are empty.
broadcaster_actor spawn_broadcaster(caf::actor_system& sys, const topology& topo,
                                    boost::asio::io_context& ioc,
                                    std::vector<std::string> known,
                                    cache_actor cache = {});

} // namespace tickflow
