#include "actors/gateway_actor.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <set>

#include <boost/asio/post.hpp>

#include "actors/clock.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/registry.hpp"
#include "api/api_error.hpp"
#include "api/data_queries.hpp"
#include "api/http_server.hpp"
#include "api/quality_json.hpp"
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

/// The reply for a provider's failure; the message always names the provider.
api::http_response provider_failure(const std::string& name, const fetch_error& e,
                                    const std::string& instrument) {
  // Adapters often name themselves already; say it once.
  auto msg = e.message.rfind(name + ":", 0) == 0 ? e.message : name + ": " + e.message;
  switch (e.code) {
    case errc::unknown_symbol:
      return fail(404, "unknown_symbol",
                  name + " does not know " + instrument, "symbol");
    case errc::not_found:
      return fail(404, "no_data", msg, "symbol");
    case errc::invalid_argument:
      return fail(400, "invalid_parameter", msg);
    case errc::rate_limited: {
      auto r = fail(503, "provider_rate_limited", msg);
      auto secs = std::max<int64_t>(1, (e.retry_after_ns + 999'999'999) / 1'000'000'000);
      r.headers.emplace_back("Retry-After", std::to_string(secs));
      return r;
    }
    case errc::unauthorized:
      return fail(502, "provider_unauthorized", msg);
    case errc::malformed:
    case errc::missing_field:
    case errc::bad_number:
      return fail(502, "provider_malformed", "malformed payload from " + msg);
    case errc::unavailable:
      return fail(502, "provider_unavailable", msg);
    default:
      return fail(502, "provider_error", msg);
  }
}

struct gateway_state {
  topology topo;
  boost::asio::io_context* ioc = nullptr;
  std::shared_ptr<api::http_server> server;
  caf::actor cache;
  caf::actor storage; ///< the storage writer, when [storage] is enabled
  std::vector<caf::actor> validators;
  provider_handles providers;
  std::vector<std::unique_ptr<rest_adapter>> catalog; ///< static provider facts
  std::chrono::nanoseconds fetch_timeout{std::chrono::seconds{15}};
  int64_t started_ns = now_ns();
  stage_stats stats{"gateway"};
  std::shared_ptr<spdlog::logger> log = logger("gateway");
  static inline const char* name = "gateway";

  ~gateway_state() {
    if (server && ioc)
      boost::asio::post(*ioc, [srv = server] { srv->stop(); });
  }

  bool enabled(const std::string& provider) const {
    return std::find(topo.providers.begin(), topo.providers.end(), provider)
           != topo.providers.end();
  }

  /// The live REST provider actors to ask, in config order; only `only`
  /// when it is set.
  std::vector<std::pair<std::string, caf::actor>> rest_chain(const std::string& only) const {
    std::vector<std::pair<std::string, caf::actor>> xs;
    for (size_t i = 0; i < providers.names.size(); ++i) {
      auto& n = providers.names[i];
      if (n == "simulator" || !providers.actors[i] || (!only.empty() && n != only))
        continue;
      xs.emplace_back(n, providers.actors[i]);
    }
    return xs;
  }
};

using gateway_ptr = caf::stateful_actor<gateway_state>*;
using chain = std::vector<std::pair<std::string, caf::actor>>;
using render_fn = std::function<api::http_response(const fetch_reply&)>;

/// Asks the providers of `xs` in turn from `i`: the first that serves the
/// instrument answers; one that does not know it passes to the next.
void fetch_through(gateway_ptr self, std::shared_ptr<chain> xs, size_t i,
                   fetch_request req, api::responder reply, render_fn render) {
  if (i >= xs->size())
    return reply(fail(404, "unknown_symbol",
                      "no provider serves " + req.instrument, "symbol"));
  auto& [name, actor] = (*xs)[i];
  self->request(actor, self->state.fetch_timeout, fetch_atom::value, req)
    .then(
      [=](const fetch_reply& r) {
        if (r.ok)
          return reply(render(r));
        auto pass = r.failure.code == errc::unknown_symbol
                    || r.failure.code == errc::invalid_argument;
        if (pass && i + 1 < xs->size())
          return fetch_through(self, xs, i + 1, req, reply, render);
        reply(provider_failure(r.provider, r.failure, req.instrument));
      },
      [=](caf::error& e) {
        reply(fail(504, "provider_timeout",
                   (*xs)[i].first + " did not answer: "
                     + self->system().render(e)));
      });
}

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
  render_fn render = [instrument = pq.instrument](const fetch_reply& r) {
    return render_fetched_price(r, instrument);
  };
  if (!pq.provider.empty() && pq.provider != "simulator")
    return fetch_through(self, std::make_shared<chain>(st.rest_chain(pq.provider)),
                         0, req, reply, render);
  bool may_fetch = pq.provider.empty();
  self->request(st.cache, cache_timeout, get_price_atom::value, pq.instrument)
    .then(
      [=](const price_reply& r) {
        if (r.status == lookup_status::ok) {
          api::provenance from{"l1", true, r.value.ts_event_ns, now_ns()};
          return reply(json(200, api::price_body(r.value, from)));
        }
        auto xs = std::make_shared<chain>(self->state.rest_chain({}));
        if (!may_fetch || xs->empty())
          return reply(not_found(r.status, req.instrument));
        fetch_through(self, xs, 0, req, reply, render);
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
  render_fn render = [oq](const fetch_reply& r) {
    auto bars = r.data.bars;
    if (bars.size() > oq.limit)
      bars.erase(bars.begin(), bars.end() - static_cast<std::ptrdiff_t>(oq.limit));
    api::provenance from{r.provider, false,
                         bars.empty() ? 0 : bars.back().open_time_ns, now_ns()};
    return json(200, api::ohlcv_body(oq.instrument, oq.span, bars, from, oq.validate));
  };
  if (!oq.provider.empty() && oq.provider != "simulator")
    return fetch_through(self, std::make_shared<chain>(st.rest_chain(oq.provider)),
                         0, req, reply, render);
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
    auto xs = std::make_shared<chain>(self->state.rest_chain({}));
    if (may_fetch && !xs->empty())
      return fetch_through(self, xs, 0, req, reply, render);
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

/// Asks every validator `msg...`, then calls done(replies) once all have
/// answered or failed (a failed one is left out).
template <class Reply, class Done, class... Ts>
void ask_validators(gateway_ptr self, Done done, Ts... xs) {
  auto& vs = self->state.validators;
  auto replies = std::make_shared<std::vector<Reply>>();
  auto pending = std::make_shared<size_t>(vs.size());
  if (vs.empty())
    return done(*replies);
  for (auto& v : vs)
    self->request(v, std::chrono::seconds{2}, xs...)
      .then(
        [=](const Reply& r) {
          replies->push_back(r);
          if (--*pending == 0)
            done(*replies);
        },
        [=](caf::error&) {
          if (--*pending == 0)
            done(*replies);
        });
}

/// Folds the validators' reports: the subject and each provider merged.
validator_quality merge_quality(const std::vector<validator_quality>& xs) {
  validator_quality out;
  std::map<std::string, quality_report> providers;
  std::set<std::string> stale;
  for (auto& q : xs) {
    out.subject = quality_report::merge(out.subject, q.subject);
    for (auto& [name, r] : q.providers) {
      auto& acc = providers[name];
      acc = quality_report::merge(acc, r);
    }
    stale.insert(q.stale.begin(), q.stale.end());
  }
  out.providers.assign(providers.begin(), providers.end());
  out.stale.assign(stale.begin(), stale.end());
  return out;
}

template <class Enum>
std::vector<std::string> names_of(const std::vector<Enum>& xs) {
  std::vector<std::string> out;
  for (auto x : xs)
    out.emplace_back(to_string(x));
  return out;
}

void handle_providers(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  auto listing = std::make_shared<std::vector<api::provider_listing>>();
  // The simulator first, then every REST provider tickflow speaks.
  api::provider_listing sim;
  sim.name = "simulator";
  sim.asset_classes = {"crypto", "equity"};
  sim.data_types = {"trades", "bars", "price"};
  sim.intervals = names_of(st.topo.simulator.bar_intervals);
  sim.enabled = st.enabled("simulator");
  listing->push_back(sim);
  for (auto& a : st.catalog) {
    auto& info = a->info();
    api::provider_listing p;
    p.name = std::string{to_string(info.id)};
    p.asset_classes = names_of(info.asset_classes);
    p.data_types = names_of(info.data_types);
    p.intervals = names_of(info.intervals);
    p.needs_key = info.needs_key;
    p.enabled = st.enabled(p.name);
    listing->push_back(std::move(p));
  }
  // Ask each live REST provider for its health and the validators for the
  // providers' data quality, then answer.
  auto xs = st.rest_chain({});
  auto pending = std::make_shared<size_t>(xs.size() + 1);
  auto reply = call.reply;
  auto done = [listing, reply] { reply(json(200, api::providers_body(*listing))); };
  ask_validators<validator_quality>(
    self,
    [=](const std::vector<validator_quality>& qs) {
      for (auto& [name, r] : merge_quality(qs).providers)
        for (auto& p : *listing)
          if (p.name == name)
            p.quality = r;
      if (--*pending == 0)
        done();
    },
    quality_atom::value, std::string{});
  for (auto& [name, actor] : xs)
    self->request(actor, std::chrono::seconds{2}, health_atom::value)
      .then(
        [=](const provider_health& h) {
          for (auto& p : *listing)
            if (p.name == h.provider) {
              p.has_health = true;
              p.key_configured = h.key_configured;
              p.requests = h.requests;
              p.successes = h.successes;
              p.failures = h.failures;
              p.last_success_ns = h.last_success_ns;
              p.last_error_ns = h.last_error_ns;
              p.last_error = h.last_error;
              p.last_latency_ns = h.last_latency_ns;
            }
          if (--*pending == 0)
            done();
        },
        [=](caf::error&) {
          if (--*pending == 0)
            done();
        });
}

void handle_quality(gateway_ptr self, const http_call& call) {
  auto q = api::parse_quality_query(call.request);
  if (auto e = std::get_if<api::api_error>(&q))
    return call.reply(api::error_response(*e));
  auto instrument = std::get<api::quality_query>(q).instrument;
  auto reply = call.reply;
  ask_validators<validator_quality>(
    self,
    [reply, instrument](const std::vector<validator_quality>& xs) {
      auto m = merge_quality(xs);
      reply(json(200, api::quality_body(instrument.empty() ? "overall" : instrument,
                                        m.subject, m.providers, m.stale)));
    },
    quality_atom::value, instrument);
}

void handle_quarantine(gateway_ptr self, const http_call& call) {
  auto q = api::parse_quarantine_query(call.request);
  if (auto e = std::get_if<api::api_error>(&q))
    return call.reply(api::error_response(*e));
  auto qq = std::get<api::quarantine_query>(q);
  auto reply = call.reply;
  ask_validators<quarantine_page>(
    self,
    [reply, qq](const std::vector<quarantine_page>& pages) {
      std::vector<quarantined_event> all;
      quarantine::counters totals;
      for (auto& p : pages) {
        all.insert(all.end(), p.events.begin(), p.events.end());
        totals.added += p.totals.added;
        totals.evicted += p.totals.evicted;
        totals.dropped += p.totals.dropped;
        totals.flagged += p.totals.flagged;
      }
      std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return a.seen_ns != b.seen_ns ? a.seen_ns > b.seen_ns : a.seq > b.seq;
      });
      if (all.size() > qq.limit)
        all.resize(qq.limit);
      reply(json(200, api::quarantine_body(all, totals)));
    },
    quarantine_atom::value, qq.instrument, static_cast<uint64_t>(qq.limit));
}

void handle_cache_stats(gateway_ptr self, const http_call& call) {
  auto reply = call.reply;
  self->request(self->state.cache, cache_timeout, cache_stats_atom::value)
    .then(
      [reply](const cache_stats& c) {
        auto ratio = [](uint64_t hits, uint64_t misses) {
          auto all = hits + misses;
          return all == 0 ? std::string{"null"}
                          : std::to_string(static_cast<double>(hits) / static_cast<double>(all));
        };
        auto n = [](uint64_t v) { return std::to_string(v); };
        reply(json(200, "{\"l1\":{\"price\":{\"hits\":" + n(c.price_hits)
                          + ",\"misses\":" + n(c.price_misses) + ",\"hit_rate\":"
                          + ratio(c.price_hits, c.price_misses)
                          + "},\"bars\":{\"hits\":" + n(c.bars_hits)
                          + ",\"misses\":" + n(c.bars_misses) + ",\"hit_rate\":"
                          + ratio(c.bars_hits, c.bars_misses)
                          + "},\"instruments\":" + n(c.instruments)
                          + ",\"series\":" + n(c.series) + ",\"bars\":" + n(c.bars)
                          + ",\"bars_evicted\":" + n(c.bars_evicted)
                          + ",\"instruments_refused\":" + n(c.instruments_refused)
                          + "}}"));
      },
      [reply](caf::error&) {
        reply(fail(503, "unavailable", "cache did not answer in time"));
      });
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

void route(gateway_ptr self, const http_call& call) {
  auto& req = call.request;
  auto& path = req.path;
  static const std::vector<std::string> routes{
    "/health", "/live", "/ready", "/api/v1/data/price", "/api/v1/data/ohlcv",
    "/api/v1/data/providers", "/api/v1/data/quality", "/api/v1/data/quarantine",
    "/api/v1/cache/stats"};
  if (std::find(routes.begin(), routes.end(), path) == routes.end())
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
  if (path == "/api/v1/data/providers")
    return handle_providers(self, call);
  if (path == "/api/v1/data/quality")
    return handle_quality(self, call);
  if (path == "/api/v1/cache/stats")
    return handle_cache_stats(self, call);
  if (path == "/api/v1/data/quarantine")
    return handle_quarantine(self, call);
  handle_ohlcv(self, call);
}

caf::behavior gateway(caf::stateful_actor<gateway_state>* self, topology topo,
                      boost::asio::io_context* ioc, caf::actor cache,
                      std::vector<caf::actor> validators) {
  auto& st = self->state;
  st.validators = std::move(validators);
  st.ioc = ioc;
  st.cache = std::move(cache);
  for (auto p : rest_providers())
    if (auto a = make_rest_adapter(p, {}))
      st.catalog.push_back(std::move(a));
  int64_t slowest = 0;
  for (auto& [name, rp] : topo.rest_providers)
    slowest = std::max(slowest, rp.timeout_ns);
  st.fetch_timeout = std::chrono::nanoseconds{slowest + 2'000'000'000};
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
  st.topo = std::move(topo);
  return {
    [=](start_atom) -> caf::result<uint16_t> {
      auto& st = self->state;
      auto& gw = st.topo.gateway;
      auto r = st.server->listen(gw.bind, gw.port);
      if (!r)
        return caf::make_error(caf::sec::runtime_error, r.err().context);
      st.log->info("REST gateway on http://{}:{}", gw.bind, st.server->port());
      return st.server->port();
    },
    [=](provider_handles& h) { self->state.providers = std::move(h); },
    [=](writer_atom, caf::actor storage) { self->state.storage = std::move(storage); },
    [=](const http_call& call) {
      self->state.stats.events_in += 1;
      route(self, call);
    },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

caf::actor spawn_gateway(caf::actor_system& sys, const topology& topo,
                         boost::asio::io_context& ioc, caf::actor cache,
                         std::vector<caf::actor> validators) {
  return sys.spawn(gateway, topo, &ioc, std::move(cache), std::move(validators));
}

} // namespace tickflow
