// [cache]: the L1's bounds and TTLs parse, keep their documented defaults and
// refuse values out of range.

#include <gtest/gtest.h>

#include "pipeline/topology/topology.hpp"

using namespace tickflow;

namespace {

result<topology> load(const std::string& cache_body) {
  return load_topology("[simulator]\nsymbols = BTC-USDT:1\n[cache]\n" + cache_body, "t.ini");
}

} // namespace

TEST(CacheSettings, EmbeddedDefaultsEqualTheStructDefaults) {
  auto t = load_topology(default_config_text(), "<embedded default>");
  ASSERT_TRUE(t.ok()) << t.err().context;
  cache_settings d;
  EXPECT_EQ(t->cache.max_entries, d.max_entries);
  EXPECT_EQ(t->cache.max_bytes, d.max_bytes);
  EXPECT_EQ(t->cache.ttl_price_ns, d.ttl_price_ns);
  EXPECT_EQ(t->cache.ttl_bars_ns, d.ttl_bars_ns);
  EXPECT_EQ(t->cache.redis_timeout_ns, d.redis_timeout_ns);
  EXPECT_EQ(t->cache.max_entries, 100000u);
  EXPECT_EQ(t->cache.max_bytes, 256ull << 20);
}

TEST(CacheSettings, KeysParse) {
  auto t = load("max-entries = 5\nmax-bytes = 1048576\nttl-price = 0s\n"
                "ttl-bars = 90s\nredis-timeout = 20ms\nmax-bars-per-series = 7\n"
                "max-instruments = 3\n");
  ASSERT_TRUE(t.ok()) << t.err().context;
  EXPECT_EQ(t->cache.max_entries, 5u);
  EXPECT_EQ(t->cache.max_bytes, 1048576u);
  EXPECT_EQ(t->cache.ttl_price_ns, 0);
  EXPECT_EQ(t->cache.ttl_bars_ns, 90'000'000'000);
  EXPECT_EQ(t->cache.redis_timeout_ns, 20'000'000);
  EXPECT_EQ(t->cache.max_bars_per_series, 7u);
  EXPECT_EQ(t->cache.max_instruments, 3u);
}

TEST(CacheSettings, OutOfRangeValuesNameTheKey) {
  struct row {
    const char* body;
    const char* key;
  } rows[] = {
    {"max-entries = 0\n", "cache.max-entries"},
    {"max-bytes = 1048575\n", "cache.max-bytes"},
    {"ttl-price = 25h\n", "cache.ttl-price"},
    {"ttl-bars = -1s\n", "cache.ttl-bars"},
    {"redis-timeout = 0ms\n", "cache.redis-timeout"},
    {"redis-timeout = 11s\n", "cache.redis-timeout"},
    {"max-l1 = 3\n", "max-l1"},
  };
  for (auto& r : rows) {
    auto t = load(r.body);
    ASSERT_FALSE(t.ok()) << r.body;
    EXPECT_NE(t.err().context.find(r.key), std::string::npos) << t.err().context;
  }
}
