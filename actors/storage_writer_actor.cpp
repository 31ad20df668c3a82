#include "actors/storage_writer_actor.hpp"

#include <limits>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/clock.hpp"
#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/journal/batch_codec.hpp"
#include "adapters/journal/journal.hpp"
#include "adapters/postgres/pg_client.hpp"
#include "api/quality_json.hpp"

namespace tickflow {

namespace {

constexpr int64_t backoff_min_ns = 100'000'000;   // first retry after 100 ms
constexpr int64_t backoff_max_ns = 2'000'000'000; // doubling up to 2 s
constexpr int64_t retention_every_ns = 600'000'000'000; // 10 min
constexpr int connect_timeout_s = 3;
constexpr int statement_timeout_ms = 10'000;
/// Events written per step of a journal replay (at least batch-size): after
/// an outage the backlog must drain while new batches keep coming, and one
/// transaction per batch-size events is the slowest way (tests/chaos). Short
/// enough that the pipeline is not held up long: batches that arrive during
/// a step wait for it, and a longer stall piles events up upstream.
constexpr size_t replay_step_events = 5'000;

/// What the writer stores of a batch: trades and closed bars.
event_batch storable(const event_batch& b) {
  event_batch out;
  out.trades = b.trades;
  for (auto& x : b.bars)
    if (x.closed)
      out.bars.push_back(x);
  return out;
}

struct storage_writer_state {
  storage_settings cfg;
  pg::pg_client db;
  uint64_t quarantine_failed = 0; ///< quarantined events Postgres did not take
  std::optional<journal::disk_journal> jr;
  event_batch buf;           ///< live mode: journaled, not yet flushed
  uint64_t buf_batches = 0;
  uint64_t buf_last_seq = 0; ///< journal sequence of the newest buffered batch
  bool live = false;         ///< Postgres answers and the journal is replayed
  bool migrated = false;
  bool retry_armed = false;
  int64_t backoff_ns = backoff_min_ns;
  int64_t last_retention_ns = 0;
  uint64_t events_written = 0;
  held_acks upstream;
  writer_stats stats;
  stage_stats sstats{"storage-writer"};
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("storage-writer");
  static inline const char* name = "storage-writer";

  void fail(const error& e) {
    stats.failures += 1;
    stats.last_error = e.context;
    stats.connected = false;
  }

  /// Writes bars then trades (each one idempotent transaction).
  bool write(const event_batch& b) {
    if (!b.bars.empty())
      if (auto r = db.write_bars(b.bars); !r) {
        fail(r.err());
        return false;
      }
    if (!b.trades.empty())
      if (auto r = db.write_trades(b.trades); !r) {
        fail(r.err());
        return false;
      }
    stats.connected = true;
    events_written += b.size();
    return true;
  }

