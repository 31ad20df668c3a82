#include "actors/broadcaster_actor.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/post.hpp>

#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "api/ws_protocol.hpp"
#include "api/ws_server.hpp"

namespace tickflow {

namespace {

using client_list = std::vector<uint64_t>;

/// Subscribers of one instrument, per channel kind.
struct instrument_subs {
  client_list trades;
  client_list quotes;
  std::map<interval, client_list> bars;

  client_list& of(const api::channel& c) {
    switch (c.kind) {
      case api::channel_kind::trades: return trades;
      case api::channel_kind::quotes: return quotes;
      default: return bars[c.span];
    }
  }
};

struct client_info {
  api::ws_client handle;
  std::set<std::string> channels;
};

struct broadcaster_state {
  broadcaster_settings settings;
  boost::asio::io_context* ioc = nullptr;
  std::shared_ptr<api::ws_server> server;
  std::unordered_set<std::string> known;
  std::unordered_map<uint64_t, client_info> clients;
  std::unordered_map<std::string, instrument_subs> subs;
  held_acks upstream;
  stage_stats stats{"broadcaster"};
  uint64_t frames_sent = 0;
  uint64_t slow_clients_closed = 0;
  std::shared_ptr<spdlog::logger> log = logger("broadcaster");
  static inline const char* name = "broadcaster";

  ~broadcaster_state() {
    // Close clients with 1001 on the I/O thread, which owns the connections.
    if (server && ioc)
      boost::asio::post(*ioc, [srv = server] { srv->stop(); });
  }

  void send(uint64_t id, const std::string& text) {
    auto i = clients.find(id);
    if (i == clients.end())
      return;
    server->send(i->second.handle, text);
    ++frames_sent;
  }

  /// Sends one event to the clients of a channel, dropping slow ones.
  template <class Event>
  void fan_out(const client_list& to, const Event& x) {
    if (to.empty())
      return;
    api::ws_frame frame{api::event_message(x)}; // built once for every client
    for (auto id : to) {
      auto i = clients.find(id);
      if (i == clients.end())
        continue;
      auto& handle = i->second.handle;
      if (server->buffered_bytes(handle) > settings.client_queue_bytes) {
        if (!i->second.channels.empty()) { // close once, not on every event
          ++slow_clients_closed;
          log->warn("client {} is too slow (over {} unsent bytes): closing",
                    id, settings.client_queue_bytes);
          server->close(handle, 1008, "slow consumer");
          i->second.channels.clear();
        }
        continue;
      }
      server->send(handle, frame);
      ++frames_sent;
    }
  }

  void on_batch(const event_batch& batch) {
    for (auto& t : batch.trades)
      known.insert(t.instrument);
    for (auto& b : batch.bars)
      known.insert(b.instrument);
    if (clients.empty() || subs.empty())
      return;
    for (auto& t : batch.trades)
      if (auto i = subs.find(t.instrument); i != subs.end())
        fan_out(i->second.trades, t);
    for (auto& q : batch.quotes)
      if (auto i = subs.find(q.instrument); i != subs.end())
        fan_out(i->second.quotes, q);
    for (auto& b : batch.bars)
      if (auto i = subs.find(b.instrument); i != subs.end())
        if (auto j = i->second.bars.find(b.span); j != i->second.bars.end())
          fan_out(j->second, b);
  }

  void unsubscribe(uint64_t id, const api::channel& c) {
    auto i = subs.find(c.instrument);
    if (i == subs.end())
      return;
    auto& list = i->second.of(c);
    list.erase(std::remove(list.begin(), list.end(), id), list.end());
  }

