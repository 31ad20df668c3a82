#include "pipeline/broadcast/known_instruments.hpp"

#include <algorithm>
#include <utility>

namespace tickflow::broadcast {

known_instruments::known_instruments(const std::vector<std::string>& configured,
                                     size_t max)
  : max_(std::max<size_t>(max, 1)), check_at_(max_) {
  for (auto& x : configured)
    seen_[x] = pinned;
  check_at_ = std::max(check_at_, seen_.size());
}

void known_instruments::seen(const std::string& instrument,
                             const std::function<bool(const std::string&)>& followed) {
  // One lookup per event, as the plain set had.
  auto it = seen_.find(instrument);
  if (it != seen_.end()) {
    if (it->second != pinned)
      it->second = generation_;
    return;
  }
  seen_.emplace(instrument, generation_);
  if (seen_.size() > check_at_)
    forget_oldest(followed);
}

void known_instruments::forget_oldest(
    const std::function<bool(const std::string&)>& followed) {
  using entry = std::pair<uint64_t, decltype(seen_)::iterator>;
  std::vector<entry> xs;
  xs.reserve(seen_.size());
  for (auto it = seen_.begin(); it != seen_.end(); ++it)
    if (it->second != pinned && !followed(it->first))
      xs.emplace_back(it->second, it);
  // Down to 90% of max at once: one pass per max/10 new instruments, not
  // one per event.
  size_t keep = max_ - max_ / 10;
  size_t excess = seen_.size() > keep ? seen_.size() - keep : 0;
  size_t n = std::min(excess, xs.size());
  auto older = [](const entry& a, const entry& b) { return a.first < b.first; };
  if (n < xs.size())
    std::nth_element(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(n), xs.end(),
                     older);
  for (size_t i = 0; i < n; ++i)
    seen_.erase(xs[i].second); // erasing one node leaves the others' iterators valid
  evicted_ += n;
  // What is pinned or followed stays: look again only after max/10 more.
  check_at_ = std::max(max_, seen_.size() + max_ / 10);
}

} // namespace tickflow::broadcast
