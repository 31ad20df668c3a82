// The data routes: price (L1, then Redis, then the providers), the bars
// routes down the read path of api/routes/read_path (L1, Redis, Postgres,
// then the providers; a partly stored range is completed by asking for the
// missing sub-ranges alone), technical indicators from those bars, and
// batch and prefetch, which reuse them. Fetched bars also reach Redis and
// Postgres through the pipeline (the REST provider actors send them on).

#include <algorithm>
#include <atomic>
#include <memory>

#include "actors/gateway_state.hpp"
#include "api/routes/freshness.hpp"
#include "api/routes/read_path.hpp"
#include "api/routes/resample.hpp"
#include "api/routes/technical.hpp"
#include "pipeline/normalize/bar_resampler.hpp"

namespace tickflow {

namespace {

using api::bars_read;

/// How long to wait for the Redis reader: a few of its own timeouts (a
/// connect and a read), never less than a second.
std::chrono::nanoseconds redis_wait(const gateway_state& st) {
  return std::chrono::nanoseconds{
    std::max<int64_t>(1'000'000'000, 4 * st.topo.cache.redis_timeout_ns)};
}

// -- price --------------------------------------------------------------------

void handle_price(gateway_ptr self, const http_call& call) {
  auto q = api::parse_price_query(call.request, self->state.symbols);
  auto* pq = parsed(q, call);
  if (pq == nullptr)
    return;
  auto& st = self->state;
  if (!pq->provider.empty() && !st.enabled(pq->provider))
    return call.reply(api::provider_not_enabled(pq->provider));
  fetch_request req;
  req.kind = fetch_kind::price;
  req.instrument = pq->instrument;
  auto reply = call.reply;
  auto requested = pq->requested;
  auto fetched = [self, reply, instrument = pq->instrument, requested](chain_outcome o) {
    if (!o.ok)
      return reply(std::move(o.error));
    auto p = api::price_of(o.reply.data.prices, o.reply.data.bars);
    if (!p)
      return reply(api::fail(404, "no_data",
                             o.reply.provider + " returned no price for " + instrument,
                             "symbol"));
    p->instrument = instrument; // the L1 key is the asked instrument
    self->send(self->state.reads.cache, fill_atom::value, *p);
    api::provenance from{o.reply.provider, false, p->ts_event_ns, now_ns(), o.passed,
                         requested};
    reply(api::json(200, api::price_body(*p, from)));
  };
  if (!pq->provider.empty() && pq->provider != "simulator")
    return fetch_from_providers(self, req, pq->provider, call.prio, fetched);
  bool may_fetch = pq->provider.empty(); // provider=simulator: the live data only
  auto prio = call.prio;
  // A cached price past max_age (by its event time) goes on to the providers;
  // a Redis one also past [cache] ttl-price since it was received, as in the L1.
  auto max_age = pq->max_age_ns;
  auto ttl = st.topo.cache.ttl_price_ns;
  auto after_redis = [=](lookup_status l1) {
    if (!may_fetch || !can_fetch(self, req.instrument))
      return reply(l1 == lookup_status::ok ? api::too_old(req.instrument, *max_age)
                                           : api::not_found(l1, req.instrument));
    fetch_from_providers(self, req, {}, prio, fetched);
  };
  self->request(st.reads.cache, l1_wait, get_price_atom::value, pq->instrument)
    .then(
      [=](const price_reply& r) {
        auto now = now_ns(); // one clock read on the cached path, as before
        if (r.status == lookup_status::ok
            && api::within_max_age(r.value.ts_event_ns, now, max_age)) {
          api::provenance from{"l1", true, r.value.ts_event_ns, now, {}, requested};
          return reply(api::json(200, api::price_body(r.value, from)));
        }
        auto& redis = self->state.reads.redis;
        if (!redis || !may_fetch)
          return after_redis(r.status);
        self->request(redis, redis_wait(self->state), get_price_atom::value, req.instrument)
          .then(
            [=](const price_reply& rr) {
              if (rr.status != lookup_status::ok
                  || !api::redis_may_answer(rr.value.ts_event_ns, rr.value.ts_recv_ns,
                                            now_ns(), ttl, max_age))
                return after_redis(r.status);
              self->send(self->state.reads.cache, fill_atom::value, rr.value);
              api::provenance from{"redis", true, rr.value.ts_event_ns, now_ns(), {},
                                   requested};
              reply(api::json(200, api::price_body(rr.value, from)));
            },
            [=](caf::error&) { after_redis(r.status); });
      },
      [reply](caf::error&) {
        reply(api::fail(503, "unavailable", "cache did not answer in time"));
      });
}

// -- bars: the read path -----------------------------------------------------------

/// Bars read down the read path: which step answered ("l1", "redis",
/// "postgres", a provider, "postgres+<provider>") and the bars.
using bars_delivery = std::function<void(const std::string& source, std::vector<bar> bars)>;

/// One bars request on its way: the pure plan and where the answer goes.
struct read_job {
  bars_read plan;
  api::responder reply;
  priority prio = priority::urgent; ///< of the upstream calls
  bars_delivery deliver; ///< set: the bars go here instead of a JSON reply
  bool resample = false; ///< no bars: build them from a finer interval
};

using read_ptr = std::shared_ptr<read_job>;

void read_bars(gateway_ptr self, api::ohlcv_query q, priority prio, api::responder reply,
               bars_delivery deliver = {}, bool resample = false);

/// Steps 1-4 had no bars of r's interval: reads the range at the next finer
/// interval of the plan and answers with its bars resampled; false when the
/// plan has no more intervals to try.
bool resample_from_finer(gateway_ptr self, const read_ptr& r, size_t next = 0) {
  auto plan = api::resample_plan(r->plan.q.span, self->state.live_spans);
  if (next >= plan.size())
    return false;
  auto fine = plan[next];
  read_bars(self, api::finer_query(r->plan.q, fine), r->prio, r->reply,
            [self, r, next, fine](const std::string& source, std::vector<bar> bars) {
              auto kept = r->plan.keep(resample_bars(bars, r->plan.q.span));
              if (kept.empty() && resample_from_finer(self, r, next + 1))
                return;
              bool cached = source == "l1" || source == "redis" || source == "postgres";
              api::provenance from{source, cached, 0, now_ns(), {}};
              if (!kept.empty())
                from.resampled_from = std::string{to_string(fine)};
              r->reply(api::json(200, r->plan.body(kept, std::move(from))));
            });
  return true;
}

/// Answers with `bars` and, unless they came from the L1, fills the L1.
void answer(gateway_ptr self, const read_ptr& r, const std::string& source, bool cached,
            std::vector<bar> bars, int64_t known_from, bool fill = true,
            std::vector<std::string> failover = {}) {
  auto kept = r->plan.keep(std::move(bars));
  if (kept.empty() && r->resample && resample_from_finer(self, r))
    return;
  if (fill && source != "l1" && !r->plan.q.adjusted)
    if (auto f = r->plan.fill(kept, known_from))
      self->send(self->state.reads.cache, fill_atom::value, std::move(*f));
  if (r->deliver)
    return r->deliver(source, std::move(kept));
  api::provenance from{source, cached, 0, now_ns(), std::move(failover)};
  r->reply(api::json(200, r->plan.body(kept, std::move(from))));
}

/// The fetch request of the whole query (as the user asked it).
fetch_request whole_request(const api::ohlcv_query& q) {
  fetch_request req;
  req.kind = fetch_kind::bars;
  req.instrument = q.instrument;
  req.span = q.span;
  req.start_ns = q.start_ns;
  req.end_ns = q.end_ns;
  req.limit = q.limit;
  req.adjusted = q.adjusted;
  return req;
}

/// Asks the providers for the whole query; `only` = provider= when given.
void fetch_whole(gateway_ptr self, read_ptr r, std::string only) {
  auto known_from = r->plan.q.start_ns != 0 ? r->plan.q.start_ns : api::none_before;
  auto req = whole_request(r->plan.q);
  req.start_ns = r->plan.fetch_start(req.start_ns);
  fetch_from_providers(self, std::move(req), std::move(only), r->prio,
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
  if (r->plan.l1 == lookup_status::unknown)
    return r->reply(api::not_found(r->plan.l1, r->plan.q.instrument));
  answer(self, r, "l1", true, {}, api::none_before, false);
}

/// Postgres holds part of the window: ask the providers for the missing
/// sub-ranges only, newest first (the recent past matters most, and at
/// BATCH priority the scheduler serves a provider's queue in order).
void fill_gaps(gateway_ptr self, read_ptr r, std::vector<bar> stored,
               std::vector<cache::slot_range> gaps) {
  auto m = std::make_shared<api::gap_merge>();
  m->bars = std::move(stored);
  m->pending = gaps.size();
  for (auto it = gaps.rbegin(); it != gaps.rend(); ++it) {
    auto g = *it;
    auto req = whole_request(r->plan.q);
    req.start_ns = g.first_ns;
    req.end_ns = g.last_ns; // inclusive: the open time of the last missing bar
    req.limit = std::min(g.slots, r->plan.q.limit);
    fetch_from_providers(self, req, {}, r->prio, [self, r, m, g](chain_outcome o) {
      auto& q = r->plan.q;
      if (o.ok) {
        m->add(g, q.span, o.reply.provider, std::move(o.reply.data.bars));
      } else if (o.error.status != 404) { // 404: nothing there, also an answer
        m->failed += 1;
        self->state.log->warn("read path: {} {} {}..{} not fetched ({})", q.instrument,
                              to_string(q.span), g.first_ns, g.last_ns, o.error.status);
      }
      if (--m->pending > 0)
        return;
      // No provider filled anything: what storage has is the best answer.
      answer(self, r, m->source(), m->providers.empty(), std::move(m->bars),
             r->plan.window_start_ns, m->failed == 0);
    });
  }
}

/// Step 3: Postgres. A range in which the market never trades (a weekend,
/// a holiday) has no bar to find or fetch: it is answered empty at once.
void read_postgres(gateway_ptr self, read_ptr r) {
  if (r->plan.closed())
    return answer(self, r, "calendar", true, {}, api::none_before, false);
  auto after = [self, r](std::vector<bar> stored) {
    auto d = r->plan.after_storage(stored);
    switch (d.next) {
      case api::next_step::answer:
        return answer(self, r, "postgres", true, std::move(stored), d.known_from, d.fill);
      case api::next_step::nothing_found:
        return nothing_found(self, r);
      case api::next_step::fetch_whole:
        return fetch_whole(self, r, {});
      case api::next_step::fill_gaps:
        return fill_gaps(self, r, std::move(stored), std::move(d.gaps));
    }
  };
  auto& storage = self->state.reads.storage;
  if (!storage)
    return r->plan.fetchable ? fetch_whole(self, r, {}) : nothing_found(self, r);
  self->request(storage, cache_timeout, get_bars_atom::value, r->plan.step_query())
    .then(
      [after](const bars_reply& pg) {
        after(pg.status == lookup_status::ok ? pg.bars : std::vector<bar>{});
      },
      [self, r](caf::error&) {
        r->plan.fetchable ? fetch_whole(self, r, {}) : nothing_found(self, r);
      });
}

/// Step 2: Redis, when its answer is complete.
void read_redis(gateway_ptr self, read_ptr r) {
  auto& redis = self->state.reads.redis;
  if (!redis)
    return read_postgres(self, r);
  self->request(redis, redis_wait(self->state), get_bars_atom::value, r->plan.step_query())
    .then(
      [self, r](const bars_reply& rr) {
        auto from = rr.status == lookup_status::ok ? r->plan.redis_answer(rr.bars)
                                                   : std::nullopt;
        if (!from)
          return read_postgres(self, r);
        answer(self, r, "redis", true, rr.bars, *from);
      },
      [self, r](caf::error&) { read_postgres(self, r); });
}

/// Starts a bars request down the read path (step 1: the L1).
void read_bars(gateway_ptr self, api::ohlcv_query q, priority prio, api::responder reply,
               bars_delivery deliver, bool resample) {
  auto r = std::make_shared<read_job>();
  r->resample = resample;
  auto cal = calendar_of(self->state, q.instrument);
  r->plan = bars_read::start(
    std::move(q), now_ns(), [self](const std::string& id) { return can_fetch(self, id); },
    std::move(cal));
  r->reply = std::move(reply);
  r->prio = prio;
  r->deliver = std::move(deliver);
  // The caches hold bars as traded: adjusted ones come from the providers.
  if (bars_read::direct(r->plan.q) || r->plan.q.adjusted)
    return fetch_whole(self, r, r->plan.q.provider);
  self->request(self->state.reads.cache, l1_wait, get_bars_atom::value, r->plan.l1_query())
    .then(
      [self, r](const bars_reply& l1) {
        if (l1.status == lookup_status::ok && !l1.bars.empty())
          return answer(self, r, "l1", true, l1.bars, api::none_before);
        r->plan.l1 = l1.status;
        if (!r->plan.may_fetch)
          return nothing_found(self, r);
        read_redis(self, r);
      },
      [self, r](caf::error&) {
        // An L1 that does not answer is skipped like any other step.
        if (!r->plan.may_fetch)
          return r->reply(api::fail(503, "unavailable", "cache did not answer in time"));
        read_redis(self, r);
      });
}

/// GET /api/v1/data/ohlcv and /api/v1/data/historical (start required).
template <api::api_result<api::ohlcv_query> (*Parse)(const api::http_request&,
                                                      const symbol_resolver&)>
void handle_bars(gateway_ptr self, const http_call& call) {
  auto q = Parse(call.request, self->state.symbols);
  auto* oq = parsed(q, call);
  if (oq == nullptr)
    return;
  if (!oq->provider.empty() && !self->state.enabled(oq->provider))
    return call.reply(api::provider_not_enabled(oq->provider));
  // provider= asks that provider alone: its answer is not resampled.
  bool resample = oq->provider.empty();
  read_bars(self, std::move(*oq), call.prio, call.reply, {}, resample);
}

/// GET /api/v1/technical/{symbol}: indicators from the bars of the read path.
void handle_technical(gateway_ptr self, const http_call& call) {
  auto& cfg = self->state.topo.indicators;
  if (!cfg.enabled)
    return call.reply(api::technical_disabled());
  auto p = api::parse_technical_query(call.request, call.path_param("symbol"), cfg);
  auto* tq = parsed(p, call);
  if (tq == nullptr)
    return;
  auto q = std::make_shared<api::technical_query>(std::move(*tq));
  auto cal = calendar_of(self->state, q->instrument);
  auto plan = api::plan_technical_read(*q, cfg, now_ns(), cal.get());
  auto* read = parsed(plan, call);
  if (read == nullptr)
    return;
  auto reply = call.reply;
  read_bars(self, read->bars, call.prio, reply,
            [q, reply, from = read->from_ns, to = read->to_ns](const std::string& source,
                                                                std::vector<bar> bars) {
              reply(api::json(200, api::technical_body(*q, source, std::move(bars), from, to)));
            });
}

// -- batch and prefetch --------------------------------------------------------------

/// Items of one batch asked at once. Each item is answered by its own route
/// (an ohlcv item of 1000 bars is ~150 KB of JSON plus its bars); asking all
/// 100 at once had ten unread batches hold 173 MiB while their answers were
/// built, a window of 8 keeps one batch's answers in flight to ~1 MB.
constexpr size_t batch_window = 8;

/// One batch on its way: its items go to the gateway (internal_atom, so
/// without the client's limits a second time) a window at a time; each
/// answer sends the next item. Once the collector is over its byte bound the
/// rest are not asked at all: the batch answers 413 anyway.
struct batch_run : std::enable_shared_from_this<batch_run> {
  std::vector<api::batch_entry> entries;
  std::shared_ptr<api::batch_collector> collector;
  gateway_actor gateway;
  priority prio = priority::urgent;
  std::atomic<size_t> next{0};

  /// Asks the next item that needs a route, answering those that do not
  /// on the way (callable from any thread).
  void ask_next() {
    for (;;) {
      auto i = next.fetch_add(1);
      if (i >= entries.size())
        return;
      auto respond = collector->item(i);
      auto& e = entries[i];
      if (auto* err = std::get_if<api::http_response>(&e.request)) {
        respond(std::move(*err));
        continue;
      }
      if (collector->overflowed()) {
        respond(api::fail(413, "response_too_large", "not asked: the batch is over its bound"));
        continue;
      }
      auto& req = std::get<api::http_request>(e.request);
      auto& routes = all_gateway_routes();
      auto r = std::find_if(routes.begin(), routes.end(), [&](const route& x) {
        return x.method == "GET" && x.pattern == req.path;
      });
      if (r == routes.end()) {
        respond(api::fail(501, "not_implemented", "no route " + req.path));
        continue;
      }
      // The next item goes once this one's responder is gone, answered or
      // dropped (a dropped one answers 500 and must not stall the batch).
      struct advance {
        explicit advance(std::shared_ptr<batch_run> r) : run(std::move(r)) {}
        advance(const advance&) = delete; // a copy's destructor would ask too
        advance& operator=(const advance&) = delete;
        std::shared_ptr<batch_run> run;
        ~advance() {
          try {
            run->ask_next();
          } catch (...) {
            // The item responders answer 500 when they are dropped.
          }
        }
      };
      auto adv = std::make_shared<advance>(shared_from_this());
      auto then = [adv, respond](api::http_response answer) { respond(std::move(answer)); };
      caf::anon_send(gateway, internal_atom::value,
                     http_call{std::move(req), std::move(then), {}, prio});
      return;
    }
  }
};

/// POST /api/v1/data/batch: each item answered by the GET route of its type.
void handle_batch(gateway_ptr self, const http_call& call) {
  auto max = self->state.topo.access.limits.max_batch_items;
  auto items = api::parse_batch(call.request, max);
  if (auto* e = std::get_if<api::http_response>(&items))
    return call.reply(std::move(*e));
  auto run = std::make_shared<batch_run>();
  run->entries = std::move(std::get<std::vector<api::batch_entry>>(items));
  run->collector = api::batch_collector::make(run->entries, call.reply,
                                              self->state.topo.gateway.max_response_bytes);
  run->gateway = caf::actor_cast<gateway_actor>(self);
  run->prio = call.prio;
  for (size_t k = 0; k < batch_window; ++k)
    run->ask_next();
}

/// POST /api/v1/prefetch: fetches at batch priority from the REST providers,
/// so the answers land in the cache; what the simulator streams is live.
void handle_prefetch(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  auto p = api::parse_prefetch(call.request.body, st.topo.access.limits.max_batch_items);
  if (auto* e = std::get_if<api::http_response>(&p))
    return call.reply(std::move(*e));
  auto& req = std::get<api::prefetch_request>(p);
  auto items = api::plan_prefetch(req, st.topo,
                                  [self](const std::string& id) { return can_fetch(self, id); });
  for (auto& x : items) {
    if (x.status != "queued")
      continue;
    fetch_request f;
    f.instrument = x.symbol;
    f.kind = x.type == "ohlcv" ? fetch_kind::bars : fetch_kind::price;
    if (f.kind == fetch_kind::bars) {
      f.span = req.span;
      f.limit = req.limit;
    }
    st.reads.prefetch.queued += 1;
    fetch_from_providers(self, f, {}, priority::batch, [self](chain_outcome o) {
      auto& n = self->state.reads.prefetch;
      (o.ok ? n.done : n.failed) += 1;
    });
  }
  call.reply(api::prefetch_body(items));
}

} // namespace

std::vector<route> data_routes() {
  return {
    {"GET", "/api/v1/data/price", handle_price},
    {"GET", "/api/v1/data/ohlcv", handle_bars<api::parse_ohlcv_query>},
    {"GET", "/api/v1/data/historical", handle_bars<api::parse_historical_query>},
  };
}

std::vector<route> batch_routes() {
  return {
    {"POST", "/api/v1/data/batch", handle_batch},
    {"POST", "/api/v1/prefetch", handle_prefetch},
  };
}

std::vector<route> technical_routes() {
  return {
    {"GET", "/api/v1/technical/{symbol}", handle_technical},
  };
}

} // namespace tickflow
