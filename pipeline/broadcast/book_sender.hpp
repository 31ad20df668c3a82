#pragma once

// The subscription book's clients and how frames reach them: each client's
// send queue, conflation and closing of slow consumers, the global byte
// budget, live events held while a channel's snapshot is on its way, and
// the per-channel seq every event and snapshot carries. The base of
// book_snapshots and subscription_book (subscription_book.hpp explains the
// Transport).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pipeline/broadcast/book_types.hpp"
#include "pipeline/broadcast/channel_index.hpp"
#include "pipeline/broadcast/frame_renderer.hpp"
#include "pipeline/flow/client_send_queue.hpp"

namespace tickflow::broadcast {

/// WebSocket close code of the clients the book closes (RFC 6455: policy).
inline constexpr uint16_t close_policy = 1008;

/// Live events of a channel that arrived while its snapshot was on its way.
template <class Frame>
struct pending_snapshot {
  uint64_t ticket = 0;
  uint32_t channel_id = 0;
  uint64_t seq = 0; ///< the channel's seq when asked: the snapshot's

  std::vector<std::pair<Frame, frame_key>> held;
  size_t bytes = 0;
};

/// One connected client of the book: its link, send queue, channels (in
/// subscriber) and the snapshots it waits for.
template <class Handle, class Frame>
struct book_client : subscriber {
  Handle link;
  client_send_queue<Frame> out;
  std::vector<pending_snapshot<Frame>> pending;
  size_t held_bytes = 0;            ///< in pending[].held
  int64_t last_send_tick = 0;
  uint64_t conflated_at_behind = 0; ///< out.conflated() when it fell behind
  bool closing = false;             ///< closed by us or gone: no more sends

  size_t backlog() const noexcept { return out.backlog() + held_bytes; }
};

/// Ends a rendered object with ,"seq":N} (its last byte is its '}').
inline std::string with_seq(std::string text, uint64_t seq) {
  if (text.empty() || text.back() != '}')
    return text;
  text.back() = ',';
  text += "\"seq\":";
  text += std::to_string(seq);
  text += '}';
  return text;
}

/// The clients of one WebSocket server and the sending to them.
template <class Transport>
class book_sender {
 protected:
  using client_handle = typename Transport::client;
  using frame = typename Transport::frame;
  using client = book_client<client_handle, frame>;

  book_sender(book_settings settings, Transport& io, const frame_renderer& render)
    : settings_(std::move(settings)),
      io_(io),
      render_(render),
      behind_notice_(render.conflation(true, 0)) {
    // nop
  }

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

  void error_to(client& c, std::string_view code, std::string_view message,
                std::string_view channel = {}) {
    ++counters_.bad_commands;
    reply(c, render_.error(code, message, channel));
  }

  book_settings settings_;
  Transport& io_;
  const frame_renderer& render_;
  std::unordered_map<uint64_t, std::unique_ptr<client>> clients_;
  frame behind_notice_;
  int64_t tick_ = 0;
  size_t backlog_total_ = 0; ///< sum of the open clients' backlog()
  uint64_t behind_count_ = 0;
  broadcaster_stats counters_;
  book_effects fx_;
};

} // namespace tickflow::broadcast
