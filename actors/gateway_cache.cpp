// The cache routes: GET /api/v1/cache/stats and POST /api/v1/cache/clear.

#include <memory>

#include "actors/gateway_state.hpp"
#include "api/event_json.hpp"
#include "pipeline/cache/glob_match.hpp"

namespace tickflow {

namespace {

std::string n(uint64_t v) { return std::to_string(v); }

std::string hit_rate(uint64_t hits, uint64_t misses) {
  auto all = hits + misses;
  return all == 0 ? std::string{"null"}
                  : std::to_string(static_cast<double>(hits) / static_cast<double>(all));
}

std::string l1_json(const cache_stats& c) {
  return "{\"price\":{\"hits\":" + n(c.price_hits) + ",\"misses\":"
         + n(c.price_misses) + ",\"hit_rate\":" + hit_rate(c.price_hits, c.price_misses)
         + "},\"bars\":{\"hits\":" + n(c.bars_hits) + ",\"misses\":" + n(c.bars_misses)
         + ",\"hit_rate\":" + hit_rate(c.bars_hits, c.bars_misses)
         + "},\"instruments\":" + n(c.instruments) + ",\"series\":" + n(c.series)
         + ",\"bars_held\":" + n(c.bars) + ",\"bars_evicted\":" + n(c.bars_evicted)
         + ",\"instruments_refused\":" + n(c.instruments_refused)
         + ",\"entries\":" + n(c.entries) + ",\"bytes\":" + n(c.bytes)
         + ",\"max_entries\":" + n(c.max_entries) + ",\"max_bytes\":" + n(c.max_bytes)
         + ",\"evictions\":{\"capacity\":" + n(c.evicted_capacity) + ",\"bytes\":"
         + n(c.evicted_bytes) + ",\"expired\":" + n(c.expired) + "},\"cleared\":"
         + n(c.cleared) + ",\"fills\":" + n(c.fills) + "}";
}

/// The Redis reader's counters, or its absence.
std::string redis_json(bool enabled, const stage_stats* s) {
  if (!enabled)
    return "{\"enabled\":false}";
  if (s == nullptr)
    return "{\"enabled\":true,\"answered\":false}";
  return "{\"enabled\":true,\"reads\":" + n(s->events_in) + ",\"hits\":"
         + n(s->events_out) + ",\"skipped\":" + n(s->dropped) + ",\"bad_members\":"
         + n(s->rejected) + "}";
}

void handle_cache_stats(gateway_ptr self, const http_call& call) {
  auto reply = call.reply;
  self->request(self->state.cache, cache_timeout, cache_stats_atom::value)
    .then(
      [self, reply](const cache_stats& c) {
        auto l1 = l1_json(c);
        auto redis = self->state.redis;
        if (!redis)
          return reply(json(200, "{\"l1\":" + l1 + ",\"redis\":"
                                   + redis_json(false, nullptr) + "}"));
        self->request(redis, cache_timeout, stats_atom::value)
          .then(
            [reply, l1](const stage_stats& s) {
              reply(json(200, "{\"l1\":" + l1 + ",\"redis\":" + redis_json(true, &s)
                                + "}"));
            },
            [reply, l1](caf::error&) {
              reply(json(200, "{\"l1\":" + l1 + ",\"redis\":"
                                + redis_json(true, nullptr) + "}"));
            });
      },
      [reply](caf::error&) {
        reply(fail(503, "unavailable", "cache did not answer in time"));
      });
}

/// POST /api/v1/cache/clear?pattern=<glob>[&layer=l1|redis|all]: removes
/// the L1 entries and the Redis keys (under the key prefix) whose names
/// match; names are price:<instrument> and bars:<interval>:<instrument>.
void handle_cache_clear(gateway_ptr self, const http_call& call) {
  auto* pattern = call.request.param("pattern");
  if (pattern == nullptr || pattern->empty())
    return call.reply(fail(400, "missing_parameter", "pattern is required "
                           "(a glob such as bars:*:BTC-USDT, or * for all)",
                           "pattern"));
  if (!cache::valid_glob(*pattern))
    return call.reply(fail(400, "invalid_parameter",
                           "pattern must be 1 to 256 printable ASCII characters "
                           "without spaces", "pattern"));
  std::string layer = "all";
  if (auto* l = call.request.param("layer"))
    layer = *l;
  if (layer != "all" && layer != "l1" && layer != "redis")
    return call.reply(fail(400, "invalid_parameter",
                           "layer must be l1, redis or all", "layer"));
  bool do_l1 = layer != "redis";
  bool do_redis = layer != "l1" && self->state.redis;
  auto reply = call.reply;
  auto p = *pattern;
  // Redis first, then the L1: a read between the two could otherwise fill
  // the L1 again from Redis keys about to go.
  auto clear_l1 = [self, reply, p, do_l1](std::string redis, bool redis_failed) {
    auto done = [self, reply, p, redis, redis_failed](std::string l1) {
      if (redis_failed)
        return reply(fail(502, "redis_unavailable",
                          "Redis keys matching " + p + " were not removed "
                          "(Redis unreachable); L1: " + l1));
      std::string body = "{\"pattern\":";
      api::append_json_string(body, p);
      reply(json(200, body + ",\"l1\":" + l1 + ",\"redis\":" + redis + "}"));
    };
    if (!do_l1)
      return done("{\"cleared\":false}");
    self->request(self->state.cache, cache_timeout, clear_atom::value, p)
      .then([done](uint64_t removed) { done("{\"removed\":" + n(removed) + "}"); },
            [reply](caf::error&) {
              reply(fail(503, "unavailable", "cache did not answer in time"));
            });
  };
  if (!do_redis) {
    bool enabled = static_cast<bool>(self->state.redis);
    return clear_l1(enabled ? "{\"enabled\":true,\"cleared\":false}"
                            : "{\"enabled\":false}",
                    false);
  }
  self->request(self->state.redis, std::chrono::seconds{30}, clear_atom::value, p)
    .then(
      [clear_l1](uint64_t removed) {
        clear_l1("{\"enabled\":true,\"removed\":" + n(removed) + "}", false);
      },
      [self, clear_l1](caf::error& e) {
        self->state.log->warn("cache clear: redis failed: {}",
                              self->system().render(e));
        clear_l1({}, true);
      });
}

} // namespace

std::vector<route> cache_routes() {
  return {
    {"GET", "/api/v1/cache/stats", handle_cache_stats},
    {"POST", "/api/v1/cache/clear", handle_cache_clear, route_access::admin},
  };
}

} // namespace tickflow
