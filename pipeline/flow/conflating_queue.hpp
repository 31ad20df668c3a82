#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tickflow {

/// Frames waiting for one slow consumer, oldest first, keeping only the
/// newest frame of each key ("conflation").
///
/// A frame pushed with a key drops the queued frame of the same key and goes
/// to the back, so it never overtakes frames queued before it: a snapshot
/// queued ahead of a channel's update stays ahead of it. Frames without a key
/// (no_key: replies, snapshots, notices) are never dropped. Sizes are what
/// the caller says a frame weighs. Pure: no I/O, no clock.
template <class Frame>
class conflating_queue {
 public:
  /// Key of frames that are never conflated.
  static constexpr uint64_t no_key = 0;

  /// Appends `frame`. With a key, a queued frame of that key is dropped
  /// first; returns true when that happened (one update conflated).
  bool push(Frame frame, size_t bytes, uint64_t key = no_key) {
    bool replaced = false;
    if (key != no_key) {
      auto i = index_.find(key);
      if (i != index_.end()) {
        kill(i->second);
        ++conflated_;
        replaced = true;
        i->second = slots_.size();
      } else {
        index_.emplace(key, slots_.size());
      }
    }
    slots_.push_back(slot{std::move(frame), bytes, key, true});
    bytes_ += bytes;
    ++live_;
    compact_if_sparse();
    return replaced;
  }

  /// Drops every queued frame whose key satisfies `pred` (never no_key
  /// frames); returns how many were dropped. For unsubscribes.
  template <class Pred>
  size_t erase_if(Pred&& pred) {
    size_t n = 0;
    for (auto i = index_.begin(); i != index_.end();) {
      if (pred(i->first)) {
        kill(i->second);
        i = index_.erase(i);
        ++n;
      } else {
        ++i;
      }
    }
    compact_if_sparse();
    return n;
  }

  /// Hands every queued frame, oldest first, to f(Frame&&) and empties the
  /// queue. f must not push to this queue.
  template <class F>
  void drain(F&& f) {
    auto slots = std::move(slots_);
    clear();
    for (auto& s : slots)
      if (s.live)
        f(std::move(s.frame));
  }

  /// Drops everything (the conflated count stays).
  void clear() noexcept {
    slots_.clear();
    index_.clear();
    bytes_ = 0;
    live_ = 0;
  }

  bool empty() const noexcept { return live_ == 0; }
  /// Frames queued.
  size_t size() const noexcept { return live_; }
  /// Bytes queued (sum of the pushed sizes of the frames still queued).
  size_t bytes() const noexcept { return bytes_; }
  /// Frames dropped by conflation since construction.
  uint64_t conflated() const noexcept { return conflated_; }

 private:
  struct slot {
    Frame frame;
    size_t bytes = 0;
    uint64_t key = no_key;
    bool live = false;
  };

  void kill(size_t pos) {
    auto& s = slots_[pos];
    s.live = false;
    s.frame = Frame{}; // release it now, not at the next drain
    bytes_ -= s.bytes;
    --live_;
  }

  // Holes from conflated frames are squeezed out once they outnumber the
  // live frames, so a queue that is never drained stays O(keys) in size.
  void compact_if_sparse() {
    if (slots_.size() < 64 || slots_.size() < 2 * live_)
      return;
    std::vector<slot> kept;
    kept.reserve(live_);
    for (auto& s : slots_)
      if (s.live)
        kept.push_back(std::move(s));
    slots_ = std::move(kept);
    for (size_t i = 0; i < slots_.size(); ++i)
      if (slots_[i].key != no_key)
        index_[slots_[i].key] = i;
  }

  std::vector<slot> slots_;                    // push order, with holes
  std::unordered_map<uint64_t, size_t> index_; // key -> its slot
  size_t bytes_ = 0;
  size_t live_ = 0;
  uint64_t conflated_ = 0;
};

} // namespace tickflow
