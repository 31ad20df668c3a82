#include "actors/rest_provider_actor.hpp"

#include <cstdlib>
#include <memory>

#include "actors/clock.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/common/curl_client.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/holiday_sources.hpp"
#include "adapters/reference_lists.hpp"
#include "adapters/registry.hpp"

namespace tickflow {

namespace {

/// A header's decimal count, -1 when it is not one.
int64_t parse_used_weight(const std::string& text) {
  if (text.empty() || text.size() > 12
      || text.find_first_not_of("0123456789") != std::string::npos)
    return -1;
  return std::stoll(text);
}

struct rest_provider_state {
  rest_provider_settings settings;
  std::unique_ptr<rest_adapter> adapter;
  std::unique_ptr<curl_client> http;
  credentials cred;
  batch_sink_actor intake;
  provider_health health;
  std::shared_ptr<spdlog::logger> log = logger("provider");
  static inline const char* name = "provider.rest";

  fetch_reply fetch(const fetch_request& req) {
    return run(to_string(req.kind), req.instrument,
               [&] { return adapter->build(req, cred); },
               [&](const http_reply& h) {
                 return settle_not_found(req.kind, adapter->parse(req, h, now_ns()));
               });
  }

  /// One merged request for several instruments (the scheduler's BATCH).
  fetch_reply fetch(const fetch_batch& b) {
    auto what = std::to_string(b.instruments.size()) + " instruments";
    return run(to_string(b.kind), what,
               [&] { return adapter->build_batch(b.kind, b.instruments, cred); },
               [&](const http_reply& h) {
                 return adapter->parse_batch(b.kind, b.instruments, h, now_ns());
               });
  }

  template <class Build, class Parse>
  fetch_reply run(std::string_view kind, const std::string& instrument,
                  Build build, Parse parse) {
    fetch_reply r;
    r.provider = settings.name;
    health.requests += 1;
    auto started = now_ns();
    auto fail = [&](fetch_error e) {
      r.ok = false;
      r.failure = std::move(e);
      health.failures += 1;
      health.last_error_ns = now_ns();
      health.last_error = std::string{to_string(r.failure.code)} + ": "
                          + r.failure.message;
      log->warn("{}: {} {} failed: {}", settings.name, kind, instrument,
                health.last_error);
      return r;
    };
    auto out = build();
    if (!out)
      return fail(fetch_error{out.err().code, out.err().context, 0});
    auto reply = http->perform(*out, settings.base_url);
    r.latency_ns = now_ns() - started;
    health.last_latency_ns = r.latency_ns;
    if (auto e = std::get_if<fetch_error>(&reply))
      return fail(std::move(*e));
    // What the scheduler learns from the answer itself: bans (418) and the
    // weight the provider has counted (Binance).
    auto& answer = std::get<http_reply>(reply);
    r.http_status = answer.status;
    if (auto w = answer.header("x-mbx-used-weight-1m"))
      r.used_weight = parse_used_weight(*w);
    auto parsed = parse(answer);
    if (auto e = std::get_if<fetch_error>(&parsed))
      return fail(std::move(*e));
    r.ok = true;
    r.data = std::move(std::get<fetch_result>(parsed));
    health.successes += 1;
    health.last_success_ns = now_ns();
    log->debug("{}: {} {} ok in {} ms ({} bars, {} prices)", settings.name,
               kind, instrument, r.latency_ns / 1'000'000,
               r.data.bars.size(), r.data.prices.size());
    return r;
  }
};

rest_provider_actor::behavior_type
rest_provider(rest_provider_actor::stateful_pointer<rest_provider_state> self,
              rest_provider_settings settings, batch_sink_actor intake) {
  auto& st = self->state;
  auto id = provider_from_string(settings.name);
  adapter_options opts{settings.symbol_overrides};
  st.adapter = id ? make_rest_adapter(*id, opts) : nullptr;
  if (!st.adapter) {
    st.log->error("no REST adapter for provider {}", settings.name);
    self->quit(caf::make_error(caf::sec::invalid_argument, settings.name));
    return no_behavior<rest_provider_actor>();
  }
  curl_options copts;
  copts.timeout_ns = settings.timeout_ns;
  copts.connect_timeout_ns = settings.connect_timeout_ns;
  copts.max_body_bytes = settings.max_body_bytes;
  st.http = std::make_unique<curl_client>(copts);
  if (!settings.api_key_env.empty())
    if (auto* key = std::getenv(settings.api_key_env.c_str()))
      st.cred.api_key = key;
  st.health.provider = settings.name;
  st.health.key_configured = !st.cred.api_key.empty();
  st.log->info("{}: REST provider at {} ({})", settings.name, settings.base_url,
               st.health.key_configured
                 ? "key from $" + settings.api_key_env
                 : std::string{"no key"});
  st.settings = std::move(settings);
  st.intake = std::move(intake);
  return {
    [=](fetch_atom, const fetch_request& req) {
      auto& st = self->state;
      auto r = st.fetch(req);
      // Adjusted bars are answered, never stored: the caches hold the
      // series as traded (docs/API.md "Adjusted prices").
      if (r.ok && !r.data.bars.empty() && st.intake && !req.adjusted) {
        event_batch b;
        b.bars = r.data.bars;
        self->send(st.intake, std::move(b));
      }
      return r;
    },
    [=](fetch_atom, const fetch_batch& b) { return self->state.fetch(b); },
    [=](holidays_atom) -> caf::result<std::vector<session_exception>> {
      auto& st = self->state;
      auto* src = holiday_source_of(st.adapter->info().id);
      if (src == nullptr)
        return caf::make_error(caf::sec::unexpected_message, "no holiday list");
      auto reply = st.http->perform(src->request(st.cred.api_key), st.settings.base_url);
      auto* h = std::get_if<http_reply>(&reply);
      if (h == nullptr || h->status != 200)
        return caf::make_error(caf::sec::runtime_error,
                               h == nullptr ? std::get<fetch_error>(reply).message
                                            : "HTTP " + std::to_string(h->status));
      auto xs = src->parse(h->body);
      if (!xs)
        return caf::make_error(caf::sec::runtime_error, xs.err().context);
      return std::move(*xs);
    },
    [=](reflist_atom, const std::string& page) -> caf::result<reference_page> {
      auto& st = self->state;
      auto* src = reference_list_of(st.adapter->info().id);
      if (src == nullptr)
        return caf::make_error(caf::sec::unexpected_message, "no reference list");
      auto req = src->request(page, st.cred.api_key);
      if (!req)
        return caf::make_error(caf::sec::invalid_argument, req.err().context);
      auto reply = st.http->perform(*req, st.settings.base_url);
      auto* h = std::get_if<http_reply>(&reply);
      if (h == nullptr || h->status != 200)
        return caf::make_error(caf::sec::runtime_error,
                               h == nullptr ? std::get<fetch_error>(reply).message
                                            : "HTTP " + std::to_string(h->status));
      auto rows = src->parse(h->body);
      if (!rows)
        return caf::make_error(caf::sec::runtime_error, rows.err().context);
      return std::move(*rows);
    },
    [=](health_atom) { return self->state.health; },
    [=](ack_atom) {}, // acks of forwarded batches: fetches are not flow-controlled
  };
}

} // namespace

rest_provider_actor spawn_rest_provider(caf::actor_system& sys,
                                        const rest_provider_settings& settings,
                                        batch_sink_actor intake) {
  return sys.spawn<caf::detached>(rest_provider, settings, std::move(intake));
}

} // namespace tickflow
