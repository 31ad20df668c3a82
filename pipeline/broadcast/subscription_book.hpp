#pragma once

// The broadcaster's decisions, without sockets, timers or actors
// (docs/WEBSOCKET.md is the protocol): which client gets which frame,
// snapshots before live events, conflation of clients that fall behind,
// closing slow consumers, the global byte budget, heartbeats and the live
// indicator channels. The owner (actors/broadcaster_actor) feeds it client
// commands, event batches and timer ticks, and carries out its effects.
// In three layers: book_sender.hpp (clients, sending, conflation, budget,
// seq), book_snapshots.hpp (snapshots, resync, gaps) and this one
// (commands, events, statuses, timers, counters).

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

#include "pipeline/broadcast/book_snapshots.hpp"
#include "pipeline/broadcast/book_types.hpp"
#include "pipeline/normalize/bar_resampler.hpp"

namespace tickflow::broadcast {

/// Housekeeping ticks per heartbeat interval: an idle client gets its
/// heartbeat 1 to 1.25 intervals after the last frame it was sent.
inline constexpr int64_t ticks_per_heartbeat = 4;

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
class subscription_book : public book_snapshots<Transport> {
  using base = book_snapshots<Transport>;
  using typename base::client;
  using base::backlog_total_;
  using base::behind_count_;
  using base::clients_;
  using base::counters_;
  using base::enforce_budget;
  using base::error_to;
  using base::fan_out;
  using base::fx_;
  using base::index_;
  using base::io_;
  using base::known_;
  using base::notice;
  using base::offer;
  using base::react;
  using base::reply;
  using base::render_;
  using base::resnapshot;
  using base::retire;
  using base::settings_;
  using base::start_snapshot;
  using base::tick_;
  using base::transmit;
  using base::deliver;
  using base::books_;

 public:
  using client_handle = typename Transport::client;
  using frame = typename Transport::frame;

  static_assert(no_key == client_send_queue<frame>::no_key);

  /// `known`: instruments clients may subscribe to before their first event
  /// (instruments seen in events join them).
  subscription_book(book_settings settings, Transport& io,
                    const frame_renderer& render,
                    const std::vector<std::string>& known)
    : base(std::move(settings), io, render, known), hello_(render.hello()) {
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

  /// Applies a book update to the mirrored books and sends each book
  /// channel of its instrument the changes of its own top levels (a client
  /// that is behind gets a fresh snapshot instead, conflated per channel)
  /// and book_top the best bid/ask when it changed.
  void book(const book_update& u) {
    known_.seen(u.instrument, [this](const std::string& x) {
      return index_.find(x) != nullptr;
    });
    auto* x = clients_.empty() ? nullptr : index_.find(u.instrument);
    bool tops = x != nullptr && !x->book_top.subscribers.empty();
    std::vector<std::pair<size_t, book::book_view>> before; // by depth
    if (x != nullptr)
      for (auto& [depth, slot] : x->books)
        if (!slot.subscribers.empty())
          before.emplace_back(depth, books_.top(u.instrument, depth)
                                       .value_or(book::book_view{}));
    std::optional<book::book_view> top_before;
    if (tops)
      top_before = books_.top(u.instrument, 1).value_or(book::book_view{});
    if (books_.apply(u) != book::store_outcome::applied)
      return;
    for (auto& [depth, old] : before)
      book_changes(x->books[depth], u.instrument, depth, old);
    if (tops)
      book_top_change(x->book_top, u.instrument, *top_before);
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

  // -- books -------------------------------------------------------------------------

  /// Sends one book channel its changes since `old` (nothing when its top
  /// levels did not change).
  void book_changes(channel_slot& slot, const std::string& instrument, size_t depth,
                    const book::book_view& old) {
    channel ch;
    ch.kind = channel_kind::book;
    ch.instrument = instrument;
    ch.depth = depth;
    auto now = *books_.top(instrument, ch.depth);
    std::vector<book_level> bids;
    std::vector<book_level> asks;
    book::diff_levels(book::side::bid, old.bids, now.bids, bids);
    book::diff_levels(book::side::ask, old.asks, now.asks, asks);
    if (bids.empty() && asks.empty() && old.crossed == now.crossed
        && old.update_id != 0)
      return;
    auto name = ch.name();
    frame delta{with_seq(render_.book_delta(name, now, bids, asks), ++slot.seq)};
    std::optional<frame> fresh;
    for (auto* s : slot.subscribers) {
      auto& c = static_cast<client&>(*s);
      if (!c.out.behind()) {
        deliver(c, delta, no_key, slot.id);
        continue;
      }
      // Behind: deltas would pile up; the newest snapshot replaces them.
      if (!fresh)
        fresh.emplace(with_seq(render_.book_snapshot(name, now, ch.depth), slot.seq));
      deliver(c, *fresh, slot.key(), slot.id);
    }
  }

  /// Sends book_top subscribers the best bid/ask when it changed.
  void book_top_change(channel_slot& slot, const std::string& instrument,
                       const book::book_view& old) {
    auto now = *books_.top(instrument, 1);
    if (old.bids == now.bids && old.asks == now.asks && old.crossed == now.crossed)
      return;
    channel ch;
    ch.kind = channel_kind::book_top;
    ch.instrument = instrument;
    auto name = ch.name();
    fan_out(slot, slot.key(), [&] { return render_.book_top(name, now, false); });
  }

  // -- commands ----------------------------------------------------------------------

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

  live_resampler resampled_; ///< bars channels of intervals not built live
  std::string hello_;
};

} // namespace tickflow::broadcast
