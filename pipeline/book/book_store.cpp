#include "pipeline/book/book_store.hpp"

namespace tickflow::book {

namespace {

std::vector<level> to_levels(const std::vector<book_level>& xs) {
  std::vector<level> out;
  out.reserve(xs.size());
  for (auto& x : xs)
    out.push_back(level{x.price, x.size});
  return out;
}

/// True if `a` ranks before `b` on side `s` (better price).
bool better(side s, const decimal& a, const decimal& b) noexcept {
  return s == side::bid ? b < a : a < b;
}

} // namespace

void diff_levels(side s, const std::vector<level>& before,
                 const std::vector<level>& after, std::vector<book_level>& out) {
  size_t i = 0;
  size_t j = 0;
  while (i < before.size() || j < after.size()) {
    if (j == after.size()
        || (i < before.size() && better(s, before[i].price, after[j].price))) {
      out.push_back(book_level{before[i].price, decimal{}});
      ++i;
    } else if (i == before.size() || better(s, after[j].price, before[i].price)) {
      out.push_back(book_level{after[j].price, after[j].size});
      ++j;
    } else {
      if (before[i].size != after[j].size)
        out.push_back(book_level{after[j].price, after[j].size});
      ++i;
      ++j;
    }
  }
}

store_outcome book_store::apply(const book_update& u) {
  auto i = books_.find(u.instrument);
  if (i == books_.end()) {
    if (!u.snapshot) {
      ++counters_.no_snapshot;
      return store_outcome::no_snapshot;
    }
    if (books_.size() >= settings_.max_instruments) {
      ++counters_.full;
      return store_outcome::full;
    }
    i = books_.emplace(u.instrument, entry{l2_book{settings_.max_depth}, u.source, 0})
          .first;
  } else if (!u.snapshot && u.update_id <= i->second.book.last_update_id()) {
    ++counters_.stale;
    return store_outcome::stale;
  }
  auto& e = i->second;
  if (u.snapshot) {
    e.book.apply_snapshot(to_levels(u.bids), to_levels(u.asks), u.update_id,
                          u.ts_event_ns);
  } else {
    for (auto& x : u.bids)
      e.book.apply(side::bid, x.price, x.size);
    for (auto& x : u.asks)
      e.book.apply(side::ask, x.price, x.size);
    e.book.set_last_update(u.update_id, u.ts_event_ns);
  }
  e.source = u.source;
  e.ts_recv_ns = u.ts_recv_ns;
  ++counters_.applied;
  if (e.book.crossed())
    ++counters_.crossed;
  return store_outcome::applied;
}

const l2_book* book_store::find(const std::string& instrument) const {
  auto i = books_.find(instrument);
  return i == books_.end() ? nullptr : &i->second.book;
}

std::optional<book_view> book_store::top(const std::string& instrument,
                                         size_t depth) const {
  auto i = books_.find(instrument);
  if (i == books_.end())
    return std::nullopt;
  auto& e = i->second;
  book_view v;
  v.instrument = instrument;
  v.source = e.source;
  v.update_id = e.book.last_update_id();
  v.ts_event_ns = e.book.ts_event_ns();
  v.ts_recv_ns = e.ts_recv_ns;
  e.book.top(side::bid, depth, v.bids);
  e.book.top(side::ask, depth, v.asks);
  v.crossed = e.book.crossed();
  return v;
}

} // namespace tickflow::book
