#include "api/routes/webhooks.hpp"

#include "api/routes/common.hpp"

namespace tickflow::api {

std::optional<http_response> webhook_gate::check(const std::string& provider,
                                                 const http_request& req,
                                                 int64_t now_ns,
                                                 size_t max_body_bytes) {
  auto count = [&](std::string_view result) {
    counts.results[{provider, std::string{result}}] += 1;
  };
  auto secret = secrets.find(provider);
  if (!verifier || secret == secrets.end()) {
    count("disabled");
    return fail(404, "webhook_disabled",
                "the " + provider + " webhook is off: no secret is configured");
  }
  auto verdict = verifier->verify(secret->second, req.header(webhook_timestamp_header),
                                  req.header(webhook_signature_header), req.body, now_ns);
  if (verdict != webhook_verdict::ok)
    count(to_string(verdict));
  switch (verdict) {
    case webhook_verdict::ok:
      break;
    case webhook_verdict::too_large:
      return fail(413, "body_too_large",
                  "webhook body exceeds " + std::to_string(max_body_bytes) + " bytes");
    case webhook_verdict::busy:
      return fail(503, "unavailable", "too many webhooks in the replay window");
    case webhook_verdict::missing_signature:
      return fail(401, "missing_signature",
                  "send X-Tickflow-Timestamp and X-Tickflow-Signature");
    case webhook_verdict::bad_timestamp:
      return fail(401, "bad_timestamp", "X-Tickflow-Timestamp must be Unix seconds",
                  "X-Tickflow-Timestamp");
    case webhook_verdict::stale:
      return fail(401, "stale_timestamp",
                  "X-Tickflow-Timestamp is outside the accepted window",
                  "X-Tickflow-Timestamp");
    case webhook_verdict::bad_signature:
      return fail(401, "bad_signature", "the signature does not match",
                  "X-Tickflow-Signature");
    case webhook_verdict::replayed:
      return fail(401, "replayed", "this request was already accepted",
                  "X-Tickflow-Signature");
  }
  return std::nullopt;
}

http_response webhook_gate::refuse_body(const std::string& provider,
                                        const std::string& why) {
  counts.results[{provider, "bad_body"}] += 1;
  return fail(400, "bad_body", why, "body");
}

http_response webhook_gate::accept(const std::string& provider,
                                   const event_batch& batch) {
  auto n = batch.size();
  counts.results[{provider, "accepted"}] += 1;
  counts.events[provider] += n;
  return json(202, "{\"accepted\":" + std::to_string(n)
                     + ",\"trades\":" + std::to_string(batch.trades.size())
                     + ",\"quotes\":" + std::to_string(batch.quotes.size())
                     + ",\"bars\":" + std::to_string(batch.bars.size()) + "}");
}

http_response webhook_pipeline_down() {
  return fail(503, "unavailable", "the pipeline is not running yet");
}

} // namespace tickflow::api
