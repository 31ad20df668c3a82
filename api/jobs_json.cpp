#include "api/jobs_json.hpp"

#include "api/event_json.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

namespace {

void append_time(std::string& out, int64_t ns) {
  if (ns == 0) {
    out += "null";
    return;
  }
  append_json_string(out, format_iso8601(ns));
}

} // namespace

std::string jobs_body(const std::vector<job_status>& jobs) {
  std::string out = "{\"jobs\":[";
  for (size_t i = 0; i < jobs.size(); ++i) {
    auto& j = jobs[i];
    if (i > 0)
      out += ',';
    out += "{\"name\":";
    append_json_string(out, j.name);
    out += ",\"schedule\":";
    append_json_string(out, j.schedule.off() ? "on demand" : j.schedule.to_string());
    out += j.running ? ",\"running\":true" : ",\"running\":false";
    out += ",\"next_run\":";
    append_time(out, j.next_run_ns);
    out += ",\"runs\":" + std::to_string(j.runs);
    if (!j.last) {
      out += ",\"last_run\":null,\"result\":null,\"duration_ms\":null,\"items\":null,"
             "\"failed\":null,\"message\":null}";
      continue;
    }
    auto& r = *j.last;
    out += ",\"last_run\":";
    append_time(out, r.started_ns);
    out += r.ok ? ",\"result\":\"ok\"" : ",\"result\":\"failed\"";
    out += ",\"duration_ms\":" + std::to_string((r.finished_ns - r.started_ns) / 1'000'000);
    out += ",\"items\":" + std::to_string(r.items);
    out += ",\"failed\":" + std::to_string(r.failed);
    out += ",\"message\":";
    append_json_string(out, r.message);
    out += '}';
  }
  out += "]}";
  return out;
}

std::string async_job_body(const async_job& job) {
  std::string out = "{\"id\":";
  append_json_string(out, job.id);
  out += ",\"state\":";
  append_json_string(out, to_string(job.state));
  out += ",\"submitted\":";
  append_time(out, job.submitted_ns);
  out += ",\"finished\":";
  append_time(out, job.finished_ns);
  out += ",\"total\":" + std::to_string(job.items.size());
  out += ",\"done\":" + std::to_string(job.done);
  out += ",\"failed\":" + std::to_string(job.failed);
  out += ",\"results\":[";
  for (size_t i = 0; i < job.results.size(); ++i) {
    if (i > 0)
      out += ',';
    out += job.results[i].empty() ? "null" : job.results[i];
  }
  out += "]}";
  return out;
}

} // namespace tickflow::api
