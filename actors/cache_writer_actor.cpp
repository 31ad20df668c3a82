#include "actors/cache_writer_actor.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/journal/batch_codec.hpp"
#include "adapters/journal/journal.hpp"
#include "adapters/redis/redis_client.hpp"
#include "adapters/redis/redis_schema.hpp"
#include "api/event_json.hpp"

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
  out.reserve(2 * b.trades.size() + b.quotes.size() + b.bars.size());
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
  return out;
}

struct cache_writer_state {
  redis_settings cfg;
  redis::cache_settings keys;
  redis::redis_client client;
  std::optional<journal::disk_journal> jr;
  bool live = false;        ///< Redis reachable and the journal empty
  bool retry_armed = false; ///< a retry_atom is on its way
  int64_t backoff_ns = backoff_min_ns;
  held_acks upstream;
  writer_stats stats;
  stage_stats sstats{"cache-writer"};
  uint64_t skipped = 0; ///< entries build_commands refused (bad data)
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("cache-writer");
  static inline const char* name = "cache-writer";

  /// One pipelined round trip; false (and the error recorded) on failure.
  bool write(const event_batch& b) {
    auto cmds = redis::build_commands(entries_of(b), keys);
    if (!cmds) {
      // Invalid settings cannot happen (checked at start): count as bad data.
      skipped += b.size();
      return true;
    }
    if (cmds->skipped > 0) {
      skipped += cmds->skipped;
      uint64_t suppressed = 0;
      if (throttle.allow(suppressed))
        log->warn("skipped {} entries: {} ({} similar suppressed)",
                  cmds->skipped, cmds->first_skip_reason, suppressed);
    }
    if (cmds->commands.empty())
      return true;
    auto r = client.pipeline(cmds->commands);
    if (!r) {
      stats.failures += 1;
      stats.last_error = r.err().context;
      stats.connected = false;
      return false;
    }
    stats.connected = true;
    return true;
  }

  /// Appends a batch to the journal; counts what the bound policy drops.
  void journal_batch(const event_batch& b) {
    auto before = jr->stats().dropped_records;
    auto seq = jr->append(journal::encode_batch(b));
    stats.dropped += jr->stats().dropped_records - before;
    if (seq) {
      stats.journaled += 1;
      return;
    }
    stats.dropped += 1;
    uint64_t suppressed = 0;
    if (throttle.allow(suppressed))
      log->error("journal: batch dropped: {} ({} similar suppressed)",
                 seq.err().context, suppressed);
  }

  void refresh() {
    auto& js = jr->stats();
    stats.pending = js.pending_records;
    stats.acked_seq = js.acked_seq;
    stats.next_seq = js.next_seq;
    sstats.dropped = stats.dropped;
    sstats.held = 0;
  }
};

using cache_writer_ptr = caf::stateful_actor<cache_writer_state>*;

void arm_retry(cache_writer_ptr self) {
  auto& st = self->state;
  if (st.retry_armed)
    return;
  st.retry_armed = true;
  self->delayed_send(self, std::chrono::nanoseconds{st.backoff_ns},
                     retry_atom::value);
  st.backoff_ns = std::min(st.backoff_ns * 2, backoff_max_ns);
}

void go_offline(cache_writer_ptr self) {
  auto& st = self->state;
  if (st.live)
    st.log->warn("redis unavailable ({}): journaling batches in {}",
                 st.stats.last_error, st.cfg.journal_dir);
  st.live = false;
  arm_retry(self);
}

