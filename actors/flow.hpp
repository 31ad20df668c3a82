#pragma once

// Credit-based backpressure between pipeline stages.
//
// Every link allows at most `bound` batches in flight. The receiver acks a
// batch once it has handled it and its own downstream links have room; while
// they are full it holds the ack back, so a slow sink slows its upstream all
// the way to the provider, whose overflow policy then decides (block or drop).
// Queues stay bounded without any lock shared between actors.

#include <chrono>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include <caf/all.hpp>

#include "actors/messages.hpp"

namespace tickflow {

// -- shared interfaces ----------------------------------------------------------
// The message shapes many actors share; each actor's own alias (next to its
// spawn function) extends them, so a stage can hold "any downstream that
// takes event_batch" as a typed handle.

/// Anything that reports its counters: every pipeline stage.
using stats_actor =
  caf::typed_actor<caf::replies_to<stats_atom>::with<stage_stats>>;

/// The upstream side of a link: it takes the acks (credit) of what it sent.
using upstream_actor = caf::typed_actor<caf::reacts_to<ack_atom>>;

/// The downstream side of a link: takes event_batch (and acks its sender),
/// answers a drain marker once everything before it has passed (true) or a
/// later stage failed (false), and reports its counters.
using batch_sink_actor =
  stats_actor::extend<caf::reacts_to<event_batch>,
                      caf::replies_to<drain_atom>::with<bool>>;

/// Where quarantined events go (oldest first): the validators send theirs
/// to the storage writer and the cache writer (streams, for other nodes); a
/// gateway's subscriber sends other nodes' to its validator 0.
using quarantine_sink_actor = caf::typed_actor<
  caf::reacts_to<quarantine_atom, std::vector<quarantined_event>>>;

/// What a typed behaviour function returns after quit() while starting: no
/// handlers (typed_behavior's default constructor is private in CAF 0.17).
template <class Handle>
typename Handle::behavior_type no_behavior() {
  return {typename Handle::behavior_type::unsafe_init{}, caf::behavior{}};
}

/// The sending side of one link.
class flow_link {
 public:
  flow_link() = default;
  flow_link(batch_sink_actor dest, size_t bound)
    : dest_(std::move(dest)), bound_(bound) {}

  const batch_sink_actor& dest() const noexcept { return dest_; }
  bool has_credit() const noexcept { return inflight_ < bound_; }
  size_t inflight() const noexcept { return inflight_; }

  /// True if `sender` is this link's receiver (an ack belongs to this link).
  bool is(const caf::strong_actor_ptr& sender) const noexcept {
    return dest_ && sender == caf::actor_cast<caf::strong_actor_ptr>(dest_);
  }

  /// Sends a batch (or any message) and takes one credit.
  template <class Self, class... Ts>
  void send(Self* self, Ts&&... xs) {
    ++inflight_;
    self->send(dest_, std::forward<Ts>(xs)...);
  }

  /// Sends an already built message (one event_batch shared by several
  /// links, copy-on-write) and takes one credit. The same mailbox path as
  /// send(); a typed send() cannot take a caf::message, whose content is
  /// only known at run time.
  template <class Self>
  void send_shared(Self* self, const caf::message& msg) {
    ++inflight_;
    caf::detail::profiled_send(self, self->ctrl(), dest_, caf::make_message_id(),
                               {}, self->context(), msg);
  }

  void acked() noexcept {
    if (inflight_ > 0)
      --inflight_;
  }

  /// Forgets in-flight batches (the receiver died and was replaced).
  void reset(batch_sink_actor dest) {
    dest_ = std::move(dest);
    inflight_ = 0;
  }

 private:
  batch_sink_actor dest_;
  size_t bound_ = 1;
  size_t inflight_ = 0;
};

/// Acks a stage owes its upstream, held while its downstream is full.
class held_acks {
 public:
  /// Acks the current sender now, or holds the ack if `can_ack` is false.
  template <class Self>
  void ack_or_hold(Self* self, bool can_ack) {
    auto& sender = self->current_sender();
    if (!sender)
      return;
    if (can_ack)
      self->send(caf::actor_cast<upstream_actor>(sender), ack_atom::value);
    else
      held_.push_back(sender);
  }

  /// Releases every held ack (call when the downstream has room again).
  template <class Self>
  void release(Self* self) {
    for (auto& up : held_)
      self->send(caf::actor_cast<upstream_actor>(up), ack_atom::value);
    held_.clear();
  }

  size_t size() const noexcept { return held_.size(); }

 private:
  std::vector<caf::strong_actor_ptr> held_;
};

/// How long one stage waits for the stages after it to drain (the whole stop
/// is bounded by [supervisor] stop-timeout in main).
inline constexpr auto drain_timeout = std::chrono::minutes{10};

/// Answers a drain marker once every actor of `next` has answered its own:
/// a stage's marker follows everything it sent before, so `true` means all
/// of that has passed the rest of the pipeline. `false` if one failed.
template <class Self>
caf::result<bool> drain_through(Self* self,
                                const std::vector<batch_sink_actor>& next) {
  auto rp = self->template make_response_promise<bool>();
  auto pending = std::make_shared<size_t>(0);
  auto ok = std::make_shared<bool>(true);
  for (auto& a : next)
    if (a)
      *pending += 1;
  if (*pending == 0) {
    rp.deliver(true);
    return rp;
  }
  auto done = [=](bool fine) mutable {
    *ok = *ok && fine;
    if (--*pending == 0)
      rp.deliver(*ok);
  };
  for (auto& a : next)
    if (a)
      self->request(a, drain_timeout, drain_atom::value)
        .then([=](bool fine) mutable { done(fine); },
              [=](caf::error&) mutable { done(false); });
  return rp;
}

/// The receivers of `links`.
inline std::vector<batch_sink_actor> receivers(const std::vector<flow_link>& links) {
  std::vector<batch_sink_actor> xs;
  for (auto& l : links)
    xs.push_back(l.dest());
  return xs;
}

/// True when every link has credit.
inline bool all_have_credit(const std::vector<flow_link>& links) noexcept {
  for (auto& l : links)
    if (!l.has_credit())
      return false;
  return true;
}

/// Routes an ack from `sender` to its link; false if no link matches.
inline bool ack_link(std::vector<flow_link>& links,
                     const caf::strong_actor_ptr& sender) noexcept {
  for (auto& l : links)
    if (l.is(sender)) {
      l.acked();
      return true;
    }
  return false;
}

} // namespace tickflow
