#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "pipeline/flow/conflating_queue.hpp"

namespace tickflow {

/// Limits of one consumer's send queue (bytes).
struct send_queue_limits {
  /// Unsent bytes above which the consumer is behind: its keyed updates are
  /// conflated until it catches up (unsent <= half of this).
  size_t conflate_bytes = 256 * 1024;
  /// Unsent plus queued bytes above which the consumer is closed.
  size_t close_bytes = 4 << 20;
};

/// What a call did, for the caller to act on.
enum class send_outcome : uint8_t {
  sent,       ///< handed to the transport
  queued,     ///< kept for the next flush (the consumer is behind)
  fell_behind,///< sent, and the consumer just fell behind: conflation starts
  caught_up,  ///< (flush) drained, and the consumer is live again
  close,      ///< over close_bytes: close the consumer
  gone,       ///< the transport no longer has the consumer
};

/// The send policy for one consumer of a shared stream (a WebSocket client).
///
/// Live: every frame goes straight to the transport, which reports the bytes
/// it still holds for the consumer ("unsent"). Once unsent passes
/// conflate_bytes the consumer is behind: frames wait in a conflating_queue
/// (newest per key) and go out together at each flush(), the caller's timer.
/// A consumer that reads keeps up with that thinned stream and, once unsent
/// is at most conflate_bytes / 2 at a flush, is live again. One that does not
/// read accumulates unsent bytes at every flush until unsent plus queued
/// passes close_bytes: then the outcome is `close`.
///
/// `Send` is callable as std::optional<size_t>(const Frame&): it hands the
/// frame to the transport and returns the consumer's unsent bytes after it,
/// or nullopt when the consumer is gone. Pure: no I/O, no clock.
template <class Frame>
class client_send_queue {
 public:
  static constexpr uint64_t no_key = conflating_queue<Frame>::no_key;

  client_send_queue() = default;
  explicit client_send_queue(send_queue_limits limits) : limits_(limits) {}

  /// Offers one frame: sent now while live, queued while behind.
  template <class Send>
  send_outcome offer(Frame frame, size_t bytes, uint64_t key, Send&& send) {
    if (!behind_) {
      auto unsent = send(frame);
      if (!unsent)
        return send_outcome::gone;
      unsent_ = *unsent;
      if (unsent_ > limits_.close_bytes)
        return send_outcome::close;
      if (unsent_ > limits_.conflate_bytes) {
        behind_ = true;
        ++episodes_;
        return send_outcome::fell_behind;
      }
      return send_outcome::sent;
    }
    queue_.push(std::move(frame), bytes, key);
    if (backlog() > limits_.close_bytes)
      return send_outcome::close;
    return send_outcome::queued;
  }

  /// While behind: hands the queued frames to the transport. `unsent_now` is
  /// what the transport holds right now; at most conflate_bytes / 2 means the
  /// consumer caught up. Does nothing (returns sent) while live.
  template <class Send>
  send_outcome flush(size_t unsent_now, Send&& send) {
    if (!behind_)
      return send_outcome::sent;
    unsent_ = unsent_now;
    bool caught_up = unsent_now <= limits_.conflate_bytes / 2;
    bool gone = false;
    queue_.drain([&](Frame&& f) {
      if (gone)
        return;
      if (auto unsent = send(f))
        unsent_ = *unsent;
      else
        gone = true;
    });
    if (gone)
      return send_outcome::gone;
    if (unsent_ > limits_.close_bytes)
      return send_outcome::close;
    if (caught_up) {
      behind_ = false;
      return send_outcome::caught_up;
    }
    return send_outcome::sent;
  }

  /// Records what the transport holds now (its writes drain it meanwhile).
  void refresh(size_t unsent_now) noexcept { unsent_ = unsent_now; }

  /// Drops queued frames whose key satisfies pred (an unsubscribe).
  template <class Pred>
  void forget(Pred&& pred) {
    queue_.erase_if(std::forward<Pred>(pred));
  }

  /// True while the consumer is behind (its updates are conflated).
  bool behind() const noexcept { return behind_; }
  /// Unsent bytes at the transport, as last reported.
  size_t unsent() const noexcept { return unsent_; }
  /// Bytes waiting here for the next flush.
  size_t queued() const noexcept { return queue_.bytes(); }
  /// All bytes the consumer owes: unsent plus queued.
  size_t backlog() const noexcept { return unsent_ + queue_.bytes(); }
  /// Updates dropped by conflation so far.
  uint64_t conflated() const noexcept { return queue_.conflated(); }
  /// Times the consumer fell behind so far.
  uint64_t episodes() const noexcept { return episodes_; }
  const send_queue_limits& limits() const noexcept { return limits_; }

 private:
  send_queue_limits limits_;
  conflating_queue<Frame> queue_;
  size_t unsent_ = 0;
  bool behind_ = false;
  uint64_t episodes_ = 0;
};

/// One consumer's share of a global byte budget.
struct backlog_entry {
  uint64_t id = 0;
  size_t bytes = 0;
};

/// Consumers to close so that the total backlog fits `budget`: the largest
/// backlogs first (ties: the lower id), as few as possible. Empty when the
/// total already fits.
std::vector<uint64_t> over_budget(std::vector<backlog_entry> entries,
                                  size_t budget);

} // namespace tickflow
