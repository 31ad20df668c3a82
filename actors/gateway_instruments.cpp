// GET /api/v1/instruments: the configured instruments and those the cache
// has seen, searched and rendered by api/routes/instruments.

#include "actors/cache_actor.hpp"
#include "actors/gateway_state.hpp"
#include "api/routes/instruments.hpp"
#include "pipeline/topology/instruments.hpp"

namespace tickflow {

namespace {

void answer_instruments(gateway_ptr self, const api::responder& reply,
                        const api::instruments_query& q,
                        const std::vector<std::string>& seen) {
  auto& st = self->state;
  auto all = api::instrument_catalog(configured_instruments(st.topo), seen,
                                     st.topo.scheduler.failover,
                                     serving_providers(st, fetch_kind::price));
  reply(api::json(200, api::instruments_body(q, api::search_instruments(all, q, st.symbols))));
}

void handle_instruments(gateway_ptr self, const http_call& call) {
  auto q = api::parse_instruments_query(call.request);
  auto* iq = parsed(q, call);
  if (iq == nullptr)
    return;
  auto reply = call.reply;
  self->request(self->state.reads.cache, cache_timeout, instruments_atom::value)
    .then(
      [self, reply, q = *iq](const std::vector<std::string>& seen) {
        answer_instruments(self, reply, q, seen);
      },
      // Without the cache: the configured ones still answer.
      [self, reply, q = *iq](caf::error&) { answer_instruments(self, reply, q, {}); });
}

} // namespace

std::vector<route> instruments_routes() {
  return {
    {"GET", "/api/v1/instruments", handle_instruments, route_access::api},
  };
}

} // namespace tickflow
