#pragma once

// The instruments the broadcaster has seen, so a client may subscribe to one
// before its next event (and is told unknown_channel for a typo). Bounded:
// a flood of new instruments (60,000 announced by signed webhooks grew the
// old set without end, issue 26) makes it forget the least recently seen.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tickflow::broadcast {

class known_instruments {
 public:
  /// `configured` are always kept; past `max` seen ones, the least recently
  /// seen tenth of those `followed` says nobody follows is forgotten.
  known_instruments(const std::vector<std::string>& configured, size_t max);

  /// Remembers `instrument` as seen now (in the current batch).
  /// `followed(name)`: whether a client follows it (never forgotten).
  void seen(const std::string& instrument,
            const std::function<bool(const std::string&)>& followed);

  /// Starts a new batch: what is seen from now on is newer.
  void next_batch() noexcept { ++generation_; }

  bool contains(const std::string& instrument) const {
    return seen_.count(instrument) > 0;
  }
  size_t size() const noexcept { return seen_.size(); }
  uint64_t evicted() const noexcept { return evicted_; }

 private:
  void forget_oldest(const std::function<bool(const std::string&)>& followed);

  static constexpr uint64_t pinned = UINT64_MAX;
  std::unordered_map<std::string, uint64_t> seen_; ///< name -> batch last seen
  size_t max_;
  size_t check_at_;  ///< the size at which to look for what to forget
  uint64_t generation_ = 0;
  uint64_t evicted_ = 0;
};

} // namespace tickflow::broadcast
