#include "actors/cache_actor.hpp"

#include <algorithm>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "actors/clock.hpp"
#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "pipeline/cache/bar_series.hpp"
#include "pipeline/cache/glob_match.hpp"
#include "pipeline/cache/lru_ttl_cache.hpp"
#include "pipeline/cache/recent_trades.hpp"

namespace tickflow {

namespace {

constexpr int64_t purge_every_ns = 1'000'000'000;

/// An L1 value: a latest price or a bar series (by key prefix).
using l1_value = std::variant<price, cache::bar_series>;
using l1_cache = cache::lru_ttl_cache<std::string, l1_value>;

std::string price_key(std::string_view instrument) {
  std::string k = "price:";
  k.append(instrument);
  return k;
}

std::string bars_key(interval span, std::string_view instrument) {
  std::string k = "bars:";
  k.append(to_string(span));
  k += ':';
  k.append(instrument);
  return k;
}

size_t heap_bytes(const std::string& s) noexcept {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

/// Bytes of an entry: key, value and the cache's own bookkeeping (a list
/// node and a hash map node, about 96 bytes).
size_t entry_bytes(const std::string& key, const l1_value& v) {
  size_t n = 96 + sizeof(std::string) + heap_bytes(key) + sizeof(l1_value);
  if (auto* p = std::get_if<price>(&v))
    n += heap_bytes(p->instrument) + heap_bytes(p->trade_id);
  else
    n += std::get<cache::bar_series>(v).approx_bytes();
  return n;
}

struct cache_state {
  cache_settings cfg;
  std::unique_ptr<l1_cache> l1;
  std::unordered_set<std::string> known;
  /// Latest quote per instrument (admitted ones only: max-instruments).
  std::unordered_map<std::string, quote> quotes;
  /// The newest trades per instrument ([cache] recent-trades).
  cache::recent_trades recent;
  held_acks upstream;
  stage_stats stats{"cache"};
  uint64_t over_capacity = 0;
  cache_stats counters; ///< hits, misses and series evictions
  int64_t last_purge_ns = 0;
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("cache");
  static inline const char* name = "cache";

  /// Registers an instrument; false when the cache is full of others.
  bool admit(const std::string& instrument) {
    if (known.count(instrument) > 0)
      return true;
    if (known.size() >= cfg.max_instruments) {
      ++over_capacity;
      uint64_t suppressed = 0;
      if (throttle.allow(suppressed))
        log->warn("cache full ({} instruments): ignoring {} ({} similar "
                  "suppressed)", cfg.max_instruments, instrument, suppressed);
      return false;
    }
    known.insert(instrument);
    return true;
  }

  /// Sets the latest price unless the cached one is newer.
  void put_price(const price& p, int64_t now) {
    l1->upsert(price_key(p.instrument), now, cfg.ttl_price_ns, [&](l1_value& v) {
      auto* old = std::get_if<price>(&v);
      if (old == nullptr || old->instrument.empty()
          || old->ts_event_ns <= p.ts_event_ns)
        v = p;
    });
  }

  /// Keeps the newest quote of its instrument (assigned in place).
  void put_quote(const quote& q) {
    auto it = quotes.find(q.instrument);
    if (it == quotes.end())
      quotes.emplace(q.instrument, q);
    else if (it->second.ts_event_ns <= q.ts_event_ns)
      it->second = q;
  }

  quote_reply get_quote(const std::string& instrument) const {
    quote_reply r;
    r.status = known.count(instrument) == 0 ? lookup_status::unknown
                                            : lookup_status::no_data;
    if (auto it = quotes.find(instrument); it != quotes.end()) {
      r.status = lookup_status::ok;
      r.value = it->second;
    }
    return r;
  }

  trades_reply get_trades(const trades_query& q) const {
    trades_reply r;
    r.status = known.count(q.instrument) == 0 ? lookup_status::unknown
                                              : lookup_status::no_data;
    auto a = recent.query(q.instrument, q.start_ns, q.end_ns, q.limit);
    r.complete = a.complete;
    if (!a.trades.empty()) {
      r.status = lookup_status::ok;
      r.trades = std::move(a.trades);
    }
    return r;
  }

  /// Applies f to the series of (instrument, span), created when absent.
  template <class F>
  void with_series(const std::string& instrument, interval span, int64_t now,
                   F f) {
    l1->upsert(bars_key(span, instrument), now, cfg.ttl_bars_ns, [&](l1_value& v) {
      if (!std::holds_alternative<cache::bar_series>(v))
        v = cache::bar_series{span, cfg.max_bars_per_series};
      counters.bars_evicted += f(std::get<cache::bar_series>(v));
    });
  }

  void on_batch(const event_batch& batch, int64_t now) {
    // Only the newest trade per instrument sets a price.
    std::unordered_map<std::string_view, const trade*> newest;
    for (auto& t : batch.trades) {
      auto& slot = newest[t.instrument];
      if (slot == nullptr || slot->ts_event_ns <= t.ts_event_ns)
        slot = &t;
    }
    for (auto& [instrument, t] : newest)
      if (admit(t->instrument))
        put_price(price_of(*t), now);
    if (recent.per_instrument() > 0)
      for (auto& t : batch.trades)
        if (known.count(t.instrument) > 0) // admitted above
          recent.add(t);
    for (auto& q : batch.quotes)
      if (admit(q.instrument))
        put_quote(q);
    for (auto& b : batch.bars)
      if (admit(b.instrument))
        with_series(b.instrument, b.span, now,
                    [&](cache::bar_series& s) { return s.add_live(b); });
    if (now - last_purge_ns >= purge_every_ns) {
      l1->purge_expired(now);
      last_purge_ns = now;
    }
  }

  price_reply get_price(const std::string& instrument, int64_t now) {
    price_reply r;
    if (known.count(instrument) == 0) {
      r.status = lookup_status::unknown;
    } else if (auto* v = l1->find(price_key(instrument), now);
               v != nullptr && std::holds_alternative<price>(*v)
               && !std::get<price>(*v).instrument.empty()) {
      r.status = lookup_status::ok;
      r.value = std::get<price>(*v);
    } else {
      r.status = lookup_status::no_data;
    }
    ++(r.status == lookup_status::ok ? counters.price_hits : counters.price_misses);
    return r;
  }

  bars_reply get_bars(const bars_query& q, int64_t now) {
    bars_reply r;
    r.status = known.count(q.instrument) == 0 ? lookup_status::unknown
                                              : lookup_status::no_data;
    if (r.status == lookup_status::no_data)
      if (auto* v = l1->find(bars_key(q.span, q.instrument), now))
        if (auto* s = std::get_if<cache::bar_series>(v)) {
          auto a = s->query(q.start_ns, q.end_ns, q.limit);
          if (a.complete) {
            r.status = lookup_status::ok;
            r.bars = std::move(a.bars);
          }
        }
    ++(r.status == lookup_status::ok ? counters.bars_hits : counters.bars_misses);
    return r;
  }

  cache_stats snapshot() const {
    auto c = counters;
    c.instruments = known.size();
    c.series = 0;
    c.bars = 0;
    l1->for_each([&](const std::string&, const l1_value& v) {
      if (auto* s = std::get_if<cache::bar_series>(&v)) {
        c.series += 1;
        c.bars += s->bars().size();
      }
    });
    c.instruments_refused = over_capacity;
    auto& lru = l1->counters();
    c.entries = l1->size();
    c.bytes = l1->bytes();
    c.max_entries = l1->max_entries();
    c.max_bytes = l1->max_bytes();
    c.evicted_capacity = lru.evicted_capacity;
    c.evicted_bytes = lru.evicted_bytes + lru.refused;
    c.expired = lru.expired;
    c.cleared = lru.erased;
    return c;
  }
};

cache_actor::behavior_type run_cache(cache_actor::stateful_pointer<cache_state> self,
                                     topology topo, std::vector<std::string> known) {
  auto& st = self->state;
  st.cfg = topo.cache;
  st.recent = cache::recent_trades{st.cfg.recent_trades};
  st.l1 = std::make_unique<l1_cache>(st.cfg.max_entries,
                                     static_cast<size_t>(st.cfg.max_bytes),
                                     entry_bytes);
  for (auto& k : known)
    st.admit(k);
  return {
    [=](const event_batch& batch) {
      auto& st = self->state;
      st.stats.batches_in += 1;
      st.stats.events_in += batch.size();
      st.on_batch(batch, now_ns());
      st.stats.events_out += batch.size();
      st.upstream.ack_or_hold(self, true);
    },
    [=](get_price_atom, const std::string& instrument) {
      return self->state.get_price(instrument, now_ns());
    },
    [=](get_bars_atom, const bars_query& q) {
      return self->state.get_bars(q, now_ns());
    },
    [=](fill_atom, const price& p) {
      auto& st = self->state;
      st.counters.fills += 1;
      if (st.admit(p.instrument))
        st.put_price(p, now_ns());
    },
    [=](fill_atom, const bars_fill& f) {
      auto& st = self->state;
      st.counters.fills += 1;
      if (st.admit(f.instrument))
        st.with_series(f.instrument, f.span, now_ns(), [&](cache::bar_series& s) {
          return s.fill(f.bars, f.from_ns, f.to_ns, f.open_ended);
        });
    },
    [=](clear_atom, const std::string& pattern) {
      auto& st = self->state;
      auto n = st.l1->erase_if([&](const std::string& key, const l1_value&) {
        return cache::glob_match(pattern, key);
      });
      st.log->info("cleared {} L1 entries matching {}", n, pattern);
      return static_cast<uint64_t>(n);
    },
    [=](cache_stats_atom) { return self->state.snapshot(); },
    [=](instruments_atom) {
      auto& known = self->state.known;
      std::vector<std::string> out{known.begin(), known.end()};
      std::sort(out.begin(), out.end());
      return out;
    },
    [=](get_quote_atom, const std::string& instrument) {
      return self->state.get_quote(instrument);
    },
    [=](get_trades_atom, const trades_query& q) {
      return self->state.get_trades(q);
    },
    [=](drain_atom) { return true; }, // batches before it are applied
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

cache_actor spawn_cache(caf::actor_system& sys, const topology& topo,
                       std::vector<std::string> known) {
  return sys.spawn(run_cache, topo, std::move(known));
}

} // namespace tickflow
