// GET /api/v1/data/quote and /api/v1/data/trades: what the pipeline has
// ingested, from the cache (the newest quote, a ring of recent trades per
// instrument), then PostgreSQL (older trades), then the providers that serve
// quotes or trades. The decisions and bodies are api/routes/ticks.

#include "actors/cache_actor.hpp"
#include "actors/gateway_state.hpp"
#include "api/routes/freshness.hpp"
#include "api/routes/ticks.hpp"

namespace tickflow {

namespace {

/// True if an enabled REST provider serves `kind`.
bool any_serves(gateway_ptr self, fetch_kind kind) {
  return !serving_providers(self->state, kind).empty();
}

// -- quote ----------------------------------------------------------------------

void quote_from_providers(gateway_ptr self, const api::quote_query& q, priority prio,
                          lookup_status memory, api::responder reply) {
  fetch_request req;
  req.kind = fetch_kind::quote;
  req.instrument = q.instrument;
  auto only = q.provider;
  if (only.empty() && !any_serves(self, fetch_kind::quote))
    return reply(memory == lookup_status::ok ? api::too_old(q.instrument, *q.max_age_ns)
                                             : api::not_found(memory, q.instrument));
  fetch_from_providers(self, req, only, prio, [self, q, memory, reply](chain_outcome o) {
    if (!o.ok)
      return reply(memory == lookup_status::no_data ? api::not_found(memory, q.instrument)
                                                     : std::move(o.error));
    if (o.reply.data.quotes.empty())
      return reply(api::fail(404, "no_data",
                             o.reply.provider + " returned no quote for " + q.instrument,
                             "symbol"));
    auto x = o.reply.data.quotes.back();
    x.instrument = q.instrument;
    api::provenance from{o.reply.provider, false, x.ts_event_ns, now_ns(), o.passed,
                         q.requested};
    reply(api::json(200, api::quote_body(x, from)));
  });
}

void handle_quote(gateway_ptr self, const http_call& call) {
  auto p = api::parse_quote_query(call.request, self->state.symbols);
  auto* q = parsed(p, call);
  if (q == nullptr)
    return;
  if (!q->provider.empty() && !self->state.enabled(q->provider))
    return call.reply(api::provider_not_enabled(q->provider));
  auto prio = call.prio;
  auto reply = call.reply;
  if (!q->provider.empty() && q->provider != "simulator")
    return quote_from_providers(self, *q, prio, lookup_status::unknown, reply);
  self->request(self->state.reads.cache, cache_timeout, get_quote_atom::value, q->instrument)
    .then(
      [self, q = *q, prio, reply](const quote_reply& r) {
        if (r.status == lookup_status::ok
            && api::within_max_age(r.value.ts_event_ns, now_ns(), q.max_age_ns)) {
          api::provenance from{"l1", true, r.value.ts_event_ns, now_ns(), {}, q.requested};
          return reply(api::json(200, api::quote_body(r.value, from)));
        }
        if (q.provider == "simulator") // the live data only
          return reply(r.status == lookup_status::ok ? api::too_old(q.instrument, *q.max_age_ns)
                                                     : api::not_found(r.status, q.instrument));
        quote_from_providers(self, q, prio, r.status, reply);
      },
      [reply](caf::error&) {
        reply(api::fail(503, "unavailable", "cache did not answer in time"));
      });
}

// -- trades ---------------------------------------------------------------------

/// One trades request on its way down the read path.
struct trades_job {
  api::trades_request q;
  api::responder reply;
  priority prio = priority::urgent;
  lookup_status memory = lookup_status::unknown;
  std::vector<trade> found; ///< memory and Postgres, merged
  std::string source = "l1";
};

using trades_ptr = std::shared_ptr<trades_job>;

void answer_trades(const trades_ptr& j, bool cached, std::vector<std::string> failover = {}) {
  api::provenance from{j->source, cached, 0, now_ns(), std::move(failover), j->q.requested};
  j->reply(api::json(200, api::trades_body(j->q.instrument, j->found, std::move(from))));
}

void trades_from_providers(gateway_ptr self, trades_ptr j) {
  fetch_request req;
  req.kind = fetch_kind::trades;
  req.instrument = j->q.instrument;
  req.start_ns = j->q.start_ns;
  req.end_ns = j->q.end_ns;
  req.limit = j->q.limit;
  auto direct = !j->q.provider.empty();
  fetch_from_providers(self, req, j->q.provider, j->prio, [j, direct](chain_outcome o) {
    if (!o.ok) {
      // Nothing anywhere: a provider's answer (404 unknown_symbol, 429, ...)
      // says why; for an instrument tickflow streams, no trades yet is 200.
      if (direct || j->memory == lookup_status::unknown)
        return j->reply(std::move(o.error));
      return answer_trades(j, true);
    }
    j->found = api::merge_trades(std::move(j->found), o.reply.data.trades, j->q.start_ns,
                                 j->q.end_ns, j->q.limit);
    j->source = o.reply.provider;
    answer_trades(j, false, std::move(o.passed));
  });
}

void next_trades_step(gateway_ptr self, const trades_ptr& j, api::trades_step next) {
  switch (next) {
    case api::trades_step::answer:
      return answer_trades(j, true);
    case api::trades_step::unknown:
      return j->reply(api::not_found(lookup_status::unknown, j->q.instrument));
    case api::trades_step::ask_provider:
      return trades_from_providers(self, j);
    case api::trades_step::ask_storage:
      break;
  }
  self->request(self->state.reads.storage, cache_timeout, get_trades_atom::value,
                api::lookup_of(j->q))
    .then(
      [self, j](const trades_reply& pg) {
        if (pg.status == lookup_status::ok && !pg.trades.empty()) {
          bool memory = !j->found.empty();
          j->found = api::merge_trades(std::move(j->found), pg.trades, j->q.start_ns,
                                       j->q.end_ns, j->q.limit);
          j->source = memory ? "l1+postgres" : "postgres";
        }
        next_trades_step(self, j,
                         api::after_storage(j->found.size(), j->memory,
                                            any_serves(self, fetch_kind::trades)));
      },
      [self, j](caf::error&) {
        next_trades_step(self, j,
                         api::after_storage(j->found.size(), j->memory,
                                            any_serves(self, fetch_kind::trades)));
      });
}

void handle_trades(gateway_ptr self, const http_call& call) {
  auto p = api::parse_trades_query(call.request, self->state.symbols);
  auto* q = parsed(p, call);
  if (q == nullptr)
    return;
  if (!q->provider.empty() && !self->state.enabled(q->provider))
    return call.reply(api::provider_not_enabled(q->provider));
  auto j = std::make_shared<trades_job>();
  j->q = std::move(*q);
  j->reply = call.reply;
  j->prio = call.prio;
  if (!j->q.provider.empty() && j->q.provider != "simulator")
    return trades_from_providers(self, j);
  self->request(self->state.reads.cache, cache_timeout, get_trades_atom::value,
                api::lookup_of(j->q))
    .then(
      [self, j](const trades_reply& r) {
        auto& st = self->state;
        auto next = api::after_memory(r, static_cast<bool>(st.reads.storage),
                                      any_serves(self, fetch_kind::trades));
        if (j->q.provider == "simulator") // the live data only
          next = r.status == lookup_status::unknown ? api::trades_step::unknown
                                                    : api::trades_step::answer;
        j->memory = r.status;
        j->found = r.trades;
        next_trades_step(self, j, next);
      },
      [j](caf::error&) {
        j->reply(api::fail(503, "unavailable", "cache did not answer in time"));
      });
}

} // namespace

std::vector<route> ticks_routes() {
  return {
    {"GET", "/api/v1/data/quote", handle_quote},
    {"GET", "/api/v1/data/trades", handle_trades},
  };
}

} // namespace tickflow
