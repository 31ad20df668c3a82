// Routes of the reference area: fundamentals and news, asked of the
// providers through the scheduler like prices, and kept in the gateway's
// reference cache ([reference] TTLs).
//   GET /api/v1/fundamentals/{symbol}  the failover chain of the symbol's
//       class, narrowed to the providers whose adapters serve profiles;
//       the first that serves wins (no field-by-field merge of profiles)
//   GET /api/v1/news?symbol=&query=&limit=  every enabled provider that
//       serves news, in parallel; merged, deduplicated, newest first
//       (pipeline/reference/news_merge); failures listed beside the rest

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "actors/gateway_state.hpp"
#include "api/event_json.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/reference/news_merge.hpp"
#include "pipeline/reference/reference_query.hpp"

namespace tickflow {

namespace {

using api::append_json_string;

// -- rendering ------------------------------------------------------------------

/// `s` as a JSON string, or null when empty (the provider did not say).
void append_text(std::string& out, const std::string& s) {
  if (s.empty())
    out += "null";
  else
    append_json_string(out, s);
}

/// An exact decimal as a JSON string, or null when unset (zero).
void append_decimal(std::string& out, const decimal& d) {
  if (d.is_zero()) {
    out += "null";
    return;
  }
  out += '"';
  d.append_to(out);
  out += '"';
}

void append_strings(std::string& out, const std::vector<std::string>& xs) {
  out += '[';
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i > 0)
      out += ',';
    append_json_string(out, xs[i]);
  }
  out += ']';
}

void append_profile(std::string& out, const asset_profile& p) {
  struct text_field {
    const char* name;
    const std::string* value;
  };
  const text_field texts[] = {
    {"instrument", &p.instrument}, {"provider_symbol", &p.provider_symbol},
    {"name", &p.name},             {"asset_type", &p.asset_type},
    {"description", &p.description}, {"exchange", &p.exchange},
    {"currency", &p.currency},     {"country", &p.country},
    {"sector", &p.sector},         {"industry", &p.industry},
    {"homepage", &p.homepage},     {"logo", &p.logo},
    {"ipo_date", &p.ipo_date},
  };
  struct number_field {
    const char* name;
    const decimal* value;
  };
  const number_field numbers[] = {
    {"market_cap", &p.market_cap},     {"shares_outstanding", &p.shares_outstanding},
    {"pe_ratio", &p.pe_ratio},         {"eps", &p.eps},
    {"dividend_yield", &p.dividend_yield}, {"beta", &p.beta},
    {"week52_high", &p.week52_high},   {"week52_low", &p.week52_low},
  };
  out += '{';
  bool first = true;
  for (auto& f : texts) {
    out += first ? "\"" : ",\"";
    first = false;
    out += f.name;
    out += "\":";
    append_text(out, *f.value);
  }
  for (auto& f : numbers) {
    out += ",\"";
    out += f.name;
    out += "\":";
    append_decimal(out, *f.value);
  }
  out += '}';
}

/// "name: reason" strings as [{"provider":..,"reason":..}].
void append_reasons(std::string& out, const std::vector<std::string>& xs) {
  out += '[';
  for (size_t i = 0; i < xs.size(); ++i) {
    auto colon = xs[i].find(": ");
    out += i ? ",{\"provider\":" : "{\"provider\":";
    append_json_string(out, xs[i].substr(0, colon));
    out += ",\"reason\":";
    append_json_string(out, colon == std::string::npos ? std::string{}
                                                       : xs[i].substr(colon + 2));
    out += '}';
  }
  out += ']';
}

std::string fundamentals_body(const std::string& symbol, const asset_profile& p, bool cached,
                              const std::vector<std::string>& failover) {
  std::string out = "{\"symbol\":";
  append_json_string(out, symbol);
  out += ",\"source\":";
  append_json_string(out, to_string(p.source));
  out += cached ? ",\"cached\":true" : ",\"cached\":false";
  out += ",\"fetched_at\":";
  append_json_string(out, format_iso8601(p.ts_recv_ns));
  out += ",\"profile\":";
  append_profile(out, p);
  if (!failover.empty()) {
    out += ",\"failover\":";
    append_reasons(out, failover);
  }
  out += '}';
  return out;
}

void append_item(std::string& out, const news_item& x) {
  out += "{\"title\":";
  append_json_string(out, x.title);
  out += ",\"url\":";
  append_json_string(out, x.url);
  out += ",\"summary\":";
  append_text(out, x.summary);
  out += ",\"publisher\":";
  append_text(out, x.publisher);
  out += ",\"image\":";
  append_text(out, x.image);
  out += ",\"id\":";
  append_text(out, x.id);
  out += ",\"instruments\":";
  append_strings(out, x.instruments);
  out += ",\"source\":";
  append_json_string(out, to_string(x.source));
  out += ",\"published\":";
  append_json_string(out, format_iso8601(x.published_ns));
  out += ",\"published_ts\":";
  out += std::to_string(x.published_ns);
  out += '}';
}

