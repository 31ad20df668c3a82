// Reports: the providers, data quality and the quarantine.

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "actors/gateway_state.hpp"
#include "adapters/registry.hpp"
#include "api/data_queries.hpp"
#include "api/quality_json.hpp"
#include "api/responses.hpp"

namespace tickflow {

namespace {

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
  // Every provider [providers] enabled may name, in id order (the
  // registry's table): the simulator first, then the REST providers.
  for (auto& info : provider_table()) {
    if (!info.selectable)
      continue;
    api::provider_listing p;
    p.name = std::string{info.name};
    p.asset_classes = names_of(info.asset_classes);
    p.data_types = names_of(info.data_types);
    // Without REST (the simulator) the bars are those its section builds.
    p.intervals = info.rest ? names_of(info.intervals)
                            : names_of(st.topo.simulator.bar_intervals);
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

/// GET /api/v1/stats body: the scheduler's counters per provider, their
/// totals, queue depth per priority, and the L1 cache's hits (calls the
/// read path saved before any provider was considered).
std::string stats_body(const scheduler_stats& s, const cache_stats* l1) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  provider_schedule_stats total;
  w.StartObject();
  w.Key("providers");
  w.StartArray();
  for (auto& p : s.providers) {
    w.StartObject();
    w.Key("provider");
    w.String(p.provider.c_str());
    auto count = [&](const char* key, uint64_t n) {
      w.Key(key);
      w.Uint64(n);
    };
    count("calls", p.calls);
    count("saved_by_cache", p.saved_cache);
    count("saved_by_coalescing", p.saved_coalesced);
    count("saved_by_merging", p.saved_merged);
    count("denied", p.denied);
    count("retried", p.retried);
    count("failed_over", p.failed_over);
    count("failures", p.failures);
    count("in_flight", p.in_flight);
    count("queued", p.queued);
    w.Key("circuit");
    w.String(p.circuit.c_str());
    count("circuit_opened", p.circuit_opened);
    w.Key("paused_for_ms");
    w.Int64(p.paused_for_ms);
    w.Key("banned");
    w.Bool(p.banned);
    w.Key("windows");
    w.StartArray();
    for (auto& [name, used_limit] : p.windows) {
      w.StartObject();
      w.Key("window");
      w.String(name.c_str());
      count("used", used_limit.first);
      count("limit", used_limit.second);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    total.calls += p.calls;
    total.saved_cache += p.saved_cache;
    total.saved_coalesced += p.saved_coalesced;
    total.saved_merged += p.saved_merged;
    total.denied += p.denied;
    total.retried += p.retried;
    total.failed_over += p.failed_over;
    total.failures += p.failures;
  }
  w.EndArray();
  w.Key("totals");
  w.StartObject();
  for (auto [key, n] : {std::pair<const char*, uint64_t>{"calls", total.calls},
                        {"saved_by_cache", total.saved_cache},
                        {"saved_by_coalescing", total.saved_coalesced},
                        {"saved_by_merging", total.saved_merged},
                        {"denied", total.denied},
                        {"retried", total.retried},
                        {"failed_over", total.failed_over},
                        {"failures", total.failures}}) {
    w.Key(key);
    w.Uint64(n);
  }
  w.EndObject();
  w.Key("queue_depth");
  w.StartObject();
  for (size_t i = 0; i < priority_count; ++i) {
    auto name = to_string(static_cast<priority>(i));
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.Uint64(s.queue_depth[i]);
  }
  w.EndObject();
  w.Key("shared");
  w.Bool(s.shared);
  w.Key("shared_errors");
  w.Uint64(s.shared_errors);
  if (l1 != nullptr) {
    w.Key("l1");
    w.StartObject();
    w.Key("price_hits");
    w.Uint64(l1->price_hits);
    w.Key("bars_hits");
    w.Uint64(l1->bars_hits);
    w.EndObject();
  }
  w.EndObject();
  return buf.GetString();
}

void handle_stats(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  auto reply = call.reply;
  if (!st.scheduler)
    return reply(fail(503, "unavailable", "no scheduler"));
  self->request(st.scheduler, std::chrono::seconds{2}, sched_stats_atom::value)
    .then(
      [self, reply](const scheduler_stats& s) {
        self->request(self->state.cache, cache_timeout, cache_stats_atom::value)
          .then([reply, s](const cache_stats& c) { reply(json(200, stats_body(s, &c))); },
                [reply, s](caf::error&) { reply(json(200, stats_body(s, nullptr))); });
      },
      [reply](caf::error&) {
        reply(fail(503, "unavailable", "scheduler did not answer in time"));
      });
}

} // namespace

std::vector<route> report_routes() {
  return {
    {"GET", "/api/v1/data/providers", handle_providers},
    {"GET", "/api/v1/data/quality", handle_quality},
    {"GET", "/api/v1/data/quarantine", handle_quarantine},
    {"GET", "/api/v1/stats", handle_stats},
  };
}

} // namespace tickflow