  void on_command(uint64_t id, const std::string& text) {
    auto ci = clients.find(id);
    if (ci == clients.end())
      return;
    auto cmd = api::parse_client_command(text);
    if (!cmd) {
      send(id, api::error_message(cmd.err().code == errc::malformed
                                    ? "malformed"
                                    : "invalid_op",
                                  cmd.err().context));
      return;
    }
    using op = api::client_command::op_kind;
    if (cmd->op == op::ping) {
      send(id, api::pong_message());
      return;
    }
    std::vector<std::string> done;
    for (auto& name : cmd->channels) {
      auto c = api::parse_channel(name);
      if (!c) {
        send(id, api::error_message("invalid_channel", c.err().context, name));
        continue;
      }
      auto canonical = c->name();
      auto& mine = ci->second.channels;
      if (cmd->op == op::subscribe) {
        if (known.count(c->instrument) == 0) {
          send(id, api::error_message("unknown_channel",
                                      "unknown instrument " + c->instrument,
                                      name));
          continue;
        }
        if (mine.count(canonical) == 0) {
          if (mine.size() >= settings.max_channels_per_client) {
            send(id, api::error_message("too_many_channels",
                                        "at most " + std::to_string(
                                          settings.max_channels_per_client)
                                          + " channels per client",
                                        name));
            continue;
          }
          mine.insert(canonical);
          subs[c->instrument].of(*c).push_back(id);
        }
      } else {
        if (mine.erase(canonical) > 0)
          unsubscribe(id, *c);
      }
      done.push_back(canonical);
    }
    if (!done.empty())
      send(id, cmd->op == op::subscribe ? api::subscribed_message(done)
                                        : api::unsubscribed_message(done));
  }

  void on_close(uint64_t id) {
    auto i = clients.find(id);
    if (i == clients.end())
      return;
    for (auto& name : i->second.channels)
      if (auto c = api::parse_channel(name))
        unsubscribe(id, *c);
    clients.erase(i);
    log->debug("client {} disconnected ({} connected)", id, clients.size());
  }
};

caf::behavior broadcaster(caf::stateful_actor<broadcaster_state>* self,
                          topology topo, boost::asio::io_context* ioc,
                          std::vector<std::string> known) {
  auto& st = self->state;
  st.settings = topo.broadcaster;
  st.ioc = ioc;
  st.known.insert(known.begin(), known.end());
  // Callbacks run on the I/O thread: they only forward to this actor. A weak
  // address avoids a reference cycle actor -> server -> callback -> actor.
  caf::actor_addr me = self->address();
  api::ws_callbacks cb;
  cb.on_open = [me](uint64_t id, api::ws_client client) {
    if (auto a = caf::actor_cast<caf::actor>(me))
      caf::anon_send(a, ws_opened{id, std::move(client)});
  };
  cb.on_message = [me](uint64_t id, std::string text) {
    if (auto a = caf::actor_cast<caf::actor>(me))
      caf::anon_send(a, ws_text_atom::value, id, std::move(text));
  };
  cb.on_close = [me](uint64_t id) {
    if (auto a = caf::actor_cast<caf::actor>(me))
      caf::anon_send(a, ws_close_atom::value, id);
  };
  api::ws_server_options opts;
  opts.path = topo.broadcaster.path;
  opts.max_clients = topo.broadcaster.max_clients;
  opts.max_message_bytes = topo.broadcaster.max_message_bytes;
  st.server = std::make_shared<api::ws_server>(*ioc, opts, std::move(cb));
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
      auto& st = self->state;
      st.clients[x.id] = client_info{std::move(x.client), {}};
      st.log->debug("client {} connected ({} connected)", x.id,
                    st.clients.size());
    },
    [=](ws_text_atom, uint64_t id, const std::string& text) {
      self->state.on_command(id, text);
    },
    [=](ws_close_atom, uint64_t id) { self->state.on_close(id); },
    [=](const event_batch& batch) {
      auto& st = self->state;
      st.stats.batches_in += 1;
      st.stats.events_in += batch.size();
      st.on_batch(batch);
      st.stats.events_out = st.frames_sent;
      st.stats.dropped = st.slow_clients_closed;
      st.upstream.ack_or_hold(self, true);
    },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

caf::actor spawn_broadcaster(caf::actor_system& sys, const topology& topo,
                             boost::asio::io_context& ioc,
                             std::vector<std::string> known) {
  return sys.spawn(broadcaster, topo, &ioc, std::move(known));
}

} // namespace tickflow
