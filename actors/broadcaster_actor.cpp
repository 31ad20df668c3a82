#include "actors/broadcaster_actor.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <boost/asio/post.hpp>

#include "actors/clock.hpp"
#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "api/ws_protocol.hpp"
#include "api/ws_server.hpp"
#include "pipeline/flow/client_send_queue.hpp"
#include "pipeline/indicators/live_series.hpp"

namespace tickflow {

namespace {

// -- keys and limits -------------------------------------------------------------

/// Conflation key of a frame: the channel's id in the high half; bars add
/// their open time (seconds) in the low half, so the last update of every
/// bar survives conflation. 0 (no_key): never conflated.
using frame_key = uint64_t;
constexpr frame_key no_key = client_send_queue<api::ws_frame>::no_key;
constexpr frame_key heartbeat_key = 1; // below every channel's key

/// Housekeeping ticks per heartbeat interval: an idle client gets its
/// heartbeat 1 to 1.25 intervals after the last frame it was sent.
constexpr int64_t ticks_per_heartbeat = 4;

/// How long a snapshot may take before the channel goes live without it.
constexpr auto snapshot_timeout = std::chrono::seconds{2};

/// WebSocket close codes (RFC 6455).
constexpr uint16_t close_policy = 1008;

struct client_state;

/// One channel's subscribers.
struct channel_slot {
  uint32_t id = 0; ///< unique per channel, assigned on first subscribe
  std::vector<client_state*> subscribers;

