// The data routes and their read path (docs/STORAGE.md "Read path"):
//   price:              L1, then Redis, then the providers;
//   ohlcv, historical:  L1, then Redis, then Postgres, then the providers.
// A range Postgres holds only in part is completed by asking the providers
// for the missing sub-ranges alone. Every answer from a later step fills the
// L1 (read-through); fetched bars also reach Redis and Postgres through the
// pipeline (the REST provider actors send them to the normalizer).

#include <algorithm>
#include <limits>
#include <memory>
#include <set>

#include "actors/gateway_state.hpp"
#include "api/data_queries.hpp"
#include "api/responses.hpp"
#include "pipeline/cache/range_gaps.hpp"

namespace tickflow {

namespace {

constexpr int64_t none_before = std::numeric_limits<int64_t>::min();

/// Provider requests per partly stored range, at most.
constexpr size_t max_gap_requests = 4;

/// How long to wait for the Redis reader: a few of its own timeouts (a
/// connect and a read), never less than a second.
std::chrono::nanoseconds redis_wait(const gateway_state& st) {
  return std::chrono::nanoseconds{
    std::max<int64_t>(1'000'000'000, 4 * st.topo.cache.redis_timeout_ns)};
}

// -- price --------------------------------------------------------------------

/// The price a provider's answer holds (its last price, or the close of its
/// last bar, e.g. a previous-close bar).
std::optional<price> fetched_price(const fetch_reply& r) {
  if (!r.data.prices.empty())
    return r.data.prices.back();
  if (r.data.bars.empty())
    return std::nullopt;
  auto& b = r.data.bars.back();
  price p;
  p.instrument = b.instrument;
  p.source = b.source;
  p.value = b.close;
  p.ts_event_ns = b.open_time_ns + interval_ns(b.span);
  p.ts_recv_ns = b.ts_recv_ns;
  p.flags = b.flags;
  return p;
}

void handle_price(gateway_ptr self, const http_call& call) {
  auto q = api::parse_price_query(call.request);
  if (auto e = std::get_if<api::api_error>(&q))
    return call.reply(api::error_response(*e));
  auto pq = std::get<api::price_query>(q);
  auto& st = self->state;
  if (!pq.provider.empty() && !st.enabled(pq.provider))
    return call.reply(fail(400, "invalid_parameter",
                           "provider " + pq.provider + " is not enabled", "provider"));
  fetch_request req;
  req.kind = fetch_kind::price;
  req.instrument = pq.instrument;
  auto reply = call.reply;
  auto fetched = [self, reply, instrument = pq.instrument](chain_outcome o) {
    if (!o.ok)
      return reply(std::move(o.error));
    auto p = fetched_price(o.reply);
    if (!p)
      return reply(fail(404, "no_data",
                        o.reply.provider + " returned no price for " + instrument,
                        "symbol"));
    p->instrument = instrument; // the L1 key is the asked instrument
    self->send(self->state.cache, fill_atom::value, *p);
    api::provenance from{o.reply.provider, false, p->ts_event_ns, now_ns(), o.passed};
    reply(json(200, api::price_body(*p, from)));
  };
  if (!pq.provider.empty() && pq.provider != "simulator")
    return fetch_from_providers(self, req, pq.provider, call.prio, fetched);
  bool may_fetch = pq.provider.empty(); // provider=simulator: the live data only
  auto prio = call.prio;
  auto after_redis = [=](lookup_status l1) {
    if (!may_fetch || !can_fetch(self, req.instrument))
      return reply(not_found(l1, req.instrument));
    fetch_from_providers(self, req, {}, prio, fetched);
  };
  self->request(st.cache, l1_wait, get_price_atom::value, pq.instrument)
    .then(
      [=](const price_reply& r) {
        if (r.status == lookup_status::ok) {
          api::provenance from{"l1", true, r.value.ts_event_ns, now_ns(), {}};
          return reply(json(200, api::price_body(r.value, from)));
        }
        auto& redis = self->state.redis;
        if (!redis || !may_fetch)
          return after_redis(r.status);
        self->request(redis, redis_wait(self->state), get_price_atom::value,
                      req.instrument)
          .then(
            [=](const price_reply& rr) {
              if (rr.status != lookup_status::ok)
                return after_redis(r.status);
              self->send(self->state.cache, fill_atom::value, rr.value);
              api::provenance from{"redis", true, rr.value.ts_event_ns, now_ns(), {}};
              reply(json(200, api::price_body(rr.value, from)));
            },
            [=](caf::error&) { after_redis(r.status); });
      },
      [reply](caf::error&) {
        reply(fail(503, "unavailable", "cache did not answer in time"));
      });
}

// -- bars -----------------------------------------------------------------------

/// One bars request on its way down the read path.
struct bars_read {
  api::ohlcv_query q;
  api::responder reply;
  bool may_fetch = true;  ///< no provider= (the whole path may be used)
  bool fetchable = false; ///< and some REST provider can be asked
  bool end_given = false; ///< end= was given (else: up to now)
  int64_t end_ns = 0;     ///< end=, or now
  /// Checked against slots: a start was given, or providers can fill gaps.
  bool ranged = false;
  /// ranged: where the newest `limit` slots up to end_ns begin.
  int64_t window_start_ns = 0;
  lookup_status l1 = lookup_status::no_data; ///< what the L1 said
  priority prio = priority::urgent;          ///< of the upstream calls
  bars_delivery deliver; ///< set: the bars go here instead of a JSON reply
};

using read_ptr = std::shared_ptr<bars_read>;

std::vector<int64_t> open_times(const std::vector<bar>& xs) {
  std::vector<int64_t> out;
  out.reserve(xs.size());
  for (auto& b : xs)
    out.push_back(b.open_time_ns);
  return out;
}

/// The newest `limit` bars, one per slot, oldest first.
std::vector<bar> newest(std::vector<bar> xs, size_t limit) {
  std::stable_sort(xs.begin(), xs.end(), [](const bar& a, const bar& b) {
    return a.open_time_ns < b.open_time_ns;
  });
  xs.erase(std::unique(xs.begin(), xs.end(),
                       [](const bar& a, const bar& b) {
                         return a.open_time_ns == b.open_time_ns;
                       }),
           xs.end());
  if (xs.size() > limit)
    xs.erase(xs.begin(), xs.end() - static_cast<std::ptrdiff_t>(limit));
  return xs;
}

/// The query a later step is asked: the window when ranged.
bars_query step_query(const bars_read& r) {
  if (!r.ranged)
    return {r.q.instrument, r.q.span, r.q.limit, r.q.start_ns, r.q.end_ns};
  auto slots = cache::count_slots(r.q.span, r.window_start_ns,
                                  bar_open_time(r.q.span, r.end_ns));
  return {r.q.instrument, r.q.span, std::clamp<size_t>(slots, 1, r.q.limit),
          r.window_start_ns, r.end_ns};
}

/// Sends the answer and, unless it came from the L1, fills the L1 with it:
/// complete from `known_from` (or the oldest bar when the answer holds
/// `limit` bars) up to end= (or up to now).
void answer(gateway_ptr self, const read_ptr& r, const std::string& source,
            bool cached, std::vector<bar> bars, int64_t known_from,
            bool fill = true, std::vector<std::string> failover = {}) {
  // Out-of-range bars (a provider that ignores the bounds) go before the
  // newest `limit` are kept, so they cannot push in-range bars out.
  auto lo = r->q.start_ns != 0 ? bar_open_time(r->q.span, r->q.start_ns) : none_before;
  auto hi = r->end_given ? r->end_ns : std::numeric_limits<int64_t>::max();
  bars.erase(std::remove_if(bars.begin(), bars.end(),
                            [&](const bar& b) {
                              return b.open_time_ns < lo || b.open_time_ns > hi;
                            }),
             bars.end());
  bars = newest(std::move(bars), r->q.limit);
  if (fill && source != "l1" && !bars.empty()) {
    bars_fill f;
    f.instrument = r->q.instrument;
    f.span = r->q.span;
    f.bars = bars;
    f.from_ns = bars.size() >= r->q.limit ? bars.front().open_time_ns : known_from;
    f.to_ns = r->end_ns;
    f.open_ended = !r->end_given;
    self->send(self->state.cache, fill_atom::value, std::move(f));
  }
  if (r->deliver)
    return r->deliver(source, std::move(bars));
  api::provenance from{source, cached, bars.empty() ? 0 : bars.back().open_time_ns,
                       now_ns(), std::move(failover)};
  r->reply(json(200, api::ohlcv_body(r->q.instrument, r->q.span, bars, from,
                                     r->q.validate)));
}

/// The fetch request of the whole query (as the user asked it).
fetch_request whole_request(const bars_read& r) {
  fetch_request req;
  req.kind = fetch_kind::bars;
  req.instrument = r.q.instrument;
  req.span = r.q.span;
  req.start_ns = r.q.start_ns;
  req.end_ns = r.q.end_ns;
  req.limit = r.q.limit;
  return req;
}

/// Asks the providers for the whole query; `only` = provider= when given.
void fetch_whole(gateway_ptr self, read_ptr r, std::string only) {
  auto known_from = r->q.start_ns != 0 ? r->q.start_ns : none_before;
  fetch_from_providers(self, whole_request(*r), std::move(only), r->prio,
                       [self, r, known_from](chain_outcome o) {
                         if (!o.ok)
                           return r->reply(std::move(o.error));
                         answer(self, r, o.reply.provider, false,
                                std::move(o.reply.data.bars), known_from, true,
                                std::move(o.passed));
                       });
}

/// Nothing on the path had the bars and no provider can be asked.
void nothing_found(gateway_ptr self, const read_ptr& r) {
  if (r->l1 == lookup_status::unknown)
    return r->reply(not_found(r->l1, r->q.instrument));
  answer(self, r, "l1", true, {}, none_before, false);
}

/// What the gap fetches of one partly stored range gathered.
struct gap_merge {
  std::vector<bar> bars;           ///< stored, then fetched for missing slots
  std::set<std::string> providers; ///< who served a gap
  size_t pending = 0;
  size_t failed = 0;
};

/// Postgres holds part of the window: ask the providers for the missing
/// sub-ranges only, then answer with the merge.
void fill_gaps(gateway_ptr self, read_ptr r, std::vector<bar> stored,
               std::vector<cache::slot_range> gaps) {
  auto m = std::make_shared<gap_merge>();
  m->bars = std::move(stored);
  m->pending = gaps.size();
  auto finish = [self, r, m] {
    if (m->providers.empty()) {
      // No provider filled anything: what storage has is the best answer.
      return answer(self, r, "postgres", true, std::move(m->bars),
                    r->window_start_ns, m->failed == 0);
    }
    std::string source = "postgres";
    for (auto& p : m->providers)
      source += "+" + p;
    answer(self, r, source, false, std::move(m->bars), r->window_start_ns,
           m->failed == 0);
  };
  // Newest first: the recent past matters most, and at BATCH priority the
  // scheduler serves a provider's queue in order.
  for (auto it = gaps.rbegin(); it != gaps.rend(); ++it) {
    auto& g = *it;
    fetch_request req = whole_request(*r);
    req.start_ns = g.first_ns;
    req.end_ns = g.last_ns; // inclusive: the open time of the last missing bar
    req.limit = std::min(g.slots, r->q.limit);
    fetch_from_providers(
      self, req, {}, r->prio, [self, r, m, g, finish](chain_outcome o) {
        if (o.ok) {
          bool any = false;
          for (auto& b : o.reply.data.bars) {
            auto slot = bar_open_time(r->q.span, b.open_time_ns);
            if (slot >= g.first_ns && slot <= g.last_ns) {
              m->bars.push_back(std::move(b));
              any = true;
            }
          }
          if (any)
            m->providers.insert(o.reply.provider);
        } else if (o.error.status != 404) { // 404: nothing there, also an answer
          m->failed += 1;
          self->state.log->warn("read path: {} {} {}..{} not fetched ({})",
                                r->q.instrument, to_string(r->q.span),
                                g.first_ns, g.last_ns, o.error.status);
        }
        if (--m->pending == 0)
          finish();
      });
  }
}

/// Step 3: Postgres.
void read_postgres(gateway_ptr self, read_ptr r) {
  auto& storage = self->state.storage;
  if (!storage) {
    if (r->fetchable)
      return fetch_whole(self, r, {});
    return nothing_found(self, r);
  }
  self->request(storage, cache_timeout, get_bars_atom::value, step_query(*r))
    .then(
      [self, r](const bars_reply& pg) {
        auto stored = pg.status == lookup_status::ok ? pg.bars : std::vector<bar>{};
        if (!r->ranged) { // the newest bars, and no provider to ask
          if (stored.empty())
            return nothing_found(self, r);
          return answer(self, r, "postgres", true, std::move(stored), none_before);
        }
        auto gaps = cache::missing_ranges(r->q.span, r->window_start_ns, r->end_ns,
                                          open_times(stored), max_gap_requests);
        if (gaps.empty() && !stored.empty())
          return answer(self, r, "postgres", true, std::move(stored),
                        r->window_start_ns);
        if (!r->fetchable) { // partial (or nothing): what storage has
          if (stored.empty())
            return nothing_found(self, r);
          return answer(self, r, "postgres", true, std::move(stored),
                        r->window_start_ns, false);
        }
        if (stored.empty())
          return fetch_whole(self, r, {});
        fill_gaps(self, r, std::move(stored), std::move(gaps));
      },
      [self, r](caf::error&) {
        if (r->fetchable)
          return fetch_whole(self, r, {});
        nothing_found(self, r);
      });
}

/// Step 2: Redis. Its series are capped and may hold bars a provider
/// returned for another range, so an answer counts only when it is
/// complete: no missing slot in the window (ranged), else not empty.
void read_redis(gateway_ptr self, read_ptr r) {
  auto& redis = self->state.redis;
  if (!redis)
    return read_postgres(self, r);
  self->request(redis, redis_wait(self->state), get_bars_atom::value, step_query(*r))
    .then(
      [self, r](const bars_reply& rr) {
        if (rr.status != lookup_status::ok || rr.bars.empty())
          return read_postgres(self, r);
        if (!r->ranged)
          return answer(self, r, "redis", true, rr.bars, rr.bars.front().open_time_ns);
        auto gaps = cache::missing_ranges(r->q.span, r->window_start_ns, r->end_ns,
                                          open_times(rr.bars), 1);
        if (!gaps.empty())
          return read_postgres(self, r);
        answer(self, r, "redis", true, rr.bars, r->window_start_ns);
      },
      [self, r](caf::error&) { read_postgres(self, r); });
}

/// Starts a parsed bars request down the read path.
void read_path(gateway_ptr self, const read_ptr& r) {
  auto& st = self->state;
  auto& oq = r->q;
  r->end_given = oq.end_ns != 0;
  r->end_ns = r->end_given ? oq.end_ns : now_ns();
  if (!oq.provider.empty() && oq.provider != "simulator")
    return fetch_whole(self, r, oq.provider);
  r->may_fetch = oq.provider.empty(); // provider=simulator: the live data only
  r->fetchable = r->may_fetch && can_fetch(self, oq.instrument);
  r->ranged = oq.start_ns != 0 || r->fetchable;
  if (r->ranged)
    r->window_start_ns = cache::newest_slots_start(oq.span, oq.start_ns, r->end_ns,
                                                   oq.limit);
  bars_query l1q{oq.instrument, oq.span, oq.limit, oq.start_ns, oq.end_ns};
  self->request(st.cache, l1_wait, get_bars_atom::value, l1q)
    .then(
      [self, r](const bars_reply& l1) {
        if (l1.status == lookup_status::ok && !l1.bars.empty())
          return answer(self, r, "l1", true, l1.bars, none_before);
        r->l1 = l1.status;
        if (!r->may_fetch)
          return nothing_found(self, r);
        read_redis(self, r);
      },
      [self, r](caf::error&) {
        // An L1 that does not answer is skipped like any other step.
        if (!r->may_fetch)
          return r->reply(fail(503, "unavailable", "cache did not answer in time"));
        read_redis(self, r);
      });
}

/// GET /api/v1/data/ohlcv and /api/v1/data/historical (start required).
void handle_bars(gateway_ptr self, const http_call& call, bool historical) {
  auto q = api::parse_ohlcv_query(call.request);
  if (auto e = std::get_if<api::api_error>(&q))
    return call.reply(api::error_response(*e));
  auto r = std::make_shared<bars_read>();
  r->q = std::get<api::ohlcv_query>(q);
  r->reply = call.reply;
  r->prio = call.prio;
  auto& st = self->state;
  auto& oq = r->q;
  if (historical && oq.start_ns == 0)
    return call.reply(fail(400, "missing_parameter",
                           "historical bars need a start", "start"));
  if (!oq.provider.empty() && !st.enabled(oq.provider))
    return call.reply(fail(400, "invalid_parameter",
                           "provider " + oq.provider + " is not enabled", "provider"));
  read_path(self, r);
}

void handle_ohlcv(gateway_ptr self, const http_call& call) {
  handle_bars(self, call, false);
}

void handle_historical(gateway_ptr self, const http_call& call) {
  handle_bars(self, call, true);
}

} // namespace

void read_bars(gateway_ptr self, api::ohlcv_query q, priority prio,
               api::responder fail_reply, bars_delivery deliver) {
  auto r = std::make_shared<bars_read>();
  r->q = std::move(q);
  r->reply = std::move(fail_reply);
  r->prio = prio;
  r->deliver = std::move(deliver);
  read_path(self, r);
}

std::vector<route> data_routes() {
  return {
    {"GET", "/api/v1/data/price", handle_price},
    {"GET", "/api/v1/data/ohlcv", handle_ohlcv},
    {"GET", "/api/v1/data/historical", handle_historical},
  };
}

} // namespace tickflow
