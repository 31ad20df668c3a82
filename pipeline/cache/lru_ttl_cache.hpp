#pragma once

// A generic least-recently-used cache whose entries expire: the in-process
// L1 of the read path. Bounded in entries and in bytes (measured by a size
// function given at construction). Pure: every time is a parameter, no clock
// is read; not thread-safe (one owner, the cache actor).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <unordered_map>
#include <utility>

#include "pipeline/model/saturating.hpp"

namespace tickflow::cache {

/// What happened to lookups and entries, since construction (never reset).
struct lru_counters {
  uint64_t hits = 0;             ///< get() found a live entry
  uint64_t misses = 0;           ///< get() found nothing live
  uint64_t inserts = 0;          ///< new keys stored
  uint64_t updates = 0;          ///< stored keys replaced or changed
  uint64_t evicted_capacity = 0; ///< least recently used, over max entries
  uint64_t evicted_bytes = 0;    ///< least recently used, over max bytes
  uint64_t expired = 0;          ///< dropped past their expiry
  uint64_t erased = 0;           ///< removed on request (erase, erase_if)
  uint64_t refused = 0;          ///< alone bigger than max bytes: not kept

  /// Entries that left because of a bound.
  uint64_t evicted() const noexcept { return evicted_capacity + evicted_bytes; }
};

/// LRU with a time to live per entry. `Value` must be default-constructible
/// (upsert creates one) and movable.
template <class Key, class Value, class Hash = std::hash<Key>>
class lru_ttl_cache {
 public:
  /// Bytes an entry occupies (key and value; an estimate is fine).
  using size_function = std::function<size_t(const Key&, const Value&)>;

  /// At most `max_entries` entries and `max_bytes` bytes (both >= 1).
  lru_ttl_cache(size_t max_entries, size_t max_bytes, size_function size_of)
    : max_entries_(max_entries < 1 ? 1 : max_entries),
      max_bytes_(max_bytes < 1 ? 1 : max_bytes),
      size_of_(std::move(size_of)) {}

  /// The live value of `key`, now the most recently used; counts a hit or a
  /// miss. An expired entry is removed (counted as expired) and is a miss.
  const Value* get(const Key& key, int64_t now_ns) {
    auto* v = find(key, now_ns);
    ++(v ? counters_.hits : counters_.misses);
    return v;
  }

  /// As get() without counting a hit or a miss (for owners that decide
  /// themselves whether what they found answers the question).
  const Value* find(const Key& key, int64_t now_ns) {
    auto i = index_.find(key);
    if (i == index_.end())
      return nullptr;
    if (expired(*i->second, now_ns)) {
      ++counters_.expired;
      remove(i->second);
      return nullptr;
    }
    order_.splice(order_.begin(), order_, i->second);
    return &i->second->value;
  }

  /// The live value of `key` without touching the order or any counter.
  const Value* peek(const Key& key, int64_t now_ns) const {
    auto i = index_.find(key);
    if (i == index_.end() || expired(*i->second, now_ns))
      return nullptr;
    return &i->second->value;
  }

  /// Stores `value` under `key` (replacing any), expiring `ttl_ns` after
  /// `now_ns` (ttl 0: never). Least recently used entries make room. False
  /// when the entry alone is bigger than max bytes: then it is not kept
  /// (and an older value of the key is gone too).
  bool put(const Key& key, Value value, int64_t now_ns, int64_t ttl_ns) {
    return upsert(key, now_ns, ttl_ns,
                  [&value](Value& slot) { slot = std::move(value); });
  }

