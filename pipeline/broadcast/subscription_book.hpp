#pragma once

// The broadcaster's decisions, without sockets, timers or actors
// (docs/WEBSOCKET.md is the protocol): which client gets which frame,
// snapshots before live events, conflation of clients that fall behind,
// closing slow consumers, the global byte budget, heartbeats and the live
// indicator channels. The owner (actors/broadcaster_actor) feeds it client
// commands, event batches and timer ticks, and carries out its effects.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pipeline/broadcast/book_types.hpp"
#include "pipeline/broadcast/channel_index.hpp"
#include "pipeline/broadcast/frame_renderer.hpp"
#include "pipeline/broadcast/known_instruments.hpp"
#include "pipeline/flow/client_send_queue.hpp"
#include "pipeline/normalize/bar_resampler.hpp"

namespace tickflow::broadcast {

/// Housekeeping ticks per heartbeat interval: an idle client gets its
/// heartbeat 1 to 1.25 intervals after the last frame it was sent.
inline constexpr int64_t ticks_per_heartbeat = 4;

/// WebSocket close code of the clients the book closes (RFC 6455: policy).
inline constexpr uint16_t close_policy = 1008;

/// The subscription book of one WebSocket server.
///
/// `Transport` is the server as the book sees it:
///   using client = ...;  a handle of one connection
///   using frame = ...;   a prepared text frame: explicit frame(std::string),
///                        size_t size() const; cheap to copy (shared)
///   std::optional<size_t> enqueue(const client&, const frame&);
///                        sends; the bytes the server still holds for the
///                        client, this frame included (nullopt: gone)
///   size_t buffered_bytes(const client&);
///   void close(const client&, uint16_t code, const std::string& reason);
/// Each event is rendered once and its frame shared by every subscriber.
/// Deterministic: time comes in as tick(now_ns).
template <class Transport>
class subscription_book {
 public:
  using client_handle = typename Transport::client;
  using frame = typename Transport::frame;

  static_assert(no_key == client_send_queue<frame>::no_key);

  /// `known`: instruments clients may subscribe to before their first event
  /// (instruments seen in events join them).
  subscription_book(book_settings settings, Transport& io,
                    const frame_renderer& render,
                    const std::vector<std::string>& known)
    : settings_(std::move(settings)),
      io_(io),
      render_(render),
      index_(settings_.indicators),
      known_(known, settings_.max_instruments),
      hello_(render.hello()),
      behind_notice_(render.conflation(true, 0)) {
    // nop
  }

  // -- clients -----------------------------------------------------------------------

  /// A client connected: it gets the hello.
  void open(uint64_t id, client_handle link) {
    auto c = std::make_unique<client>();
    c->id = id;
    c->link = std::move(link);
    c->out = client_send_queue<frame>{settings_.limits};
    c->last_send_tick = tick_;
    auto& ref = *c;
    clients_[id] = std::move(c);
    reply(ref, hello_);
    notice(client_notice::what::connected, id);
  }

  /// A client is gone (closed by either side).
  void close(uint64_t id) {
    auto i = clients_.find(id);
    if (i == clients_.end())
      return;
    auto& c = *i->second;
    retire(c);
    for (auto& name : c.channels)
      if (auto ch = parse_channel(name))
        index_.remove(*ch, c);
    clients_.erase(i);
    notice(client_notice::what::disconnected, id);
  }

