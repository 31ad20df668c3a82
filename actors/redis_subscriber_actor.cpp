#include "actors/redis_subscriber_actor.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/redis_options.hpp"
#include "actors/messages.hpp"
#include "adapters/redis/redis_client.hpp"
#include "adapters/redis/redis_events_decode.hpp"
#include "adapters/redis/redis_streams.hpp"
#include "pipeline/flow/exponential_backoff.hpp"

namespace tickflow {

namespace {

using steady = std::chrono::steady_clock;

constexpr int64_t backoff_min_ns = 100'000'000;   // first retry after 100 ms
constexpr int64_t backoff_max_ns = 5'000'000'000; // doubling up to 5 s
constexpr int block_ms = 50;       // XREAD BLOCK: the mailbox waits this long at most
constexpr auto behind_wait = std::chrono::milliseconds{5}; // sinks behind: look again
constexpr uint32_t entries_per_read = 512; // per stream and XREAD
constexpr auto check_every = std::chrono::seconds{1}; // trimmed past us?

/// Flags a replayed event (a status has no flags: it says what it says).
struct mark_replayed {
  template <class Event>
  void operator()(Event& v) const noexcept {
    v.flags |= quality_replayed;
  }
  void operator()(feed_status&) const noexcept {}
};

struct redis_subscriber_state {
  redis::redis_client client;
  redis::stream_cursor cursor{"", 0};
  redis::replay_filter replays; ///< skips the batch a failover made a writer replay
  std::string node_id;  ///< skip entries of this origin ("" = none)
  std::string where;    ///< "host:port", for logs
  std::vector<flow_link> links;
  broadcaster_actor gap_sink;
  std::vector<uint32_t> gaps; ///< shards with a gap, told with the next flush
  event_batch pending;  ///< decoded, waiting for credit
  quarantine_sink_actor quarantine_sink; ///< validator 0: other nodes' quarantined events
  std::vector<quarantined_event> quarantined; ///< decoded, sent after each read
  exponential_backoff backoff{backoff_min_ns, backoff_max_ns};
  steady::time_point last_check{};
  subscriber_stats counters;
  stage_stats sstats{"redis-subscriber"};
  log_throttle decode_log{1, std::chrono::seconds{10}};
  log_throttle connect_log{1, std::chrono::seconds{10}};
  std::shared_ptr<spdlog::logger> log = logger("redis-subscriber");
  static inline const char* name = "redis-subscriber";

  void decode_failed(uint32_t shard, const error& e) {
    counters.decode_failures += 1;
    sstats.rejected += 1;
    uint64_t suppressed = 0;
    if (decode_log.allow(suppressed))
      log->warn("event on {} dropped: {} ({} similar suppressed)",
                cursor.keys()[shard], e.message(), suppressed);
  }

  /// One stream entry: its events decoded into the pending batch.
  void take(const redis::stream_entry& x) {
    counters.entries += 1;
    if (!node_id.empty() && x.origin == node_id) {
      counters.own += 1; // the local pipeline delivered it already
      counters.messages += x.count;
      sstats.events_in += x.count;
      return;
    }
    if (replays.repeat(x)) {
      counters.repeats += 1;
      return;
    }
    auto ok = redis::for_each_stream_event(
      x.events, [&](result<redis::published_event>&& e) {
        counters.messages += 1;
        sstats.events_in += 1;
        if (!e)
          return decode_failed(x.shard, e.err());
        if (e->kind == redis::entry_kind::price) {
          counters.prices += 1;
          return;
        }
        if (e->kind == redis::entry_kind::quarantine) {
          auto& q = std::get<quarantined_event>(e->event);
          if (q.node.empty())
            q.node = x.origin;
          if (quarantine_sink)
            quarantined.push_back(std::move(q));
          return;
        }
        if (x.replay) {
          std::visit(mark_replayed{}, e->event);
          counters.replayed += 1;
        }
        redis::add_to_batch(std::move(*e), pending);
      });
    if (!ok)
      decode_failed(x.shard, ok.err());
  }

