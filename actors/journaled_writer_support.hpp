#pragma once

// What the cache writer and the storage writer share around their
// journal::journaled_writer (adapters/journal): opening the journal from
// config, scheduling the retries it asks for, logging what it reports, and
// copying its counters into the writer_stats they answer.

#include <algorithm>
#include <chrono>
#include <string>

#include <caf/all.hpp>

#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/journal/journaled_writer.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// The journal options of a writer's settings: segments of at most 4 MiB
/// (a quarter of the bound when that is smaller).
inline journal::journal_options
writer_journal_options(const std::string& dir, uint64_t max_bytes,
                       journal_full_policy when_full,
                       journal_fsync_policy sync) {
  journal::journal_options jo;
  jo.dir = dir;
  jo.max_bytes = max_bytes;
  jo.segment_bytes = std::min<uint64_t>(4ull << 20, jo.max_bytes / 4);
  switch (sync) {
    case journal_fsync_policy::always:
      jo.sync = journal::fsync_policy::always;
      break;
    case journal_fsync_policy::interval:
      jo.sync = journal::fsync_policy::interval;
      break;
    case journal_fsync_policy::never:
      jo.sync = journal::fsync_policy::never;
      break;
  }
  jo.when_full = when_full == journal_full_policy::drop_oldest
                   ? journal::full_policy::drop_oldest
                   : journal::full_policy::reject_new;
  return jo;
}

/// Sends the retry_atom a journaled_writer call asked for.
template <class Self>
void schedule_retry(Self* self, const journal::next_retry& next) {
  switch (next.when) {
    case journal::next_retry::kind::none:
      break;
    case journal::next_retry::kind::now:
      self->send(self, retry_atom::value);
      break;
    case journal::next_retry::kind::after:
      self->delayed_send(self, std::chrono::nanoseconds{next.delay_ns},
                         retry_atom::value);
      break;
  }
}

/// Logs the journal's own troubles (record_skipped, ack_failed,
/// replay_failed, append_failed); false for the events the writer words
/// itself (went_offline, went_live, caught_up).
inline bool log_journal_notice(spdlog::logger& log, log_throttle& throttle,
                               const journal::writer_notice& n) {
  using journal::writer_event;
  switch (n.what) {
    case writer_event::record_skipped:
      log.error("journal: record {} does not decode ({}): skipped", n.seq,
                n.detail);
      return true;
    case writer_event::ack_failed:
      log.error("journal: ack {} failed: {}", n.seq, n.detail);
      return true;
    case writer_event::replay_failed:
      log.error("journal: replay failed: {}", n.detail);
      return true;
    case writer_event::append_failed: {
      uint64_t suppressed = 0;
      if (throttle.allow(suppressed))
        log.error("journal: batch dropped: {} ({} similar suppressed)",
                  n.detail, suppressed);
      return true;
    }
    default:
      return false;
  }
}

/// Copies the writer's counters and its journal's position into `out`
/// (the owner counts batches_in and events_in itself).
inline void copy_counters(const journal::journaled_writer& w,
                          writer_stats& out) {
  auto& c = w.counters();
  auto& js = w.journal_status();
  out.written = c.written;
  out.journaled = c.journaled;
  out.replayed = c.replayed;
  out.dropped = c.dropped;
  out.failures = c.failures;
  out.connected = c.connected;
  out.last_error = c.last_error;
  out.pending = js.pending_records;
  out.acked_seq = js.acked_seq;
  out.next_seq = js.next_seq;
}

} // namespace tickflow
