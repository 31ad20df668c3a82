#include "adapters/simulator/simulator_book.hpp"

#include <algorithm>

namespace tickflow::simulator {

book_feed::book_feed(const simulator_settings& settings, provider source,
                     size_t levels, size_t changes)
  : settings_(settings),
    source_(source),
    levels_(std::max<size_t>(levels, 1)),
    changes_(changes),
    // Its own stream of numbers: the trades stay what they were.
    rng_state_(settings.seed ^ 0x6a09e667f3bcc909ULL) {
  for (auto& s : settings_.symbols) {
    auto dup = std::find_if(books_.begin(), books_.end(), [&](const sim_book& b) {
      return b.instrument == s.instrument;
    });
    if (dup == books_.end())
      books_.push_back(sim_book{s.instrument, {}, {}, 0});
  }
}

// splitmix64, as the trade feed.
uint64_t book_feed::next_random() {
  uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t book_feed::uniform(uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(next_random()) * n) >> 64);
}

book_level book_feed::level_of(int64_t ticks, uint32_t lots) const {
  auto& t = settings_.tick_size;
  auto& l = settings_.lot_size;
  return book_level{decimal::from_parts(ticks * t.mantissa, t.scale),
                    decimal::from_parts(static_cast<int64_t>(lots) * l.mantissa, l.scale)};
}

void book_feed::rebase(std::map<int64_t, uint32_t>& side, int64_t lo, int64_t hi,
                       std::vector<book_level>& out) {
  for (auto i = side.begin(); i != side.end();) {
    if (i->first < lo || i->first > hi) {
      out.push_back(level_of(i->first, 0));
      i = side.erase(i);
    } else {
      ++i;
    }
  }
  auto max_lots = std::max<uint32_t>(settings_.max_lots, 1);
  for (int64_t p = lo; p <= hi; ++p) {
    if (side.count(p) > 0)
      continue;
    auto lots = static_cast<uint32_t>(1 + uniform(max_lots));
    side.emplace(p, lots);
    out.push_back(level_of(p, lots));
  }
}

void book_feed::advance(const feed& prices, int64_t now_ns,
                        std::vector<book_update>& out) {
  auto n = static_cast<int64_t>(levels_);
  auto max_lots = std::max<uint32_t>(settings_.max_lots, 1);
  for (auto& b : books_) {
    auto mid = prices.price_ticks(b.instrument);
    if (mid <= 1)
      continue; // no room below it for a bid
    book_update u;
    u.instrument = b.instrument;
    u.source = source_;
    u.ts_event_ns = now_ns;
    u.ts_recv_ns = now_ns;
    u.snapshot = b.update_id == 0;
    rebase(b.bids, std::max<int64_t>(mid - n, 1), mid - 1, u.bids);
    rebase(b.asks, mid + 1, mid + n, u.asks);
    for (size_t i = 0; i < changes_ && !u.snapshot; ++i) {
      bool bid = (next_random() >> 63) != 0;
      auto& side = bid ? b.bids : b.asks;
      if (side.empty())
        continue;
      auto at = side.begin();
      std::advance(at, static_cast<long>(uniform(side.size())));
      // One change in eight removes the level; the next rebase refills it.
      auto lots = uniform(8) == 0 ? 0u : static_cast<uint32_t>(1 + uniform(max_lots));
      (bid ? u.bids : u.asks).push_back(level_of(at->first, lots));
      if (lots == 0)
        side.erase(at);
      else
        at->second = lots;
    }
    if (u.snapshot) { // the whole book, not what rebase happened to add
      u.bids.clear();
      u.asks.clear();
      for (auto& [p, lots] : b.bids)
        u.bids.push_back(level_of(p, lots));
      for (auto& [p, lots] : b.asks)
        u.asks.push_back(level_of(p, lots));
    }
    if (!u.snapshot && u.bids.empty() && u.asks.empty())
      continue;
    u.update_id = ++b.update_id;
    out.push_back(std::move(u));
  }
}

} // namespace tickflow::simulator
