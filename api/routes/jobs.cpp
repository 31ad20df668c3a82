#include "api/routes/jobs.hpp"

#include <rapidjson/document.h>

#include "api/routes/common.hpp"
#include "api/url.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::api {

std::variant<async_fetch, http_response> parse_fetch_async(const std::string& body) {
  auto bad = [](std::string message, std::string field = {}) {
    return fail(400, "invalid_body", std::move(message), std::move(field));
  };
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size()); // nesting costs no stack
  if (d.HasParseError() || !d.IsObject())
    return bad("expected a JSON object {\"symbols\":[...]}");
  auto symbols = d.FindMember("symbols");
  if (symbols == d.MemberEnd() || !symbols->value.IsArray() || symbols->value.Empty())
    return bad("symbols must be a non-empty array", "symbols");
  if (symbols->value.Size() > max_async_symbols)
    return bad("at most " + std::to_string(max_async_symbols) + " symbols", "symbols");
  std::string type = "price";
  if (auto t = d.FindMember("type"); t != d.MemberEnd()) {
    if (!t->value.IsString())
      return bad("type must be price or ohlcv", "type");
    type = t->value.GetString();
  }
  if (type != "price" && type != "ohlcv")
    return bad("type must be price or ohlcv", "type");
  std::string extra;
  for (auto name : {"interval", "limit", "start", "end"}) {
    auto it = d.FindMember(name);
    if (it == d.MemberEnd())
      continue;
    if (type != "ohlcv")
      return bad(std::string{name} + " is for type ohlcv", name);
    std::string v;
    if (it->value.IsString())
      v = it->value.GetString();
    else if (it->value.IsUint64())
      v = std::to_string(it->value.GetUint64());
    else
      return bad(std::string{name} + " must be a string or a number", name);
    extra += std::string{"&"} + name + "=" + percent_encode(v);
  }
  async_fetch out;
  for (auto& s : symbols->value.GetArray()) {
    if (!s.IsString() || !is_canonical_instrument(s.GetString()))
      return bad("every symbol must be a canonical id such as BTC-USDT", "symbols");
    std::string sym = s.GetString();
    out.targets.push_back("/api/v1/data/" + type + "?symbol=" + percent_encode(sym) + extra);
    out.labels.push_back(sym);
  }
  return out;
}

http_response async_accepted(const std::string& id) {
  if (id.empty())
    return fail(503, "too_many_jobs", "every async job slot holds an unfinished job");
  return json(202, "{\"job_id\":\"" + id + "\",\"status_url\":\"/api/v1/jobs/" + id + "\"}");
}

http_response job_answer(const std::string& id, const std::string& body) {
  if (body.empty())
    return fail(404, "unknown_job", "no async job " + id, "id");
  return json(200, body);
}

http_response job_started(const std::string& name) {
  return json(202, "{\"job\":\"" + name + "\",\"status\":\"started\"}");
}

http_response job_running(const std::string& name) {
  return fail(409, "job_running", "job " + name + " is running already");
}

http_response unknown_job(const std::string& name) {
  return fail(404, "unknown_job", "no job named " + name, "name");
}

http_response jobs_unavailable() {
  return fail(503, "unavailable", "the jobs actor did not answer in time");
}

} // namespace tickflow::api