  void refresh() {
    auto& js = jr->stats();
    stats.pending = js.pending_records;
    stats.acked_seq = js.acked_seq;
    stats.next_seq = js.next_seq;
    sstats.events_out = events_written;
    sstats.dropped = stats.dropped;
    sstats.held = 0;
  }
};

using storage_writer_ptr = caf::stateful_actor<storage_writer_state>*;

void arm_retry(storage_writer_ptr self) {
  auto& st = self->state;
  if (st.retry_armed)
    return;
  st.retry_armed = true;
  self->delayed_send(self, std::chrono::nanoseconds{st.backoff_ns},
                     retry_atom::value);
  st.backoff_ns = std::min(st.backoff_ns * 2, backoff_max_ns);
}

void go_offline(storage_writer_ptr self) {
  auto& st = self->state;
  if (st.live)
    st.log->warn("postgres unavailable ({}): journaling batches in {}",
                 st.stats.last_error, st.cfg.journal_dir);
  st.live = false;
  // Buffered batches are in the journal: the replay writes them.
  st.buf = event_batch{};
  st.buf_batches = 0;
  st.buf_last_seq = 0;
  arm_retry(self);
}

/// Live mode: writes the buffer and acks its journal records.
void flush_live(storage_writer_ptr self) {
  auto& st = self->state;
  if (!st.live || st.buf_batches == 0)
    return;
  if (!st.write(st.buf)) {
    go_offline(self);
    return;
  }
  if (auto a = st.jr->ack(st.buf_last_seq); !a)
    st.log->error("journal: ack {} failed: {}", st.buf_last_seq,
                  a.err().context);
  st.stats.written += st.buf_batches;
  st.buf = event_batch{};
  st.buf_batches = 0;
  st.buf_last_seq = 0;
}

void apply_retention(storage_writer_ptr self) {
  auto& st = self->state;
  auto now = now_ns();
  if (st.cfg.retention_ns == 0 || !st.live
      || (st.last_retention_ns != 0
          && now - st.last_retention_ns < retention_every_ns))
    return;
  st.last_retention_ns = now;
  auto cutoff = now - st.cfg.retention_ns;
  for (auto t : {pg::table::bars, pg::table::trades}) {
    auto r = st.db.apply_retention(t, cutoff);
    if (r)
      st.log->info("retention: {} removed from {}", *r, pg::to_string(t));
    else
      st.log->warn("retention on {} failed: {}", pg::to_string(t),
                   r.err().context);
  }
}

/// Migrates (once), then writes up to batch-size events of the journal in
/// order; goes live when the journal is empty, or backs off on a failure.
void replay_step(storage_writer_ptr self) {
  auto& st = self->state;
  if (!st.migrated) {
    auto m = st.db.migrate();
    if (!m) {
      st.fail(m.err());
      st.log->warn("postgres migrations failed: {} (retrying)",
                   m.err().context);
      go_offline(self);
      return;
    }
    st.migrated = true;
    st.log->info("postgres schema at version {} ({} applied, flavor {})",
                 m->current_version, m->applied, pg::to_string(m->flavor));
  }
  if (st.jr->stats().pending_records > 0) {
    event_batch chunk;
    uint64_t chunk_records = 0;
    uint64_t last_seq = 0;
    auto r = st.jr->replay([&](uint64_t seq, std::string_view payload) {
      auto b = journal::decode_batch(payload);
      if (!b) {
        st.log->error("journal: record {} does not decode ({}): skipped", seq,
                      b.err().context);
        st.stats.dropped += 1;
      } else {
        chunk.trades.insert(chunk.trades.end(), b->trades.begin(),
                            b->trades.end());
        chunk.bars.insert(chunk.bars.end(), b->bars.begin(), b->bars.end());
        chunk_records += 1;
      }
      last_seq = seq;
      return chunk.size() < std::max<size_t>(st.cfg.batch_size, replay_step_events);
    });
    if (!r) {
      st.log->error("journal: replay failed: {}", r.err().context);
      st.fail(r.err());
      go_offline(self);
      return;
    }
    if (!st.write(chunk)) {
      go_offline(self);
      return;
    }
    st.stats.replayed += chunk_records;
    if (last_seq > 0)
      if (auto a = st.jr->ack(last_seq); !a)
        st.log->error("journal: ack {} failed: {}", last_seq, a.err().context);
    if (st.jr->stats().pending_records > 0) {
      // More to replay: continue after the messages waiting in the mailbox.
      st.retry_armed = true;
      self->send(self, retry_atom::value);
      return;
    }
  } else if (auto p = st.db.execute("SELECT 1"); !p) {
    st.fail(p.err());
    go_offline(self);
    return;
  }
  if (!st.live)
    st.log->info("postgres available: journal replayed ({} batches so far)",
                 st.stats.replayed);
  st.live = true;
  st.stats.connected = true;
  st.backoff_ns = backoff_min_ns;
  apply_retention(self);
}

caf::behavior storage_writer(storage_writer_ptr self, topology topo) {
  auto& st = self->state;
  st.cfg = topo.storage;
  st.stats.name = "storage-writer";
  journal::journal_options jo;
  jo.dir = st.cfg.journal_dir;
  jo.max_bytes = st.cfg.journal_max_bytes;
  jo.segment_bytes = std::min<uint64_t>(4ull << 20, jo.max_bytes / 4);
  switch (st.cfg.fsync) {
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
  jo.when_full = st.cfg.journal_policy == journal_full_policy::drop_oldest
                   ? journal::full_policy::drop_oldest
                   : journal::full_policy::reject_new;
  auto jr = journal::disk_journal::open(jo);
  if (!jr) {
    st.log->error("cannot open the journal {}: {}", jo.dir, jr.err().context);
    self->quit(caf::make_error(caf::sec::runtime_error, jr.err().context));
    return {};
  }
  st.jr.emplace(std::move(*jr));
  pg::client_options co;
  co.conninfo = storage_conninfo(st.cfg);
  co.connect_timeout_s = connect_timeout_s;
  co.statement_timeout_ms = statement_timeout_ms;
  co.application_name = "tickflow-storage-writer";
  st.db = pg::pg_client{co};
  st.log->info("postgres {} (password {}), batch {} events / {} ms, journal "
               "{} ({} batches left by a previous run)",
               st.cfg.dsn,
               st.cfg.dsn_env.empty() ? std::string{"none"}
                                      : "from $" + st.cfg.dsn_env,
               st.cfg.batch_size, st.cfg.flush_interval_ns / 1'000'000, jo.dir,
               st.jr->stats().pending_records);
  // Migrate and replay what a previous run left before buffering anything.
  st.retry_armed = true;
  self->send(self, retry_atom::value);
  self->delayed_send(self, std::chrono::nanoseconds{st.cfg.flush_interval_ns},
                     tick_atom::value);
  self->set_exit_handler([=](caf::exit_msg& em) {
    auto& st = self->state;
    // Best effort: one flush of the buffer; what fails stays journaled.
    flush_live(self);
    st.jr->sync();
    st.refresh();
    st.log->info("stopping: {} batches written, {} journaled, {} replayed, "
                 "{} dropped, {} left in the journal for the next start",
                 st.stats.written, st.stats.journaled, st.stats.replayed,
                 st.stats.dropped, st.stats.pending);
    self->quit(em.reason);
  });
  return {
    [=](const event_batch& b) {
      auto& st = self->state;
      st.stats.batches_in += 1;
      st.stats.events_in += b.size();
      st.sstats.batches_in += 1;
      st.sstats.events_in += b.size();
      auto keep = storable(b);
      if (!keep.empty()) {
        auto before = st.jr->stats().dropped_records;
        auto seq = st.jr->append(journal::encode_batch(keep));
        st.stats.dropped += st.jr->stats().dropped_records - before;
        if (!seq) {
          st.stats.dropped += 1;
          uint64_t suppressed = 0;
          if (st.throttle.allow(suppressed))
            st.log->error("journal: batch dropped: {} ({} similar "
                          "suppressed)", seq.err().context, suppressed);
        } else {
          st.stats.journaled += 1;
          if (st.live) {
            st.buf.trades.insert(st.buf.trades.end(), keep.trades.begin(),
                                 keep.trades.end());
            st.buf.bars.insert(st.buf.bars.end(), keep.bars.begin(),
                               keep.bars.end());
            st.buf_batches += 1;
            st.buf_last_seq = *seq;
            if (st.buf.size() >= st.cfg.batch_size)
              flush_live(self);
          }
        }
      }
      st.upstream.ack_or_hold(self, true);
    },
    [=](tick_atom) {
      auto& st = self->state;
      flush_live(self);
      if (st.cfg.fsync == journal_fsync_policy::interval)
        if (auto s = st.jr->sync(); !s)
          st.log->error("journal: sync failed: {}", s.err().context);
      apply_retention(self);
      self->delayed_send(self,
                         std::chrono::nanoseconds{st.cfg.flush_interval_ns},
                         tick_atom::value);
    },
    [=](retry_atom) {
      auto& st = self->state;
      st.retry_armed = false;
      replay_step(self);
    },
    [=](flush_atom) {
      auto& st = self->state;
      if (st.live)
        flush_live(self);
      else
        replay_step(self);
      st.refresh();
      return st.stats;
    },
    [=](stats_atom) {
      auto& st = self->state;
      st.refresh();
      return st.sstats;
    },
    [=](drain_atom) {
      // Everything received before the marker is in Postgres or, while it
      // is away, in the synced journal (replayed at the next start).
      auto& st = self->state;
      if (st.live)
        flush_live(self);
      if (auto s = st.jr->sync(); !s)
        st.log->error("journal: sync failed: {}", s.err().context);
      return true;
    },
    [=](stats_atom, writer_atom) {
      auto& st = self->state;
      st.refresh();
      return st.stats;
    },
    [=](quarantine_atom, const std::vector<quarantined_event>& xs) {
      // Best effort: the validators keep the ring and the counters; a
      // failed write is logged and counted, not retried.
      auto& st = self->state;
      std::vector<pg::quarantine_record> rows;
      rows.reserve(xs.size());
      for (auto& x : xs) {
        pg::quarantine_record r;
        r.rule = std::string{to_string(x.why)};
        r.reason = x.reason;
        r.source = x.source;
        r.instrument = x.instrument;
        r.event_time_ns = x.event_time_ns;
        api::append_json(r.payload, x);
        r.seen_at_ns = x.seen_ns;
        rows.push_back(std::move(r));
      }
      if (!st.stats.connected) {
        st.quarantine_failed += rows.size();
        return;
      }
      if (auto w = st.db.write_quarantine(rows); !w) {
        st.quarantine_failed += rows.size();
        st.log->warn("storage: {} quarantined events not stored: {}", rows.size(),
                     w.err().context);
      }
    },
    [=](get_bars_atom, const bars_query& q) {
      // The read path's Postgres step: the newest `limit` stored bars of the
      // range; no_data when Postgres is away or holds none.
      auto& st = self->state;
      bars_reply r;
      r.status = lookup_status::no_data;
      // A read can arrive before the first connect (spawning is asynchronous
      // and jobs read at start): connect now rather than answer "nothing
      // stored", which would send the whole range to the providers.
      if (!st.stats.connected && !st.migrated)
        replay_step(self);
      if (!st.stats.connected)
        return r;
      auto end = q.end_ns > 0 ? q.end_ns + 1 : std::numeric_limits<int64_t>::max();
      auto rows = st.db.read_bars(q.instrument, q.span, q.start_ns, end, 0);
      if (!rows || rows->empty())
        return r;
      auto& bars = *rows;
      if (bars.size() > q.limit)
        bars.erase(bars.begin(), bars.end() - static_cast<std::ptrdiff_t>(q.limit));
      r.status = lookup_status::ok;
      r.bars = std::move(bars);
      return r;
    },
  };
}

/// Appends one conninfo value, quoted for the key=value form.
std::string quote_conninfo(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\')
      out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

/// Percent-encodes a URI query value.
std::string percent_encode(const std::string& v) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

} // namespace

std::string storage_conninfo(const storage_settings& s) {
  auto out = s.dsn;
  if (s.dsn_env.empty())
    return out;
  const char* pw = std::getenv(s.dsn_env.c_str());
  if (pw == nullptr || *pw == '\0')
    return out;
  bool uri = out.rfind("postgresql://", 0) == 0
             || out.rfind("postgres://", 0) == 0;
  if (uri)
    out += (out.find('?') == std::string::npos ? "?password=" : "&password=")
           + percent_encode(pw);
  else
    out += " password=" + quote_conninfo(pw);
  return out;
}

caf::actor spawn_storage_writer(caf::actor_system& sys, const topology& topo) {
  return sys.spawn<caf::detached>(storage_writer, topo);
}

} // namespace tickflow