  frame_key key() const noexcept { return static_cast<frame_key>(id) << 32; }
};

bool of_channel(frame_key key, uint32_t id) noexcept {
  return (key >> 32) == id;
}

frame_key bar_key(const channel_slot& slot, const bar& b) noexcept {
  auto secs = static_cast<uint64_t>(b.open_time_ns / 1'000'000'000);
  return slot.key() | (secs & 0xffffffffu);
}

/// A live indicator channel ("ind:rsi14:1m:BTC-USDT"): its subscribers and
/// the indicator fed with the closed bars of its interval.
struct indicator_slot {
  channel_slot slot;
  interval span = interval::m1;
  std::optional<indicators::live_series> series;
};

struct instrument_subs {
  channel_slot trades;
  channel_slot quotes;
  std::map<interval, channel_slot> bars;
  std::map<std::string, indicator_slot> indicators; ///< by channel name
};

/// Live events of a channel that arrived while its snapshot was on its way.
struct pending_snapshot {
  uint64_t ticket = 0;
  uint32_t channel_id = 0;
  std::vector<std::pair<api::ws_frame, frame_key>> held;
  size_t bytes = 0;
};

struct client_state {
  uint64_t id = 0;
  api::ws_client handle;
  std::set<std::string> channels; ///< canonical names
  client_send_queue<api::ws_frame> out;
  std::vector<pending_snapshot> pending;
  size_t held_bytes = 0;             ///< in pending[].held
  int64_t last_send_tick = 0;
  uint64_t conflated_at_behind = 0;  ///< out.conflated() when it fell behind
  bool closing = false;              ///< closed by us or gone: no more sends

  size_t backlog() const noexcept { return out.backlog() + held_bytes; }
};

// -- state -------------------------------------------------------------------------

struct broadcaster_state {
  caf::stateful_actor<broadcaster_state>* self = nullptr;
  broadcaster_settings settings;
  indicators_settings indicator_cfg; ///< [indicators]: live, max-period, seed-bars
  send_queue_limits limits;
  boost::asio::io_context* ioc = nullptr;
  std::shared_ptr<api::ws_server> server;
  caf::actor cache;
  std::unordered_set<std::string> known;
  std::unordered_map<uint64_t, std::unique_ptr<client_state>> clients;
  std::unordered_map<std::string, instrument_subs> subs;
  std::map<std::string, channel_slot> status_subs; ///< by provider name
  channel_slot status_all;                          ///< "status:*"
  /// The last status of every (provider, connection), for snapshots.
  std::map<std::pair<std::string, std::string>, feed_status> last_status;
  uint32_t next_channel_id = 0;
  uint64_t next_ticket = 0;
  int64_t tick = 0;
  size_t backlog_total = 0; ///< sum of the open clients' backlog()
  uint64_t behind_count = 0;
  bool flush_armed = false;
  std::string hello;
  api::ws_frame behind_notice;
  held_acks upstream;
  stage_stats stats{"broadcaster"};
  broadcaster_stats counters;
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("broadcaster");
  static inline const char* name = "broadcaster";

  ~broadcaster_state() {
    // Close clients with 1001 on the I/O thread, which owns the connections.
    if (server && ioc)
      boost::asio::post(*ioc, [srv = server] { srv->stop(); });
  }

  // -- channels --------------------------------------------------------------------

  /// The slot of a channel, created on first use.
  channel_slot& slot_of(const api::channel& c) {
    channel_slot* s = nullptr;
    switch (c.kind) {
      case api::channel_kind::trades:
        s = &subs[c.instrument].trades;
        break;
      case api::channel_kind::quotes:
        s = &subs[c.instrument].quotes;
        break;
      case api::channel_kind::bars:
        s = &subs[c.instrument].bars[c.span];
        break;
      case api::channel_kind::status:
        s = c.instrument == "*" ? &status_all : &status_subs[c.instrument];
        break;
      case api::channel_kind::indicator:
        s = &indicator_of(c).slot;
        break;
    }
    if (s->id == 0)
      s->id = ++next_channel_id;
    return *s;
  }

  /// The indicator channel's slot; its live series is made on first use.
  indicator_slot& indicator_of(const api::channel& c) {
    auto& x = subs[c.instrument].indicators[c.name()];
    if (!x.series) {
      // Checked by parse_channel and refuse_indicator: the spec is valid.
      auto spec = indicators::live_spec(c.indicator, c.span, indicators::period_ceiling);
      x.span = c.span;
      x.series.emplace(spec ? *spec : indicators::indicator_spec{indicators::indicator_kind::sma, 1},
                       std::max<size_t>(indicator_cfg.seed_bars, 1000));
    }
    return x;
  }

  /// Why an indicator channel cannot be served, if it cannot.
  std::optional<std::string> refuse_indicator(const api::channel& c) const {
    if (!indicator_cfg.live)
      return "live indicators are off ([indicators] live = false)";
    auto spec = indicators::live_spec(c.indicator, c.span, indicator_cfg.max_period);
    if (!spec)
      return spec.err().context;
    return std::nullopt;
  }

  /// Feeds closed bars to the indicator channels of their series and sends
  /// the new values; a channel nobody listens to any more starts afresh.
  void on_closed_bars(const std::vector<bar>& bars) {
    for (auto& b : bars) {
      if (!b.closed)
        continue;
      auto i = subs.find(b.instrument);
      if (i == subs.end())
        continue;
      for (auto& [name, x] : i->second.indicators) {
        if (x.span != b.span || !x.series)
          continue;
        if (x.slot.subscribers.empty()) {
          x.series->reset();
          continue;
        }
        auto p = x.series->on_closed_bar(indicators::to_ohlcv(b));
        if (!p)
          continue;
        auto kind = x.series->spec().kind;
        fan_out(x.slot, x.slot.key(),
                [&] { return api::indicator_message(name, kind, *p); });
      }
    }
  }

  /// The snapshot of an indicator channel: its newest value.
  std::string indicator_snapshot(const std::string& channel) {
    auto ch = api::parse_channel(channel);
    auto& x = indicator_of(*ch);
    return api::indicator_snapshot_message(channel, x.series->spec().kind,
                                           x.series->last(),
                                           x.series->spec().warmup(),
                                           x.series->bars_fed());
  }

  /// Seeds an indicator channel with stored bars (closed ones only).
  void seed_indicator(const std::string& channel, const std::vector<bar>& stored) {
    auto ch = api::parse_channel(channel);
    auto& x = indicator_of(*ch);
    std::vector<indicators::ohlcv> closed;
    for (auto& b : stored)
      if (b.closed)
        closed.push_back(indicators::to_ohlcv(b));
    x.series->seed(std::move(closed));
  }

  // -- sending -----------------------------------------------------------------------

  /// Hands a frame to the server for one client; the client's unsent bytes.
  std::optional<size_t> transmit(client_state& c, const api::ws_frame& f) {
    auto unsent = server->enqueue(c.handle, f);
    if (unsent)
      ++counters.frames_sent;
    return unsent;
  }

  /// Offers a frame to a client's send queue and acts on the outcome.
  void offer(client_state& c, const api::ws_frame& f, frame_key key) {
    if (c.closing)
      return;
    auto before = c.backlog();
    auto conflated_before = c.out.conflated();
    auto outcome = c.out.offer(f, f.size(), key,
                               [this, &c](const api::ws_frame& x) {
                                 return transmit(c, x);
                               });
    c.last_send_tick = tick;
    backlog_total = backlog_total - before + c.backlog();
    counters.conflated += c.out.conflated() - conflated_before;
    react(c, outcome);
  }

  /// A client-specific message (reply, snapshot, heartbeat).
  void reply(client_state& c, const std::string& text, frame_key key = no_key) {
    offer(c, api::ws_frame{text}, key);
  }

  void react(client_state& c, send_outcome outcome) {
    switch (outcome) {
      case send_outcome::fell_behind:
        ++behind_count;
        c.conflated_at_behind = c.out.conflated();
        transmit(c, behind_notice); // at once: the client learns why
        log->info("client {} is behind ({} unsent bytes): conflating its "
                  "updates", c.id, c.out.unsent());
        arm_flush();
        return;
      case send_outcome::caught_up:
        --behind_count;
        transmit(c, api::ws_frame{api::conflation_message(
                      false, c.out.conflated() - c.conflated_at_behind)});
        log->info("client {} caught up", c.id);
        return;
      case send_outcome::close:
        ++counters.closed_slow;
        close_client(c, "slow consumer");
        return;
      case send_outcome::gone:
        retire(c);
        return;
      case send_outcome::sent:
      case send_outcome::queued:
        return;
    }
  }

  /// Stops sending to a client and takes its backlog off the total.
  void retire(client_state& c) {
    if (c.closing)
      return;
    c.closing = true;
    backlog_total -= std::min(backlog_total, c.backlog());
    if (c.out.behind())
      --behind_count;
  }

  /// Closes a client with 1008; it leaves `clients` on its close callback.
  void close_client(client_state& c, const std::string& reason) {
    if (c.closing)
      return;
    auto backlog = c.backlog();
    retire(c);
    uint64_t suppressed = 0;
    if (throttle.allow(suppressed))
      log->warn("closing client {} ({}, backlog {} bytes; {} similar "
                "suppressed)", c.id, reason, backlog, suppressed);
    server->close(c.handle, close_policy, reason);
  }

  /// Delivers a channel's live event, or holds it while the channel's
  /// snapshot is on its way.
  void deliver(client_state& c, const api::ws_frame& f, frame_key key,
               uint32_t channel_id) {
    if (c.closing)
      return;
    for (auto& p : c.pending) {
      if (p.channel_id != channel_id)
        continue;
      p.held.emplace_back(f, key);
      p.bytes += f.size();
      c.held_bytes += f.size();
      backlog_total += f.size();
      if (c.backlog() > limits.close_bytes) {
        ++counters.closed_slow;
        close_client(c, "slow consumer");
      }
      return;
    }
    offer(c, f, key);
  }

  /// Sends one event to a channel's subscribers; the frame is built once,
  /// and only if someone listens.
  template <class MakeText>
  void fan_out(const channel_slot& slot, frame_key key, MakeText&& make) {
    if (slot.subscribers.empty())
      return;
    api::ws_frame frame{make()};
    for (auto* c : slot.subscribers)
      deliver(*c, frame, key, slot.id);
  }

  void arm_flush() {
    if (flush_armed)
      return;
    flush_armed = true;
    self->delayed_send(self,
                       std::chrono::nanoseconds{settings.conflate_interval_ns},
                       flush_atom::value);
  }

  /// Over max-queued-bytes: refresh every backlog, then close the largest
  /// until the total fits.
  void enforce_budget() {
    std::vector<backlog_entry> entries;
    entries.reserve(clients.size());
    for (auto& [id, c] : clients) {
      if (c->closing)
        continue;
      auto before = c->backlog();
      c->out.refresh(server->buffered_bytes(c->handle));
      backlog_total = backlog_total - before + c->backlog();
      entries.push_back({id, c->backlog()});
    }
    for (auto id : over_budget(std::move(entries), settings.max_queued_bytes)) {
      ++counters.closed_overload;
      close_client(*clients.at(id), "server overloaded");
    }
  }

  // -- events ------------------------------------------------------------------------

  void on_batch(const event_batch& batch) {
    for (auto& t : batch.trades)
      known.insert(t.instrument);
    for (auto& q : batch.quotes)
      known.insert(q.instrument);
    for (auto& b : batch.bars)
      known.insert(b.instrument);
    for (auto& s : batch.statuses) {
      ++counters.statuses;
      last_status[{std::string{to_string(s.source)}, s.connection}] = s;
    }
    if (clients.empty())
      return;
    for (auto& t : batch.trades)
      if (auto i = subs.find(t.instrument); i != subs.end())
        fan_out(i->second.trades, i->second.trades.key(),
                [&] { return api::event_message(t); });
    for (auto& q : batch.quotes)
      if (auto i = subs.find(q.instrument); i != subs.end())
        fan_out(i->second.quotes, i->second.quotes.key(),
                [&] { return api::event_message(q); });
    for (auto& b : batch.bars)
      if (auto i = subs.find(b.instrument); i != subs.end())
        if (auto j = i->second.bars.find(b.span); j != i->second.bars.end())
          fan_out(j->second, bar_key(j->second, b),
                  [&] { return api::event_message(b); });
    on_closed_bars(batch.bars);
    for (auto& s : batch.statuses)
      on_status(s);
    if (backlog_total > settings.max_queued_bytes)
      enforce_budget();
  }

  /// A status goes to "status:<provider>" and to "status:*" (once per
  /// client). Statuses are never conflated.
  void on_status(const feed_status& s) {
    auto i = status_subs.find(std::string{to_string(s.source)});
    bool any = (i != status_subs.end() && !i->second.subscribers.empty())
               || !status_all.subscribers.empty();
    if (!any)
      return;
    auto own = api::channel_of(s);
    api::ws_frame frame{api::event_message(s)};
    if (i != status_subs.end())
      for (auto* c : i->second.subscribers)
        deliver(*c, frame, no_key, i->second.id);
    for (auto* c : status_all.subscribers)
      if (c->channels.count(own) == 0)
        deliver(*c, frame, no_key, status_all.id);
  }

  // -- snapshots ---------------------------------------------------------------------

  std::vector<feed_status> statuses_for(const std::string& provider) const {
    std::vector<feed_status> out;
    for (auto& [key, s] : last_status)
      if (provider == "*" || key.first == provider)
        out.push_back(s);
    return out;
  }

  /// Starts the snapshot of a channel just subscribed; its live events are
  /// held until the snapshot went out.
  void start_snapshot(client_state& c, const api::channel& ch, uint32_t slot_id) {
    auto name = ch.name();
    if (ch.kind == api::channel_kind::status) {
      ++counters.snapshots;
      reply(c, api::status_snapshot_message(name, statuses_for(ch.instrument)));
      return;
    }
    if (ch.kind == api::channel_kind::indicator) {
      start_indicator(c, ch, slot_id);
      return;
    }
    if (ch.kind == api::channel_kind::bars && settings.snapshot_bars == 0) {
      ++counters.snapshots;
      reply(c, api::bars_snapshot_message(name, {}));
      return;
    }
    if (!cache) {
      ++counters.snapshots;
      reply(c, api::price_snapshot_message(name, nullptr));
      return;
    }
    auto ticket = ++next_ticket;
    c.pending.push_back(pending_snapshot{ticket, slot_id, {}, 0});
    auto id = c.id;
    auto me = self;
    auto failed = [me, id, ticket, name](caf::error&) {
      me->state.resolve(id, ticket, name, std::nullopt);
    };
    if (ch.kind == api::channel_kind::bars) {
      bars_query q;
      q.instrument = ch.instrument;
      q.span = ch.span;
      q.limit = settings.snapshot_bars;
      self->request(cache, snapshot_timeout, get_bars_atom::value, q)
        .then(
          [me, id, ticket, name](const bars_reply& r) {
            me->state.resolve(id, ticket, name,
                              api::bars_snapshot_message(name, r.bars));
          },
          failed);
      return;
    }
    self->request(cache, snapshot_timeout, get_price_atom::value, ch.instrument)
      .then(
        [me, id, ticket, name](const price_reply& r) {
          auto* p = r.status == lookup_status::ok ? &r.value : nullptr;
          me->state.resolve(id, ticket, name,
                            api::price_snapshot_message(name, p));
        },
        failed);
  }

  /// An indicator channel starts: a seeded one answers at once; else the
  /// newest seed-bars stored bars come from the cache first (closed bars
  /// arriving meanwhile are held by the series, then fed after them).
  void start_indicator(client_state& c, const api::channel& ch, uint32_t slot_id) {
    auto name = ch.name();
    auto& x = indicator_of(ch);
    if (!x.series->seeded() && (!cache || indicator_cfg.seed_bars == 0))
      x.series->seed({});
    if (x.series->seeded()) {
      ++counters.snapshots;
      reply(c, indicator_snapshot(name));
      return;
    }
    auto ticket = ++next_ticket;
    c.pending.push_back(pending_snapshot{ticket, slot_id, {}, 0});
    bars_query q;
    q.instrument = ch.instrument;
    q.span = ch.span;
    q.limit = std::max(indicator_cfg.seed_bars, x.series->spec().warmup() + 1);
    auto id = c.id;
    auto me = self;
    self->request(cache, snapshot_timeout, get_bars_atom::value, q)
      .then(
        [me, id, ticket, name](const bars_reply& r) {
          me->state.seed_indicator(name, r.bars);
          me->state.resolve(id, ticket, name, me->state.indicator_snapshot(name));
        },
        [me, id, ticket, name](caf::error&) {
          me->state.seed_indicator(name, {}); // live bars from now on
          me->state.resolve(id, ticket, name, std::nullopt);
        });
  }

  /// Sends a snapshot (or, when it failed, an error) and then the events
  /// held meanwhile, unless the client left or unsubscribed.
  void resolve(uint64_t id, uint64_t ticket, const std::string& channel,
               std::optional<std::string> snapshot) {
    auto i = clients.find(id);
    if (i == clients.end() || i->second->closing)
      return;
    auto& c = *i->second;
    auto p = std::find_if(c.pending.begin(), c.pending.end(),
                          [&](const pending_snapshot& x) {
                            return x.ticket == ticket;
                          });
    if (p == c.pending.end())
      return; // unsubscribed meanwhile
    auto held = std::move(*p);
    c.pending.erase(p);
    c.held_bytes -= held.bytes;
    backlog_total -= std::min(backlog_total, held.bytes);
    if (snapshot) {
      ++counters.snapshots;
      reply(c, *snapshot);
    } else {
      reply(c, api::error_message("snapshot_unavailable",
                                  "no snapshot: the cache did not answer; "
                                  "live events follow",
                                  channel));
    }
    for (auto& [frame, key] : held.held)
      offer(c, frame, key); // no-op once the client is closing
  }

  // -- commands ----------------------------------------------------------------------

  void error_to(client_state& c, std::string_view code, std::string_view message,
                std::string_view channel = {}) {
    ++counters.bad_commands;
    reply(c, api::error_message(code, message, channel));
  }

  /// Takes a client off a channel: its slot, held events, queued updates.
  void unsubscribe(client_state& c, const api::channel& ch) {
    auto& slot = slot_of(ch);
    auto& list = slot.subscribers;
    list.erase(std::remove(list.begin(), list.end(), &c), list.end());
    for (auto p = c.pending.begin(); p != c.pending.end();) {
      if (p->channel_id == slot.id) {
        c.held_bytes -= p->bytes;
        backlog_total -= std::min(backlog_total, p->bytes);
        p = c.pending.erase(p);
      } else {
        ++p;
      }
    }
    auto before = c.backlog();
    c.out.forget([id = slot.id](frame_key k) { return of_channel(k, id); });
    backlog_total = backlog_total - before + c.backlog();
  }

  void on_command(uint64_t id, const std::string& text) {
    auto ci = clients.find(id);
    if (ci == clients.end() || ci->second->closing)
      return;
    auto& c = *ci->second;
    auto cmd = api::parse_client_command(text);
    if (!cmd) {
      error_to(c,
               cmd.err().code == errc::malformed ? "malformed" : "unknown_op",
               cmd.err().context);
      return;
    }
    using op = api::client_command::op_kind;
    if (cmd->op == op::ping) {
      reply(c, api::pong_message());
      return;
    }
    std::vector<std::string> done;
    std::vector<std::pair<api::channel, uint32_t>> fresh;
    for (auto& name : cmd->channels) {
      auto ch = api::parse_channel(name);
      if (!ch) {
        error_to(c, "invalid_channel", ch.err().context, name);
        continue;
      }
      auto canonical = ch->name();
      if (ch->kind == api::channel_kind::indicator && cmd->op == op::subscribe) {
        if (auto why = refuse_indicator(*ch)) {
          error_to(c, "invalid_channel", *why, name);
          continue;
        }
      }
      if (cmd->op == op::unsubscribe) {
        if (c.channels.erase(canonical) > 0)
          unsubscribe(c, *ch);
        done.push_back(canonical);
        continue;
      }
      if (c.channels.count(canonical) > 0) { // already live: nothing new
        done.push_back(canonical);
        continue;
      }
      if (ch->kind != api::channel_kind::status
          && known.count(ch->instrument) == 0) {
        error_to(c, "unknown_channel", "unknown instrument " + ch->instrument,
                 name);
        continue;
      }
      if (c.channels.size() >= settings.max_channels_per_client) {
        error_to(c, "too_many_channels",
                 "at most "
                   + std::to_string(settings.max_channels_per_client)
                   + " channels per client",
                 name);
        continue;
      }
      c.channels.insert(canonical);
      auto& slot = slot_of(*ch);
      slot.subscribers.push_back(&c);
      fresh.emplace_back(std::move(*ch), slot.id);
      done.push_back(canonical);
    }
    if (!done.empty())
      reply(c, cmd->op == op::subscribe ? api::subscribed_message(done)
                                        : api::unsubscribed_message(done));
    for (auto& [ch, slot_id] : fresh)
      if (!c.closing)
        start_snapshot(c, ch, slot_id);
  }

  // -- clients -----------------------------------------------------------------------

  void on_open(uint64_t id, api::ws_client handle) {
    auto c = std::make_unique<client_state>();
    c->id = id;
    c->handle = std::move(handle);
    c->out = client_send_queue<api::ws_frame>{limits};
    c->last_send_tick = tick;
    auto& ref = *c;
    clients[id] = std::move(c);
    reply(ref, hello);
    log->debug("client {} connected ({} connected)", id, clients.size());
  }

  void on_close(uint64_t id) {
    auto i = clients.find(id);
    if (i == clients.end())
      return;
    auto& c = *i->second;
    retire(c);
    for (auto& name : c.channels)
      if (auto ch = api::parse_channel(name)) {
        auto& list = slot_of(*ch).subscribers;
        list.erase(std::remove(list.begin(), list.end(), &c), list.end());
      }
    clients.erase(i);
    log->debug("client {} disconnected ({} connected)", id, clients.size());
  }

  // -- timers ------------------------------------------------------------------------

  void on_flush() {
    flush_armed = false;
    for (auto& [id, c] : clients) {
      if (c->closing || !c->out.behind())
        continue;
      auto before = c->backlog();
      auto conflated_before = c->out.conflated();
      auto& ref = *c;
      auto outcome = c->out.flush(server->buffered_bytes(c->handle),
                                  [this, &ref](const api::ws_frame& x) {
                                    return transmit(ref, x);
                                  });
      backlog_total = backlog_total - before + c->backlog();
      counters.conflated += c->out.conflated() - conflated_before;
      react(*c, outcome);
    }
    if (behind_count > 0)
      arm_flush();
    if (backlog_total > settings.max_queued_bytes)
      enforce_budget();
  }

  void on_tick() {
    ++tick;
    std::optional<api::ws_frame> beat;
    for (auto& [id, c] : clients) {
      if (c->closing)
        continue;
      // Writes drain what the server holds: keep the total honest.
      auto before = c->backlog();
      c->out.refresh(server->buffered_bytes(c->handle));
      backlog_total = backlog_total - before + c->backlog();
      if (tick - c->last_send_tick < ticks_per_heartbeat)
        continue;
      if (!beat)
        beat.emplace(api::heartbeat_message(now_ns()));
      ++counters.heartbeats;
      offer(*c, *beat, heartbeat_key);
    }
  }

  broadcaster_stats snapshot_stats() {
    auto s = counters;
    s.clients = clients.size();
    s.behind = behind_count;
    s.backlog_bytes = backlog_total;
    s.closed_idle = server->idle_closed();
    return s;
  }
};

caf::behavior broadcaster(caf::stateful_actor<broadcaster_state>* self,
                          topology topo, boost::asio::io_context* ioc,
                          std::vector<std::string> known, caf::actor cache) {
  auto& st = self->state;
  st.self = self;
  st.settings = topo.broadcaster;
  st.indicator_cfg = topo.indicators;
  st.limits.conflate_bytes = topo.broadcaster.conflate_bytes;
  st.limits.close_bytes = topo.broadcaster.client_queue_bytes;
  st.ioc = ioc;
  st.cache = std::move(cache);
  st.known.insert(known.begin(), known.end());
  api::hello_info hi;
  hi.version = TICKFLOW_VERSION;
  hi.heartbeat_ms = topo.broadcaster.heartbeat_interval_ns / 1'000'000;
  hi.max_channels = topo.broadcaster.max_channels_per_client;
  hi.snapshot_bars = topo.broadcaster.snapshot_bars;
  st.hello = api::hello_message(hi);
  st.behind_notice = api::ws_frame{api::conflation_message(true, 0)};
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
  opts.max_control_frames = topo.broadcaster.max_control_frames;
  opts.ping_interval_ns = topo.broadcaster.heartbeat_interval_ns;
  opts.idle_timeout_ns = topo.broadcaster.idle_timeout_ns;
  st.server = std::make_shared<api::ws_server>(*ioc, opts, std::move(cb));
  auto tick_every = std::chrono::nanoseconds{
    std::max<int64_t>(topo.broadcaster.heartbeat_interval_ns
                        / ticks_per_heartbeat,
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
    [=](ws_opened& x) { self->state.on_open(x.id, std::move(x.client)); },
    [=](ws_text_atom, uint64_t id, const std::string& text) {
      self->state.on_command(id, text);
    },
    [=](ws_close_atom, uint64_t id) { self->state.on_close(id); },
    [=](const event_batch& batch) {
      auto& st = self->state;
      st.stats.batches_in += 1;
      st.stats.events_in += batch.size();
      st.on_batch(batch);
      st.stats.events_out = st.counters.frames_sent;
      st.stats.dropped = st.counters.conflated;
      st.upstream.ack_or_hold(self, true);
    },
    [=](flush_atom) { self->state.on_flush(); },
    [=](drain_atom) {
      self->state.on_flush(); // what waits for a flush tick goes out now
      return true;
    },
    [=](tick_atom) {
      self->state.on_tick();
      self->delayed_send(self, tick_every, tick_atom::value);
    },
    [=](stats_atom) {
      auto& st = self->state;
      st.stats.events_out = st.counters.frames_sent;
      st.stats.dropped = st.counters.conflated;
      return st.stats;
    },
    [=](ws_stats_atom) { return self->state.snapshot_stats(); },
  };
}

} // namespace

caf::actor spawn_broadcaster(caf::actor_system& sys, const topology& topo,
                             boost::asio::io_context& ioc,
                             std::vector<std::string> known, caf::actor cache) {
  return sys.spawn(broadcaster, topo, &ioc, std::move(known), std::move(cache));
}

} // namespace tickflow
