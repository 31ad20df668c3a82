#include "pipeline/jobs/job_board.hpp"

#include <algorithm>

namespace tickflow {

// -- job_board ----------------------------------------------------------------

job_status* job_board::lookup(const std::string& name) noexcept {
  for (auto& j : jobs_)
    if (j.name == name)
      return &j;
  return nullptr;
}

const job_status* job_board::find(const std::string& name) const noexcept {
  for (auto& j : jobs_)
    if (j.name == name)
      return &j;
  return nullptr;
}

void job_board::put(const std::string& name, job_schedule schedule, int64_t now_ns,
                    bool run_now) {
  auto* j = lookup(name);
  if (j == nullptr) {
    jobs_.push_back(job_status{});
    j = &jobs_.back();
    j->name = name;
  }
  j->schedule = schedule;
  j->next_run_ns = run_now ? now_ns : schedule.next_after(now_ns);
}

void job_board::remove(const std::string& name) {
  jobs_.erase(std::remove_if(jobs_.begin(), jobs_.end(),
                             [&](const job_status& j) { return j.name == name; }),
              jobs_.end());
}

std::vector<std::string> job_board::due(int64_t now_ns) const {
  std::vector<std::string> out;
  for (auto& j : jobs_)
    if (!j.running && j.next_run_ns != 0 && j.next_run_ns <= now_ns)
      out.push_back(j.name);
  return out;
}

bool job_board::start(const std::string& name) {
  auto* j = lookup(name);
  if (j == nullptr || j->running)
    return false;
  j->running = true;
  return true;
}

void job_board::finish(const std::string& name, job_run run, int64_t now_ns) {
  auto* j = lookup(name);
  if (j == nullptr)
    return;
  j->running = false;
  j->runs += 1;
  j->last = std::move(run);
  j->next_run_ns = j->schedule.next_after(now_ns);
}

int64_t job_board::next_wakeup() const noexcept {
  int64_t next = 0;
  for (auto& j : jobs_)
    if (!j.running && j.next_run_ns != 0 && (next == 0 || j.next_run_ns < next))
      next = j.next_run_ns;
  return next;
}

// -- async_jobs -----------------------------------------------------------------

std::string_view to_string(async_job::state_kind s) noexcept {
  switch (s) {
    case async_job::state_kind::queued: return "queued";
    case async_job::state_kind::running: return "running";
    case async_job::state_kind::done: return "done";
    case async_job::state_kind::expired: return "expired";
  }
  return "unknown";
}

std::optional<std::string> async_jobs::submit(std::vector<std::string> items,
                                              int64_t now_ns) {
  while (jobs_.size() >= capacity_) {
    auto oldest_done = std::find_if(jobs_.begin(), jobs_.end(), [](const async_job& j) {
      return j.finished();
    });
    if (oldest_done == jobs_.end())
      return std::nullopt;
    result_bytes_ -= oldest_done->result_bytes;
    jobs_.erase(oldest_done);
  }
  async_job j;
  j.id = "j-" + std::to_string(next_id_++);
  j.submitted_ns = now_ns;
  j.results.resize(items.size());
  j.answered.assign(items.size(), false);
  j.items = std::move(items);
  if (j.items.empty()) {
    j.state = async_job::state_kind::done;
    j.finished_ns = now_ns;
  }
  jobs_.push_back(std::move(j));
  return jobs_.back().id;
}

bool async_jobs::record(const std::string& id, size_t index, bool ok,
                        std::string result_json, int64_t now_ns) {
  for (auto& j : jobs_) {
    if (j.id != id)
      continue;
    if (index >= j.items.size() || j.answered[index] || result_json.empty())
      return false;
    bool expired = j.state == async_job::state_kind::expired;
    j.answered[index] = true;
    j.done += 1;
    if (!ok)
      j.failed += 1;
    if (j.finished())
      j.finished_ns = now_ns;
    if (expired)
      return true; // counted, not kept
    j.result_bytes += result_json.size();
    result_bytes_ += result_json.size();
    j.results[index] = std::move(result_json);
    j.state = j.finished() ? async_job::state_kind::done : async_job::state_kind::running;
    trim();
    return true;
  }
  return false;
}

void async_jobs::expire(async_job& j) {
  result_bytes_ -= j.result_bytes;
  j.result_bytes = 0;
  std::vector<std::string>{}.swap(j.results); // the memory, not just the size
  j.state = async_job::state_kind::expired;
  ++expired_;
}

void async_jobs::trim() {
  for (bool finished_only : {true, false})
    for (auto& j : jobs_) {
      if (result_bytes_ <= max_result_bytes_)
        return;
      if (j.result_bytes > 0 && (!finished_only || j.finished()))
        expire(j);
    }
}

const async_job* async_jobs::find(const std::string& id) const noexcept {
  for (auto& j : jobs_)
    if (j.id == id)
      return &j;
  return nullptr;
}

} // namespace tickflow
