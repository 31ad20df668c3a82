// POST /api/v1/data/batch (many lookups in one call) and POST
// /api/v1/prefetch (warm the cache at low priority).

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>

#include <rapidjson/document.h>

#include "actors/gateway_state.hpp"
#include "api/event_json.hpp"

namespace tickflow {

namespace {

/// The GET handler of `pattern`, or nullptr.
const route_handler* data_handler(const std::string& pattern) {
  for (auto& r : all_gateway_routes())
    if (r.method == "GET" && r.pattern == pattern)
      return &r.handle;
  return nullptr;
}

/// A JSON scalar as query text ("5", "true", "BTC-USDT"); nullopt for
/// arrays, objects and null.
std::optional<std::string> scalar_text(const rapidjson::Value& v) {
  if (v.IsString())
    return std::string{v.GetString(), v.GetStringLength()};
  if (v.IsBool())
    return std::string{v.GetBool() ? "true" : "false"};
  if (v.IsInt64())
    return std::to_string(v.GetInt64());
  if (v.IsUint64())
    return std::to_string(v.GetUint64());
  return std::nullopt;
}

/// One item of a batch: what was asked and, once answered, the answer.
struct batch_item {
  std::string symbol;
  std::string type;
  api::http_response answer;
};

/// Gathers the answers of every item; the last one answers the request.
/// The items' responders may run on any thread.
struct batch_collector {
  std::mutex mutex;
  std::vector<batch_item> items;
  size_t pending = 0;
  api::responder reply;

  void set(size_t i, api::http_response r) {
    std::unique_lock<std::mutex> guard{mutex};
    items[i].answer = std::move(r);
    if (--pending > 0)
      return;
    guard.unlock();
    finish();
  }

