#include "api/routes/ticks.hpp"

#include <algorithm>
#include <tuple>

#include "api/event_json.hpp"
#include "api/routes/common.hpp"
#include "api/routes/freshness.hpp"
#include "api/routes/query.hpp"

namespace tickflow::api {

// -- queries --------------------------------------------------------------------

api_result<quote_query> parse_quote_query(const http_request& req,
                                          const symbol_resolver& symbols) {
  query_reader in{req, symbols};
  quote_query q;
  q.instrument = in.symbol();
  q.requested = std::string{in.text("symbol")};
  q.provider = in.provider();
  q.max_age_ns = read_max_age(in);
  if (!in)
    return std::move(in.error());
  return q;
}

api_result<trades_request> parse_trades_query(const http_request& req,
                                              const symbol_resolver& symbols) {
  query_reader in{req, symbols};
  trades_request q;
  q.instrument = in.symbol();
  q.requested = std::string{in.text("symbol")};
  q.provider = in.provider();
  q.limit = in.whole("limit", 1, 1000, 100);
  auto range = in.range();
  q.start_ns = range.start_ns.value_or(0);
  q.end_ns = range.end_ns.value_or(0);
  if (!in)
    return std::move(in.error());
  return q;
}

trades_query lookup_of(const trades_request& r) {
  trades_query q;
  q.instrument = r.instrument;
  q.start_ns = r.start_ns;
  q.end_ns = r.end_ns;
  q.limit = r.limit;
  return q;
}

// -- the trades read path -----------------------------------------------------------

trades_step after_memory(const trades_reply& memory, bool storage, bool fetchable) {
  if (memory.complete)
    return trades_step::answer;
  if (storage)
    return trades_step::ask_storage;
  return after_storage(memory.trades.size(), memory.status, fetchable);
}

trades_step after_storage(size_t found, lookup_status memory, bool fetchable) {
  if (found > 0)
    return trades_step::answer;
  if (fetchable)
    return trades_step::ask_provider;
  return memory == lookup_status::unknown ? trades_step::unknown : trades_step::answer;
}

std::vector<trade> merge_trades(std::vector<trade> a, const std::vector<trade>& b,
                                int64_t start_ns, int64_t end_ns, size_t limit) {
  auto outside = [&](const trade& t) {
    return t.ts_event_ns < start_ns || (end_ns > 0 && t.ts_event_ns > end_ns);
  };
  a.erase(std::remove_if(a.begin(), a.end(), outside), a.end());
  for (auto& t : b)
    if (!outside(t))
      a.push_back(t);
  auto key = [](const trade& t) {
    return std::tie(t.ts_event_ns, t.source, t.trade_id, t.price.mantissa,
                    t.price.scale, t.size.mantissa, t.size.scale);
  };
  std::sort(a.begin(), a.end(), [&](const trade& x, const trade& y) { return key(x) < key(y); });
  // Same provider and id (the id alone when there is one: the time of a
  // trade is the same wherever it was read from).
  auto same = [](const trade& x, const trade& y) {
    if (x.source != y.source || x.trade_id != y.trade_id)
      return false;
    return !x.trade_id.empty()
           || (x.ts_event_ns == y.ts_event_ns && x.price == y.price && x.size == y.size);
  };
  std::vector<trade> out;
  out.reserve(a.size());
  for (auto& t : a) {
    bool seen = false;
    // A duplicate sits at the same time, next to its twin.
    for (auto it = out.rbegin(); it != out.rend() && it->ts_event_ns == t.ts_event_ns; ++it)
      if (same(*it, t)) {
        seen = true;
        break;
      }
    if (!seen)
      out.push_back(std::move(t));
  }
  if (out.size() > limit)
    out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(limit));
  return out;
}

// -- bodies ---------------------------------------------------------------------

std::string quote_body(const quote& q, const provenance& from) {
  std::string out;
  out.reserve(448);
  append_json(out, q);
  out.pop_back(); // reopen the object to add provenance
  append_provenance(out, from);
  out += '}';
  return out;
}

std::string trades_body(std::string_view instrument, const std::vector<trade>& trades,
                        provenance from) {
  std::string out;
  out.reserve(160 + trades.size() * 256);
  out += "{\"instrument\":";
  append_json_string(out, instrument);
  out += ",\"count\":";
  append_int(out, static_cast<int64_t>(trades.size()));
  out += ",\"trades\":[";
  for (size_t i = 0; i < trades.size(); ++i) {
    if (i > 0)
      out += ',';
    append_json(out, trades[i]);
  }
  out += ']';
  if (!trades.empty())
    from.as_of_ns = trades.back().ts_event_ns;
  append_provenance(out, from);
  out += '}';
  return out;
}

} // namespace tickflow::api
