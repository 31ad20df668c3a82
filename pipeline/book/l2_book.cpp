#include "pipeline/book/l2_book.hpp"

#include <algorithm>

namespace tickflow::book {

namespace {

// True when price `a` ranks behind price `b` on side `s` (storage order:
// the worst level first, the best at the back).
bool worse(side s, decimal a, decimal b) noexcept {
  int c = decimal::compare(a, b);
  return s == side::bid ? c < 0 : c > 0;
}

bool acceptable(decimal price, decimal size) noexcept {
  return price.is_positive() && !size.is_negative();
}

} // namespace

l2_book::l2_book(size_t max_depth)
    : max_depth_(max_depth == 0 ? 1 : max_depth) {
  // nop
}

void l2_book::fill_side(side s, const std::vector<level>& levels) {
  auto& v = of(s);
  v.clear();
  v.reserve(std::min(levels.size(), max_depth_));
  for (const auto& l : levels) {
    if (acceptable(l.price, l.size))
      v.push_back(l);
    else
      ++rejected_;
  }
  // Stable: among equal prices the input order stays, so the last of a run
  // is the level the snapshot gave last.
  std::stable_sort(v.begin(), v.end(), [s](const level& a, const level& b) {
    return worse(s, a.price, b.price);
  });
  size_t out = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    bool last_of_run = i + 1 == v.size()
                       || decimal::compare(v[i].price, v[i + 1].price) != 0;
    if (last_of_run && !v[i].size.is_zero())
      v[out++] = v[i];
  }
  v.resize(out);
  if (v.size() > max_depth_) {
    auto excess = v.size() - max_depth_;
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(excess));
    truncated_ += excess;
  }
}

void l2_book::apply_snapshot(const std::vector<level>& bids,
                             const std::vector<level>& asks,
                             uint64_t update_id, int64_t ts_event_ns) {
  fill_side(side::bid, bids);
  fill_side(side::ask, asks);
  set_last_update(update_id, ts_event_ns);
}

delta_effect l2_book::apply(side s, decimal price, decimal size) {
  if (!acceptable(price, size)) {
    ++rejected_;
    return delta_effect::rejected;
  }
  auto& v = of(s);
  auto it = std::lower_bound(v.begin(), v.end(), price,
                             [s](const level& l, decimal p) {
                               return worse(s, l.price, p);
                             });
  if (it != v.end() && decimal::compare(it->price, price) == 0) {
    if (size.is_zero()) {
      v.erase(it);
      return delta_effect::removed;
    }
    it->size = size;
    return delta_effect::updated;
  }
  if (size.is_zero())
    return delta_effect::absent;
  if (v.size() >= max_depth_) {
    ++truncated_;
    if (it == v.begin())
      return delta_effect::truncated; // worse than every level held
    // Make room by dropping the worst level (the front).
    std::move(v.begin() + 1, it, v.begin());
    *(it - 1) = level{price, size};
    return delta_effect::inserted;
  }
  v.insert(it, level{price, size});
  return delta_effect::inserted;
}

void l2_book::clear() noexcept {
  bids_.clear();
  asks_.clear();
  last_update_id_ = 0;
  ts_event_ns_ = 0;
}

std::optional<level> l2_book::best_bid() const noexcept {
  if (bids_.empty())
    return std::nullopt;
  return bids_.back();
}

std::optional<level> l2_book::best_ask() const noexcept {
  if (asks_.empty())
    return std::nullopt;
  return asks_.back();
}

bool l2_book::crossed() const noexcept {
  if (bids_.empty() || asks_.empty())
    return false;
  return decimal::compare(bids_.back().price, asks_.back().price) >= 0;
}

void l2_book::top(side s, size_t n, std::vector<level>& out) const {
  const auto& v = of(s);
  n = std::min(n, v.size());
  out.reserve(out.size() + n);
  for (size_t i = 0; i < n; ++i)
    out.push_back(v[v.size() - 1 - i]);
}

std::vector<level> l2_book::top(side s, size_t n) const {
  std::vector<level> out;
  top(s, n, out);
  return out;
}

} // namespace tickflow::book
