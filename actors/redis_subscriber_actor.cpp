#include "actors/redis_subscriber_actor.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>

#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/redis/redis_events_decode.hpp"
#include "adapters/redis/redis_pubsub.hpp"
#include "pipeline/flow/exponential_backoff.hpp"

namespace tickflow {

namespace {

using steady = std::chrono::steady_clock;

constexpr int64_t backoff_min_ns = 100'000'000;   // first retry after 100 ms
constexpr int64_t backoff_max_ns = 5'000'000'000; // doubling up to 5 s
constexpr int idle_wait_ms = 50;   // a quiet slice: the mailbox waits this long at most
constexpr int behind_wait_ms = 5;  // sinks behind: look at acks more often
constexpr size_t max_per_slice = 4096;        // messages taken per slice
constexpr size_t max_pending_events = 100'000; // then new events are dropped
constexpr auto ping_after = std::chrono::seconds{5};
constexpr auto dead_after = std::chrono::seconds{15};

struct redis_subscriber_state {
  std::unique_ptr<redis::pubsub_connection> conn;
  std::string pattern;  ///< "<prefix>:events:*"
  std::string node_id;  ///< skip messages of this origin ("" = none)
  std::string where;    ///< "host:port", for logs
  std::vector<flow_link> links;
  event_batch pending;  ///< decoded, waiting for credit
  std::vector<redis::pubsub_message> inbox;
  exponential_backoff backoff{backoff_min_ns, backoff_max_ns};
  uint64_t seen_replies = 0;
  steady::time_point last_life{};
  bool pinged = false;
  subscriber_stats counters;
  stage_stats sstats{"redis-subscriber"};
  log_throttle decode_log{1, std::chrono::seconds{10}};
  log_throttle connect_log{1, std::chrono::seconds{10}};
  std::shared_ptr<spdlog::logger> log = logger("redis-subscriber");
  static inline const char* name = "redis-subscriber";

  /// One message: decoded into the pending batch, or counted and dropped.
  void take(const redis::pubsub_message& m) {
    counters.messages += 1;
    sstats.events_in += 1;
    auto e = redis::decode_published(m.payload);
    if (!e) {
      counters.decode_failures += 1;
      sstats.rejected += 1;
      uint64_t suppressed = 0;
      if (decode_log.allow(suppressed))
        log->warn("payload on {} dropped: {} ({} similar suppressed)",
                  m.channel, e.err().message(), suppressed);
      return;
    }
    if (!node_id.empty() && e->origin == node_id) {
      counters.own += 1; // the local pipeline delivered it already
      return;
    }
    if (e->kind == redis::entry_kind::price) {
      counters.prices += 1;
      return;
    }
    if (pending.size() >= max_pending_events) {
      counters.dropped += 1;
      sstats.dropped += 1;
      return;
    }
    redis::add_to_batch(std::move(*e), pending);
  }

