// The jobs routes: scheduled jobs, running one now, async fetch jobs; each
// asks the jobs actor.

#include "actors/gateway_state.hpp"
#include "actors/jobs_actor.hpp"
#include "api/routes/jobs.hpp"

namespace tickflow {

namespace {

constexpr auto jobs_timeout = std::chrono::seconds{2};

/// Asks the jobs actor `xs...` and hands its answer to `then`; 503 when it
/// is not there or does not answer in time.
template <class Reply, class Then, class... Ts>
void ask_jobs(gateway_ptr self, const api::responder& reply, Then then, Ts&&... xs) {
  auto& jobs = self->state.ops.jobs;
  if (!jobs)
    return reply(api::jobs_unavailable());
  self->request(jobs, jobs_timeout, std::forward<Ts>(xs)...)
    .then([reply, then](const Reply& r) { reply(then(r)); },
          [reply](caf::error&) { reply(api::jobs_unavailable()); });
}

void handle_jobs(gateway_ptr self, const http_call& call) {
  ask_jobs<std::string>(
    self, call.reply, [](const std::string& body) { return api::json(200, body); },
    jobs_atom::value);
}

void handle_run(gateway_ptr self, const http_call& call) {
  auto name = call.path_param("name");
  ask_jobs<int32_t>(
    self, call.reply,
    [name](int32_t verdict) {
      switch (static_cast<run_verdict>(verdict)) {
        case run_verdict::started:
          return api::job_started(name);
        case run_verdict::running:
          return api::job_running(name);
        default:
          return api::unknown_job(name);
      }
    },
    run_atom::value, name);
}

void handle_job(gateway_ptr self, const http_call& call) {
  auto id = call.path_param("id");
  ask_jobs<std::string>(
    self, call.reply, [id](const std::string& body) { return api::job_answer(id, body); },
    job_atom::value, id);
}

void handle_fetch_async(gateway_ptr self, const http_call& call) {
  auto parsed = api::parse_fetch_async(call.request.body);
  if (auto* e = std::get_if<api::http_response>(&parsed))
    return call.reply(std::move(*e));
  auto& fetch = std::get<api::async_fetch>(parsed);
  ask_jobs<std::string>(
    self, call.reply, [](const std::string& id) { return api::async_accepted(id); },
    async_atom::value, std::move(fetch.targets), std::move(fetch.labels));
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
