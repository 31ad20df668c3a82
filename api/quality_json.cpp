#include "api/quality_json.hpp"

#include <charconv>
#include <cstdio>

#include "api/event_json.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

namespace {

void append_uint(std::string& out, uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_score(std::string& out, double score) {
  char buf[32];
  auto n = std::snprintf(buf, sizeof buf, "%.2f", score);
  out.append(buf, static_cast<size_t>(n > 0 ? n : 0));
}

void append_time(std::string& out, int64_t ts) {
  if (ts > 0)
    append_json_string(out, format_iso8601(ts));
  else
    out += "null";
}

} // namespace

void append_json(std::string& out, const quality_report& q) {
  out += "{\"score\":";
  append_score(out, q.score);
  out += ",\"events\":";
  append_uint(out, q.events);
  out += ",\"accepted\":";
  append_uint(out, q.accepted);
  out += ",\"flagged\":";
  append_uint(out, q.flagged);
  out += ",\"dropped\":";
  append_uint(out, q.dropped);
  out += ",\"by_rule\":{";
  bool first = true;
  for (size_t i = 0; i < rule_count; ++i) {
    if (q.by_rule[i] == 0)
      continue;
    if (!first)
      out += ',';
    first = false;
    append_json_string(out, to_string(static_cast<rule>(i)));
    out += ':';
    append_uint(out, q.by_rule[i]);
  }
  out += "}}";
}

void append_json(std::string& out, const quarantined_event& x) {
  out += "{\"seq\":";
  append_uint(out, x.seq);
  out += ",\"rule\":";
  append_json_string(out, to_string(x.why));
  out += ",\"reason\":";
  append_json_string(out, x.reason);
  out += x.dropped ? ",\"dropped\":true" : ",\"dropped\":false";
  out += ",\"provider\":";
  append_json_string(out, to_string(x.source));
  out += ",\"instrument\":";
  append_json_string(out, x.instrument);
  out += ",\"type\":";
  append_json_string(out, x.type);
  out += ",\"event_time\":";
  append_time(out, x.event_time_ns);
  out += ",\"seen\":";
  append_time(out, x.seen_ns);
  out += ",\"flags\":";
  append_flag_list(out, x.flags);
  out += ",\"fields\":{";
  for (size_t i = 0; i < x.fields.size(); ++i) {
    if (i > 0)
      out += ',';
    append_json_string(out, x.fields[i].first);
    out += ':';
    append_json_string(out, x.fields[i].second);
  }
  out += '}';
  if (!x.node.empty()) {
    out += ",\"node\":";
    append_json_string(out, x.node);
  }
  out += '}';
}

std::string alert_body(const alert& a, int64_t now_ns) {
  std::string out = "{\"type\":\"alert\",\"severity\":";
  append_json_string(out, to_string(a.level));
  out += ",\"kind\":";
  append_json_string(out, to_string(a.kind));
  out += ",\"instrument\":";
  if (a.instrument.empty())
    out += "null";
  else
    append_json_string(out, a.instrument);
  out += ",\"provider\":";
  if (a.source)
    append_json_string(out, to_string(*a.source));
  else
    out += "null";
  out += ",\"message\":";
  append_json_string(out, a.message);
  out += ",\"count\":";
  append_uint(out, a.count);
  out += ",\"time\":";
  append_time(out, now_ns);
  out += '}';
  return out;
}

std::string quality_body(std::string_view subject, const quality_report& q,
                         const std::vector<std::pair<std::string, quality_report>>& providers,
                         const std::vector<std::string>& stale) {
  std::string out = "{\"subject\":";
  append_json_string(out, subject);
  out += ",\"quality\":";
  append_json(out, q);
  out += ",\"providers\":[";
  for (size_t i = 0; i < providers.size(); ++i) {
    if (i > 0)
      out += ',';
    out += "{\"provider\":";
    append_json_string(out, providers[i].first);
    out += ",\"quality\":";
    append_json(out, providers[i].second);
    out += '}';
  }
  out += "],\"stale_symbols\":[";
  for (size_t i = 0; i < stale.size(); ++i) {
    if (i > 0)
      out += ',';
    append_json_string(out, stale[i]);
  }
  out += "]}";
  return out;
}

std::string quarantine_body(const std::vector<quarantined_event>& xs,
                            const quarantine::counters& totals) {
  std::string out = "{\"count\":";
  append_uint(out, xs.size());
  out += ",\"totals\":{\"added\":";
  append_uint(out, totals.added);
  out += ",\"evicted\":";
  append_uint(out, totals.evicted);
  out += ",\"dropped\":";
  append_uint(out, totals.dropped);
  out += ",\"flagged\":";
  append_uint(out, totals.flagged);
  out += "},\"events\":[";
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i > 0)
      out += ',';
    append_json(out, xs[i]);
  }
  out += "]}";
  return out;
}

} // namespace tickflow::api