  /// The connection failed: drop it, count, log.
  void failed(const error& e) {
    client.disconnect();
    counters.connect_failures += 1;
    counters.last_error = e.context;
    if (counters.connected) {
      log->warn("reading the event streams on {} failed: {}; reconnecting",
                where, e.context);
    } else {
      uint64_t suppressed = 0;
      if (connect_log.allow(suppressed))
        log->warn("cannot read the event streams on {}: {} (retry in {} ms; "
                  "{} similar suppressed)",
                  where, e.context, backoff.current() / 1'000'000, suppressed);
    }
    counters.connected = false;
  }

  result<redis::stream_info> info(uint32_t shard) {
    auto r = client.execute({"XINFO", "STREAM", cursor.keys()[shard]});
    if (!r)
      return std::move(r).err();
    auto i = redis::decode_xinfo(*r);
    if (!i)
      return error{errc::unavailable, i.err().context};
    return i;
  }

  /// A new reader starts after what each stream holds now.
  result<void> position() {
    std::vector<redis::stream_id> ids;
    for (uint32_t s = 0; s < cursor.keys().size(); ++s) {
      auto i = info(s);
      if (!i)
        return std::move(i).err();
      ids.push_back(i->exists ? i->last_generated : redis::stream_id{});
    }
    cursor.position(ids);
    return {};
  }

