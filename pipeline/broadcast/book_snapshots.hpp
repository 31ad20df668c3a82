#pragma once

// The subscription book's snapshots and resyncs: a channel just subscribed,
// a client's {"op":"resync"} and a gap (events lost before this node) each
// start a snapshot; the channel's live events are held until it went out,
// and the snapshot carries the channel's seq at the time it was asked, so
// the events after it continue the count. The base of subscription_book.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/broadcast/book_sender.hpp"
#include "pipeline/broadcast/known_instruments.hpp"

namespace tickflow::broadcast {

/// Snapshots, resyncs and gaps of one WebSocket server's book.
template <class Transport>
class book_snapshots : public book_sender<Transport> {
  using base = book_sender<Transport>;

 public:
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

 protected:
  using typename base::client;
  using pending = pending_snapshot<typename base::frame>;
  using base::clients_;
  using base::counters_;
  using base::fx_;
  using base::render_;
  using base::reply;
  using base::settings_;
  using base::backlog_total_;
  using base::offer;

  book_snapshots(book_settings settings, Transport& io, const frame_renderer& render,
                 const std::vector<std::string>& known)
    : base(std::move(settings), io, render),
      index_(settings_.indicators),
      known_(known, settings_.max_instruments),
      books_(settings_.books) {
    // nop
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
    if (ch.kind == channel_kind::book || ch.kind == channel_kind::book_top) {
      ++counters_.snapshots; // the mirrored book answers at once
      reply(c, with_seq(book_snapshot_text(ch, name), seq));
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
    c.pending.push_back(pending{ticket, slot_id, index_.slot_of(ch).seq, {}, 0});
    fx_.snapshots.push_back(
      snapshot_request{from, c.id, ticket, ch, std::move(name), limit});
  }

  /// The snapshot of a book or book_top channel (an empty book with
  /// update id 0 before the first update).
  std::string book_snapshot_text(const channel& ch, const std::string& name) {
    auto depth = ch.kind == channel_kind::book ? ch.depth : 1;
    auto v = books_.top(ch.instrument, depth);
    if (!v) {
      v.emplace();
      v->instrument = ch.instrument;
    }
    return ch.kind == channel_kind::book ? render_.book_snapshot(name, *v, depth)
                                         : render_.book_top(name, *v, true);
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
                          [&](const pending& x) { return x.ticket == r.ticket; });
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

  channel_index index_;
  known_instruments known_;
  /// A mirror of the books actor's books: book snapshots answer at once
  /// and every delta is the diff of a channel's own top levels.
  book::book_store books_;
  uint64_t next_ticket_ = 0;
};

} // namespace tickflow::broadcast
