#include "api/responses.hpp"

#include <charconv>

#include "api/event_json.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

std::string_view freshness_class(int64_t age_ns) noexcept {
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
void append_provenance(std::string& out, const provenance& from) {
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
    append_json_string(out, freshness_class(age));
  } else {
    out += ",\"as_of\":null,\"age_ms\":null,\"freshness\":null";
  }
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
                       const std::vector<bar>& bars, const provenance& from) {
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
  }
  out += ']';
  append_provenance(out, from);
  out += '}';
  return out;
}

} // namespace tickflow::api
