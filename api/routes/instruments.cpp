#include "api/routes/instruments.hpp"

#include <algorithm>
#include <map>

#include "api/event_json.hpp"
#include "api/routes/common.hpp"
#include "api/routes/query.hpp"
#include "pipeline/model/json_string.hpp"

namespace tickflow::api {

namespace {

std::string upper(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  return out;
}

bool has(const std::vector<std::string>& xs, const std::string& x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

bool serves(const instrument_info& x, const std::string& provider) {
  return has(x.live, provider) || has(x.rest, provider) || has(x.listed, provider);
}

void take_reference(instrument_info& x, const reference_entry& e) {
  x.reference = true;
  x.listed = e.providers;
  x.tick_size = e.tick_size;
  x.lot_size = e.lot_size;
}

} // namespace

api_result<instruments_query> parse_instruments_query(const http_request& req) {
  query_reader in{req};
  instruments_query q;
  q.text = std::string{in.text("query")};
  if (auto c = in.text("asset_class"); !c.empty()) {
    q.cls = parse_asset_class(c);
    if (!q.cls)
      in.invalid("asset_class", "'asset_class' must be one of crypto, equity, forex, "
                                "futures, index");
  }
  q.provider = in.provider();
  q.limit = in.whole("limit", 1, 1000, 100);
  if (!in)
    return std::move(in.error());
  return q;
}

std::vector<instrument_info> instrument_catalog(
  const std::vector<configured_instrument>& configured,
  const std::vector<std::string>& seen, const failover_settings& f,
  const std::vector<std::string>& enabled_rest,
  const std::vector<reference_entry>& reference) {
  std::map<std::string, instrument_info> by_id;
  for (auto& c : configured) {
    auto& x = by_id[c.id];
    x.live = c.providers;
    x.configured = true;
  }
  for (auto& id : seen)
    by_id[id].seen = true;
  std::vector<instrument_info> out;
  out.reserve(by_id.size() + reference.size());
  // Both sorted by id: one merge pass.
  auto ref = reference.begin();
  auto take_listed_before = [&](const std::string* id) {
    for (; ref != reference.end() && (id == nullptr || ref->id < *id); ++ref) {
      instrument_info x;
      x.id = ref->id;
      x.cls = ref->cls;
      take_reference(x, *ref);
      out.push_back(std::move(x));
    }
  };
  for (auto& [id, x] : by_id) {
    take_listed_before(&id);
    x.id = id;
    auto chain = resolve_chain(f, id, enabled_rest);
    x.cls = chain.symbol.cls;
    for (auto& step : chain.steps)
      x.rest.push_back(step.provider);
    if (ref != reference.end() && ref->id == id)
      take_reference(x, *ref++);
    out.push_back(std::move(x));
  }
  take_listed_before(nullptr);
  return out;
}

std::vector<const instrument_info*> search_instruments(
  const std::vector<instrument_info>& all, const instruments_query& q,
  const symbol_resolver& symbols) {
  auto needle = upper(q.text);
  std::string resolved;
  if (!q.text.empty())
    if (auto r = symbols.resolve(q.text); r.status == resolve_status::ok)
      resolved = std::move(r.canonical);
  auto rank = [&](const instrument_info& x) {
    if (!resolved.empty() && x.id == resolved)
      return 0;
    return x.id.compare(0, needle.size(), needle) == 0 ? 1 : 2;
  };
  std::vector<const instrument_info*> out;
  for (auto& x : all) {
    if (q.cls && x.cls != *q.cls)
      continue;
    if (!q.provider.empty() && !serves(x, q.provider))
      continue;
    if (!needle.empty() && x.id != resolved && x.id.find(needle) == std::string::npos)
      continue;
    out.push_back(&x);
  }
  std::stable_sort(out.begin(), out.end(), [&](auto* a, auto* b) {
    return rank(*a) < rank(*b); // all is sorted by id already
  });
  return out;
}

std::string instruments_body(const instruments_query& q,
                             const std::vector<const instrument_info*>& found) {
  std::string out;
  out.reserve(96 + std::min(found.size(), q.limit) * 160);
  out += "{\"query\":";
  append_text_or_null(out, q.text);
  out += ",\"asset_class\":";
  append_text_or_null(out, q.cls ? to_string(*q.cls) : std::string_view{});
  out += ",\"provider\":";
  append_text_or_null(out, q.provider);
  auto n = std::min(found.size(), q.limit);
  out += ",\"count\":";
  append_int(out, static_cast<int64_t>(n));
  out += ",\"total\":";
  append_int(out, static_cast<int64_t>(found.size()));
  out += ",\"instruments\":[";
  for (size_t i = 0; i < n; ++i) {
    auto& x = *found[i];
    if (i > 0)
      out += ',';
    out += "{\"id\":";
    append_json_string(out, x.id);
    out += ",\"asset_class\":";
    append_json_string(out, to_string(x.cls));
    std::string_view base, quote;
    bool pair = split_pair(x.id, base, quote);
    out += ",\"base\":";
    append_text_or_null(out, pair ? base : std::string_view{});
    out += ",\"quote\":";
    append_text_or_null(out, pair ? quote : std::string_view{});
    auto providers = x.live;
    for (auto* more : {&x.rest, &x.listed})
      for (auto& p : *more)
        if (!has(providers, p))
          providers.push_back(p);
    out += ",\"providers\":";
    append_strings(out, providers);
    out += ",\"live\":";
    append_strings(out, x.live);
    out += x.configured ? ",\"configured\":true" : ",\"configured\":false";
    out += x.seen ? ",\"seen\":true" : ",\"seen\":false";
    out += x.reference ? ",\"reference\":true" : ",\"reference\":false";
    out += ",\"tick_size\":";
    append_decimal_or_null(out, x.tick_size);
    out += ",\"lot_size\":";
    append_decimal_or_null(out, x.lot_size);
    out += '}';
  }
  out += "]}";
  return out;
}

} // namespace tickflow::api