/// Writes up to replay_step_records journaled batches in order; goes live
/// when the journal is empty, or backs off on a failure.
void replay_step(cache_writer_ptr self) {
  auto& st = self->state;
  if (st.jr->stats().pending_records > 0) {
    uint64_t done_seq = 0;
    size_t done = 0;
    bool failed = false;
    auto r = st.jr->replay([&](uint64_t seq, std::string_view payload) {
      auto b = journal::decode_batch(payload);
      if (!b) {
        // A record we wrote ourselves that no longer decodes: skip it.
        st.log->error("journal: record {} does not decode ({}): skipped", seq,
                      b.err().context);
        st.stats.dropped += 1;
      } else if (!st.write(*b)) {
        failed = true;
        return false;
      } else {
        st.stats.replayed += 1;
      }
      done_seq = seq;
      return ++done < replay_step_records;
    });
    if (done_seq > 0)
      if (auto a = st.jr->ack(done_seq); !a)
        st.log->error("journal: ack {} failed: {}", done_seq, a.err().context);
    if (!r) {
      st.log->error("journal: replay failed: {}", r.err().context);
      failed = true;
    }
    st.jr->sync();
    if (failed) {
      go_offline(self);
      return;
    }
  } else if (auto p = st.client.ping(); !p) {
    st.stats.failures += 1;
    st.stats.last_error = p.err().context;
    st.stats.connected = false;
    go_offline(self);
    return;
  }
  if (st.jr->stats().pending_records > 0) {
    // More to replay: continue after the messages waiting in the mailbox.
    self->send(self, retry_atom::value);
    st.retry_armed = true;
    return;
  }
  if (!st.live)
    st.log->info("redis {}:{} available: journal replayed ({} batches so far)",
                 st.cfg.host, st.cfg.port, st.stats.replayed);
  st.live = true;
  st.stats.connected = true;
  st.backoff_ns = backoff_min_ns;
}

caf::behavior cache_writer(cache_writer_ptr self, topology topo) {
  auto& st = self->state;
  st.cfg = topo.redis;
  st.keys.prefix = st.cfg.key_prefix;
  st.keys.price_ttl_s = ttl_s(st.cfg.ttl_price_ns);
  st.keys.ticker_ttl_s = ttl_s(st.cfg.ttl_price_ns);
  st.keys.bars_ttl_s = ttl_s(st.cfg.ttl_bars_ns);
  st.keys.max_bars = st.cfg.max_bars;
  st.keys.origin = topo.cluster.node_id; // subscribers skip their own events
  st.stats.name = "cache-writer";
  if (auto ok = redis::validate(st.keys); !ok) {
    st.log->error("invalid [redis] settings: {}", ok.err().context);
    self->quit(caf::make_error(caf::sec::invalid_argument, ok.err().context));
    return {};
  }
  journal::journal_options jo;
  jo.dir = st.cfg.journal_dir;
  jo.max_bytes = st.cfg.journal_max_bytes;
  jo.segment_bytes = std::min<uint64_t>(4ull << 20, jo.max_bytes / 4);
  jo.sync = journal::fsync_policy::interval;
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
  redis::client_options co;
  co.host = st.cfg.host;
  co.port = st.cfg.port;
  co.connect_timeout_ms = static_cast<int>(
    std::max<int64_t>(1, st.cfg.connect_timeout_ns / 1'000'000));
  st.client = redis::redis_client{co};
  st.log->info("redis {}:{} (prefix {}), journal {} ({} batches left by a "
               "previous run)",
               st.cfg.host, st.cfg.port, st.cfg.key_prefix, jo.dir,
               st.jr->stats().pending_records);
  // Connect (and replay what a previous run left) before the first batch.
  st.retry_armed = true;
  self->send(self, retry_atom::value);
  self->set_exit_handler([=](caf::exit_msg& em) {
    auto& st = self->state;
    st.refresh();
    st.log->info("stopping: {} written, {} journaled, {} replayed, {} "
                 "dropped, {} left in the journal",
                 st.stats.written, st.stats.journaled, st.stats.replayed,
                 st.stats.dropped, st.stats.pending);
    st.jr->sync();
    self->quit(em.reason);
  });
  return {
    [=](const event_batch& b) {
      auto& st = self->state;
      st.stats.batches_in += 1;
      st.stats.events_in += b.size();
      st.sstats.batches_in += 1;
      st.sstats.events_in += b.size();
      if (b.size() > 0) { // status-only batches have nothing to cache
        if (st.live && st.write(b)) {
          st.stats.written += 1;
          st.sstats.events_out += b.size();
        } else {
          go_offline(self);
          st.journal_batch(b);
        }
      }
      st.upstream.ack_or_hold(self, true);
    },
    [=](retry_atom) {
      auto& st = self->state;
      st.retry_armed = false;
      replay_step(self);
    },
    [=](flush_atom) {
      auto& st = self->state;
      if (!st.live)
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
      // Batches are written as they come; while Redis is away they are in
      // the journal, synced here (replayed at the next start).
      auto& st = self->state;
      if (auto s = st.jr->sync(); !s)
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

caf::actor spawn_cache_writer(caf::actor_system& sys, const topology& topo) {
  return sys.spawn<caf::detached>(cache_writer, topo);
}

} // namespace tickflow
