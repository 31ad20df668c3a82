// The cache routes.

#include "actors/gateway_state.hpp"

namespace tickflow {

namespace {

void handle_cache_stats(gateway_ptr self, const http_call& call) {
  auto reply = call.reply;
  self->request(self->state.cache, cache_timeout, cache_stats_atom::value)
    .then(
      [reply](const cache_stats& c) {
        auto ratio = [](uint64_t hits, uint64_t misses) {
          auto all = hits + misses;
          return all == 0 ? std::string{"null"}
                          : std::to_string(static_cast<double>(hits) / static_cast<double>(all));
        };
        auto n = [](uint64_t v) { return std::to_string(v); };
        reply(json(200, "{\"l1\":{\"price\":{\"hits\":" + n(c.price_hits)
                          + ",\"misses\":" + n(c.price_misses) + ",\"hit_rate\":"
                          + ratio(c.price_hits, c.price_misses)
                          + "},\"bars\":{\"hits\":" + n(c.bars_hits)
                          + ",\"misses\":" + n(c.bars_misses) + ",\"hit_rate\":"
                          + ratio(c.bars_hits, c.bars_misses)
                          + "},\"instruments\":" + n(c.instruments)
                          + ",\"series\":" + n(c.series) + ",\"bars\":" + n(c.bars)
                          + ",\"bars_evicted\":" + n(c.bars_evicted)
                          + ",\"instruments_refused\":" + n(c.instruments_refused)
                          + "}}"));
      },
      [reply](caf::error&) {
        reply(fail(503, "unavailable", "cache did not answer in time"));
      });
}

} // namespace

std::vector<route> cache_routes() {
  return {
    {"GET", "/api/v1/cache/stats", handle_cache_stats},
  };
}

} // namespace tickflow