/// One provider that failed: its name and the error response it gave.
struct news_failure {
  std::string provider;
  api::http_response response;
};

/// The code and message of a response in the one error shape
/// ({"error":{"code":..,"message":..}}); empty when it is not one.
std::pair<std::string, std::string> error_of(const api::http_response& r) {
  rapidjson::Document d;
  d.Parse(r.body.c_str(), r.body.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("error") || !d["error"].IsObject())
    return {};
  auto& e = d["error"];
  auto text = [&](const char* name) {
    return e.HasMember(name) && e[name].IsString() ? std::string{e[name].GetString()}
                                                   : std::string{};
  };
  return {text("code"), text("message")};
}

std::string news_body(const reference::news_query& q, const reference::news_answer& a,
                      bool cached, const std::vector<news_failure>& failures,
                      const std::vector<std::string>& skipped) {
  std::string out = "{\"symbol\":";
  append_text(out, q.instrument);
  out += ",\"query\":";
  append_text(out, q.text);
  out += ",\"count\":";
  out += std::to_string(a.items.size());
  out += cached ? ",\"cached\":true" : ",\"cached\":false";
  out += failures.empty() ? ",\"partial\":false" : ",\"partial\":true";
  out += ",\"sources\":";
  append_strings(out, a.sources);
  out += ",\"duplicates\":";
  out += std::to_string(a.duplicates);
  out += ",\"items\":[";
  for (size_t i = 0; i < a.items.size(); ++i) {
    if (i > 0)
      out += ',';
    append_item(out, a.items[i]);
  }
  out += "],\"errors\":[";
  for (size_t i = 0; i < failures.size(); ++i) {
    auto [code, message] = error_of(failures[i].response);
    out += i ? ",{\"provider\":" : "{\"provider\":";
    append_json_string(out, failures[i].provider);
    out += ",\"status\":";
    out += std::to_string(failures[i].response.status);
    out += ",\"code\":";
    append_text(out, code);
    out += ",\"message\":";
    append_text(out, message);
    out += '}';
  }
  out += ']';
  if (!skipped.empty()) {
    out += ",\"skipped\":";
    append_reasons(out, skipped);
  }
  out += '}';
  return out;
}

// -- helpers --------------------------------------------------------------------

api::http_response bad_param(const reference::param_problem& p) {
  return fail(400, p.missing ? "missing_parameter" : "invalid_parameter", p.message, p.field);
}

/// Points the cache at the [reference] settings in force.
reference::reference_cache& answers(gateway_state& st) {
  auto& r = st.topo.reference;
  st.reference_answers.follow(r.cache_entries, r.fundamentals_ttl_ns, r.news_ttl_ns);
  return st.reference_answers;
}

api::http_response disabled() {
  return fail(503, "reference_disabled", "reference data is off ([reference] enabled = false)");
}

/// The enabled REST providers whose adapters serve news, in config order.
std::vector<std::string> news_providers(const gateway_state& st) {
  std::vector<std::string> out;
  for (auto& name : st.topo.providers) {
    if (!is_rest_provider(name))
      continue;
    for (auto& a : st.catalog) {
      if (to_string(a->info().id) != name)
        continue;
      auto& types = a->info().data_types;
      if (std::find(types.begin(), types.end(), fetch_kind::news) != types.end())
        out.push_back(name);
    }
  }
  return out;
}

/// A failure that only says the provider cannot serve this request (no text
/// search, an instrument it does not cover): skipped, not an error.
bool is_not_applicable(const api::http_response& r) {
  auto code = error_of(r).first;
  return code == "invalid_parameter" || code == "unknown_symbol";
}

// -- fundamentals ---------------------------------------------------------------

