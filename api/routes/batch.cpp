#include "api/routes/batch.hpp"

#include <algorithm>
#include <optional>

#include <rapidjson/document.h>

#include "api/event_json.hpp"
#include "api/routes/common.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::api {

namespace {

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

http_response bad_body(std::string message, std::string field = "body") {
  return fail(400, "invalid_body", std::move(message), std::move(field));
}

/// Item `v` of a batch as the GET request its type stands for, or the error
/// to answer for it.
batch_entry item_request(const rapidjson::Value& v, const http_request& call) {
  batch_entry out;
  auto field = [&](const char* name) -> std::optional<std::string> {
    auto it = v.FindMember(name);
    if (it == v.MemberEnd())
      return std::nullopt;
    return scalar_text(it->value);
  };
  if (!v.IsObject()) {
    out.request = fail(400, "invalid_parameter", "an item must be an object", "items");
    return out;
  }
  out.symbol = field("symbol").value_or("");
  out.type = field("type").value_or("price");
  http_request req;
  req.method = "GET";
  if (out.type == "price") {
    req.path = "/api/v1/data/price";
  } else if (out.type == "ohlcv") {
    req.path = "/api/v1/data/ohlcv";
  } else {
    out.request = fail(400, "invalid_parameter",
                       "type must be price or ohlcv, got " + out.type, "type");
    return out;
  }
  for (auto name : {"symbol", "provider", "interval", "limit", "start", "end", "validate"}) {
    auto it = v.FindMember(name);
    if (it == v.MemberEnd())
      continue;
    auto text = scalar_text(it->value);
    if (!text) {
      out.request = fail(400, "invalid_parameter",
                         std::string{name} + " must be a string or a number", name);
      return out;
    }
    req.query.emplace_back(name, std::move(*text));
  }
  req.target = req.path;
  req.headers = call.headers;
  req.remote = call.remote;
  out.request = std::move(req);
  return out;
}

} // namespace

// -- batch ----------------------------------------------------------------------

std::variant<std::vector<batch_entry>, http_response>
parse_batch(const http_request& call, size_t max_items) {
  rapidjson::Document doc;
  // Iterative: a body of nested brackets must not exhaust the stack.
  doc.Parse<rapidjson::kParseIterativeFlag>(call.body.data(), call.body.size());
  if (doc.HasParseError() || !doc.IsObject())
    return bad_body("expected a JSON object {\"items\":[...]}");
  auto items = doc.FindMember("items");
  if (items == doc.MemberEnd() || !items->value.IsArray())
    return bad_body("items must be an array", "items");
  auto& xs = items->value;
  if (xs.Empty() || xs.Size() > max_items)
    return bad_body("items must hold 1.." + std::to_string(max_items) + " items, got "
                      + std::to_string(xs.Size()),
                    "items");
  std::vector<batch_entry> out;
  out.reserve(xs.Size());
  for (rapidjson::SizeType i = 0; i < xs.Size(); ++i)
    out.push_back(item_request(xs[i], call));
  return out;
}

std::shared_ptr<batch_collector>
batch_collector::make(const std::vector<batch_entry>& entries, responder reply,
                      size_t max_bytes) {
  auto c = std::make_shared<batch_collector>();
  c->max_bytes_ = max_bytes;
  c->items_.reserve(entries.size());
  for (auto& e : entries)
    c->items_.push_back(slot{e.symbol, e.type, {}});
  c->pending_ = entries.size();
  c->reply_ = std::move(reply);
  return c;
}

responder batch_collector::item(size_t i) {
  struct once {
    std::shared_ptr<batch_collector> c;
    size_t i = 0;
    std::atomic<bool> done{false};
    ~once() {
      if (!done.exchange(true))
        c->set(i, fail(500, "internal", "no answer for this item"));
    }
  };
  auto s = std::make_shared<once>();
  s->c = shared_from_this();
  s->i = i;
  return [s](http_response r) {
    if (!s->done.exchange(true))
      s->c->set(s->i, std::move(r));
  };
}

void batch_collector::set(size_t i, http_response r) {
  std::unique_lock<std::mutex> guard{mutex_};
  // Each item costs its body plus its labels and envelope in the answer.
  constexpr size_t envelope_bytes = 96;
  if (!overflow_.load(std::memory_order_relaxed)) {
    held_bytes_ += r.body.size() + items_[i].symbol.size() + items_[i].type.size()
                   + envelope_bytes;
    if (held_bytes_ > max_bytes_) {
      overflow_.store(true, std::memory_order_relaxed);
      for (auto& it : items_)
        std::string{}.swap(it.answer.body);
    } else {
      items_[i].answer = std::move(r);
    }
  }
  if (--pending_ > 0)
    return;
  guard.unlock();
  finish();
}

