#include "api/routes/reference.hpp"

#include "api/event_json.hpp"
#include "api/routes/common.hpp"
#include "api/routes/query.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/reference/news_merge.hpp"

namespace tickflow::api {

namespace {

/// The message for a symbol that is no instrument id (reference routes).
constexpr std::string_view reference_symbol_rule =
  "'symbol' must be an instrument id such as AAPL or BTC-USD "
  "(1-32 of A-Z, 0-9, '-', '.', '=', '_', '/', ':')";

} // namespace

// -- queries --------------------------------------------------------------------

api_result<std::string> parse_fundamentals_symbol(std::string_view segment) {
  return read_instrument(segment, reference_symbol_rule);
}

api_result<reference::news_query> parse_news_query(const http_request& req) {
  query_reader in{req};
  reference::news_query q;
  q.instrument = in.optional_symbol(reference_symbol_rule);
  auto text = in.text("query");
  if (text.size() > reference::max_query_chars)
    in.invalid("query", "'query' must be at most "
                          + std::to_string(reference::max_query_chars) + " characters");
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      in.invalid("query", "'query' must not contain control characters");
      break;
    }
  q.text = std::string{text};
  q.limit = in.whole("limit", 1, reference::max_news_limit,
                     reference::default_news_limit);
  if (!in)
    return std::move(in.error());
  return q;
}

// -- bodies ---------------------------------------------------------------------

namespace {

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
    append_text_or_null(out, *f.value);
  }
  for (auto& f : numbers) {
    out += ",\"";
    out += f.name;
    out += "\":";
    append_decimal_or_null(out, *f.value);
  }
  out += '}';
}

} // namespace

std::string fundamentals_body(const std::string& symbol, const asset_profile& p,
                              bool cached, const std::vector<std::string>& failover) {
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

namespace {

void append_item(std::string& out, const news_item& x) {
  out += "{\"title\":";
  append_json_string(out, x.title);
  out += ",\"url\":";
  append_json_string(out, x.url);
  out += ",\"summary\":";
  append_text_or_null(out, x.summary);
  out += ",\"publisher\":";
  append_text_or_null(out, x.publisher);
  out += ",\"image\":";
  append_text_or_null(out, x.image);
  out += ",\"id\":";
  append_text_or_null(out, x.id);
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
  http_response response;
};

std::string news_body(const reference::news_query& q, const reference::news_answer& a,
                      bool cached, const std::vector<news_failure>& failures,
                      const std::vector<std::string>& skipped) {
  std::string out = "{\"symbol\":";
  append_text_or_null(out, q.instrument);
  out += ",\"query\":";
  append_text_or_null(out, q.text);
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
    append_text_or_null(out, code);
    out += ",\"message\":";
    append_text_or_null(out, message);
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

/// A failure that only says the provider cannot serve this request (no text
/// search, an instrument it does not cover): skipped, not an error.
bool is_not_applicable(const http_response& r) {
  auto code = error_of(r).first;
  return code == "invalid_parameter" || code == "unknown_symbol";
}

} // namespace

news_result finish_news(const reference::news_query& q,
                        const std::vector<std::string>& providers,
                        std::vector<news_outcome> outcomes) {
  std::vector<std::vector<news_item>> lists;
  reference::news_answer answer;
  std::vector<news_failure> failures;
  std::vector<std::string> skipped;
  for (size_t i = 0; i < providers.size() && i < outcomes.size(); ++i) {
    auto& o = outcomes[i];
    if (o.ok) {
      answer.sources.push_back(providers[i]);
      lists.push_back(std::move(o.news));
    } else if (is_not_applicable(o.error)) {
      // Adapters often name themselves already; say it once.
      auto why = error_of(o.error).second;
      auto own = providers[i] + ": ";
      if (why.rfind(own, 0) == 0)
        why.erase(0, own.size());
      skipped.push_back(own + why);
    } else {
      failures.push_back(news_failure{providers[i], std::move(o.error)});
    }
  }
  news_result out;
  if (answer.sources.empty()) {
    if (!failures.empty()) {
      out.reply = std::move(failures.front().response);
      return out;
    }
    std::string why = "no enabled provider serves this news request";
    for (auto& s : skipped)
      why += "; " + s;
    out.reply = fail(404, "no_provider", why);
    return out;
  }
  auto merged = reference::merge_news(lists, q.limit);
  answer.items = std::move(merged.items);
  answer.duplicates = merged.duplicates;
  out.reply = json(200, news_body(q, answer, false, failures, skipped));
  if (failures.empty())
    out.keep = std::move(answer);
  return out;
}

std::string cached_news_body(const reference::news_query& q,
                             const reference::news_answer& a) {
  return news_body(q, a, true, {}, {});
}

http_response reference_disabled() {
  return fail(503, "reference_disabled",
              "reference data is off ([reference] enabled = false)");
}

http_response no_news_provider() {
  return fail(404, "no_provider", "no enabled provider serves news");
}

} // namespace tickflow::api
