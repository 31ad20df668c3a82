#include "actors/cache_writer_actor.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/flow.hpp"
#include "actors/journaled_writer_support.hpp"
#include "actors/logging.hpp"
#include "actors/redis_options.hpp"
#include "actors/messages.hpp"
#include "adapters/journal/journaled_writer.hpp"
#include "adapters/redis/redis_client.hpp"
#include "adapters/redis/redis_schema.hpp"
#include "adapters/redis/redis_streams.hpp"
#include "api/event_json.hpp"
#include "api/quality_json.hpp"
#include "api/ws_protocol.hpp"

namespace tickflow {

namespace {

constexpr int64_t backoff_min_ns = 100'000'000;   // first retry after 100 ms
constexpr int64_t backoff_max_ns = 5'000'000'000; // doubling up to 5 s
constexpr size_t replay_step_records = 256;       // per handler run

/// ns -> whole seconds, rounded up (a TTL below 1 s must not become "none").
int64_t ttl_s(int64_t ns) noexcept {
  return ns <= 0 ? 0 : (ns + 999'999'999) / 1'000'000'000;
}

/// The Redis entries of one batch, rendered with api/event_json.
std::vector<redis::cache_entry> entries_of(const event_batch& b) {
  std::vector<redis::cache_entry> out;
  out.reserve(2 * b.trades.size() + b.quotes.size() + b.bars.size() + b.statuses.size());
  for (auto& t : b.trades) {
    auto p = price_of(t);
    redis::cache_entry e;
    e.kind = redis::entry_kind::price;
    e.instrument = t.instrument;
    e.ts_ns = t.ts_event_ns;
    api::append_json(e.json, p);
    out.push_back(std::move(e));
    redis::cache_entry x;
    x.kind = redis::entry_kind::trade;
    x.instrument = t.instrument;
    x.ts_ns = t.ts_event_ns;
    api::append_json(x.json, t);
    out.push_back(std::move(x));
  }
  for (auto& q : b.quotes) {
    redis::cache_entry e;
    e.kind = redis::entry_kind::ticker;
    e.instrument = q.instrument;
    e.ts_ns = q.ts_event_ns;
    api::append_json(e.json, q);
    out.push_back(std::move(e));
  }
  for (auto& x : b.bars) {
    redis::cache_entry e;
    e.kind = redis::entry_kind::bar;
    e.instrument = x.instrument;
    e.span = x.span;
    e.ts_ns = x.open_time_ns;
    api::append_json(e.json, x);
    out.push_back(std::move(e));
  }
  // Statuses have no key: they only ride the streams, so gateways' status:*
  // clients see this node's feeds (the journal keeps them with the events:
  // statuses of a Redis outage reach the other nodes in the replay).
  for (auto& x : b.statuses) {
    redis::cache_entry e;
    e.kind = redis::entry_kind::status;
    e.instrument = std::string{to_string(x.source)};
    e.ts_ns = x.ts_ns;
    api::append_json(e.json, x);
    out.push_back(std::move(e));
  }
  return out;
}

/// The cache writer's state; it is also the Redis side of its journaled
/// writer (the commands of a batch, PING, the log lines).
struct cache_writer_state : journal::writer_backend {
  redis_settings cfg;
  redis::cache_settings keys;
  redis::stream_settings streams;
  redis::redis_client client;
  std::optional<journal::journaled_writer> w;
  held_acks upstream;
  writer_stats stats;
  stage_stats sstats{"cache-writer"};
  uint64_t skipped = 0; ///< entries build_commands refused (bad data)
  uint64_t quarantine_dropped = 0; ///< quarantined events not streamed (Redis away)
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("cache-writer");
  static inline const char* name = "cache-writer";

  /// One pipelined round trip.
  result<void> write(const event_batch& b) override { return send(b, false); }

  /// A journaled batch: its stream entries carry the replay mark.
  result<void> write_replay(const event_batch& b) override {
    return send(b, true);
  }

  result<void> send(const event_batch& b, bool replay) {
    auto entries = entries_of(b);
    auto cmds = redis::build_commands(entries, keys);
    if (!cmds) {
      // Invalid settings cannot happen (checked at start): count as bad data.
      skipped += b.size();
      return {};
    }
    if (cmds->skipped > 0) {
      skipped += cmds->skipped;
      uint64_t suppressed = 0;
      if (throttle.allow(suppressed))
        log->warn("skipped {} entries: {} ({} similar suppressed)",
                  cmds->skipped, cmds->first_skip_reason, suppressed);
    }
    redis::add_stream_commands(*cmds, entries, keys.prefix, streams,
                               keys.origin, replay);
    if (cmds->commands.empty()) // statuses alone: no key, no transaction
      cmds->commands = redis::xadd_commands(entries, keys.prefix, streams, keys.origin, replay);
    if (cmds->commands.empty())
      return {};
    if (auto r = client.pipeline(cmds->commands); !r)
      return std::move(r).err();
    return {};
  }

  result<void> probe() override { return client.ping(); }

  void notice(const journal::writer_notice& n) override {
    if (log_journal_notice(*log, throttle, n))
      return;
    if (n.what == journal::writer_event::went_offline)
      log->warn("redis unavailable ({}): journaling batches in {}", n.detail,
                cfg.journal_dir);
    else if (n.what == journal::writer_event::went_live)
      log->info("redis {} available: journal replayed ({} batches so far)",
                redis_where(cfg), w->counters().replayed);
  }