  void finish() {
    size_t errors = 0;
    std::string body = "{\"count\":" + std::to_string(items.size()) + ",\"results\":[";
    for (size_t i = 0; i < items.size(); ++i) {
      auto& it = items[i];
      auto& a = it.answer;
      if (i > 0)
        body += ',';
      body += "{\"index\":" + std::to_string(i) + ",\"symbol\":";
      api::append_json_string(body, it.symbol);
      body += ",\"type\":";
      api::append_json_string(body, it.type);
      body += ",\"status\":" + std::to_string(a.status);
      bool object = !a.body.empty() && a.body.front() == '{' && a.body.back() == '}';
      if (a.status >= 200 && a.status < 300 && object) {
        body += ",\"data\":" + a.body + "}";
      } else if (object && a.body.rfind("{\"error\":", 0) == 0) {
        body += "," + a.body.substr(1); // the item's {"error":{...}} inline
        ++errors;
      } else {
        body += R"(,"error":{"code":"internal","message":"no answer"}})";
        ++errors;
      }
    }
    body += "],\"errors\":" + std::to_string(errors) + "}";
    api::http_response r;
    r.body = std::move(body);
    reply(std::move(r));
  }
};

/// The responder of item `i`: answers it once; dropped unanswered, it
/// answers 500 so the batch still completes.
api::responder item_responder(std::shared_ptr<batch_collector> c, size_t i) {
  struct slot {
    std::shared_ptr<batch_collector> c;
    size_t i;
    std::atomic<bool> done{false};
    ~slot() {
      if (!done.exchange(true))
        c->set(i, fail(500, "internal", "no answer for this item"));
    }
  };
  auto s = std::make_shared<slot>();
  s->c = std::move(c);
  s->i = i;
  return [s](api::http_response r) {
    if (!s->done.exchange(true))
      s->c->set(s->i, std::move(r));
  };
}

api::http_response bad_body(std::string message, std::string field = "body") {
  return fail(400, "invalid_body", std::move(message), std::move(field));
}

/// Item `i` of a batch as the GET request its type stands for, or the error
/// to answer for it.
std::variant<api::http_request, api::http_response>
item_request(const rapidjson::Value& v, const http_call& call, std::string& symbol,
             std::string& type) {
  auto field = [&](const char* name) -> std::optional<std::string> {
    auto it = v.FindMember(name);
    if (it == v.MemberEnd())
      return std::nullopt;
    return scalar_text(it->value);
  };
  if (!v.IsObject())
    return fail(400, "invalid_parameter", "an item must be an object", "items");
  symbol = field("symbol").value_or("");
  type = field("type").value_or("price");
  api::http_request req;
  req.method = "GET";
  if (type == "price")
    req.path = "/api/v1/data/price";
  else if (type == "ohlcv")
    req.path = "/api/v1/data/ohlcv";
  else
    return fail(400, "invalid_parameter", "type must be price or ohlcv, got " + type, "type");
  for (auto name : {"symbol", "provider", "interval", "limit", "start", "end", "validate"}) {
    auto it = v.FindMember(name);
    if (it == v.MemberEnd())
      continue;
    auto text = scalar_text(it->value);
    if (!text)
      return fail(400, "invalid_parameter", std::string{name} + " must be a string or a number",
                  name);
    req.query.emplace_back(name, std::move(*text));
  }
  req.target = req.path;
  req.headers = call.request.headers;
  req.remote = call.request.remote;
  return req;
}

/// POST /api/v1/data/batch:
///   {"items":[{"symbol":"BTC-USDT","type":"price"},
///             {"symbol":"ETH-USDT","type":"ohlcv","interval":"1m","limit":10}]}
/// -> 200 {"count":2,"results":[{"index":0,...,"status":200,"data":{...}},
///                              {"index":1,...,"status":404,"error":{...}}],"errors":1}
/// Each item is answered by the GET route of its type, with its errors.
void handle_batch(gateway_ptr self, const http_call& call) {
  rapidjson::Document doc;
  // Iterative: a body of nested brackets must not exhaust the stack.
  doc.Parse<rapidjson::kParseIterativeFlag>(call.request.body.data(), call.request.body.size());
  if (doc.HasParseError() || !doc.IsObject())
    return call.reply(bad_body("expected a JSON object {\"items\":[...]}"));
  auto items = doc.FindMember("items");
  if (items == doc.MemberEnd() || !items->value.IsArray())
    return call.reply(bad_body("items must be an array", "items"));
  auto& xs = items->value;
  auto max = self->state.topo.access.limits.max_batch_items;
  if (xs.Empty() || xs.Size() > max)
    return call.reply(bad_body("items must hold 1.." + std::to_string(max) + " items, got "
                                 + std::to_string(xs.Size()),
                               "items"));
  auto c = std::make_shared<batch_collector>();
  c->items.resize(xs.Size());
  c->pending = xs.Size();
  c->reply = call.reply;
  // Requests first, so no item answers before every item is known.
  std::vector<std::variant<api::http_request, api::http_response>> reqs;
  for (rapidjson::SizeType i = 0; i < xs.Size(); ++i)
    reqs.push_back(item_request(xs[i], call, c->items[i].symbol, c->items[i].type));
  for (size_t i = 0; i < reqs.size(); ++i) {
    auto respond = item_responder(c, i);
    if (auto err = std::get_if<api::http_response>(&reqs[i])) {
      respond(std::move(*err));
      continue;
    }
    auto& req = std::get<api::http_request>(reqs[i]);
    auto handler = data_handler(req.path);
    if (handler == nullptr) {
      respond(fail(501, "not_implemented", "no route " + req.path));
      continue;
    }
    (*handler)(self, http_call{std::move(req), std::move(respond), {}, call.prio});
  }
}

/// POST /api/v1/prefetch:
///   {"symbols":["BTC-USDT","AAPL"],"types":["price","ohlcv"],"interval":"1m","limit":100}
/// -> 202 {"queued":n,"items":[{"symbol":..,"type":..,"status":"queued|live|skipped|invalid",
///         "reason":..}]}
/// Fetches at batch priority from the REST providers, so the answers land in
/// the cache; instruments the simulator streams are live already.
void handle_prefetch(gateway_ptr self, const http_call& call) {
  rapidjson::Document doc;
  // Iterative: a body of nested brackets must not exhaust the stack.
  doc.Parse<rapidjson::kParseIterativeFlag>(call.request.body.data(), call.request.body.size());
  if (doc.HasParseError() || !doc.IsObject())
    return call.reply(bad_body("expected a JSON object {\"symbols\":[...]}"));
  auto symbols = doc.FindMember("symbols");
  if (symbols == doc.MemberEnd() || !symbols->value.IsArray())
    return call.reply(bad_body("symbols must be an array", "symbols"));
  auto& xs = symbols->value;
  auto& st = self->state;
  auto max = st.topo.access.limits.max_batch_items;
  if (xs.Empty() || xs.Size() > max)
    return call.reply(bad_body("symbols must hold 1.." + std::to_string(max)
                                 + " symbols, got " + std::to_string(xs.Size()),
                               "symbols"));
  std::vector<std::string> types{"price"};
  if (auto t = doc.FindMember("types"); t != doc.MemberEnd()) {
    if (!t->value.IsArray() || t->value.Empty())
      return call.reply(bad_body("types must be a non-empty array", "types"));
    types.clear();
    for (auto& x : t->value.GetArray()) {
      std::string name = x.IsString() ? x.GetString() : "";
      if (name != "price" && name != "ohlcv")
        return call.reply(bad_body("types holds price and/or ohlcv", "types"));
      if (std::find(types.begin(), types.end(), name) == types.end())
        types.push_back(name);
    }
  }
  interval span = interval::m1;
  if (auto iv = doc.FindMember("interval"); iv != doc.MemberEnd()) {
    auto parsed = iv->value.IsString() ? parse_interval(iv->value.GetString())
                                       : result<interval>{errc::invalid_argument};
    if (!parsed)
      return call.reply(bad_body("interval must be an interval name such as 1m", "interval"));
    span = *parsed;
  }
  size_t limit = 100;
  if (auto l = doc.FindMember("limit"); l != doc.MemberEnd()) {
    if (!l->value.IsUint64() || l->value.GetUint64() < 1 || l->value.GetUint64() > 5000)
      return call.reply(bad_body("limit must be an integer in 1..5000", "limit"));
    limit = l->value.GetUint64();
  }
  auto live = [&](const std::string& id) {
    if (!st.enabled("simulator"))
      return false;
    for (auto& s : st.topo.simulator.symbols)
      if (s.instrument == id)
        return true;
    return false;
  };
  size_t queued = 0;
  std::string items;
  auto add = [&](const std::string& symbol, const std::string& type, const char* status,
                 const std::string& reason) {
    items += items.empty() ? "{" : ",{";
    items += "\"symbol\":";
    api::append_json_string(items, symbol);
    items += ",\"type\":";
    api::append_json_string(items, type);
    items += ",\"status\":";
    api::append_json_string(items, status);
    if (!reason.empty()) {
      items += ",\"reason\":";
      api::append_json_string(items, reason);
    }
    items += '}';
  };
  for (auto& x : xs.GetArray()) {
    std::string id = x.IsString() ? x.GetString() : "";
    std::transform(id.begin(), id.end(), id.begin(), [](char c) {
      return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    });
    for (auto& type : types) {
      if (!is_canonical_instrument(id)) {
        add(id, type, "invalid", "not a canonical instrument id");
        continue;
      }
      if (live(id)) {
        add(id, type, "live", "streamed by the simulator");
        continue;
      }
      if (!can_fetch(self, id)) {
        add(id, type, "skipped", "no enabled REST provider serves it");
        continue;
      }
      fetch_request req;
      req.instrument = id;
      if (type == "ohlcv") {
        req.kind = fetch_kind::bars;
        req.span = span;
        req.limit = limit;
      } else {
        req.kind = fetch_kind::price;
      }
      ++queued;
      st.prefetch_queued += 1;
      fetch_from_providers(self, req, {}, priority::batch, [self](chain_outcome o) {
        if (o.ok)
          self->state.prefetch_done += 1;
        else
          self->state.prefetch_failed += 1;
      });
      add(id, type, "queued", {});
    }
  }
  call.reply(json(202, "{\"queued\":" + std::to_string(queued) + ",\"items\":[" + items
                         + "]}"));
}

} // namespace

std::vector<route> batch_routes() {
  return {
    {"POST", "/api/v1/data/batch", handle_batch},
    {"POST", "/api/v1/prefetch", handle_prefetch},
  };
}

} // namespace tickflow
