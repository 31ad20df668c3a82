#include "api/routes/corporate_actions.hpp"

#include <algorithm>
#include <utility>

#include "api/event_json.hpp"
#include "api/routes/common.hpp"
#include "api/routes/query.hpp"
#include "pipeline/model/provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

namespace {

void append_date(std::string& out, int64_t ns) {
  append_json_string(out, format_iso8601(ns).substr(0, 10));
}

void append_date_or_null(std::string& out, int64_t ns) {
  if (ns == 0)
    out += "null";
  else
    append_date(out, ns);
}

void append_decimal(std::string& out, decimal d) {
  out += '"';
  d.append_to(out);
  out += '"';
}

} // namespace

api_result<corporate_actions_query> parse_corporate_actions_query(
  const http_request& req, const symbol_resolver& symbols) {
  query_reader in{req, symbols};
  corporate_actions_query q;
  q.instrument = in.symbol();
  q.requested = std::string{in.text("symbol")};
  q.provider = in.provider();
  auto range = in.range(true);
  q.start_ns = range.start_ns.value_or(0);
  q.end_ns = range.end_ns.value_or(0);
  if (!in)
    return std::move(in.error());
  return q;
}

std::vector<corporate_action> merge_actions(std::vector<corporate_action> splits,
                                            const std::vector<corporate_action>& dividends) {
  auto out = std::move(splits);
  out.insert(out.end(), dividends.begin(), dividends.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.ex_date_ns != b.ex_date_ns ? a.ex_date_ns < b.ex_date_ns : a.kind < b.kind;
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) {
                          return a.kind == b.kind && a.ex_date_ns == b.ex_date_ns;
                        }),
            out.end());
  return out;
}

std::string corporate_actions_body(const corporate_actions_query& q,
                                   const std::vector<corporate_action>& actions,
                                   const actions_sources& from) {
  std::string out;
  out.reserve(256 + actions.size() * 160);
  out += "{\"instrument\":";
  append_json_string(out, q.instrument);
  out += ",\"requested\":";
  append_json_string(out, q.requested);
  out += ",\"start\":";
  append_date_or_null(out, q.start_ns);
  out += ",\"end\":";
  append_date_or_null(out, q.end_ns);
  out += ",\"count\":";
  append_int(out, static_cast<int64_t>(actions.size()));
  out += ",\"actions\":[";
  for (size_t i = 0; i < actions.size(); ++i) {
    auto& x = actions[i];
    if (i > 0)
      out += ',';
    out += "{\"type\":";
    append_json_string(out, to_string(x.kind));
    out += ",\"date\":";
    append_date(out, x.ex_date_ns);
    if (x.kind == action_kind::split) {
      out += ",\"split_to\":";
      append_decimal(out, x.split_to);
      out += ",\"split_from\":";
      append_decimal(out, x.split_from);
      out += ",\"ratio\":\"";
      x.split_to.append_to(out);
      out += ':';
      x.split_from.append_to(out);
      out += '"';
    } else {
      out += ",\"amount\":";
      append_decimal(out, x.amount);
      out += ",\"currency\":";
      append_text_or_null(out, x.currency);
      out += ",\"pay_date\":";
      append_date_or_null(out, x.pay_date_ns);
    }
    out += ",\"provider\":";
    append_json_string(out, to_string(x.source));
    out += '}';
  }
  out += "],\"sources\":{\"splits\":";
  append_text_or_null(out, from.splits);
  out += ",\"dividends\":";
  append_text_or_null(out, from.dividends);
  out += "}}";
  return out;
}

} // namespace tickflow::api
