// The jobs routes: scheduled jobs, running one now, async fetch jobs.

#include <rapidjson/document.h>

#include "actors/gateway_state.hpp"
#include "actors/jobs_actor.hpp"
#include "api/data_queries.hpp"
#include "api/url.hpp"

namespace tickflow {

namespace {

constexpr auto jobs_timeout = std::chrono::seconds{2};
constexpr size_t max_async_symbols = 1000;

api::http_response jobs_unavailable() {
  return fail(503, "unavailable", "the jobs actor did not answer in time");
}

void handle_jobs(gateway_ptr self, const http_call& call) {
  auto reply = call.reply;
  if (!self->state.jobs)
    return reply(jobs_unavailable());
  self->request(self->state.jobs, jobs_timeout, jobs_atom::value)
    .then([reply](const std::string& body) { reply(json(200, body)); },
          [reply](caf::error&) { reply(jobs_unavailable()); });
}

void handle_run(gateway_ptr self, const http_call& call) {
  auto reply = call.reply;
  auto name = call.path_param("name");
  if (!self->state.jobs)
    return reply(jobs_unavailable());
  self->request(self->state.jobs, jobs_timeout, run_atom::value, name)
    .then(
      [reply, name](int32_t verdict) {
        switch (static_cast<run_verdict>(verdict)) {
          case run_verdict::started:
            return reply(json(202, "{\"job\":\"" + name + "\",\"status\":\"started\"}"));
          case run_verdict::running:
            return reply(fail(409, "job_running", "job " + name + " is running already"));
          default:
            return reply(fail(404, "unknown_job", "no job named " + name, "name"));
        }
      },
      [reply](caf::error&) { reply(jobs_unavailable()); });
}

void handle_job(gateway_ptr self, const http_call& call) {
  auto reply = call.reply;
  auto id = call.path_param("id");
  if (!self->state.jobs)
    return reply(jobs_unavailable());
  self->request(self->state.jobs, jobs_timeout, job_atom::value, id)
    .then(
      [reply, id](const std::string& body) {
        if (body.empty())
          return reply(fail(404, "unknown_job", "no async job " + id, "id"));
        reply(json(200, body));
      },
      [reply](caf::error&) { reply(jobs_unavailable()); });
}

/// POST /api/v1/data/fetch/async
///   {"symbols":["BTC-USDT","AAPL"],"type":"price"|"ohlcv","interval":"1m","limit":100}
/// -> 202 {"job_id":"j-1","status_url":"/api/v1/jobs/j-1"}
void handle_fetch_async(gateway_ptr self, const http_call& call) {
  rapidjson::Document d;
  auto& body = call.request.body;
  d.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size()); // nesting costs no stack
  if (d.HasParseError() || !d.IsObject())
    return call.reply(fail(400, "invalid_body", "expected a JSON object {\"symbols\":[...]}"));
  auto symbols = d.FindMember("symbols");
  if (symbols == d.MemberEnd() || !symbols->value.IsArray() || symbols->value.Empty())
    return call.reply(fail(400, "invalid_body", "symbols must be a non-empty array", "symbols"));
  if (symbols->value.Size() > max_async_symbols)
    return call.reply(fail(400, "invalid_body",
                           "at most " + std::to_string(max_async_symbols) + " symbols",
                           "symbols"));
  std::string type = "price";
  if (auto t = d.FindMember("type"); t != d.MemberEnd()) {
    if (!t->value.IsString())
      return call.reply(fail(400, "invalid_body", "type must be price or ohlcv", "type"));
    type = t->value.GetString();
  }
  if (type != "price" && type != "ohlcv")
    return call.reply(fail(400, "invalid_body", "type must be price or ohlcv", "type"));
  std::string extra;
  for (auto name : {"interval", "limit", "start", "end"}) {
    auto it = d.FindMember(name);
    if (it == d.MemberEnd())
      continue;
    if (type != "ohlcv")
      return call.reply(fail(400, "invalid_body", std::string{name} + " is for type ohlcv", name));
    std::string v;
    if (it->value.IsString())
      v = it->value.GetString();
    else if (it->value.IsUint64())
      v = std::to_string(it->value.GetUint64());
    else
      return call.reply(fail(400, "invalid_body", std::string{name} + " must be a string or a number", name));
    extra += std::string{"&"} + name + "=" + api::percent_encode(v);
  }
  std::vector<std::string> targets, labels;
  for (auto& s : symbols->value.GetArray()) {
    if (!s.IsString() || !is_canonical_instrument(s.GetString()))
      return call.reply(fail(400, "invalid_body",
                             "every symbol must be a canonical id such as BTC-USDT", "symbols"));
    std::string sym = s.GetString();
    targets.push_back("/api/v1/data/" + type + "?symbol=" + api::percent_encode(sym) + extra);
    labels.push_back(sym);
  }
  auto reply = call.reply;
  if (!self->state.jobs)
    return reply(jobs_unavailable());
  self->request(self->state.jobs, jobs_timeout, async_atom::value, std::move(targets),
                std::move(labels))
    .then(
      [reply](const std::string& id) {
        if (id.empty())
          return reply(fail(503, "too_many_jobs", "every async job slot holds an unfinished job"));
        reply(json(202, "{\"job_id\":\"" + id + "\",\"status_url\":\"/api/v1/jobs/" + id + "\"}"));
      },
      [reply](caf::error&) { reply(jobs_unavailable()); });
}

} // namespace

std::vector<route> jobs_routes() {
  return {
    {"GET", "/api/v1/jobs", handle_jobs},
    {"POST", "/api/v1/jobs/{name}/run", handle_run, route_access::admin},
    {"GET", "/api/v1/jobs/{id}", handle_job},
    {"POST", "/api/v1/data/fetch/async", handle_fetch_async},
  };
}

} // namespace tickflow
