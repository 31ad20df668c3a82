// Operations: liveness, readiness, service facts.

#include "actors/gateway_state.hpp"

namespace tickflow {

namespace {

void handle_health(gateway_ptr self, const http_call& call) {
  auto up = (now_ns() - self->state.started_ns) / 1'000'000'000;
  call.reply(json(200, R"({"status":"ok","service":"tickflow","version":")"
                         TICKFLOW_VERSION R"(","uptime_s":)"
                         + std::to_string(up) + "}"));
}

void handle_live(gateway_ptr, const http_call& call) {
  call.reply(json(200, R"({"status":"alive"})"));
}

void handle_ready(gateway_ptr self, const http_call& call) {
  auto reply = call.reply;
  // Without a streaming source there is nothing to wait for.
  if (!self->state.enabled("simulator"))
    return reply(json(200, R"({"status":"ready"})"));
  self->request(self->state.cache, cache_timeout, stats_atom::value)
    .then(
      [reply](const stage_stats& s) {
        if (s.events_in == 0)
          return reply(json(503, R"({"status":"not_ready","reason":"no data has reached the cache yet"})"));
        reply(json(200, R"({"status":"ready"})"));
      },
      [reply](caf::error&) {
        reply(json(503, R"({"status":"not_ready","reason":"cache is not answering"})"));
      });
}

} // namespace

std::vector<route> ops_routes() {
  return {
    {"GET", "/health", handle_health, route_access::open},
    {"GET", "/live", handle_live, route_access::open},
    {"GET", "/ready", handle_ready, route_access::open},
  };
}

} // namespace tickflow
