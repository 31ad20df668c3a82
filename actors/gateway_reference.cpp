// The reference routes: fundamentals and news, asked of the providers
// through the scheduler like prices, and kept in the gateway's reference
// cache ([reference] TTLs); api/routes/reference reads and renders them.

#include <memory>
#include <optional>

#include "actors/gateway_state.hpp"
#include "api/routes/reference.hpp"

namespace tickflow {

namespace {

/// Points the cache at the [reference] settings in force.
reference::reference_cache& answers(gateway_state& st) {
  auto& r = st.topo.reference;
  st.reference_answers.follow(r.cache_entries, r.fundamentals_ttl_ns, r.news_ttl_ns);
  return st.reference_answers;
}

void handle_fundamentals(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  if (!st.topo.reference.enabled)
    return call.reply(api::reference_disabled());
  auto symbol = api::parse_fundamentals_symbol(call.path_param("symbol"));
  auto* instrument = parsed(symbol, call);
  if (instrument == nullptr)
    return;
  auto key = reference::profile_cache_key(*instrument);
  if (auto* hit = answers(st).profile(key, now_ns()))
    return call.reply(api::json(200, api::fundamentals_body(*instrument, *hit, true, {})));
  fetch_request req;
  req.kind = fetch_kind::profile;
  req.instrument = *instrument;
  fetch_from_providers(self, req, {}, call.prio,
                       [self, reply = call.reply, id = *instrument, key](chain_outcome o) {
                         if (!o.ok)
                           return reply(std::move(o.error));
                         auto& xs = o.reply.data.profiles;
                         if (xs.empty())
                           return reply(api::fail(404, "no_data",
                                                  o.reply.provider + " returned no profile for "
                                                    + id,
                                                  "symbol"));
                         auto p = std::move(xs.front());
                         p.instrument = id; // the cache key is the asked id
                         auto body = api::fundamentals_body(id, p, false, o.passed);
                         answers(self->state).put(key, std::move(p), now_ns());
                         reply(api::json(200, std::move(body)));
                       });
}

/// One news request on its way through the providers.
struct news_fanout {
  reference::news_query q;
  std::string key;
  api::responder reply;
  std::vector<std::string> providers;
  std::vector<api::news_outcome> outcomes; ///< by provider
  size_t pending = 0;
};

void handle_news(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  if (!st.topo.reference.enabled)
    return call.reply(api::reference_disabled());
  auto q = api::parse_news_query(call.request);
  auto* nq = parsed(q, call);
  if (nq == nullptr)
    return;
  auto f = std::make_shared<news_fanout>();
  f->q = std::move(*nq);
  f->key = reference::news_cache_key(f->q);
  if (auto* hit = answers(st).news(f->key, now_ns()))
    return call.reply(api::json(200, api::cached_news_body(f->q, *hit)));
  f->providers = serving_providers(st, fetch_kind::news);
  if (f->providers.empty())
    return call.reply(api::no_news_provider());
  f->reply = call.reply;
  f->outcomes.resize(f->providers.size());
  f->pending = f->providers.size();
  auto window = reference::news_window_at(now_ns(), st.topo.reference.news_lookback_ns);
  fetch_request req;
  req.kind = fetch_kind::news;
  req.instrument = f->q.instrument;
  req.query = f->q.text;
  req.limit = f->q.limit;
  req.start_ns = window.start_ns;
  req.end_ns = window.end_ns;
  // Every provider at once: the scheduler applies each one's own limits.
  for (size_t i = 0; i < f->providers.size(); ++i)
    fetch_from_providers(self, req, f->providers[i], call.prio, [self, f, i](chain_outcome o) {
      f->outcomes[i] = api::news_outcome{o.ok, std::move(o.reply.data.news), std::move(o.error)};
      if (--f->pending > 0)
        return;
      auto done = api::finish_news(f->q, f->providers, std::move(f->outcomes));
      // A partial answer is not kept: the next caller asks the failed ones again.
      if (done.keep)
        answers(self->state).put(f->key, std::move(*done.keep), now_ns());
      f->reply(std::move(done.reply));
    });
}

} // namespace

std::vector<route> reference_routes() {
  return {
    {"GET", "/api/v1/fundamentals/{symbol}", handle_fundamentals, route_access::api},
    {"GET", "/api/v1/news", handle_news, route_access::api},
  };
}

} // namespace tickflow
