#pragma once

// The record of jobs: which named jobs exist, when each runs next, how its
// last run went; and the async fetch jobs submitted over REST with their
// progress. Pure bookkeeping: the jobs actor reads the clock and does the work.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/jobs/job_schedule.hpp"

namespace tickflow {

/// How one run of a job went.
struct job_run {
  int64_t started_ns = 0;
  int64_t finished_ns = 0;
  bool ok = true;
  uint64_t items = 0;  ///< symbols / ranges / rows handled
  uint64_t failed = 0; ///< of them, failed
  std::string message; ///< one line: what it did, or why it failed
};

/// A named, scheduled job.
struct job_status {
  std::string name;
  job_schedule schedule;
  bool running = false;
  int64_t next_run_ns = 0; ///< 0: not scheduled (off, or runs only on demand)
  uint64_t runs = 0;
  std::optional<job_run> last;
};

class job_board {
 public:
  /// Adds (or replaces the schedule of) a job. With `run_now`, it is due at
  /// once; otherwise at its schedule's next time after `now_ns`.
  void put(const std::string& name, job_schedule schedule, int64_t now_ns,
           bool run_now = false);

  /// Removes a job no longer configured (a running one finishes unrecorded).
  void remove(const std::string& name);

  /// Jobs due at `now_ns` and not running, in the order they were added.
  std::vector<std::string> due(int64_t now_ns) const;

  /// Marks a job running; false if unknown or already running.
  bool start(const std::string& name);

  /// Records a finished run; the next run follows the schedule from `now_ns`.
  void finish(const std::string& name, job_run run, int64_t now_ns);

  /// The earliest next run of any idle job (0: none).
  int64_t next_wakeup() const noexcept;

  const job_status* find(const std::string& name) const noexcept;
  const std::vector<job_status>& all() const noexcept { return jobs_; }

 private:
  job_status* lookup(const std::string& name) noexcept;
  std::vector<job_status> jobs_;
};

/// One async fetch job (POST /api/v1/data/fetch/async).
struct async_job {
  /// expired: its results were dropped to keep the results of all jobs
  /// within their byte budget; `done` and `failed` go on counting, and
  /// `results` is empty.
  enum class state_kind : uint8_t { queued, running, done, expired };
  std::string id;
  state_kind state = state_kind::queued;
  int64_t submitted_ns = 0;
  int64_t finished_ns = 0;
  std::vector<std::string> items;   ///< what was asked (symbols)
  std::vector<std::string> results; ///< per item, in item order: JSON ("" = pending)
  std::vector<bool> answered;       ///< per item: its answer was recorded
  size_t done = 0;                  ///< items answered
  size_t failed = 0;                ///< of them, errors
  uint64_t result_bytes = 0;        ///< bytes of results held

  /// Every item answered (done or expired).
  bool finished() const noexcept { return done == items.size(); }
};

std::string_view to_string(async_job::state_kind s) noexcept;

/// The async jobs, newest kept: beyond `capacity`, the oldest finished ones
/// are forgotten (a queued or running job is never dropped). Their results
/// together stay within `max_result_bytes`: past it, the results of the
/// oldest finished job are dropped (the job becomes expired), then those of
/// the oldest running one, until they fit; a running job whose results were
/// dropped keeps no more of them.
class async_jobs {
 public:
  explicit async_jobs(size_t capacity = 1000,
                      uint64_t max_result_bytes = 64ull << 20)
      : capacity_(capacity), max_result_bytes_(max_result_bytes) {
    // nop
  }

  /// A new job for `items`; returns its id ("j-<n>"), or nullopt when every
  /// slot holds an unfinished job (the caller answers 503).
  std::optional<std::string> submit(std::vector<std::string> items, int64_t now_ns);

  /// Records the answer for item `index` of job `id`; the job is done when
  /// every item has one. False for an unknown job or index, or a repeat.
  bool record(const std::string& id, size_t index, bool ok, std::string result_json,
              int64_t now_ns);

  const async_job* find(const std::string& id) const noexcept;
  size_t size() const noexcept { return jobs_.size(); }

  /// Bytes of results held by all jobs.
  uint64_t result_bytes() const noexcept { return result_bytes_; }

  /// Jobs whose results were dropped so far.
  uint64_t expired() const noexcept { return expired_; }

 private:
  // Drops results, oldest finished job first, until they fit the budget.
  void trim();
  void expire(async_job& j);

  size_t capacity_;
  uint64_t max_result_bytes_;
  uint64_t result_bytes_ = 0;
  uint64_t expired_ = 0;
  uint64_t next_id_ = 1;
  std::deque<async_job> jobs_;
};

} // namespace tickflow
