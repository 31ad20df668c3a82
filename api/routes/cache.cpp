#include "api/routes/cache.hpp"

#include "api/event_json.hpp"
#include "api/routes/common.hpp"
#include "api/routes/query.hpp"
#include "pipeline/cache/glob_match.hpp"

namespace tickflow::api {

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

} // namespace

std::string cache_stats_body(const cache_stats& l1, bool redis_enabled,
                             const stage_stats* redis) {
  return "{\"l1\":" + l1_json(l1) + ",\"redis\":" + redis_json(redis_enabled, redis)
         + "}";
}

api_result<clear_query> parse_clear_query(const http_request& req) {
  query_reader in{req};
  clear_query q;
  q.pattern = std::string{in.text("pattern")};
  if (q.pattern.empty())
    in.missing("pattern", "pattern is required "
                          "(a glob such as bars:*:BTC-USDT, or * for all)");
  else if (!cache::valid_glob(q.pattern))
    in.invalid("pattern", "pattern must be 1 to 256 printable ASCII characters "
                          "without spaces");
  auto layer = in.text("layer");
  if (layer.empty())
    layer = "all";
  if (layer != "all" && layer != "l1" && layer != "redis")
    in.invalid("layer", "layer must be l1, redis or all");
  if (!in)
    return std::move(in.error());
  q.l1 = layer != "redis";
  q.redis = layer != "l1";
  return q;
}

std::string l1_removed(uint64_t count) {
  return "{\"removed\":" + n(count) + "}";
}

std::string l1_kept() {
  return "{\"cleared\":false}";
}

std::string redis_removed(uint64_t count) {
  return "{\"enabled\":true,\"removed\":" + n(count) + "}";
}

std::string redis_kept(bool enabled) {
  return enabled ? "{\"enabled\":true,\"cleared\":false}" : "{\"enabled\":false}";
}

http_response cache_cleared(const std::string& pattern, const std::string& l1,
                            const std::string& redis) {
  std::string body = "{\"pattern\":";
  append_json_string(body, pattern);
  return json(200, body + ",\"l1\":" + l1 + ",\"redis\":" + redis + "}");
}

http_response redis_clear_failed(const std::string& pattern, const std::string& l1) {
  return fail(502, "redis_unavailable",
              "Redis keys matching " + pattern
                + " were not removed (Redis unreachable); L1: " + l1);
}

} // namespace tickflow::api
