#pragma once

#include <algorithm>
#include <cstddef>
#include <unordered_set>
#include <vector>

namespace tickflow {

/// The last `capacity` distinct keys inserted, with O(1) membership: the
/// bounded memory behind duplicate detection. The oldest key is forgotten
/// when a new one does not fit.
template <class Key, class Hash = std::hash<Key>>
class recent_set {
 public:
  /// Remembers at most `capacity` keys (at least 1).
  explicit recent_set(size_t capacity = 1)
      : capacity_(std::max<size_t>(capacity, 1)) {
    // nop
  }

  /// Whether `key` is among the remembered keys.
  bool contains(const Key& key) const { return set_.count(key) != 0; }

  /// Remembers `key`; returns false (and changes nothing) when it already
  /// is remembered.
  bool insert(const Key& key) {
    if (set_.count(key) != 0)
      return false;
    if (ring_.size() < capacity_) {
      ring_.push_back(key);
    } else {
      set_.erase(ring_[next_]);
      ring_[next_] = key;
      next_ = (next_ + 1) % capacity_;
    }
    set_.insert(key);
    return true;
  }

  /// Keys remembered.
  size_t size() const noexcept { return set_.size(); }

  /// Most keys remembered.
  size_t capacity() const noexcept { return capacity_; }

 private:
  size_t capacity_;
  std::vector<Key> ring_; // insertion order; next_ is the oldest when full
  size_t next_ = 0;
  std::unordered_set<Key, Hash> set_;
};

} // namespace tickflow
