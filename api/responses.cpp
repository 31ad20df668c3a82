#include "api/responses.hpp"

#include <charconv>

#include "api/event_json.hpp"
#include "api/quality_json.hpp"
#include "pipeline/validate/event_rules.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

std::string_view freshness_class(int64_t age_ns, int64_t span_ns) noexcept {
  constexpr int64_t day = 86'400 * ns_per_s;
  if (span_ns >= day)
    return "end-of-day";
  if (span_ns > 0) // a bar stays current for its span
    age_ns = age_ns > span_ns ? age_ns - span_ns : 0;
  if (age_ns < 5 * ns_per_s)
    return "realtime";
  if (age_ns < 60 * ns_per_s)
    return "near-realtime";
  if (age_ns < 86'400 * ns_per_s)
    return "delayed";
  return "end-of-day";
}

namespace {

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

/// Appends ,"source":..,"cached":..,"as_of":..,"age_ms":..,"freshness":..
/// (span_ns: the bars' interval, 0 for a price).
void append_provenance(std::string& out, const provenance& from, int64_t span_ns = 0) {
  out += ",\"source\":";
  append_json_string(out, from.source);
  out += from.cached ? ",\"cached\":true" : ",\"cached\":false";
  if (from.as_of_ns > 0) {
    auto age = from.now_ns > from.as_of_ns ? from.now_ns - from.as_of_ns : 0;
    out += ",\"as_of\":";
    append_json_string(out, format_iso8601(from.as_of_ns));
    out += ",\"age_ms\":";
    append_int(out, age / ns_per_ms);
    out += ",\"freshness\":";
    append_json_string(out, freshness_class(age, span_ns));
  } else {
    out += ",\"as_of\":null,\"age_ms\":null,\"freshness\":null";
  }
  if (from.failover.empty())
    return;
  out += ",\"failover\":[";
  for (size_t i = 0; i < from.failover.size(); ++i) {
    auto& x = from.failover[i];
    auto colon = x.find(": ");
    out += i ? ",{\"provider\":" : "{\"provider\":";
    append_json_string(out, x.substr(0, colon));
    out += ",\"reason\":";
    append_json_string(out, colon == std::string::npos ? std::string{} : x.substr(colon + 2));
    out += '}';
  }
  out += ']';
}

} // namespace

std::string price_body(const price& p, const provenance& from) {
  std::string out;
  out.reserve(384);
  append_json(out, p);
  out.pop_back(); // reopen the object to add provenance
  append_provenance(out, from);
  out += '}';
  return out;
}

std::string ohlcv_body(std::string_view instrument, interval span,
                       const std::vector<bar>& bars, const provenance& from,
                       bool validate) {
  std::vector<rejection> findings;
  std::string out;
  out.reserve(128 + bars.size() * 320);
  out += "{\"instrument\":";
  append_json_string(out, instrument);
  out += ",\"interval\":";
  append_json_string(out, to_string(span));
  out += ",\"count\":";
  append_int(out, static_cast<int64_t>(bars.size()));
  out += ",\"bars\":[";
  for (size_t i = 0; i < bars.size(); ++i) {
    if (i > 0)
      out += ',';
    append_json(out, bars[i]);
    if (validate) {
      findings.clear();
      check_all(bars[i], findings);
      out.pop_back(); // reopen the bar object
      out += ",\"findings\":[";
      for (size_t k = 0; k < findings.size(); ++k) {
        if (k > 0)
          out += ',';
        out += "{\"rule\":";
        append_json_string(out, to_string(findings[k].why));
        out += ",\"reason\":";
        append_json_string(out, findings[k].reason);
        out += '}';
      }
      out += "]}";
    }
  }
  out += ']';
  append_provenance(out, from, interval_ns(span));
  out += '}';
  return out;
}

namespace {

void append_strings(std::string& out, const std::vector<std::string>& xs) {
  out += '[';
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i > 0)
      out += ',';
    append_json_string(out, xs[i]);
  }
  out += ']';
}

void append_time_or_null(std::string& out, int64_t ts) {
  if (ts > 0)
    append_json_string(out, format_iso8601(ts));
  else
    out += "null";
}

/// ok: the last call succeeded; failing: only failures so far; degraded:
/// the last call failed after earlier successes; idle: never called.
std::string_view health_status(const provider_listing& p) {
  if (p.requests == 0)
    return "idle";
  if (p.last_error_ns > p.last_success_ns)
    return p.successes == 0 ? "failing" : "degraded";
  return "ok";
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
      if (p.quality)
        append_json(out, *p.quality);
      else
        out += "null";
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
    out += '}';
    out += ",\"quality\":";
    if (p.quality)
      append_json(out, *p.quality);
    else
      out += "null";
    out += '}';
  }
  out += "]}";
  return out;
}

} // namespace tickflow::api
