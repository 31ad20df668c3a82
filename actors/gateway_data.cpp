// The data routes and their read path: L1, then storage, then providers.

#include <memory>

#include "actors/gateway_state.hpp"
#include "api/data_queries.hpp"
#include "api/responses.hpp"

namespace tickflow {

namespace {

api::http_response render_fetched_price(const fetch_reply& r, const std::string& instrument) {
  price p;
  if (!r.data.prices.empty()) {
    p = r.data.prices.back();
  } else if (!r.data.bars.empty()) { // e.g. a previous-close bar
    auto& b = r.data.bars.back();
    p.instrument = b.instrument;
    p.source = b.source;
    p.value = b.close;
    p.ts_event_ns = b.open_time_ns + interval_ns(b.span);
    p.ts_recv_ns = b.ts_recv_ns;
    p.flags = b.flags;
  } else {
    return fail(404, "no_data", r.provider + " returned no price for " + instrument,
                "symbol");
  }
  api::provenance from{r.provider, false, p.ts_event_ns, now_ns()};
  return json(200, api::price_body(p, from));
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
  auto fetched = [reply, instrument = pq.instrument](chain_outcome o) {
    if (!o.ok)
      return reply(std::move(o.error));
    reply(render_fetched_price(o.reply, instrument));
  };
  if (!pq.provider.empty() && pq.provider != "simulator")
    return fetch_from_providers(self, req, pq.provider, priority::urgent, fetched);
  bool may_fetch = pq.provider.empty();
  self->request(st.cache, cache_timeout, get_price_atom::value, pq.instrument)
    .then(
      [=](const price_reply& r) {
        if (r.status == lookup_status::ok) {
          api::provenance from{"l1", true, r.value.ts_event_ns, now_ns()};
          return reply(json(200, api::price_body(r.value, from)));
        }
        if (!may_fetch || !can_fetch(self, req.instrument))
          return reply(not_found(r.status, req.instrument));
        fetch_from_providers(self, req, {}, priority::urgent, fetched);
      },
      [reply](caf::error&) {
        reply(fail(503, "unavailable", "cache did not answer in time"));
      });
}

void handle_ohlcv(gateway_ptr self, const http_call& call) {
  auto q = api::parse_ohlcv_query(call.request);
  if (auto e = std::get_if<api::api_error>(&q))
    return call.reply(api::error_response(*e));
  auto oq = std::get<api::ohlcv_query>(q);
  auto& st = self->state;
  if (!oq.provider.empty() && !st.enabled(oq.provider))
    return call.reply(fail(400, "invalid_parameter",
                           "provider " + oq.provider + " is not enabled", "provider"));
  fetch_request req;
  req.kind = fetch_kind::bars;
  req.instrument = oq.instrument;
  req.span = oq.span;
  req.start_ns = oq.start_ns;
  req.end_ns = oq.end_ns;
  req.limit = oq.limit;
  auto reply = call.reply;
  auto fetched = [reply, oq](chain_outcome o) {
    if (!o.ok)
      return reply(std::move(o.error));
    auto bars = o.reply.data.bars;
    if (bars.size() > oq.limit)
      bars.erase(bars.begin(), bars.end() - static_cast<std::ptrdiff_t>(oq.limit));
    api::provenance from{o.reply.provider, false,
                         bars.empty() ? 0 : bars.back().open_time_ns, now_ns()};
    reply(json(200, api::ohlcv_body(oq.instrument, oq.span, bars, from, oq.validate)));
  };
  if (!oq.provider.empty() && oq.provider != "simulator")
    return fetch_from_providers(self, req, oq.provider, priority::urgent, fetched);
  bool may_fetch = oq.provider.empty();
  bars_query bq{oq.instrument, oq.span, oq.limit, oq.start_ns, oq.end_ns};
  // Read path: L1, then Postgres (when stored), then the providers.
  auto answer = [=](const char* source, const bars_reply& r) {
    api::provenance from{source, true,
                         r.bars.empty() ? 0 : r.bars.back().ts_recv_ns, now_ns()};
    reply(json(200, api::ohlcv_body(bq.instrument, bq.span, r.bars, from,
                                     oq.validate)));
  };
  auto after_l1 = [=](const bars_reply& l1) {
    if (may_fetch && can_fetch(self, req.instrument))
      return fetch_from_providers(self, req, {}, priority::urgent, fetched);
    if (l1.status == lookup_status::unknown)
      return reply(not_found(l1.status, bq.instrument));
    answer("l1", l1);
  };
  self->request(st.cache, cache_timeout, get_bars_atom::value, bq)
    .then(
      [=](const bars_reply& r) {
        if (r.status == lookup_status::ok && !r.bars.empty())
          return answer("l1", r);
        auto& storage = self->state.storage;
        if (!storage || !may_fetch)
          return after_l1(r);
        self->request(storage, cache_timeout, get_bars_atom::value, bq)
          .then(
            [=](const bars_reply& pg) {
              if (pg.status == lookup_status::ok && !pg.bars.empty())
                return answer("postgres", pg);
              after_l1(r);
            },
            [=](caf::error&) { after_l1(r); });
      },
      [reply](caf::error&) {
        reply(fail(503, "unavailable", "cache did not answer in time"));
      });
}

} // namespace

std::vector<route> data_routes() {
  return {
    {"GET", "/api/v1/data/price", handle_price},
    {"GET", "/api/v1/data/ohlcv", handle_ohlcv},
  };
}

} // namespace tickflow
