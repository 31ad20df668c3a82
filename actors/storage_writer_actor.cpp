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
#include "actors/journaled_writer_support.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/journal/journaled_writer.hpp"
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

/// The storage writer's state; it is also the Postgres side of its
/// journaled writer (migrations, COPY + merge, SELECT 1, the log lines).
struct storage_writer_state : journal::writer_backend {
  storage_settings cfg;
  pg::pg_client db;
  uint64_t quarantine_failed = 0; ///< quarantined events Postgres did not take
  std::optional<journal::journaled_writer> w;
  int64_t last_retention_ns = 0;
  held_acks upstream;
  writer_stats stats;
  stage_stats sstats{"storage-writer"};
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("storage-writer");
  static inline const char* name = "storage-writer";

  /// Runs the migrations (once, before the first replay).
  result<void> prepare() override {
    auto m = db.migrate();
    if (!m) {
      log->warn("postgres migrations failed: {} (retrying)", m.err().context);
      return std::move(m).err();
    }
    log->info("postgres schema at version {} ({} applied, flavor {})",
              m->current_version, m->applied, pg::to_string(m->flavor));
    return {};
  }

  /// Writes bars then trades (each one idempotent transaction).
  result<void> write(const event_batch& b) override {
    if (!b.bars.empty())
      if (auto r = db.write_bars(b.bars); !r)
        return std::move(r).err();
    if (!b.trades.empty())
      if (auto r = db.write_trades(b.trades); !r)
        return std::move(r).err();
    return {};
  }

  result<void> probe() override {
    if (auto p = db.execute("SELECT 1"); !p)
      return std::move(p).err();
    return {};
  }

  void notice(const journal::writer_notice& n) override {
    if (log_journal_notice(*log, throttle, n))
      return;
    switch (n.what) {
      case journal::writer_event::went_offline:
        log->warn("postgres unavailable ({}): journaling batches in {}",
                  n.detail, cfg.journal_dir);
        break;
      case journal::writer_event::went_live:
        log->info("postgres available: journal replayed ({} batches so far)",
                  w->counters().replayed);
        break;
      case journal::writer_event::caught_up:
        apply_retention();
        break;
      default:
        break;
    }
  }

  /// Deletes rows older than [storage] retention, at most every 10 minutes,
  /// while live.
  void apply_retention() {
    auto now = now_ns();
    if (cfg.retention_ns == 0 || !w->live()
        || (last_retention_ns != 0
            && now - last_retention_ns < retention_every_ns))
      return;
    last_retention_ns = now;
    auto cutoff = now - cfg.retention_ns;
    for (auto t : {pg::table::bars, pg::table::trades}) {
      auto r = db.apply_retention(t, cutoff);
      if (r)
        log->info("retention: {} removed from {}", *r, pg::to_string(t));
      else
        log->warn("retention on {} failed: {}", pg::to_string(t),
                  r.err().context);
    }
  }

  void refresh() {
    copy_counters(*w, stats);
    sstats.events_out = w->counters().events_written;
    sstats.dropped = stats.dropped;
    sstats.held = 0;
  }
};

using storage_writer_ptr = storage_writer_actor::stateful_pointer<storage_writer_state>;

storage_writer_actor::behavior_type storage_writer(storage_writer_ptr self, topology topo) {
  auto& st = self->state;
  st.cfg = topo.storage;
  st.stats.name = "storage-writer";
  auto jo = writer_journal_options(st.cfg.journal_dir, st.cfg.journal_max_bytes,
                                   st.cfg.journal_policy, st.cfg.fsync);
  auto jr = journal::disk_journal::open(jo);
  if (!jr) {
    st.log->error("cannot open the journal {}: {}", jo.dir, jr.err().context);
    self->quit(caf::make_error(caf::sec::runtime_error, jr.err().context));
    return no_behavior<storage_writer_actor>();
  }
  journal::writer_options wo;
  wo.mode = journal::journal_mode::always;
  wo.backoff_min_ns = backoff_min_ns;
  wo.backoff_max_ns = backoff_max_ns;
  wo.flush_events = st.cfg.batch_size;
  wo.replay_step_events = replay_step_events;
  st.w.emplace(std::move(*jr), wo);
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
               st.w->journal_status().pending_records);
  // Migrate and replay what a previous run left before buffering anything.
  schedule_retry(self, st.w->start());
  self->delayed_send(self, std::chrono::nanoseconds{st.cfg.flush_interval_ns},
                     tick_atom::value);
  self->set_exit_handler([=](caf::exit_msg& em) {
    auto& st = self->state;
    // Best effort: one flush of the buffer; what fails stays journaled.
    st.w->flush_buffer(st);
    st.w->sync();
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
      if (!keep.empty())
        schedule_retry(self, st.w->offer(keep, st).next);
      st.upstream.ack_or_hold(self, true);
    },
    [=](tick_atom) {
      auto& st = self->state;
      schedule_retry(self, st.w->flush_buffer(st));
      if (st.cfg.fsync == journal_fsync_policy::interval)
        if (auto s = st.w->sync(); !s)
          st.log->error("journal: sync failed: {}", s.err().context);
      st.apply_retention();
      self->delayed_send(self,
                         std::chrono::nanoseconds{st.cfg.flush_interval_ns},
                         tick_atom::value);
    },
    [=](retry_atom) {
      auto& st = self->state;
      schedule_retry(self, st.w->retry(st));
    },
    [=](flush_atom) {
      auto& st = self->state;
      schedule_retry(self, st.w->flush(st));
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
      schedule_retry(self, st.w->flush_buffer(st));
      if (auto s = st.w->sync(); !s)
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
      if (!st.w->counters().connected) {
        st.quarantine_failed += rows.size();
        return;
      }
      if (auto ok = st.db.write_quarantine(rows); !ok) {
        st.quarantine_failed += rows.size();
        st.log->warn("storage: {} quarantined events not stored: {}", rows.size(),
                     ok.err().context);
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
      if (!st.w->counters().connected && !st.w->prepared())
        schedule_retry(self, st.w->step(st));
      if (!st.w->counters().connected)
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
    [=](get_trades_atom, const trades_query& q) {
      // The trades route's Postgres step, like get_bars above.
      auto& st = self->state;
      trades_reply r;
      r.status = lookup_status::no_data;
      if (!st.w->counters().connected && !st.w->prepared())
        schedule_retry(self, st.w->step(st));
      if (!st.w->counters().connected)
        return r;
      auto end = q.end_ns > 0 ? q.end_ns + 1 : std::numeric_limits<int64_t>::max();
      auto rows = st.db.read_trades(q.instrument, q.start_ns, end, q.limit, true);
      if (!rows || rows->empty())
        return r;
      r.status = lookup_status::ok;
      r.trades = std::move(*rows);
      r.complete = true;
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

storage_writer_actor spawn_storage_writer(caf::actor_system& sys, const topology& topo) {
  return sys.spawn<caf::detached>(storage_writer, topo);
}

} // namespace tickflow
