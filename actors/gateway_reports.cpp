// Reports: the providers, data quality, the quarantine, the scheduler's
// stats, and the cache (its stats; clearing it).

#include <memory>

#include "actors/gateway_state.hpp"
#include "adapters/registry.hpp"
#include "api/routes/cache.hpp"
#include "api/routes/reports.hpp"

namespace tickflow {

namespace {

/// Asks every validator `xs...`, then calls done(replies) once all have
/// answered or failed (a failed one is left out).
template <class Reply, class Done, class... Ts>
void ask_validators(gateway_ptr self, Done done, Ts... xs) {
  auto& vs = self->state.reads.validators;
  auto replies = std::make_shared<std::vector<Reply>>();
  auto pending = std::make_shared<size_t>(vs.size());
  if (vs.empty())
    return done(*replies);
  auto one_less = [=] {
    if (--*pending == 0)
      done(*replies);
  };
  for (auto& v : vs)
    self->request(v, std::chrono::seconds{2}, xs...)
      .then(
        [=](const Reply& r) {
          replies->push_back(r);
          one_less();
        },
        [=](caf::error&) { one_less(); });
}

template <class Enum>
std::vector<std::string> names_of(const std::vector<Enum>& xs) {
  std::vector<std::string> out;
  for (auto x : xs)
    out.emplace_back(to_string(x));
  return out;
}

void handle_providers(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  auto listing = std::make_shared<std::vector<api::provider_listing>>();
  // Every provider [providers] enabled may name, in id order (the
  // registry's table): the simulator first, then the REST providers.
  for (auto& info : provider_table()) {
    if (!info.selectable)
      continue;
    api::provider_listing p;
    p.name = std::string{info.name};
    p.asset_classes = names_of(info.asset_classes);
    p.data_types = names_of(info.data_types);
    // Without REST (the simulator) the bars are those its section builds.
    p.intervals = info.rest ? names_of(info.intervals)
                            : names_of(st.topo.simulator.bar_intervals);
    p.needs_key = info.needs_key;
    p.enabled = st.enabled(p.name);
    listing->push_back(std::move(p));
  }
  // Ask each live REST provider for its health and the validators for the
  // providers' data quality, then answer.
  auto xs = st.rest_chain({});
  auto pending = std::make_shared<size_t>(xs.size() + 1);
  auto reply = call.reply;
  auto one_less = [listing, reply, pending] {
    if (--*pending == 0)
      reply(api::json(200, api::providers_body(*listing)));
  };
  ask_validators<validator_quality>(
    self,
    [=](const std::vector<validator_quality>& qs) {
      api::add_quality(*listing, api::merge_quality(qs));
      one_less();
    },
    quality_atom::value, std::string{});
  for (auto& [name, actor] : xs)
    self->request(actor, std::chrono::seconds{2}, health_atom::value)
      .then(
        [=](const provider_health& h) {
          api::add_health(*listing, h);
          one_less();
        },
        [=](caf::error&) { one_less(); });
}

void handle_quality(gateway_ptr self, const http_call& call) {
  auto q = api::parse_quality_query(call.request);
  auto* qq = parsed(q, call);
  if (qq == nullptr)
    return;
  ask_validators<validator_quality>(
    self,
    [reply = call.reply, instrument = qq->instrument](const std::vector<validator_quality>& xs) {
      reply(api::json(200, api::quality_answer(instrument, xs)));
    },
    quality_atom::value, qq->instrument);
}

void handle_quarantine(gateway_ptr self, const http_call& call) {
  auto q = api::parse_quarantine_query(call.request);
  auto* qq = parsed(q, call);
  if (qq == nullptr)
    return;
  ask_validators<quarantine_page>(
    self,
    [reply = call.reply, limit = qq->limit](const std::vector<quarantine_page>& pages) {
      reply(api::json(200, api::quarantine_answer(pages, limit)));
    },
    quarantine_atom::value, qq->instrument, static_cast<uint64_t>(qq->limit));
}

void handle_stats(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  auto reply = call.reply;
  if (!st.reads.scheduler)
    return reply(api::fail(503, "unavailable", "no scheduler"));
  self->request(st.reads.scheduler, std::chrono::seconds{2}, sched_stats_atom::value)
    .then(
      [self, reply](const scheduler_stats& s) {
        self->request(self->state.reads.cache, cache_timeout, cache_stats_atom::value)
          .then([reply, s](const cache_stats& c) { reply(api::json(200, api::stats_body(s, &c))); },
                [reply, s](caf::error&) { reply(api::json(200, api::stats_body(s, nullptr))); });
      },
      [reply](caf::error&) {
        reply(api::fail(503, "unavailable", "scheduler did not answer in time"));
      });
}

api::http_response cache_unavailable() {
  return api::fail(503, "unavailable", "cache did not answer in time");
}

void handle_cache_stats(gateway_ptr self, const http_call& call) {
  auto reply = call.reply;
  self->request(self->state.reads.cache, cache_timeout, cache_stats_atom::value)
    .then(
      [self, reply](const cache_stats& c) {
        auto redis = self->state.reads.redis;
        if (!redis)
          return reply(api::json(200, api::cache_stats_body(c, false, nullptr)));
        self->request(redis, cache_timeout, stats_atom::value)
          .then(
            [reply, c](const stage_stats& s) {
              reply(api::json(200, api::cache_stats_body(c, true, &s)));
            },
            [reply, c](caf::error&) {
              reply(api::json(200, api::cache_stats_body(c, true, nullptr)));
            });
      },
      [reply](caf::error&) { reply(cache_unavailable()); });
}

/// POST /api/v1/cache/clear: Redis first, then the L1 (a read between the
/// two could otherwise fill the L1 again from Redis keys about to go).
void handle_cache_clear(gateway_ptr self, const http_call& call) {
  auto q = api::parse_clear_query(call.request);
  auto* cq = parsed(q, call);
  if (cq == nullptr)
    return;
  auto& redis = self->state.reads.redis;
  auto reply = call.reply;
  auto clear_l1 = [self, reply, q = *cq](std::string redis, bool redis_failed) {
    auto done = [reply, p = q.pattern, redis, redis_failed](std::string l1) {
      reply(redis_failed ? api::redis_clear_failed(p, l1) : api::cache_cleared(p, l1, redis));
    };
    if (!q.l1)
      return done(api::l1_kept());
    self->request(self->state.reads.cache, cache_timeout, clear_atom::value, q.pattern)
      .then([done](uint64_t removed) { done(api::l1_removed(removed)); },
            [reply](caf::error&) { reply(cache_unavailable()); });
  };
  if (!cq->redis || !redis)
    return clear_l1(api::redis_kept(static_cast<bool>(redis)), false);
  self->request(redis, std::chrono::seconds{30}, clear_atom::value, cq->pattern)
    .then([clear_l1](uint64_t removed) { clear_l1(api::redis_removed(removed), false); },
          [self, clear_l1](caf::error& e) {
            self->state.log->warn("cache clear: redis failed: {}", self->system().render(e));
            clear_l1({}, true);
          });
}

} // namespace

std::vector<route> report_routes() {
  return {
    {"GET", "/api/v1/data/providers", handle_providers},
    {"GET", "/api/v1/data/quality", handle_quality},
    {"GET", "/api/v1/data/quarantine", handle_quarantine},
    {"GET", "/api/v1/stats", handle_stats},
  };
}

std::vector<route> cache_routes() {
  return {
    {"GET", "/api/v1/cache/stats", handle_cache_stats},
    {"POST", "/api/v1/cache/clear", handle_cache_clear, route_access::admin},
  };
}

} // namespace tickflow
