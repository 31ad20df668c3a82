#include "actors/redis_reader_actor.hpp"

#include "actors/redis_options.hpp"

#include <algorithm>
#include <memory>
#include <string>

#include "actors/clock.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/redis/redis_client.hpp"
#include "adapters/redis/redis_reads.hpp"
#include "pipeline/flow/exponential_backoff.hpp"

namespace tickflow {

namespace {

constexpr int64_t backoff_min_ns = 100'000'000;   // first retry after 100 ms
constexpr int64_t backoff_max_ns = 5'000'000'000; // doubling up to 5 s

struct redis_reader_state {
  redis::cache_settings keys;
  redis::redis_client client;
  int64_t down_until_ns = 0; ///< skip Redis until then
  exponential_backoff backoff{backoff_min_ns, backoff_max_ns};
  stage_stats stats{"redis-reader"};
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("redis-reader");
  static inline const char* name = "redis-reader";

  /// False while Redis is marked down (the read is skipped and counted).
  bool usable() {
    if (now_ns() >= down_until_ns)
      return true;
    stats.dropped += 1;
    return false;
  }

  /// Handles a failed call: an unreachable server is skipped for a while;
  /// bad data is only counted.
  void failed(const error& e) {
    if (e.code != errc::unavailable) {
      stats.rejected += 1;
      return;
    }
    stats.dropped += 1;
    client.disconnect();
    auto delay = backoff.next();
    down_until_ns = now_ns() + delay;
    uint64_t suppressed = 0;
    if (throttle.allow(suppressed))
      log->warn("redis unavailable, reads skipped for {} ms: {} ({} similar "
                "suppressed)", delay / 1'000'000, e.context, suppressed);
  }

  void succeeded() {
    if (backoff.attempts() > 0)
      log->info("redis reachable again");
    backoff.reset();
    down_until_ns = 0;
  }
};

redis_reader_actor::behavior_type
redis_reader(redis_reader_actor::stateful_pointer<redis_reader_state> self,
             topology topo) {
  auto& st = self->state;
  st.keys.prefix = topo.redis.key_prefix;
  auto co = redis_options(topo.redis);
  auto timeout_ms = static_cast<int>(
    std::max<int64_t>(1, topo.cache.redis_timeout_ns / 1'000'000));
  co.connect_timeout_ms = timeout_ms;
  co.io_timeout_ms = timeout_ms;
  st.client = redis::redis_client{co};
  st.log->info("reading redis {} (prefix {}, timeout {} ms)", redis_where(topo.redis),
               st.keys.prefix, timeout_ms);
  return {
    [=](get_price_atom, const std::string& instrument) {
      auto& st = self->state;
      st.stats.events_in += 1;
      price_reply r;
      r.status = lookup_status::no_data;
      if (!st.usable())
        return r;
      auto p = redis::read_price(st.client, st.keys, instrument);
      if (!p) {
        st.failed(p.err());
        return r;
      }
      st.succeeded();
      if (*p) {
        r.status = lookup_status::ok;
        r.value = std::move(**p);
        st.stats.events_out += 1;
      }
      return r;
    },
    [=](get_bars_atom, const bars_query& q) {
      auto& st = self->state;
      st.stats.events_in += 1;
      bars_reply r;
      r.status = lookup_status::no_data;
      if (!st.usable())
        return r;
      auto got = redis::read_bars(st.client, st.keys, q.span, q.instrument,
                                  q.start_ns, q.end_ns, q.limit);
      if (!got) {
        st.failed(got.err());
        return r;
      }
      st.succeeded();
      st.stats.rejected += got->skipped;
      if (!got->bars.empty()) {
        r.status = lookup_status::ok;
        r.bars = std::move(got->bars);
        st.stats.events_out += 1;
      }
      return r;
    },
    [=](clear_atom, const std::string& pattern) -> caf::result<uint64_t> {
      auto& st = self->state;
      // An admin's explicit request: try even while marked down.
      auto n = redis::delete_matching(st.client, st.keys, pattern);
      if (!n) {
        st.failed(n.err());
        return caf::make_error(caf::sec::runtime_error, n.err().context);
      }
      st.succeeded();
      st.log->info("cleared {} redis keys matching {}:{}", *n, st.keys.prefix,
                   pattern);
      return *n;
    },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

redis_reader_actor spawn_redis_reader(caf::actor_system& sys, const topology& topo) {
  return sys.spawn<caf::detached>(redis_reader, topo);
}

} // namespace tickflow