void handle_fundamentals(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  if (!st.topo.reference.enabled)
    return call.reply(disabled());
  auto symbol = reference::parse_symbol(call.path_param("symbol"));
  if (auto* p = std::get_if<reference::param_problem>(&symbol))
    return call.reply(bad_param(*p));
  auto instrument = std::get<std::string>(symbol);
  auto key = reference::profile_cache_key(instrument);
  if (auto* hit = answers(st).profile(key, now_ns()))
    return call.reply(json(200, fundamentals_body(instrument, *hit, true, {})));
  fetch_request req;
  req.kind = fetch_kind::profile;
  req.instrument = instrument;
  auto reply = call.reply;
  fetch_from_providers(self, req, {}, call.prio,
                       [self, reply, instrument, key](chain_outcome o) {
                         if (!o.ok)
                           return reply(std::move(o.error));
                         auto& xs = o.reply.data.profiles;
                         if (xs.empty())
                           return reply(fail(404, "no_data",
                                             o.reply.provider + " returned no profile for "
                                               + instrument,
                                             "symbol"));
                         auto p = std::move(xs.front());
                         p.instrument = instrument; // the cache key is the asked id
                         auto body = fundamentals_body(instrument, p, false, o.passed);
                         answers(self->state).put(key, std::move(p), now_ns());
                         reply(json(200, std::move(body)));
                       });
}

// -- news -----------------------------------------------------------------------

/// One news request on its way through the providers.
struct news_fanout {
  reference::news_query q;
  std::string key;
  api::responder reply;
  std::vector<std::string> providers;
  std::vector<std::optional<chain_outcome>> outcomes; ///< by provider
  size_t pending = 0;
};

void finish_news(gateway_ptr self, news_fanout& f) {
  std::vector<std::vector<news_item>> lists;
  reference::news_answer answer;
  std::vector<news_failure> failures;
  std::vector<std::string> skipped;
  for (size_t i = 0; i < f.providers.size(); ++i) {
    auto& o = *f.outcomes[i];
    if (o.ok) {
      answer.sources.push_back(f.providers[i]);
      lists.push_back(std::move(o.reply.data.news));
    } else if (is_not_applicable(o.error)) {
      // Adapters often name themselves already; say it once.
      auto why = error_of(o.error).second;
      auto own = f.providers[i] + ": ";
      if (why.rfind(own, 0) == 0)
        why.erase(0, own.size());
      skipped.push_back(own + why);
    } else {
      failures.push_back(news_failure{f.providers[i], std::move(o.error)});
    }
  }
  if (answer.sources.empty()) {
    if (!failures.empty())
      return f.reply(std::move(failures.front().response));
    std::string why = "no enabled provider serves this news request";
    for (auto& s : skipped)
      why += "; " + s;
    return f.reply(fail(404, "no_provider", why));
  }
  auto merged = reference::merge_news(lists, f.q.limit);
  answer.items = std::move(merged.items);
  answer.duplicates = merged.duplicates;
  auto body = news_body(f.q, answer, false, failures, skipped);
  // A partial answer is not kept: the next caller asks the failed ones again.
  if (failures.empty())
    answers(self->state).put(f.key, std::move(answer), now_ns());
  f.reply(json(200, std::move(body)));
}

void handle_news(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  if (!st.topo.reference.enabled)
    return call.reply(disabled());
  auto param = [&](const char* name) {
    auto* v = call.request.param(name);
    return v ? std::string_view{*v} : std::string_view{};
  };
  auto parsed = reference::parse_news_query(param("symbol"), param("query"), param("limit"));
  if (auto* p = std::get_if<reference::param_problem>(&parsed))
    return call.reply(bad_param(*p));
  auto f = std::make_shared<news_fanout>();
  f->q = std::move(std::get<reference::news_query>(parsed));
  f->key = reference::news_cache_key(f->q);
  if (auto* hit = answers(st).news(f->key, now_ns()))
    return call.reply(json(200, news_body(f->q, *hit, true, {}, {})));
  f->providers = news_providers(st);
  if (f->providers.empty())
    return call.reply(fail(404, "no_provider", "no enabled provider serves news"));
  f->reply = call.reply;
  f->outcomes.resize(f->providers.size());
  f->pending = f->providers.size();
  auto window = reference::news_window_at(now_ns(), st.topo.reference.news_lookback_ns);
  fetch_request req;
  req.kind = fetch_kind::news;
  req.instrument = f->q.instrument;
  req.query = f->q.text;
  req.limit = f->q.limit;
  req.start_ns = window.start_ns;
  req.end_ns = window.end_ns;
  // Every provider at once: the scheduler applies each one's own limits.
  for (size_t i = 0; i < f->providers.size(); ++i)
    fetch_from_providers(self, req, f->providers[i], call.prio,
                         [self, f, i](chain_outcome o) {
                           f->outcomes[i] = std::move(o);
                           if (--f->pending == 0)
                             finish_news(self, *f);
                         });
}

} // namespace

std::vector<route> reference_routes() {
  return {
    {"GET", "/api/v1/fundamentals/{symbol}", handle_fundamentals, route_access::api},
    {"GET", "/api/v1/news", handle_news, route_access::api},
  };
}

} // namespace tickflow