  /// Compares every shard's position with its stream: gaps are noted for
  /// the next flush; a stream Redis lost starts over at 0-0.
  result<void> check() {
    last_check = steady::now();
    for (uint32_t s = 0; s < cursor.keys().size(); ++s) {
      auto i = info(s);
      if (!i)
        return std::move(i).err();
      auto last = cursor.last(s);
      auto kind = redis::classify_resume(*i, last);
      if (kind == redis::resume_kind::resume)
        continue;
      if (kind == redis::resume_kind::behind) {
        // Nothing this node's clients missed: its writers replay what the
        // new primary lacks, and replay_filter skips what was delivered.
        cursor.rewind(s, i->last_generated);
        counters.rewinds += 1;
        log->warn("{} ends at {}, before {} this node delivered (a failover lost "
                  "its newest entries): reading on from its end",
                  cursor.keys()[s], redis::to_string(i->last_generated),
                  redis::to_string(last));
        continue;
      }
      // A gap resumes at the oldest entry left (XREAD after `last`).
      if (kind == redis::resume_kind::restarted)
        cursor.restart(s);
      counters.gaps += 1;
      if (std::find(gaps.begin(), gaps.end(), s) == gaps.end())
        gaps.push_back(s);
      log->warn("{} lost entries after {} before this node read them ({}): "
                "clients of its instruments get a gap status and a snapshot",
                cursor.keys()[s], redis::to_string(last),
                kind == redis::resume_kind::gap ? "stream-retention exceeded"
                                                : "the stream is gone");
    }
    return {};
  }
};

using subscriber_ptr = redis_subscriber_actor::stateful_pointer<redis_subscriber_state>;

bool is_gap_sink(const redis_subscriber_state& st, const flow_link& l) {
  return st.gap_sink
         && caf::actor_cast<caf::actor_addr>(l.dest()) == st.gap_sink.address();
}

/// Sends the pending batch to every sink once all have credit: one message
/// shared by all (copy-on-write, sinks only read). Gaps go to the
/// broadcaster after the other sinks (the cache) got the batch, before the
/// broadcaster gets it: the snapshot it then asks the cache for holds it.
/// Gaps without a batch wait for one unless `gaps_alone` (nothing came).
void flush(subscriber_ptr self, bool gaps_alone = false) {
  auto& st = self->state;
  auto n = st.pending.size();
  bool some = !st.pending.empty(); // events or statuses
  if ((!some && (st.gaps.empty() || !gaps_alone)) || !all_have_credit(st.links))
    return;
  caf::message msg;
  if (some) {
    msg = caf::make_message(std::move(st.pending));
    st.pending = event_batch{};
    for (auto& l : st.links)
      if (!is_gap_sink(st, l))
        l.send_shared(self, msg);
  }
  if (st.gap_sink) {
    auto shards = static_cast<uint32_t>(st.cursor.keys().size());
    for (auto s : st.gaps)
      self->send(st.gap_sink, gap_atom::value, s, shards);
  }
  st.gaps.clear();
  if (!some)
    return;
  for (auto& l : st.links)
    if (is_gap_sink(st, l))
      l.send_shared(self, msg);
  st.counters.events += n;
  st.counters.batches += 1;
  st.sstats.events_out += n;
}

/// Retries the connection after the current backoff, then doubles it.
void retry_later(subscriber_ptr self) {
  auto& st = self->state;
  self->delayed_send(self, std::chrono::nanoseconds{st.backoff.next()},
                     tick_atom::value);
}

/// (Re)connects: a first connection positions the cursor, a later one
/// checks what was trimmed meanwhile.
result<void> connect(redis_subscriber_state& st) {
  if (auto ok = st.client.connect(); !ok)
    return ok;
  auto ok = st.cursor.positioned() ? st.check() : st.position();
  if (!ok)
    return ok;
  st.last_check = steady::now();
  st.counters.subscriptions += 1;
  st.counters.connected = true;
  st.backoff.reset();
  st.log->info("reading {} event streams on {} (connection #{})",
               st.cursor.keys().size(), st.where, st.counters.subscriptions);
  return {};
}

/// One slice of the loop: (re)connect if needed, wait up to a slice for
/// new entries (only while the sinks have credit), decode, pass on.
/// Exactly one tick_atom is always on its way.
void slice(subscriber_ptr self) {
  auto& st = self->state;
  if (!st.client.connected()) {
    if (auto ok = connect(st); !ok) {
      st.failed(ok.err());
      return retry_later(self);
    }
  }
  flush(self);
  if (!st.pending.empty()) {
    // The sinks are behind: Redis keeps the entries until they caught up.
    self->delayed_send(self, behind_wait, tick_atom::value);
    return;
  }
  if (steady::now() - st.last_check >= check_every) {
    if (auto ok = st.check(); !ok) {
      st.failed(ok.err());
      return retry_later(self);
    }
  }
  auto r = st.client.execute(st.cursor.xread(entries_per_read, block_ms));
  if (!r) {
    st.failed(r.err());
    return retry_later(self);
  }
  auto entries = redis::decode_xread(*r, st.cursor);
  if (!entries) {
    st.failed(error{errc::unavailable, entries.err().context});
    return retry_later(self);
  }
  if (!entries->empty())
    st.sstats.batches_in += 1;
  for (auto& x : *entries) {
    st.cursor.advance(x.shard, x.id);
    st.take(x);
  }
  if (!st.quarantined.empty()) {
    st.counters.quarantined += st.quarantined.size();
    self->send(st.quarantine_sink, quarantine_atom::value, std::move(st.quarantined));
    st.quarantined.clear();
  }
  flush(self, true);
  self->send(self, tick_atom::value);
}

redis_subscriber_actor::behavior_type
redis_subscriber(subscriber_ptr self, topology topo,
                 std::vector<batch_sink_actor> sinks, broadcaster_actor gaps) {
  auto& st = self->state;
  st.cursor = redis::stream_cursor{topo.redis.key_prefix, topo.redis.streams};
  st.node_id = topo.cluster.node_id;
  st.where = redis_where(topo.redis);
  st.gap_sink = std::move(gaps);
  auto co = redis_options(topo.redis);
  // XREAD BLOCK answers within block_ms; a silent server shows up here.
  co.io_timeout_ms = std::max(co.connect_timeout_ms, 4 * block_ms);
  st.client = redis::redis_client{co};
  for (auto& s : sinks)
    st.links.emplace_back(s, topo.pipeline.queue_bound);
  self->send(self, tick_atom::value);
  return {
    [=](tick_atom) { slice(self); },
    [=](ack_atom) {
      ack_link(self->state.links, self->current_sender());
      flush(self);
    },
    [=](stats_atom) { return self->state.sstats; },
    [=](stats_atom, redis_atom) { return self->state.counters; },
    [=](writer_atom, quarantine_sink_actor sink) {
      self->state.quarantine_sink = std::move(sink);
    },
  };
}

} // namespace

redis_subscriber_actor spawn_redis_subscriber(caf::actor_system& sys,
                                              const topology& topo,
                                              std::vector<batch_sink_actor> sinks,
                                              broadcaster_actor gaps) {
  return sys.spawn<caf::detached>(redis_subscriber, topo, std::move(sinks),
                                  std::move(gaps));
}

} // namespace tickflow
