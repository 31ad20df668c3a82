// GET /api/v1/corporate-actions: the splits and the dividends of an
// instrument, each asked down its own failover chain (the providers that
// publish it), merged and rendered by api/routes/corporate_actions.

#include <memory>
#include <optional>

#include "actors/gateway_state.hpp"
#include "api/routes/corporate_actions.hpp"

namespace tickflow {

namespace {

/// The two fetches of one request.
struct actions_gather {
  api::corporate_actions_query q;
  api::responder reply;
  std::vector<corporate_action> splits;
  std::vector<corporate_action> dividends;
  api::actions_sources from;
  std::optional<api::http_response> failed;    ///< the first failure not a 404
  std::optional<api::http_response> not_found; ///< a 404 (nobody has it)
  int pending = 2;
};

void handle_corporate_actions(gateway_ptr self, const http_call& call) {
  auto q = api::parse_corporate_actions_query(call.request, self->state.symbols);
  auto* cq = parsed(q, call);
  if (cq == nullptr)
    return;
  if (!cq->provider.empty() && !self->state.enabled(cq->provider))
    return call.reply(api::provider_not_enabled(cq->provider));
  auto g = std::make_shared<actions_gather>();
  g->q = *cq;
  g->reply = call.reply;
  for (auto kind : {fetch_kind::splits, fetch_kind::dividends}) {
    fetch_request req;
    req.kind = kind;
    req.instrument = cq->instrument;
    req.start_ns = cq->start_ns;
    req.end_ns = cq->end_ns;
    // Responses arrive on this actor, one at a time.
    fetch_from_providers(self, req, cq->provider, call.prio, [g, kind](chain_outcome o) {
      bool splits = kind == fetch_kind::splits;
      if (o.ok) {
        (splits ? g->splits : g->dividends) = std::move(o.reply.data.actions);
        (splits ? g->from.splits : g->from.dividends) = o.reply.provider;
      } else if (o.error.status == 404) {
        g->not_found = std::move(o.error);
      } else if (!g->failed) {
        g->failed = std::move(o.error);
      }
      if (--g->pending > 0)
        return;
      // One answer is all of it: a kind that failed fails the request.
      if (g->failed)
        return g->reply(std::move(*g->failed));
      if (g->not_found && g->from.splits.empty() && g->from.dividends.empty())
        return g->reply(std::move(*g->not_found));
      auto all = api::merge_actions(std::move(g->splits), g->dividends);
      g->reply(api::json(200, api::corporate_actions_body(g->q, all, g->from)));
    });
  }
}

} // namespace

std::vector<route> corporate_actions_routes() {
  return {
    {"GET", "/api/v1/corporate-actions", handle_corporate_actions, route_access::api},
  };
}

} // namespace tickflow