  /// A client's command, parsed (or why it could not be): answers,
  /// subscribes, and asks for the snapshots of new channels.
  void command(uint64_t id, const result<client_command>& cmd) {
    auto ci = clients_.find(id);
    if (ci == clients_.end() || ci->second->closing)
      return;
    auto& c = *ci->second;
    if (!cmd) {
      error_to(c, cmd.err().code == errc::malformed ? "malformed" : "unknown_op",
               cmd.err().context);
      return;
    }
    using op = client_command::op_kind;
    if (cmd->op == op::ping) {
      reply(c, render_.pong());
      return;
    }
    if (cmd->op == op::resync) {
      for (auto& name : cmd->channels) {
        auto ch = parse_channel(name);
        if (!ch)
          error_to(c, "invalid_channel", ch.err().context, name);
        else if (c.channels.count(ch->name()) == 0)
          error_to(c, "not_subscribed", "resync needs a subscribed channel", name);
        else
          resnapshot(c, *ch, {});
      }
      return;
    }
    std::vector<std::string> done;
    std::vector<std::pair<channel, uint32_t>> fresh;
    for (auto& name : cmd->channels) {
      auto ch = parse_channel(name);
      if (!ch) {
        error_to(c, "invalid_channel", ch.err().context, name);
        continue;
      }
      auto canonical = ch->name();
      if (ch->kind == channel_kind::indicator && cmd->op == op::subscribe) {
        if (auto why = index_.refuse_indicator(*ch)) {
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
      if (ch->kind != channel_kind::status && !known_.contains(ch->instrument)) {
        error_to(c, "unknown_channel", "unknown instrument " + ch->instrument, name);
        continue;
      }
      if (c.channels.size() >= settings_.max_channels_per_client) {
        error_to(c, "too_many_channels",
                 "at most " + std::to_string(settings_.max_channels_per_client)
                   + " channels per client",
                 name);
        continue;
      }
      c.channels.insert(canonical);
      auto slot_id = index_.add(*ch, c);
      fresh.emplace_back(std::move(*ch), slot_id);
      done.push_back(canonical);
    }
    if (!done.empty())
      reply(c, cmd->op == op::subscribe ? render_.subscribed(done)
                                        : render_.unsubscribed(done));
    for (auto& [ch, slot_id] : fresh)
      if (!c.closing)
        start_snapshot(c, ch, slot_id);
  }

  // -- events ------------------------------------------------------------------------

  /// Fans a batch out to the subscribers of its channels.
  void events(const event_batch& batch) {
    known_.next_batch();
    // Built once per batch: only a new instrument past the cap calls it.
    const std::function<bool(const std::string&)> followed =
      [this](const std::string& x) { return index_.find(x) != nullptr; };
    for (auto& t : batch.trades)
      known_.seen(t.instrument, followed);
    for (auto& q : batch.quotes)
      known_.seen(q.instrument, followed);
    for (auto& b : batch.bars)
      known_.seen(b.instrument, followed);
    for (auto& s : batch.statuses) {
      ++counters_.statuses;
      index_.remember(s);
    }
    if (clients_.empty())
      return;
    for (auto& t : batch.trades)
      if (auto* x = index_.find(t.instrument))
        fan_out(x->trades, x->trades.key(), [&] { return render_.event(t); });
    for (auto& q : batch.quotes)
      if (auto* x = index_.find(q.instrument))
        fan_out(x->quotes, x->quotes.key(), [&] { return render_.event(q); });
    for (auto& b : batch.bars)
      if (auto* x = index_.find(b.instrument)) {
        if (auto j = x->bars.find(b.span); j != x->bars.end())
          fan_out(j->second, bar_key(j->second, b), [&] { return render_.event(b); });
        resample_live(*x, b);
      }
    index_.on_closed_bars(batch.bars, [&](const indicator_slot& x,
                                          const std::string& name,
                                          const indicators::point& p) {
      fan_out(x.slot, x.slot.key(), [&] {
        return render_.indicator(name, x.series->spec().kind, p);
      });
    });
    for (auto& s : batch.statuses)
      on_status(s);
    if (backlog_total_ > settings_.max_queued_bytes)
      enforce_budget();
  }

  /// Events were lost before they reached this node (a Redis stream trimmed
  /// past it): every channel of an `affected` instrument gets a gap message
  /// and a fresh snapshot; its live events are held until the snapshot.
  void gap(const std::function<bool(const std::string&)>& affected,
           std::string_view reason) {
    for (auto& [id, c] : clients_) {
      if (c->closing)
        continue;
      for (auto& name : c->channels) {
        auto ch = parse_channel(name);
        if (ch && ch->kind != channel_kind::status && affected(ch->instrument))
          resnapshot(*c, *ch, render_.gap(name, reason));
      }
    }
  }

  // -- snapshots ---------------------------------------------------------------------

  /// The cache's last price (nullptr: none) for a price request.
  void answer(const snapshot_request& r, const price* last) {
    resolve(r, render_.price_snapshot(r.name, last));
  }

  /// The cache's bars for a bars or indicator request.
  void answer(const snapshot_request& r, const std::vector<bar>& bars) {
    if (r.from == snapshot_request::source::indicator) {
      index_.seed_indicator(r.ch, bars);
      resolve(r, indicator_snapshot(r.ch, r.name));
      return;
    }
    resolve(r, render_.bars_snapshot(r.name, bars));
  }

  /// The cache did not answer: the channel goes live without a snapshot
  /// (an indicator from live bars only).
  void fail(const snapshot_request& r) {
    if (r.from == snapshot_request::source::indicator)
      index_.seed_indicator(r.ch, {});
    resolve(r, std::nullopt);
  }

  // -- timers ------------------------------------------------------------------------

  /// Every conflate-interval while a client is behind: sends what waits.
  void flush() {
    for (auto& [id, c] : clients_) {
      if (c->closing || !c->out.behind())
        continue;
      auto before = c->backlog();
      auto conflated_before = c->out.conflated();
      auto& ref = *c;
      auto outcome = c->out.flush(io_.buffered_bytes(c->link),
                                  [this, &ref](const frame& x) {
                                    return transmit(ref, x);
                                  });
      backlog_total_ = backlog_total_ - before + c->backlog();
      counters_.conflated += c->out.conflated() - conflated_before;
      react(*c, outcome);
    }
    if (behind_count_ > 0)
      fx_.arm_flush = true;
    if (backlog_total_ > settings_.max_queued_bytes)
      enforce_budget();
  }

  /// Every heartbeat-interval / ticks_per_heartbeat: refreshes backlogs and
  /// sends heartbeats to clients sent nothing for a heartbeat interval.
  void tick(int64_t now_ns) {
    ++tick_;
    // Resampled series nobody follows any more are dropped.
    resampled_.retain([this](const std::string& id, interval iv) {
      auto* x = index_.find(id);
      return x != nullptr && x->bars.count(iv) > 0;
    });
    std::optional<frame> beat;
    for (auto& [id, c] : clients_) {
      if (c->closing)
        continue;
      // Writes drain what the server holds: keep the total honest.
      auto before = c->backlog();
      c->out.refresh(io_.buffered_bytes(c->link));
      backlog_total_ = backlog_total_ - before + c->backlog();
      if (tick_ - c->last_send_tick < ticks_per_heartbeat)
        continue;
      if (!beat)
        beat.emplace(render_.heartbeat(now_ns));
      ++counters_.heartbeats;
      offer(*c, *beat, heartbeat_key);
    }
  }

  // -- results -----------------------------------------------------------------------

  /// What the owner must do now (ask the cache, log, arm the flush timer).
  book_effects take_effects() { return std::exchange(fx_, book_effects{}); }

  /// Counters; closed_idle is the server's to fill in.
  broadcaster_stats stats() const {
    auto s = counters_;
    s.clients = clients_.size();
    s.behind = behind_count_;
    s.backlog_bytes = backlog_total_;
    s.instruments = known_.size();
    s.instruments_evicted = known_.evicted();
    return s;
  }

 private:
  /// Feeds `b` to the bars channels of `x` whose interval nobody builds and
  /// that are resampled from b's interval (live_source).
  void resample_live(instrument_slots& x, const bar& b) {
    if (settings_.live_spans.empty())
      return;
    for (auto& [span, slot] : x.bars) {
      if (span == b.span || live_source(span, settings_.live_spans) != b.span)
        continue;
      if (std::find(settings_.live_spans.begin(), settings_.live_spans.end(), span)
          != settings_.live_spans.end())
        continue; // built live itself
      if (auto* c = resampled_.add(b, span))
        fan_out(slot, bar_key(slot, *c), [&] { return render_.event(*c); });
    }
  }

  /// Live events of a channel that arrived while its snapshot was on its way.
  struct pending_snapshot {
    uint64_t ticket = 0;
    uint32_t channel_id = 0;
    uint64_t seq = 0; ///< the channel's seq when asked: the snapshot's

    std::vector<std::pair<frame, frame_key>> held;
    size_t bytes = 0;
  };

  struct client : subscriber {
    client_handle link;
    client_send_queue<frame> out;
    std::vector<pending_snapshot> pending;
    size_t held_bytes = 0;            ///< in pending[].held
    int64_t last_send_tick = 0;
    uint64_t conflated_at_behind = 0; ///< out.conflated() when it fell behind
    bool closing = false;             ///< closed by us or gone: no more sends

    size_t backlog() const noexcept { return out.backlog() + held_bytes; }
  };

  void notice(client_notice::what kind, uint64_t id, size_t bytes = 0,
              std::string reason = {}) {
    fx_.notices.push_back(client_notice{kind, id, bytes, clients_.size(),
                                        std::move(reason)});
  }

  // -- sending -----------------------------------------------------------------------

  /// Hands a frame to the server for one client; the client's unsent bytes.
  std::optional<size_t> transmit(client& c, const frame& f) {
    auto unsent = io_.enqueue(c.link, f);
    if (unsent)
      ++counters_.frames_sent;
    return unsent;
  }

  /// Offers a frame to a client's send queue and acts on the outcome.
  void offer(client& c, const frame& f, frame_key key) {
    if (c.closing)
      return;
    auto before = c.backlog();
    auto conflated_before = c.out.conflated();
    auto outcome = c.out.offer(f, f.size(), key,
                               [this, &c](const frame& x) { return transmit(c, x); });
    c.last_send_tick = tick_;
    backlog_total_ = backlog_total_ - before + c.backlog();
    counters_.conflated += c.out.conflated() - conflated_before;
    react(c, outcome);
  }

  /// A client-specific message (reply, snapshot, heartbeat).
  void reply(client& c, std::string text, frame_key key = no_key) {
    offer(c, frame{std::move(text)}, key);
  }

  void react(client& c, send_outcome outcome) {
    switch (outcome) {
      case send_outcome::fell_behind:
        ++behind_count_;
        c.conflated_at_behind = c.out.conflated();
        transmit(c, behind_notice_); // at once: the client learns why
        notice(client_notice::what::behind, c.id, c.out.unsent());
        fx_.arm_flush = true;
        return;
      case send_outcome::caught_up:
        --behind_count_;
        transmit(c, frame{render_.conflation(false, c.out.conflated()
                                                      - c.conflated_at_behind)});
        notice(client_notice::what::caught_up, c.id);
        return;
      case send_outcome::close:
        ++counters_.closed_slow;
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
  void retire(client& c) {
    if (c.closing)
      return;
    c.closing = true;
    backlog_total_ -= std::min(backlog_total_, c.backlog());
    if (c.out.behind())
      --behind_count_;
  }

  /// Closes a client with 1008; it leaves on its close (close()).
  void close_client(client& c, const std::string& reason) {
    if (c.closing)
      return;
    auto backlog = c.backlog();
    retire(c);
    notice(client_notice::what::closed, c.id, backlog, reason);
    io_.close(c.link, close_policy, reason);
  }

  /// Delivers a channel's live event, or holds it while the channel's
  /// snapshot is on its way.
  void deliver(client& c, const frame& f, frame_key key, uint32_t channel_id) {
    if (c.closing)
      return;
    for (auto& p : c.pending) {
      if (p.channel_id != channel_id)
        continue;
      p.held.emplace_back(f, key);
      p.bytes += f.size();
      c.held_bytes += f.size();
      backlog_total_ += f.size();
      if (c.backlog() > settings_.limits.close_bytes) {
        ++counters_.closed_slow;
        close_client(c, "slow consumer");
      }
      return;
    }
    offer(c, f, key);
  }

  /// Ends a rendered object with ,"seq":N} (its last byte is its '}').
  static std::string with_seq(std::string text, uint64_t seq) {
    if (text.empty() || text.back() != '}')
      return text;
    text.back() = ',';
    text += "\"seq\":";
    text += std::to_string(seq);
    text += '}';
    return text;
  }

  /// Sends one event to a channel's subscribers; the frame is built once,
  /// and only if someone listens.
  template <class MakeText>
  void fan_out(const channel_slot& slot, frame_key key, MakeText&& make) {
    if (slot.subscribers.empty())
      return;
    frame f{with_seq(make(), ++slot.seq)};
    for (auto* s : slot.subscribers)
      deliver(static_cast<client&>(*s), f, key, slot.id);
  }

  /// Over max-queued-bytes: refresh every backlog, then close the largest
  /// until the total fits.
  void enforce_budget() {
    std::vector<backlog_entry> entries;
    entries.reserve(clients_.size());
    for (auto& [id, c] : clients_) {
      if (c->closing)
        continue;
      auto before = c->backlog();
      c->out.refresh(io_.buffered_bytes(c->link));
      backlog_total_ = backlog_total_ - before + c->backlog();
      entries.push_back({id, c->backlog()});
    }
    for (auto id : over_budget(std::move(entries), settings_.max_queued_bytes)) {
      ++counters_.closed_overload;
      close_client(*clients_.at(id), "server overloaded");
    }
  }

  /// A status goes to "status:<provider>" and to "status:*" (once per
  /// client). Statuses are never conflated.
  void on_status(const feed_status& s) {
    auto* own_slot = index_.status_slot(to_string(s.source));
    auto& all = index_.all_statuses();
    bool any = (own_slot && !own_slot->subscribers.empty()) || !all.subscribers.empty();
    if (!any)
      return;
    auto own = channel_of(s);
    auto text = render_.event(s);
    if (own_slot && !own_slot->subscribers.empty()) {
      frame f{with_seq(text, ++own_slot->seq)};
      for (auto* c : own_slot->subscribers)
        deliver(static_cast<client&>(*c), f, no_key, own_slot->id);
    }
    if (!all.subscribers.empty()) {
      frame f{with_seq(std::move(text), ++all.seq)};
      for (auto* c : all.subscribers)
        if (c->channels.count(own) == 0)
          deliver(static_cast<client&>(*c), f, no_key, all.id);
    }
  }

  // -- commands and snapshots ----------------------------------------------------------

  void error_to(client& c, std::string_view code, std::string_view message,
                std::string_view channel = {}) {
    ++counters_.bad_commands;
    reply(c, render_.error(code, message, channel));
  }

  /// Takes a client off a channel: its slot, held events, queued updates.
  void unsubscribe(client& c, const channel& ch) {
    auto slot_id = index_.remove(ch, c);
    for (auto p = c.pending.begin(); p != c.pending.end();) {
      if (p->channel_id == slot_id) {
        c.held_bytes -= p->bytes;
        backlog_total_ -= std::min(backlog_total_, p->bytes);
        p = c.pending.erase(p);
      } else {
        ++p;
      }
    }
    auto before = c.backlog();
    c.out.forget([slot_id](frame_key k) { return of_channel(k, slot_id); });
    backlog_total_ = backlog_total_ - before + c.backlog();
  }

  /// Starts the snapshot of a channel just subscribed; its live events are
  /// held until the snapshot went out.
  void start_snapshot(client& c, const channel& ch, uint32_t slot_id) {
    auto name = ch.name();
    auto seq = index_.slot_of(ch).seq;
    if (ch.kind == channel_kind::status) {
      ++counters_.snapshots;
      reply(c, with_seq(render_.status_snapshot(name, index_.statuses_for(ch.instrument)),
                        seq));
      return;
    }
    if (ch.kind == channel_kind::indicator) {
      start_indicator(c, ch, slot_id, std::move(name));
      return;
    }
    if (ch.kind == channel_kind::bars && settings_.snapshot_bars == 0) {
      ++counters_.snapshots;
      reply(c, with_seq(render_.bars_snapshot(name, {}), seq));
      return;
    }
    if (!settings_.has_cache) {
      ++counters_.snapshots;
      reply(c, with_seq(render_.price_snapshot(name, nullptr), seq));
      return;
    }
    auto bars = ch.kind == channel_kind::bars;
    ask(c, slot_id, bars ? snapshot_request::source::bars : snapshot_request::source::price,
        ch, std::move(name), bars ? settings_.snapshot_bars : 0);
  }

  /// A subscribed channel starts over: `notice` (unless empty), then a
  /// fresh snapshot (nothing when one is on its way already: it is fresh).
  void resnapshot(client& c, const channel& ch, std::string notice) {
    auto slot_id = index_.slot_of(ch).id;
    for (auto& p : c.pending)
      if (p.channel_id == slot_id)
        return;
    ++counters_.gaps;
    if (!notice.empty())
      reply(c, std::move(notice));
    start_snapshot(c, ch, slot_id);
  }

  /// An indicator channel starts: a seeded one answers at once; else the
  /// newest seed-bars stored bars come from the cache first (closed bars
  /// arriving meanwhile are held by the series, then fed after them).
  void start_indicator(client& c, const channel& ch, uint32_t slot_id, std::string name) {
    auto& x = index_.indicator_of(ch);
    auto seed_bars = settings_.indicators.seed_bars;
    if (!x.series->seeded() && (!settings_.has_cache || seed_bars == 0))
      x.series->seed({});
    if (x.series->seeded()) {
      ++counters_.snapshots;
      reply(c, with_seq(indicator_snapshot(ch, name), x.slot.seq));
      return;
    }
    ask(c, slot_id, snapshot_request::source::indicator, ch, std::move(name),
        std::max(seed_bars, x.series->spec().warmup() + 1));
  }

  void ask(client& c, uint32_t slot_id, snapshot_request::source from,
           const channel& ch, std::string name, size_t limit) {
    auto ticket = ++next_ticket_;
    c.pending.push_back(pending_snapshot{ticket, slot_id, index_.slot_of(ch).seq, {}, 0});
    fx_.snapshots.push_back(
      snapshot_request{from, c.id, ticket, ch, std::move(name), limit});
  }

  /// The snapshot of an indicator channel: its newest value.
  std::string indicator_snapshot(const channel& ch, const std::string& name) {
    auto& x = index_.indicator_of(ch);
    auto& series = *x.series;
    return render_.indicator_snapshot(name, series.spec().kind, series.last(),
                                      series.spec().warmup(), series.bars_fed());
  }

  /// Sends a snapshot (or, when it failed, an error) and then the events
  /// held meanwhile, unless the client left or unsubscribed.
  void resolve(const snapshot_request& r, std::optional<std::string> snapshot) {
    auto i = clients_.find(r.client);
    if (i == clients_.end() || i->second->closing)
      return;
    auto& c = *i->second;
    auto p = std::find_if(c.pending.begin(), c.pending.end(),
                          [&](const pending_snapshot& x) { return x.ticket == r.ticket; });
    if (p == c.pending.end())
      return; // unsubscribed meanwhile
    auto held = std::move(*p);
    c.pending.erase(p);
    c.held_bytes -= held.bytes;
    backlog_total_ -= std::min(backlog_total_, held.bytes);
    if (snapshot) {
      ++counters_.snapshots;
      reply(c, with_seq(std::move(*snapshot), held.seq));
    } else {
      reply(c, render_.error("snapshot_unavailable",
                             "no snapshot: the cache did not answer; "
                             "live events follow",
                             r.name));
    }
    for (auto& [f, key] : held.held)
      offer(c, f, key); // no-op once the client is closing
  }

  book_settings settings_;
  Transport& io_;
  const frame_renderer& render_;
  channel_index index_;
  known_instruments known_;
  live_resampler resampled_; ///< bars channels of intervals not built live
  std::unordered_map<uint64_t, std::unique_ptr<client>> clients_;
  std::string hello_;
  frame behind_notice_;
  uint64_t next_ticket_ = 0;
  int64_t tick_ = 0;
  size_t backlog_total_ = 0; ///< sum of the open clients' backlog()
  uint64_t behind_count_ = 0;
  broadcaster_stats counters_;
  book_effects fx_;
};

} // namespace tickflow::broadcast