  /// The connection failed: drop it, count, log.
  void failed(const error& e) {
    conn->disconnect();
    counters.connect_failures += 1;
    counters.last_error = e.context;
    if (counters.connected) {
      log->warn("subscription to {} on {} lost: {}; reconnecting", pattern,
                where, e.context);
    } else {
      uint64_t suppressed = 0;
      if (connect_log.allow(suppressed))
        log->warn("cannot subscribe to {} on {}: {} (retry in {} ms; {} "
                  "similar suppressed)",
                  pattern, where, e.context, backoff.current() / 1'000'000,
                  suppressed);
    }
    counters.connected = false;
  }
};

using subscriber_ptr = redis_subscriber_actor::stateful_pointer<redis_subscriber_state>;

/// Sends the pending batch to every sink once all have credit: one message
/// shared by all (copy-on-write, sinks only read).
void flush(subscriber_ptr self) {
  auto& st = self->state;
  auto n = st.pending.size();
  if (n == 0 || !all_have_credit(st.links))
    return;
  auto msg = caf::make_message(std::move(st.pending));
  st.pending = event_batch{};
  for (auto& l : st.links)
    l.send_shared(self, msg);
  st.counters.events += n;
  st.counters.batches += 1;
  st.sstats.events_out += n;
}

/// Retries the subscription after the current backoff, then doubles it.
void retry_later(subscriber_ptr self) {
  auto& st = self->state;
  self->delayed_send(self, std::chrono::nanoseconds{st.backoff.next()},
                     tick_atom::value);
}

/// One slice of the loop: (re)subscribe if needed, wait for messages up to
/// a slice, decode, pass on, watch the connection's life. Exactly one
/// tick_atom is always on its way.
void slice(subscriber_ptr self) {
  auto& st = self->state;
  if (!st.conn->connected()) {
    if (auto ok = st.conn->psubscribe(st.pattern); !ok) {
      st.failed(ok.err());
      return retry_later(self);
    }
    st.counters.subscriptions += 1;
    st.counters.connected = true;
    st.backoff.reset();
    st.seen_replies = st.conn->replies();
    st.last_life = steady::now();
    st.pinged = false;
    st.log->info("subscribed to {} on {} (subscription #{})", st.pattern,
                 st.where, st.counters.subscriptions);
  }
  st.inbox.clear();
  auto wait = st.pending.size() > 0 ? behind_wait_ms : idle_wait_ms;
  auto got = st.conn->poll(wait, st.inbox, max_per_slice);
  // What arrived before a failure still counts.
  if (!st.inbox.empty())
    st.sstats.batches_in += 1;
  for (auto& m : st.inbox)
    st.take(m);
  flush(self);
  if (!got) {
    st.failed(got.err());
    return retry_later(self);
  }
  // A quiet connection gets a PING; one that stays silent is replaced.
  auto now = steady::now();
  if (st.conn->replies() != st.seen_replies) {
    st.seen_replies = st.conn->replies();
    st.last_life = now;
    st.pinged = false;
  } else if (now - st.last_life >= dead_after) {
    st.failed(error{errc::unavailable, "no answer for 15 s"});
    return retry_later(self);
  } else if (now - st.last_life >= ping_after && !st.pinged) {
    st.pinged = true;
    if (auto ok = st.conn->ping(); !ok) {
      st.failed(ok.err());
      return retry_later(self);
    }
  }
  self->send(self, tick_atom::value);
}

redis_subscriber_actor::behavior_type
redis_subscriber(subscriber_ptr self, topology topo, std::vector<batch_sink_actor> sinks) {
  auto& st = self->state;
  st.pattern = topo.redis.key_prefix + ":events:*";
  st.node_id = topo.cluster.node_id;
  st.where = topo.redis.host + ":" + std::to_string(topo.redis.port);
  redis::client_options co;
  co.host = topo.redis.host;
  co.port = topo.redis.port;
  co.connect_timeout_ms = static_cast<int>(
    std::max<int64_t>(1, topo.redis.connect_timeout_ns / 1'000'000));
  co.io_timeout_ms = co.connect_timeout_ms;
  st.conn = std::make_unique<redis::pubsub_connection>(co);
  for (auto& s : sinks)
    st.links.emplace_back(s, topo.pipeline.queue_bound);
  self->send(self, tick_atom::value);
  return {
    [=](tick_atom) { slice(self); },
    [=](ack_atom) {
      ack_link(self->state.links, self->current_sender());
      flush(self);
    },
    [=](stats_atom) {
      auto& st = self->state;
      st.sstats.dropped = st.counters.dropped;
      return st.sstats;
    },
    [=](stats_atom, redis_atom) { return self->state.counters; },
  };
}

} // namespace

redis_subscriber_actor spawn_redis_subscriber(caf::actor_system& sys,
                                              const topology& topo,
                                              std::vector<batch_sink_actor> sinks) {
  return sys.spawn<caf::detached>(redis_subscriber, topo, std::move(sinks));
}

} // namespace tickflow