  void refresh() {
    copy_counters(*w, stats);
    sstats.dropped = stats.dropped;
    sstats.held = 0;
  }
};

using cache_writer_ptr = cache_writer_actor::stateful_pointer<cache_writer_state>;

cache_writer_actor::behavior_type cache_writer(cache_writer_ptr self, topology topo) {
  auto& st = self->state;
  st.cfg = topo.redis;
  st.keys.prefix = st.cfg.key_prefix;
  st.keys.price_ttl_s = ttl_s(st.cfg.ttl_price_ns);
  st.keys.ticker_ttl_s = ttl_s(st.cfg.ttl_price_ns);
  st.keys.bars_ttl_s = ttl_s(st.cfg.ttl_bars_ns);
  st.keys.max_bars = st.cfg.max_bars;
  st.keys.origin = topo.cluster.node_id; // subscribers skip their own events
  st.keys.publish = st.cfg.publish;
  st.streams.shards = st.cfg.streams;
  st.streams.retention = st.cfg.stream_retention;
  st.stats.name = "cache-writer";
  if (auto ok = redis::validate(st.keys); !ok) {
    st.log->error("invalid [redis] settings: {}", ok.err().context);
    self->quit(caf::make_error(caf::sec::invalid_argument, ok.err().context));
    return no_behavior<cache_writer_actor>();
  }
  // No sync timer: the journal is synced after every replay step, on drain
  // and on exit.
  auto jo = writer_journal_options(st.cfg.journal_dir, st.cfg.journal_max_bytes,
                                   st.cfg.journal_policy,
                                   journal_fsync_policy::interval);
  auto jr = journal::disk_journal::open(jo);
  if (!jr) {
    st.log->error("cannot open the journal {}: {}", jo.dir, jr.err().context);
    self->quit(caf::make_error(caf::sec::runtime_error, jr.err().context));
    return no_behavior<cache_writer_actor>();
  }
  journal::writer_options wo;
  wo.mode = journal::journal_mode::on_outage;
  wo.backoff_min_ns = backoff_min_ns;
  wo.backoff_max_ns = backoff_max_ns;
  wo.replay_step_records = replay_step_records;
  wo.sync_after_replay = true;
  st.w.emplace(std::move(*jr), wo);
  st.client = redis::redis_client{redis_options(st.cfg)};
  st.log->info("redis {} (prefix {}), journal {} ({} batches left by a "
               "previous run)",
               redis_where(st.cfg), st.cfg.key_prefix, jo.dir,
               st.w->journal_status().pending_records);
  // Connect (and replay what a previous run left) before the first batch.
  schedule_retry(self, st.w->start());
  self->set_exit_handler([=](caf::exit_msg& em) {
    auto& st = self->state;
    st.refresh();
    st.log->info("stopping: {} written, {} journaled, {} replayed, {} "
                 "dropped, {} left in the journal",
                 st.stats.written, st.stats.journaled, st.stats.replayed,
                 st.stats.dropped, st.stats.pending);
    st.w->sync();
    self->quit(em.reason);
  });
  return {
    [=](const event_batch& b) {
      auto& st = self->state;
      st.stats.batches_in += 1;
      st.stats.events_in += b.size();
      st.sstats.batches_in += 1;
      st.sstats.events_in += b.size();
      if (!b.empty()) { // statuses go to the streams too
        auto r = st.w->offer(b, st);
        if (r.written)
          st.sstats.events_out += b.size();
        schedule_retry(self, r.next);
      }
      st.upstream.ack_or_hold(self, true);
    },
    [=](quarantine_atom, const std::vector<quarantined_event>& xs) {
      // Streams only, never journaled: the validating node's ring and
      // PostgreSQL keep them; other nodes miss those of a Redis outage.
      auto& st = self->state;
      std::vector<redis::cache_entry> entries;
      entries.reserve(xs.size());
      for (auto& x : xs) {
        redis::cache_entry e;
        e.kind = redis::entry_kind::quarantine;
        e.instrument = x.instrument;
        e.ts_ns = x.seen_ns;
        api::append_json(e.json, x);
        entries.push_back(std::move(e));
      }
      auto cmds = redis::xadd_commands(entries, st.keys.prefix, st.streams, st.keys.origin,
                                       false);
      if (cmds.empty())
        return;
      if (!st.w->live() || !st.client.pipeline(cmds)) {
        st.quarantine_dropped += xs.size();
        uint64_t suppressed = 0;
        if (st.throttle.allow(suppressed))
          st.log->warn("redis unavailable: {} quarantined events not streamed to other "
                       "nodes ({} dropped so far; {} similar suppressed)",
                       xs.size(), st.quarantine_dropped, suppressed);
      }
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
      // Batches are written as they come; while Redis is away they are in
      // the journal, synced here (replayed at the next start).
      auto& st = self->state;
      if (auto s = st.w->sync(); !s)
        st.log->error("journal: sync failed: {}", s.err().context);
      return true;
    },
    [=](stats_atom, writer_atom) {
      auto& st = self->state;
      st.refresh();
      return st.stats;
    },
  };
}

} // namespace

cache_writer_actor spawn_cache_writer(caf::actor_system& sys, const topology& topo) {
  return sys.spawn<caf::detached>(cache_writer, topo);
}

} // namespace tickflow
