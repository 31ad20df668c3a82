// POST /webhooks/<provider> (each provider whose descriptor accepts
// webhooks) and /webhooks/test: signed pushes that enter the pipeline like
// streamed data (validated, cached, stored, broadcast).

#include "actors/gateway_state.hpp"
#include "api/webhook_events.hpp"

namespace tickflow {

namespace {

/// Events one /webhooks/test request may carry.
constexpr size_t max_webhook_events = 10000;

void count(gateway_ptr self, const std::string& provider, std::string_view result) {
  self->state.webhook_results[{provider, std::string{result}}] += 1;
}

/// The events of `body`, parsed by `provider`'s adapter.
result<event_batch> parse_webhook(gateway_ptr self, const std::string& provider,
                                  const std::string& body, int64_t recv_ns) {
  if (provider == "test")
    return api::parse_canonical_events(body, recv_ns, max_webhook_events);
  auto& parsers = self->state.webhook_parsers;
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
  auto secret = st.webhook_secrets.find(provider);
  if (!st.webhooks || secret == st.webhook_secrets.end()) {
    count(self, provider, "disabled");
    return call.reply(fail(404, "webhook_disabled",
                           "the " + provider + " webhook is off: no secret is configured"));
  }
  auto& req = call.request;
  auto now = now_ns();
  auto verdict = st.webhooks->verify(secret->second, req.header(api::webhook_timestamp_header),
                                     req.header(api::webhook_signature_header), req.body, now);
  if (verdict != api::webhook_verdict::ok)
    count(self, provider, to_string(verdict));
  switch (verdict) {
    case api::webhook_verdict::ok:
      break;
    case api::webhook_verdict::too_large:
      return call.reply(fail(413, "body_too_large",
                             "webhook body exceeds "
                               + std::to_string(st.topo.access.webhooks.max_body_bytes)
                               + " bytes"));
    case api::webhook_verdict::busy:
      return call.reply(fail(503, "unavailable", "too many webhooks in the replay window"));
    case api::webhook_verdict::missing_signature:
      return call.reply(fail(401, "missing_signature",
                             "send X-Tickflow-Timestamp and X-Tickflow-Signature"));
    case api::webhook_verdict::bad_timestamp:
      return call.reply(fail(401, "bad_timestamp",
                             "X-Tickflow-Timestamp must be Unix seconds",
                             "X-Tickflow-Timestamp"));
    case api::webhook_verdict::stale:
      return call.reply(fail(401, "stale_timestamp",
                             "X-Tickflow-Timestamp is outside the accepted window",
                             "X-Tickflow-Timestamp"));
    case api::webhook_verdict::bad_signature:
      return call.reply(fail(401, "bad_signature", "the signature does not match",
                             "X-Tickflow-Signature"));
    case api::webhook_verdict::replayed:
      return call.reply(fail(401, "replayed", "this request was already accepted",
                             "X-Tickflow-Signature"));
  }
  auto events = parse_webhook(self, provider, req.body, now);
  if (!events) {
    count(self, provider, "bad_body");
    uint64_t suppressed = 0;
    if (st.webhook_log.allow(suppressed))
      st.log->warn("webhook {}: bad body: {} ({} similar suppressed)", provider,
                   events.err().message(), suppressed);
    return call.reply(fail(400, "bad_body", events.err().message(), "body"));
  }
  if (!st.stages.normalizer)
    return call.reply(fail(503, "unavailable", "the pipeline is not running yet"));
  auto& batch = *events;
  auto n = batch.size();
  std::string body = "{\"accepted\":" + std::to_string(n)
                     + ",\"trades\":" + std::to_string(batch.trades.size())
                     + ",\"quotes\":" + std::to_string(batch.quotes.size())
                     + ",\"bars\":" + std::to_string(batch.bars.size()) + "}";
  // Unacknowledged (anon_send): webhooks are pushed at the sender's pace and
  // are small next to the stream, so they take no credit on the link.
  if (n > 0)
    caf::anon_send(st.stages.normalizer, std::move(batch));
  count(self, provider, "accepted");
  st.webhook_events[provider] += n;
  call.reply(json(202, std::move(body)));
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
