#include "api/routes/data.hpp"

#include "api/event_json.hpp"
#include "api/routes/common.hpp"
#include "api/routes/freshness.hpp"
#include "api/routes/query.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/providers/provider_info.hpp"
#include "pipeline/validate/event_rules.hpp"

namespace tickflow::api {

// -- queries --------------------------------------------------------------------

api_result<price_query> parse_price_query(const http_request& req,
                                          const symbol_resolver& symbols) {
  query_reader in{req, symbols};
  price_query q;
  q.instrument = in.symbol();
  q.requested = std::string{in.text("symbol")};
  q.provider = in.provider();
  q.max_age_ns = read_max_age(in);
  if (!in)
    return std::move(in.error());
  return q;
}

bool adjusted_by_default(std::string_view provider) noexcept {
  auto* p = provider.empty() ? nullptr : find_provider(provider);
  return p != nullptr && !p->raw_bars;
}

api_result<ohlcv_query> parse_ohlcv_query(const http_request& req,
                                          const symbol_resolver& symbols) {
  query_reader in{req, symbols};
  ohlcv_query q;
  q.instrument = in.symbol();
  q.requested = std::string{in.text("symbol")};
  q.provider = in.provider();
  q.span = in.span(interval::m1);
  q.limit = in.whole("limit", 1, 5000, 100);
  auto range = in.range(true);
  q.start_given = range.start_ns.has_value();
  q.start_ns = range.start_ns.value_or(0);
  q.end_ns = range.end_ns.value_or(0);
  q.validate = in.flag("validate");
  q.adjusted = in.text("adjusted").empty() ? adjusted_by_default(q.provider)
                                           : in.flag("adjusted");
  if (!in)
    return std::move(in.error());
  return q;
}

api_result<ohlcv_query> parse_historical_query(const http_request& req,
                                               const symbol_resolver& symbols) {
  auto q = parse_ohlcv_query(req, symbols);
  if (auto* x = std::get_if<ohlcv_query>(&q); x != nullptr && !x->start_given)
    return api_error{400, "missing_parameter", "historical bars need a start",
                     "start"};
  return q;
}

// -- bodies ---------------------------------------------------------------------

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

void append_provenance(std::string& out, const provenance& from, int64_t span_ns) {
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
  if (!from.requested.empty()) {
    out += ",\"requested\":";
    append_json_string(out, from.requested);
  }
  if (!from.resampled_from.empty()) {
    out += ",\"resampled_from\":";
    append_json_string(out, from.resampled_from);
  }
  if (from.adjusted)
    out += *from.adjusted ? ",\"adjusted\":true" : ",\"adjusted\":false";
  if (from.failover.empty())
    return;
  out += ",\"failover\":";
  append_reasons(out, from.failover);
}

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

std::optional<price> price_of(const std::vector<price>& prices,
                              const std::vector<bar>& bars) {
  if (!prices.empty())
    return prices.back();
  if (bars.empty())
    return std::nullopt;
  auto& b = bars.back();
  price p;
  p.instrument = b.instrument;
  p.source = b.source;
  p.value = b.close;
  p.ts_event_ns = b.open_time_ns + interval_ns(b.span);
  p.ts_recv_ns = b.ts_recv_ns;
  p.flags = b.flags;
  return p;
}

} // namespace tickflow::api
