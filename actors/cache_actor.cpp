#include "actors/cache_actor.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"

namespace tickflow {

namespace {

struct cache_state {
  size_t max_instruments = 0;
  size_t max_bars = 0;
  std::unordered_set<std::string> known;
  std::unordered_map<std::string, price> latest;
  std::map<std::pair<std::string, interval>, std::deque<bar>> bars;
  held_acks upstream;
  stage_stats stats{"cache"};
  uint64_t over_capacity = 0;
  cache_stats counters; ///< hits, misses, evictions
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("cache");
  static inline const char* name = "cache";

  /// Registers an instrument; false when the cache is full of others.
  bool admit(const std::string& instrument) {
    if (known.count(instrument) > 0)
      return true;
    if (known.size() >= max_instruments) {
      ++over_capacity;
      uint64_t suppressed = 0;
      if (throttle.allow(suppressed))
        log->warn("cache full ({} instruments): ignoring {} ({} similar "
                  "suppressed)", max_instruments, instrument, suppressed);
      return false;
    }
    known.insert(instrument);
    return true;
  }

  void on_trade(const trade& t) {
    if (!admit(t.instrument))
      return;
    auto& p = latest[t.instrument];
    if (t.ts_event_ns < p.ts_event_ns)
      return; // an older trade never overwrites a newer price
    p = price_of(t);
  }

  void on_bar(const bar& b) {
    if (!admit(b.instrument))
      return;
    auto& series = bars[{b.instrument, b.span}];
    if (series.empty() || series.back().open_time_ns < b.open_time_ns) {
      series.push_back(b);
      if (series.size() > max_bars) {
        series.pop_front();
        ++counters.bars_evicted;
      }
      return;
    }
    // Same or older open time: replace in place (updates of the open bar,
    // late corrections), or insert in order.
    auto pos = std::lower_bound(series.begin(), series.end(), b.open_time_ns,
                                [](const bar& x, int64_t t) {
                                  return x.open_time_ns < t;
                                });
    if (pos != series.end() && pos->open_time_ns == b.open_time_ns)
      *pos = b;
    else if (series.size() < max_bars)
      series.insert(pos, b);
  }

  bars_reply query(const bars_query& q) const {
    bars_reply r;
    if (known.count(q.instrument) == 0) {
      r.status = lookup_status::unknown;
      return r;
    }
    auto i = bars.find({q.instrument, q.span});
    if (i == bars.end() || i->second.empty()) {
      r.status = lookup_status::no_data;
      return r;
    }
    r.status = lookup_status::ok;
    auto& s = i->second;
    auto last = s.end();
    if (q.end_ns != 0)
      last = std::upper_bound(s.begin(), s.end(), q.end_ns,
                              [](int64_t t, const bar& x) {
                                return t < x.open_time_ns;
                              });
    auto first = s.begin();
    if (q.start_ns != 0)
      first = std::lower_bound(s.begin(), last, q.start_ns,
                               [](const bar& x, int64_t t) {
                                 return x.open_time_ns < t;
                               });
    if (static_cast<size_t>(last - first) > q.limit)
      first = last - static_cast<std::ptrdiff_t>(q.limit);
    r.bars.assign(first, last);
    return r;
  }
};

caf::behavior cache(caf::stateful_actor<cache_state>* self, topology topo,
                    std::vector<std::string> known) {
  auto& st = self->state;
  st.max_instruments = topo.cache.max_instruments;
  st.max_bars = topo.cache.max_bars_per_series;
  for (auto& k : known)
    st.admit(k);
  return {
    [=](const event_batch& batch) {
      auto& st = self->state;
      st.stats.batches_in += 1;
      st.stats.events_in += batch.size();
      for (auto& t : batch.trades)
        st.on_trade(t);
      for (auto& b : batch.bars)
        st.on_bar(b);
      st.stats.events_out += batch.size();
      st.upstream.ack_or_hold(self, true);
    },
    [=](get_price_atom, const std::string& instrument) {
      auto& st = self->state;
      price_reply r;
      if (st.known.count(instrument) == 0) {
        r.status = lookup_status::unknown;
      } else if (auto i = st.latest.find(instrument); i != st.latest.end()) {
        r.status = lookup_status::ok;
        r.value = i->second;
      } else {
        r.status = lookup_status::no_data;
      }
      ++(r.status == lookup_status::ok ? st.counters.price_hits
                                       : st.counters.price_misses);
      return r;
    },
    [=](get_bars_atom, const bars_query& q) {
      auto& st = self->state;
      auto r = st.query(q);
      ++(r.status == lookup_status::ok && !r.bars.empty() ? st.counters.bars_hits
                                                          : st.counters.bars_misses);
      return r;
    },
    [=](cache_stats_atom) {
      auto& st = self->state;
      auto c = st.counters;
      c.instruments = st.known.size();
      c.series = st.bars.size();
      c.bars = 0;
      for (auto& [key, series] : st.bars)
        c.bars += series.size();
      c.instruments_refused = st.over_capacity;
      return c;
    },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

caf::actor spawn_cache(caf::actor_system& sys, const topology& topo,
                       std::vector<std::string> known) {
  return sys.spawn(cache, topo, std::move(known));
}

} // namespace tickflow
