// POST /webhooks/<provider> (each provider whose descriptor accepts
// webhooks) and /webhooks/test: signed pushes that enter the pipeline like
// streamed data (validated, cached, stored, broadcast). The gate of
// api/routes/webhooks checks and counts; the provider's stream dialect
// parses the body here.

#include "actors/gateway_state.hpp"
#include "api/webhook_events.hpp"

namespace tickflow {

namespace {

/// The events of `body`, parsed by `provider`'s dialect.
result<event_batch> parse_webhook(gateway_ptr self, const std::string& provider,
                                  const std::string& body, int64_t recv_ns) {
  if (provider == "test")
    return api::parse_canonical_events(body, recv_ns, api::max_webhook_events);
  auto& parsers = self->state.hooks.parsers;
  auto it = parsers.find(provider);
  if (it == parsers.end())
    return error{errc::unavailable, "no parser for " + provider};
  stream_frame frame;
  auto r = it->second->parse(body, recv_ns, frame);
  // Several events in one payload: the good ones go on only when all are good,
  // so a bad body changes nothing.
  if (!r)
    return r.err();
  return std::move(frame.events);
}

void handle_webhook(gateway_ptr self, const http_call& call, const std::string& provider) {
  auto& st = self->state;
  auto& gate = st.hooks.gate;
  auto& req = call.request;
  auto now = now_ns();
  if (auto no = gate.check(provider, req, now, st.topo.access.webhooks.max_body_bytes))
    return call.reply(std::move(*no));
  auto events = parse_webhook(self, provider, req.body, now);
  if (!events) {
    uint64_t suppressed = 0;
    if (st.hooks.log.allow(suppressed))
      st.log->warn("webhook {}: bad body: {} ({} similar suppressed)", provider,
                   events.err().message(), suppressed);
    return call.reply(gate.refuse_body(provider, events.err().message()));
  }
  if (!st.ops.stages.intake)
    return call.reply(api::webhook_pipeline_down());
  auto answer = gate.accept(provider, *events);
  // Unacknowledged (anon_send): webhooks are pushed at the sender's pace and
  // are small next to the stream, so they take no credit on the link.
  if (events->size() > 0)
    caf::anon_send(st.ops.stages.intake, std::move(*events));
  call.reply(std::move(answer));
}

} // namespace

std::vector<route> webhook_routes() {
  auto hook = [](std::string provider) -> route_handler {
    return [provider](gateway_ptr self, const http_call& call) {
      handle_webhook(self, call, provider);
    };
  };
  // One per provider whose descriptor accepts webhooks, then test.
  std::vector<route> out;
  for (auto& [name, var] : default_webhook_secret_envs())
    out.push_back({"POST", "/webhooks/" + name, hook(name), route_access::open});
  return out;
}

} // namespace tickflow
