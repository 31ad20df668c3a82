#include "api/routes/reports.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "api/event_json.hpp"
#include "api/quality_json.hpp"
#include "api/routes/common.hpp"
#include "api/routes/query.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

// -- queries --------------------------------------------------------------------

api_result<quarantine_query> parse_quarantine_query(const http_request& req) {
  query_reader in{req};
  quarantine_query q;
  q.instrument = in.optional_symbol();
  q.limit = in.whole("limit", 1, 1000, 50);
  if (!in)
    return std::move(in.error());
  return q;
}

api_result<quality_query> parse_quality_query(const http_request& req) {
  query_reader in{req};
  quality_query q{in.optional_symbol()};
  if (!in)
    return std::move(in.error());
  return q;
}

// -- providers ------------------------------------------------------------------

void add_health(std::vector<provider_listing>& xs, const provider_health& h) {
  for (auto& p : xs)
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
}

void add_quality(std::vector<provider_listing>& xs, const validator_quality& q) {
  for (auto& [name, r] : q.providers)
    for (auto& p : xs)
      if (p.name == name)
        p.quality = r;
}

namespace {

/// ok: the last call succeeded; failing: only failures so far; degraded:
/// the last call failed after earlier successes; idle: never called.
std::string_view health_status(const provider_listing& p) {
  if (p.requests == 0)
    return "idle";
  if (p.last_error_ns > p.last_success_ns)
    return p.successes == 0 ? "failing" : "degraded";
  return "ok";
}

void append_quality_or_null(std::string& out, const provider_listing& p) {
  if (p.quality)
    append_json(out, *p.quality);
  else
    out += "null";
}

} // namespace

std::string providers_body(const std::vector<provider_listing>& xs) {
  std::string out = "{\"providers\":[";
  for (size_t i = 0; i < xs.size(); ++i) {
    auto& p = xs[i];
    if (i > 0)
      out += ',';
    out += "{\"name\":";
    append_json_string(out, p.name);
    out += ",\"asset_classes\":";
    append_strings(out, p.asset_classes);
    out += ",\"data_types\":";
    append_strings(out, p.data_types);
    out += ",\"intervals\":";
    append_strings(out, p.intervals);
    out += p.needs_key ? ",\"needs_key\":true" : ",\"needs_key\":false";
    out += p.enabled ? ",\"enabled\":true" : ",\"enabled\":false";
    out += p.key_configured ? ",\"key_configured\":true"
                            : ",\"key_configured\":false";
    out += ",\"health\":";
    if (!p.has_health) {
      out += "null,\"quality\":";
      append_quality_or_null(out, p);
      out += '}';
      continue;
    }
    out += "{\"status\":";
    append_json_string(out, health_status(p));
    out += ",\"requests\":";
    append_int(out, static_cast<int64_t>(p.requests));
    out += ",\"successes\":";
    append_int(out, static_cast<int64_t>(p.successes));
    out += ",\"failures\":";
    append_int(out, static_cast<int64_t>(p.failures));
    out += ",\"last_success\":";
    append_time_or_null(out, p.last_success_ns);
    out += ",\"last_error\":";
    if (p.last_error_ns > 0) {
      out += "{\"at\":";
      append_time_or_null(out, p.last_error_ns);
      out += ",\"message\":";
      append_json_string(out, p.last_error);
      out += '}';
    } else {
      out += "null";
    }
    out += ",\"last_latency_ms\":";
    append_int(out, p.last_latency_ns / ns_per_ms);
    out += "},\"quality\":";
    append_quality_or_null(out, p);
    out += '}';
  }
  out += "]}";
  return out;
}

// -- quality and quarantine -----------------------------------------------------

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

std::string quality_answer(const std::string& instrument,
                           const std::vector<validator_quality>& xs) {
  auto m = merge_quality(xs);
  return quality_body(instrument.empty() ? "overall" : instrument, m.subject,
                      m.providers, m.stale);
}

std::string quarantine_answer(const std::vector<quarantine_page>& pages,
                              size_t limit) {
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
  if (all.size() > limit)
    all.resize(limit);
  return quarantine_body(all, totals);
}

// -- stats ----------------------------------------------------------------------

std::string stats_body(const scheduler_stats& s, const cache_stats* l1) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  provider_schedule_stats total;
  auto count = [&](const char* key, uint64_t n) {
    w.Key(key);
    w.Uint64(n);
  };
  w.StartObject();
  w.Key("providers");
  w.StartArray();
  for (auto& p : s.providers) {
    w.StartObject();
    w.Key("provider");
    w.String(p.provider.c_str());
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
  count("calls", total.calls);
  count("saved_by_cache", total.saved_cache);
  count("saved_by_coalescing", total.saved_coalesced);
  count("saved_by_merging", total.saved_merged);
  count("denied", total.denied);
  count("retried", total.retried);
  count("failed_over", total.failed_over);
  count("failures", total.failures);
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
    count("price_hits", l1->price_hits);
    count("bars_hits", l1->bars_hits);
    w.EndObject();
  }
  w.EndObject();
  return buf.GetString();
}

} // namespace tickflow::api
