#include "actors/broadcaster_actor.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/post.hpp>

#include "actors/clock.hpp"
#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/redis/redis_streams.hpp"
#include "api/ws_renderer.hpp"
#include "api/ws_server.hpp"
#include "pipeline/broadcast/subscription_book.hpp"
#include "pipeline/topology/instruments.hpp"

namespace tickflow {

namespace {

/// How long a snapshot may take before the channel goes live without it.
constexpr auto snapshot_timeout = std::chrono::seconds{2};

/// The WebSocket server as the subscription book sees it.
struct ws_port {
  using client = api::ws_client;
  using frame = api::ws_frame;

  api::ws_server* server = nullptr;

  std::optional<size_t> enqueue(const client& c, const frame& f) {
    return server->enqueue(c, f);
  }
  size_t buffered_bytes(const client& c) { return server->buffered_bytes(c); }
  void close(const client& c, uint16_t code, const std::string& reason) {
    server->close(c, code, reason);
  }
};

using book_type = broadcast::subscription_book<ws_port>;

struct broadcaster_state {
  broadcaster_actor::stateful_pointer<broadcaster_state> self = nullptr;
  broadcaster_settings settings;
  boost::asio::io_context* ioc = nullptr;
  std::shared_ptr<api::ws_server> server;
  ws_port port;
  std::unique_ptr<api::ws_renderer> render;
  std::optional<book_type> book; ///< after port and render: it uses both
  cache_actor cache;
  bool flush_armed = false;
  held_acks upstream;
  stage_stats stats{"broadcaster"};
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("broadcaster");
  static inline const char* name = "broadcaster";

  ~broadcaster_state() {
    // Close clients with 1001 on the I/O thread, which owns the connections.
    if (server && ioc)
      boost::asio::post(*ioc, [srv = server] { srv->stop(); });
  }

  /// Carries out what the book asked for: logs, cache requests, the flush
  /// timer. Called after every call into the book.
  void apply() {
    auto fx = book->take_effects();
    for (auto& n : fx.notices)
      log_notice(n);
    for (auto& r : fx.snapshots)
      ask_cache(std::move(r));
    if (fx.arm_flush && !flush_armed) {
      flush_armed = true;
      self->delayed_send(self, std::chrono::nanoseconds{settings.conflate_interval_ns},
                         flush_atom::value);
    }
  }

  void log_notice(const broadcast::client_notice& n) {
    using what = broadcast::client_notice::what;
    switch (n.kind) {
      case what::connected:
        log->debug("client {} connected ({} connected)", n.client, n.clients);
        return;
      case what::disconnected:
        log->debug("client {} disconnected ({} connected)", n.client, n.clients);
        return;
      case what::behind:
        log->info("client {} is behind ({} unsent bytes): conflating its updates",
                  n.client, n.bytes);
        return;
      case what::caught_up:
        log->info("client {} caught up", n.client);
        return;
      case what::closed: {
        uint64_t suppressed = 0;
        if (throttle.allow(suppressed))
          log->warn("closing client {} ({}, backlog {} bytes; {} similar suppressed)",
                    n.client, n.reason, n.bytes, suppressed);
        return;
      }
    }
  }

  /// Asks the cache for a snapshot and hands the answer to the book.
  void ask_cache(broadcast::snapshot_request r) {
    auto me = self;
    auto failed = [me, r](caf::error&) {
      me->state.book->fail(r);
      me->state.apply();
    };
    if (r.from == broadcast::snapshot_request::source::price) {
      self->request(cache, snapshot_timeout, get_price_atom::value, r.ch.instrument)
        .then(
          [me, r](const price_reply& x) {
            me->state.book->answer(r, x.status == lookup_status::ok ? &x.value : nullptr);
            me->state.apply();
          },
          failed);
      return;
    }
    bars_query q;
    q.instrument = r.ch.instrument;
    q.span = r.ch.span;
    q.limit = r.limit;
    self->request(cache, snapshot_timeout, get_bars_atom::value, q)
      .then(
        [me, r](const bars_reply& x) {
          me->state.book->answer(r, x.bars);
          me->state.apply();
        },
        failed);
  }