void batch_collector::finish() {
  if (overflow_.load(std::memory_order_relaxed)) {
    reply_(fail(413, "response_too_large",
                "the batch's answers are over " + std::to_string(max_bytes_)
                  + " bytes: ask for fewer items or shorter ranges"));
    return;
  }
  size_t errors = 0;
  std::string body;
  body.reserve(held_bytes_ + 64);
  body += "{\"count\":" + std::to_string(items_.size()) + ",\"results\":[";
  for (size_t i = 0; i < items_.size(); ++i) {
    auto& it = items_[i];
    auto& a = it.answer;
    if (i > 0)
      body += ',';
    body += "{\"index\":" + std::to_string(i) + ",\"symbol\":";
    append_json_string(body, it.symbol);
    body += ",\"type\":";
    append_json_string(body, it.type);
    body += ",\"status\":" + std::to_string(a.status);
    bool object = !a.body.empty() && a.body.front() == '{' && a.body.back() == '}';
    if (a.status >= 200 && a.status < 300 && object) {
      body += ",\"data\":";
      body += a.body;
      body += '}';
    } else if (object && a.body.rfind("{\"error\":", 0) == 0) {
      body += ',';
      body.append(a.body, 1); // the item's {"error":{...}} inline
      ++errors;
    } else {
      body += R"(,"error":{"code":"internal","message":"no answer"}})";
      ++errors;
    }
    std::string{}.swap(a.body); // copied: freed now, not at the end
  }
  body += "],\"errors\":" + std::to_string(errors) + "}";
  http_response r;
  r.body = std::move(body);
  reply_(std::move(r));
}

// -- prefetch -------------------------------------------------------------------

std::variant<prefetch_request, http_response>
parse_prefetch(const std::string& body, size_t max_items) {
  rapidjson::Document doc;
  // Iterative: a body of nested brackets must not exhaust the stack.
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject())
    return bad_body("expected a JSON object {\"symbols\":[...]}");
  auto symbols = doc.FindMember("symbols");
  if (symbols == doc.MemberEnd() || !symbols->value.IsArray())
    return bad_body("symbols must be an array", "symbols");
  auto& xs = symbols->value;
  if (xs.Empty() || xs.Size() > max_items)
    return bad_body("symbols must hold 1.." + std::to_string(max_items)
                      + " symbols, got " + std::to_string(xs.Size()),
                    "symbols");
  prefetch_request req;
  if (auto t = doc.FindMember("types"); t != doc.MemberEnd()) {
    if (!t->value.IsArray() || t->value.Empty())
      return bad_body("types must be a non-empty array", "types");
    req.types.clear();
    for (auto& x : t->value.GetArray()) {
      std::string name = x.IsString() ? x.GetString() : "";
      if (name != "price" && name != "ohlcv")
        return bad_body("types holds price and/or ohlcv", "types");
      if (std::find(req.types.begin(), req.types.end(), name) == req.types.end())
        req.types.push_back(name);
    }
  }
  if (auto iv = doc.FindMember("interval"); iv != doc.MemberEnd()) {
    auto parsed = iv->value.IsString() ? parse_interval(iv->value.GetString())
                                       : result<interval>{errc::invalid_argument};
    if (!parsed)
      return bad_body("interval must be an interval name such as 1m", "interval");
    req.span = *parsed;
  }
  if (auto l = doc.FindMember("limit"); l != doc.MemberEnd()) {
    if (!l->value.IsUint64() || l->value.GetUint64() < 1 || l->value.GetUint64() > 5000)
      return bad_body("limit must be an integer in 1..5000", "limit");
    req.limit = l->value.GetUint64();
  }
  for (auto& x : xs.GetArray()) {
    std::string id = x.IsString() ? x.GetString() : "";
    std::transform(id.begin(), id.end(), id.begin(), [](char c) {
      return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    });
    req.symbols.push_back(std::move(id));
  }
  return req;
}

std::vector<prefetch_item> plan_prefetch(const prefetch_request& req,
                                         const topology& topo,
                                         const std::function<bool(const std::string&)>& can_fetch) {
  bool simulated = std::find(topo.providers.begin(), topo.providers.end(), "simulator")
                   != topo.providers.end();
  auto live = [&](const std::string& id) {
    if (!simulated)
      return false;
    for (auto& s : topo.simulator.symbols)
      if (s.instrument == id)
        return true;
    return false;
  };
  std::vector<prefetch_item> out;
  for (auto& id : req.symbols)
    for (auto& type : req.types) {
      if (!is_canonical_instrument(id))
        out.push_back({id, type, "invalid", "not a canonical instrument id"});
      else if (live(id))
        out.push_back({id, type, "live", "streamed by the simulator"});
      else if (!can_fetch(id))
        out.push_back({id, type, "skipped", "no enabled REST provider serves it"});
      else
        out.push_back({id, type, "queued", {}});
    }
  return out;
}

http_response prefetch_body(const std::vector<prefetch_item>& items) {
  size_t queued = 0;
  std::string list;
  for (auto& x : items) {
    list += list.empty() ? "{" : ",{";
    list += "\"symbol\":";
    append_json_string(list, x.symbol);
    list += ",\"type\":";
    append_json_string(list, x.type);
    list += ",\"status\":";
    append_json_string(list, x.status);
    if (!x.reason.empty()) {
      list += ",\"reason\":";
      append_json_string(list, x.reason);
    }
    list += '}';
    if (x.status == "queued")
      ++queued;
  }
  return json(202, "{\"queued\":" + std::to_string(queued) + ",\"items\":[" + list + "]}");
}

} // namespace tickflow::api
