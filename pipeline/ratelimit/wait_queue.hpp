#pragma once

// Calls waiting for a grant, by priority: a queued call is always taken
// before every call of a lower priority; FIFO within one priority.

#include <array>
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

#include "pipeline/ratelimit/priority.hpp"

namespace tickflow {

template <class T>
class wait_queue {
 public:
  /// What push did.
  struct push_result {
    bool accepted = false;
    std::optional<T> evicted; ///< a lower-priority item pushed out to make room
  };

  /// At most `capacity` items in all (0: unbounded).
  explicit wait_queue(size_t capacity = 0) : capacity_(capacity) {
    // nop
  }

  /// Appends `x` at `p`. When full, the newest item of the lowest priority
  /// below `p` makes room (returned in `evicted`); when there is none, `x`
  /// is refused.
  push_result push(priority p, T x) {
    push_result out;
    if (capacity_ > 0 && size() >= capacity_) {
      for (auto i = priority_count; i-- > index(p) + 1;)
        if (!lanes_[i].empty()) {
          out.evicted = std::move(lanes_[i].back());
          lanes_[i].pop_back();
          break;
        }
      if (!out.evicted)
        return out;
    }
    lanes_[index(p)].push_back(std::move(x));
    out.accepted = true;
    return out;
  }

  /// Puts back `x` at the head of `p` (an item taken out that could not go
  /// after all): first in line again, whatever the capacity.
  void push_front(priority p, T x) { lanes_[index(p)].push_front(std::move(x)); }

  /// The first item of the highest priority, or nullptr.
  const T* front() const {
    for (auto& lane : lanes_)
      if (!lane.empty())
        return &lane.front();
    return nullptr;
  }

  /// Priority of front() (meaningless when empty).
  priority front_priority() const {
    for (size_t i = 0; i < priority_count; ++i)
      if (!lanes_[i].empty())
        return static_cast<priority>(i);
    return priority::batch;
  }

  /// Removes and returns the first item of the highest priority.
  std::optional<T> pop() {
    for (auto& lane : lanes_)
      if (!lane.empty()) {
        auto x = std::move(lane.front());
        lane.pop_front();
        return x;
      }
    return std::nullopt;
  }

  /// Removes every item for which pred(item) holds, in queue order, calling
  /// taken(item) on each; at most `limit` (0: all).
  template <class Pred, class Taken>
  size_t take_if(Pred pred, Taken taken, size_t limit = 0) {
    size_t n = 0;
    for (auto& lane : lanes_)
      for (auto i = lane.begin(); i != lane.end();) {
        if ((limit == 0 || n < limit) && pred(*i)) {
          taken(std::move(*i));
          i = lane.erase(i);
          ++n;
        } else {
          ++i;
        }
      }
    return n;
  }

  size_t depth(priority p) const { return lanes_[index(p)].size(); }

  size_t size() const {
    size_t n = 0;
    for (auto& lane : lanes_)
      n += lane.size();
    return n;
  }

  bool empty() const { return size() == 0; }

 private:
  static size_t index(priority p) { return static_cast<size_t>(p); }

  size_t capacity_;
  std::array<std::deque<T>, priority_count> lanes_;
};

} // namespace tickflow