  void on_flush() {
    flush_armed = false;
    book->flush();
    apply();
  }
};

broadcaster_actor::behavior_type
broadcaster(broadcaster_actor::stateful_pointer<broadcaster_state> self, topology topo,
            boost::asio::io_context* ioc, std::vector<std::string> known,
            cache_actor cache) {
  auto& st = self->state;
  st.self = self;
  st.settings = topo.broadcaster;
  st.ioc = ioc;
  st.cache = std::move(cache);
  api::hello_info hi;
  hi.version = TICKFLOW_VERSION;
  hi.heartbeat_ms = topo.broadcaster.heartbeat_interval_ns / 1'000'000;
  hi.max_channels = topo.broadcaster.max_channels_per_client;
  hi.snapshot_bars = topo.broadcaster.snapshot_bars;
  st.render = std::make_unique<api::ws_renderer>(hi);
  // Callbacks run on the I/O thread: they only forward to this actor. A weak
  // address avoids a reference cycle actor -> server -> callback -> actor.
  caf::actor_addr me = self->address();
  api::ws_callbacks cb;
  cb.on_open = [me](uint64_t id, api::ws_client client) {
    if (auto a = caf::actor_cast<broadcaster_actor>(me))
      caf::anon_send(a, ws_opened{id, std::move(client)});
  };
  cb.on_message = [me](uint64_t id, std::string text) {
    if (auto a = caf::actor_cast<broadcaster_actor>(me))
      caf::anon_send(a, ws_text_atom::value, id, std::move(text));
  };
  cb.on_close = [me](uint64_t id) {
    if (auto a = caf::actor_cast<broadcaster_actor>(me))
      caf::anon_send(a, ws_close_atom::value, id);
  };
  api::ws_server_options opts;
  opts.path = topo.broadcaster.path;
  opts.max_clients = topo.broadcaster.max_clients;
  opts.max_message_bytes = topo.broadcaster.max_message_bytes;
  opts.max_control_frames = topo.broadcaster.max_control_frames;
  opts.ping_interval_ns = topo.broadcaster.heartbeat_interval_ns;
  opts.idle_timeout_ns = topo.broadcaster.idle_timeout_ns;
  st.server = std::make_shared<api::ws_server>(*ioc, opts, std::move(cb));
  st.port.server = st.server.get();
  broadcast::book_settings bs;
  bs.max_channels_per_client = topo.broadcaster.max_channels_per_client;
  bs.max_instruments = topo.broadcaster.max_instruments;
  bs.snapshot_bars = topo.broadcaster.snapshot_bars;
  bs.limits.conflate_bytes = topo.broadcaster.conflate_bytes;
  bs.limits.close_bytes = topo.broadcaster.client_queue_bytes;
  bs.max_queued_bytes = topo.broadcaster.max_queued_bytes;
  bs.indicators = topo.indicators;
  bs.has_cache = static_cast<bool>(st.cache);
  bs.live_spans = live_bar_intervals(topo);
  bs.books = topo.books;
  st.book.emplace(bs, st.port, *st.render, known);
  auto tick_every = std::chrono::nanoseconds{
    std::max<int64_t>(topo.broadcaster.heartbeat_interval_ns
                        / broadcast::ticks_per_heartbeat,
                      1'000'000)};
  self->delayed_send(self, tick_every, tick_atom::value);
  return {
    [=](start_atom) -> caf::result<uint16_t> {
      auto& st = self->state;
      auto r = st.server->listen(st.settings.bind, st.settings.port);
      if (!r)
        return caf::make_error(caf::sec::runtime_error, r.err().context);
      st.log->info("WebSocket server on ws://{}:{}{}", st.settings.bind,
                   st.server->port(), st.settings.path);
      return st.server->port();
    },
    [=](ws_opened& x) {
      self->state.book->open(x.id, std::move(x.client));
      self->state.apply();
    },
    [=](ws_text_atom, uint64_t id, const std::string& text) {
      self->state.book->command(id, api::parse_client_command(text));
      self->state.apply();
    },
    [=](ws_close_atom, uint64_t id) {
      self->state.book->close(id);
      self->state.apply();
    },
    [=](const event_batch& batch) {
      auto& st = self->state;
      st.stats.batches_in += 1;
      st.stats.events_in += batch.size();
      st.book->events(batch);
      st.apply();
      st.upstream.ack_or_hold(self, true);
    },
    [=](gap_atom, uint32_t shard, uint32_t shards) {
      auto& st = self->state;
      auto reason = "events of stream shard " + std::to_string(shard)
                    + " were trimmed before this node read them";
      st.book->gap([&](const std::string& instrument) {
        return redis::shard_of(instrument, shards) == shard;
      }, reason);
      st.apply();
    },
    [=](const book_batch& batch) {
      auto& st = self->state;
      for (auto& u : batch)
        st.book->book(u);
      st.apply();
    },
    [=](flush_atom) { self->state.on_flush(); },
    [=](drain_atom) {
      self->state.on_flush(); // what waits for a flush tick goes out now
      return true;
    },
    [=](tick_atom) {
      self->state.book->tick(now_ns());
      self->state.apply();
      self->delayed_send(self, tick_every, tick_atom::value);
    },
    [=](stats_atom) {
      auto& st = self->state;
      auto s = st.book->stats();
      st.stats.events_out = s.frames_sent;
      st.stats.dropped = s.conflated;
      return st.stats;
    },
    [=](ws_stats_atom) {
      auto s = self->state.book->stats();
      s.closed_idle = self->state.server->idle_closed();
      return s;
    },
  };
}

} // namespace

broadcaster_actor spawn_broadcaster(caf::actor_system& sys, const topology& topo,
                                    boost::asio::io_context& ioc,
                                    std::vector<std::string> known,
                                    cache_actor cache) {
  return sys.spawn(broadcaster, topo, &ioc, std::move(known), std::move(cache));
}

} // namespace tickflow
