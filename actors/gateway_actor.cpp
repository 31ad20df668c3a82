#include "actors/gateway_actor.hpp"

#include <chrono>
#include <memory>

#include <boost/asio/post.hpp>

#include "actors/clock.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "api/api_error.hpp"
#include "api/data_queries.hpp"
#include "api/http_server.hpp"
#include "api/responses.hpp"

namespace tickflow {

namespace {

constexpr auto cache_timeout = std::chrono::seconds{2};

api::http_response json(unsigned status, std::string body) {
  api::http_response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

api::http_response fail(unsigned status, std::string code, std::string message,
                        std::string field = {}) {
  return api::error_response(
    api::api_error{status, std::move(code), std::move(message), std::move(field)});
}

/// The reply for a lookup that found nothing.
api::http_response not_found(lookup_status status, const std::string& instrument) {
  if (status == lookup_status::unknown)
    return fail(404, "unknown_symbol", "unknown symbol " + instrument, "symbol");
  return fail(404, "no_data", "no data yet for " + instrument, "symbol");
}

struct gateway_state {
  gateway_settings settings;
  boost::asio::io_context* ioc = nullptr;
  std::shared_ptr<api::http_server> server;
  caf::actor cache;
  int64_t started_ns = now_ns();
  stage_stats stats{"gateway"};
  std::shared_ptr<spdlog::logger> log = logger("gateway");
  static inline const char* name = "gateway";

  ~gateway_state() {
    if (server && ioc)
      boost::asio::post(*ioc, [srv = server] { srv->stop(); });
  }
};

using gateway_ptr = caf::stateful_actor<gateway_state>*;

void handle_price(gateway_ptr self, const http_call& call) {
  auto q = api::parse_price_query(call.request);
  if (auto e = std::get_if<api::api_error>(&q))
    return call.reply(api::error_response(*e));
  auto instrument = std::get<api::price_query>(q).instrument;
  auto reply = call.reply;
  self->request(self->state.cache, cache_timeout, get_price_atom::value, instrument)
    .then(
      [reply, instrument](const price_reply& r) {
        if (r.status != lookup_status::ok)
          return reply(not_found(r.status, instrument));
        api::provenance from{"l1", true, r.value.ts_event_ns, now_ns()};
        reply(json(200, api::price_body(r.value, from)));
      },
      [reply](caf::error&) {
        reply(fail(503, "unavailable", "cache did not answer in time"));
      });
}

void handle_ohlcv(gateway_ptr self, const http_call& call) {
  auto q = api::parse_ohlcv_query(call.request);
  if (auto e = std::get_if<api::api_error>(&q))
    return call.reply(api::error_response(*e));
  auto& oq = std::get<api::ohlcv_query>(q);
  bars_query bq{oq.instrument, oq.span, oq.limit, oq.start_ns, oq.end_ns};
  auto reply = call.reply;
  self->request(self->state.cache, cache_timeout, get_bars_atom::value, bq)
    .then(
      [reply, bq](const bars_reply& r) {
        if (r.status == lookup_status::unknown)
          return reply(not_found(r.status, bq.instrument));
        api::provenance from{"l1", true,
                             r.bars.empty() ? 0 : r.bars.back().ts_recv_ns,
                             now_ns()};
        reply(json(200, api::ohlcv_body(bq.instrument, bq.span, r.bars, from)));
      },
      [reply](caf::error&) {
        reply(fail(503, "unavailable", "cache did not answer in time"));
      });
}

void handle_ready(gateway_ptr self, const http_call& call) {
  auto reply = call.reply;
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

void route(gateway_ptr self, const http_call& call) {
  auto& req = call.request;
  auto& path = req.path;
  bool known = path == "/health" || path == "/live" || path == "/ready"
               || path == "/api/v1/data/price" || path == "/api/v1/data/ohlcv";
  if (!known)
    return call.reply(fail(404, "not_found", "no route " + path));
  if (req.method != "GET" && req.method != "HEAD") {
    auto r = fail(405, "method_not_allowed", req.method + " is not allowed on " + path);
    r.headers.emplace_back("Allow", "GET, HEAD");
    return call.reply(std::move(r));
  }
  if (path == "/health") {
    auto up = (now_ns() - self->state.started_ns) / 1'000'000'000;
    return call.reply(json(200, R"({"status":"ok","service":"tickflow","version":")"
                                  TICKFLOW_VERSION R"(","uptime_s":)"
                                  + std::to_string(up) + "}"));
  }
  if (path == "/live")
    return call.reply(json(200, R"({"status":"alive"})"));
  if (path == "/ready")
    return handle_ready(self, call);
  if (path == "/api/v1/data/price")
    return handle_price(self, call);
  handle_ohlcv(self, call);
}

caf::behavior gateway(caf::stateful_actor<gateway_state>* self, topology topo,
                      boost::asio::io_context* ioc, caf::actor cache) {
  auto& st = self->state;
  st.settings = topo.gateway;
  st.ioc = ioc;
  st.cache = std::move(cache);
  caf::actor_addr me = self->address();
  api::http_server_options opts;
  opts.max_connections = topo.gateway.max_connections;
  opts.request_timeout_ns = topo.gateway.request_timeout_ns;
  opts.idle_timeout_ns = topo.gateway.idle_timeout_ns;
  opts.max_header_bytes = topo.gateway.max_header_bytes;
  opts.max_body_bytes = topo.gateway.max_body_bytes;
  st.server = std::make_shared<api::http_server>(
    *ioc, opts, [me](api::http_request req, api::responder reply) {
      if (auto a = caf::actor_cast<caf::actor>(me))
        caf::anon_send(a, http_call{std::move(req), std::move(reply)});
      // else: the responder is dropped and the server answers 500
    });
  return {
    [=](start_atom) -> caf::result<uint16_t> {
      auto& st = self->state;
      auto r = st.server->listen(st.settings.bind, st.settings.port);
      if (!r)
        return caf::make_error(caf::sec::runtime_error, r.err().context);
      st.log->info("REST gateway on http://{}:{}", st.settings.bind,
                   st.server->port());
      return st.server->port();
    },
    [=](const http_call& call) {
      self->state.stats.events_in += 1;
      route(self, call);
    },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

caf::actor spawn_gateway(caf::actor_system& sys, const topology& topo,
                         boost::asio::io_context& ioc, caf::actor cache) {
  return sys.spawn(gateway, topo, &ioc, std::move(cache));
}

} // namespace tickflow
