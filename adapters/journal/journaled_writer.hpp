#pragma once

// The journal-and-retry skeleton of the cache writer (Redis) and the storage
// writer (Postgres): while the server is down, batches go to the disk
// journal; a retry with exponential backoff reconnects and replays the
// journal in order; once it is empty and the server answers, the writer is
// live again. The state machine lives here, without CAF and without a clock:
// the owner (an actor) implements writer_backend around its client, passes
// it to every call, and schedules the retries the calls ask for.
//
//   offline --retry: prepare, replay steps, probe--> live
//      ^                                              |
//      +------ a write fails (backoff, retry) --------+

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/journal/journal.hpp"
#include "pipeline/flow/exponential_backoff.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::journal {

/// How a writer uses its journal.
enum class journal_mode : uint8_t {
  /// While the server answers, batches go straight to it; only what it
  /// could not take is journaled (the Redis cache). A replay writes each
  /// journaled batch on its own, as it came.
  on_outage,
  /// Every batch is journaled before it is acked, so an acked batch survives
  /// a crash (the Postgres history). While the server answers, journaled
  /// batches gather in memory and are written in groups (flush_events); a
  /// write acks their records. A replay merges records into one write.
  always,
};

/// Settings of a journaled_writer.
struct writer_options {
  journal_mode mode = journal_mode::on_outage;
  /// First retry delay, doubled after every failure up to backoff_max_ns.
  int64_t backoff_min_ns = 100'000'000;
  int64_t backoff_max_ns = 5'000'000'000;
  /// always: write the gathered batches once they hold this many events.
  size_t flush_events = 1;
  /// on_outage: journaled batches written per replay step.
  size_t replay_step_records = 256;
  /// always: events merged into the write of one replay step (at least
  /// flush_events; the record that reaches the bound is included).
  size_t replay_step_events = 5'000;
  /// sync() the journal after every replay step (for an owner without a
  /// sync timer of its own).
  bool sync_after_replay = false;
};

/// What the owner schedules after a call.
struct next_retry {
  enum class kind : uint8_t {
    none,  ///< nothing (live, or a retry is already on its way)
    now,   ///< retry() at once, after the messages already waiting
    after, ///< retry() after delay_ns (the backoff)
  };
  kind when = kind::none;
  int64_t delay_ns = 0;
};

/// What happened, for the owner's log.
enum class writer_event : uint8_t {
  went_offline,   ///< a live write failed: journaling (detail: the error)
  went_live,      ///< journal replayed, the server answers: writing again
  caught_up,      ///< a replay step ended live (every time, after went_live)
  record_skipped, ///< a journal record no longer decodes: dropped
  ack_failed,     ///< the journal could not persist an ack
  replay_failed,  ///< the journal could not be read
  append_failed,  ///< a batch could not be journaled: dropped
};

/// One event for the owner's log: `seq` is the journal record concerned
/// (0 if none), `detail` the error text (valid during the call only).
struct writer_notice {
  writer_event what = writer_event::went_live;
  uint64_t seq = 0;
  std::string_view detail;
};

/// What a journaled_writer needs from its owner: the server calls, and an
/// ear for what happened. Errors are the server's (errc::unavailable, ...).
class writer_backend {
 public:
  virtual ~writer_backend() = default;

  /// Makes the server ready, once, before the first replay (Postgres:
  /// migrations). An error means: retry later.
  virtual result<void> prepare() { return {}; }

  /// Writes one batch: a live batch, a replayed record, the gathered
  /// batches or a merged replay step.
  virtual result<void> write(const event_batch& b) = 0;

  /// Writes journaled batches (a replayed record or a merged replay step);
  /// the cache writer marks them as replays for other nodes.
  virtual result<void> write_replay(const event_batch& b) { return write(b); }

  /// Checks that the server answers (PING, SELECT 1), when there is nothing
  /// to replay.
  virtual result<void> probe() = 0;

  /// Hears what happened (the owner logs it).
  virtual void notice(const writer_notice&) {
    // nop
  }
};

/// Counters and state; the owner adds its own (batches received, ...).
struct writer_counters {
  uint64_t written = 0;   ///< batches written as they came (not replays)
  uint64_t journaled = 0; ///< batches appended to the journal
  uint64_t replayed = 0;  ///< journaled batches written by a replay
  uint64_t dropped = 0;   ///< batches lost: the journal's bound policy,
                          ///< refused appends, records that do not decode
  uint64_t failures = 0;  ///< failed server calls and journal reads
  uint64_t events_written = 0; ///< events the server took, replays included
  bool connected = false; ///< the server answered the last call
  std::string last_error; ///< the last failure ("" if none yet)
};

/// The journal-and-retry state machine over one open journal.
class journaled_writer {
 public:
  /// Takes over `jr`; offline until the first retry() replays and probes.
  journaled_writer(disk_journal jr, writer_options opts);

  /// The first retry: call it once, before the first batch, so what a
  /// previous run left is replayed first. Returns kind::now.
  next_retry start() noexcept;

  /// What offer() did with a batch.
  struct offer_result {
    bool written = false; ///< on_outage: the server took it as it came
    next_retry next;      ///< a write failed: the retry to schedule
  };

  /// A batch to store. on_outage: written while live, else (or when the
  /// write fails) journaled. always: journaled, then gathered while live and
  /// written once flush_events are gathered. A batch the journal refuses is
  /// dropped and counted (append_failed).
  offer_result offer(const event_batch& b, writer_backend& server);

  /// A scheduled retry arrived: one replay step.
  next_retry retry(writer_backend& server);

  /// One replay step now, outside the schedule: prepares once, replays one
  /// step of the journal in order (or probes when it is empty), and goes
  /// live when nothing is left; a failure goes offline with a backoff.
  next_retry step(writer_backend& server);

  /// Writes the gathered batches and acks their records (always, live);
  /// nothing otherwise. A failure goes offline: the records are replayed.
  next_retry flush_buffer(writer_backend& server);

  /// An explicit flush: flush_buffer() while live, step() otherwise.
  next_retry flush(writer_backend& server);

  /// Flushes appended records to disk (disk_journal::sync).
  result<void> sync() { return jr_.sync(); }

  /// True while the server answers and the journal is replayed.
  bool live() const noexcept { return live_; }

  /// True once prepare() succeeded.
  bool prepared() const noexcept { return prepared_; }

  /// Counters and state.
  const writer_counters& counters() const noexcept { return counters_; }

  /// The journal's counters (pending records, sequence numbers).
  const journal_stats& journal_status() const noexcept { return jr_.stats(); }

 private:
  bool write(writer_backend& server, const event_batch& b, bool replay = false);
  void fail(const error& e);
  uint64_t append(const event_batch& b, writer_backend& server);
  next_retry go_offline(writer_backend& server);
  next_retry arm() noexcept;
  bool replay_each(writer_backend& server);
  bool replay_merged(writer_backend& server);
  void ack(uint64_t seq, writer_backend& server);
  void clear_buffer() noexcept;

  disk_journal jr_;
  writer_options opts_;
  exponential_backoff backoff_;
  writer_counters counters_;
  bool live_ = false;
  bool prepared_ = false;
  bool armed_ = false;     ///< a retry is on its way
  event_batch buf_;        ///< always, live: journaled, not yet written
  uint64_t buf_batches_ = 0;
  uint64_t buf_last_seq_ = 0;
};

} // namespace tickflow::journal
