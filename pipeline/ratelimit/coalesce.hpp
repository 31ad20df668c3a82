#pragma once

// Identical requests share one upstream call: while a call is queued or in
// flight, a request with the same key joins it instead of making its own;
// an answer a moment old is reused instead of asking again.

#include <cstdint>
#include <initializer_list>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tickflow {

/// An unambiguous key of `parts`: each is length-prefixed, so no two
/// different part lists give the same key ("a|b","c" vs "a","b|c").
std::string coalescing_key(std::initializer_list<std::string_view> parts);

/// Answers by key, each kept `max_age_ns` and at most `capacity` of them
/// (the oldest goes first).
template <class T>
class fresh_answers {
 public:
  fresh_answers(int64_t max_age_ns = 0, size_t capacity = 0)
      : max_age_ns_(max_age_ns), capacity_(capacity) {
    // nop
  }

  /// The answer to `key` if it is younger than max_age at `now`.
  std::optional<T> get(const std::string& key, int64_t now) {
    auto i = index_.find(key);
    if (i == index_.end())
      return std::nullopt;
    if (now - i->second->at >= max_age_ns_) {
      order_.erase(i->second);
      index_.erase(i);
      return std::nullopt;
    }
    return i->second->value;
  }

  /// Keeps `value` as the answer to `key` from `now` (nothing when the
  /// capacity or the age is 0).
  void put(const std::string& key, T value, int64_t now) {
    if (capacity_ == 0 || max_age_ns_ <= 0)
      return;
    if (auto i = index_.find(key); i != index_.end()) {
      order_.erase(i->second);
      index_.erase(i);
    }
    while (index_.size() >= capacity_) {
      index_.erase(order_.front().key);
      order_.pop_front();
    }
    order_.push_back(entry{key, std::move(value), now});
    index_.emplace(key, std::prev(order_.end()));
  }

  size_t size() const noexcept { return index_.size(); }

 private:
  struct entry {
    std::string key;
    T value;
    int64_t at;
  };

  int64_t max_age_ns_;
  size_t capacity_;
  std::list<entry> order_; ///< oldest first
  std::map<std::string, typename std::list<entry>::iterator> index_;
};

} // namespace tickflow