  /// Changes the value of `key` in place with f(Value&), or a default value
  /// when the key is absent or expired; then measures it again, sets its
  /// expiry to `ttl_ns` after `now_ns` (0: never), makes it the most recently
  /// used and evicts others to fit. False when it alone is bigger than max
  /// bytes (then it is removed and counted as refused).
  template <class F>
  bool upsert(const Key& key, int64_t now_ns, int64_t ttl_ns, F&& f) {
    auto i = index_.find(key);
    if (i != index_.end() && expired(*i->second, now_ns)) {
      ++counters_.expired;
      remove(i->second);
      i = index_.end();
    }
    typename list::iterator pos;
    if (i == index_.end()) {
      order_.push_front(node{key, Value{}, 0, 0});
      pos = order_.begin();
      index_.emplace(key, pos);
      ++counters_.inserts;
    } else {
      pos = i->second;
      order_.splice(order_.begin(), order_, pos);
      ++counters_.updates;
    }
    f(pos->value);
    bytes_ -= pos->bytes;
    pos->bytes = size_of_(pos->key, pos->value);
    bytes_ += pos->bytes;
    pos->expires_ns = ttl_ns > 0 ? saturated_add(now_ns, ttl_ns) : 0;
    if (pos->bytes > max_bytes_) {
      ++counters_.refused;
      remove(pos);
      return false;
    }
    make_room(now_ns);
    return true;
  }

  /// Removes `key`; true if it was there (counted as erased).
  bool erase(const Key& key) {
    auto i = index_.find(key);
    if (i == index_.end())
      return false;
    ++counters_.erased;
    remove(i->second);
    return true;
  }

  /// Removes every entry for which pred(key, value) holds, expired or not;
  /// returns how many (counted as erased).
  template <class Pred>
  size_t erase_if(Pred pred) {
    size_t n = 0;
    for (auto it = order_.begin(); it != order_.end();) {
      auto next = std::next(it);
      if (pred(static_cast<const Key&>(it->key),
               static_cast<const Value&>(it->value))) {
        remove(it);
        ++n;
      }
      it = next;
    }
    counters_.erased += n;
    return n;
  }

  /// Removes every expired entry; returns how many (counted as expired).
  size_t purge_expired(int64_t now_ns) {
    size_t n = 0;
    for (auto it = order_.begin(); it != order_.end();) {
      auto next = std::next(it);
      if (expired(*it, now_ns)) {
        remove(it);
        ++n;
      }
      it = next;
    }
    counters_.expired += n;
    return n;
  }

  /// Calls f(key, value) for every entry, most recently used first
  /// (expired ones included until they are purged).
  template <class F>
  void for_each(F f) const {
    for (auto& n : order_)
      f(n.key, n.value);
  }

  /// Entries held (expired ones included until they are purged).
  size_t size() const noexcept { return index_.size(); }

  /// Bytes held, as measured by the size function.
  size_t bytes() const noexcept { return bytes_; }

  size_t max_entries() const noexcept { return max_entries_; }
  size_t max_bytes() const noexcept { return max_bytes_; }

  const lru_counters& counters() const noexcept { return counters_; }

 private:
  struct node {
    Key key;
    Value value;
    size_t bytes = 0;
    int64_t expires_ns = 0; ///< 0: never
  };
  using list = std::list<node>;

  static bool expired(const node& n, int64_t now_ns) noexcept {
    return n.expires_ns != 0 && now_ns >= n.expires_ns;
  }

  void remove(typename list::iterator pos) {
    bytes_ -= pos->bytes;
    index_.erase(pos->key);
    order_.erase(pos);
  }

  // Evicts from the least recently used end until both bounds hold; never
  // the most recently used entry (the one just written). An expired victim
  // is counted as expired, not as evicted.
  void make_room(int64_t now_ns) {
    while (order_.size() > 1
           && (index_.size() > max_entries_ || bytes_ > max_bytes_)) {
      auto victim = std::prev(order_.end());
      if (expired(*victim, now_ns))
        ++counters_.expired;
      else if (index_.size() > max_entries_)
        ++counters_.evicted_capacity;
      else
        ++counters_.evicted_bytes;
      remove(victim);
    }
  }

  size_t max_entries_;
  size_t max_bytes_;
  size_function size_of_;
  list order_; ///< most recently used first
  std::unordered_map<Key, typename list::iterator, Hash> index_;
  size_t bytes_ = 0;
  lru_counters counters_;
};

} // namespace tickflow::cache
