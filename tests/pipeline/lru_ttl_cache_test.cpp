#include "pipeline/cache/lru_ttl_cache.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

using tickflow::cache::lru_ttl_cache;

namespace {

using cache_t = lru_ttl_cache<std::string, std::string>;

/// Bytes of an entry: its key and value lengths.
size_t text_size(const std::string& k, const std::string& v) {
  return k.size() + v.size();
}

cache_t make(size_t entries, size_t bytes) { return cache_t{entries, bytes, text_size}; }

std::vector<std::string> keys_mru_first(const cache_t& c) {
  std::vector<std::string> out;
  c.for_each([&](const std::string& k, const std::string&) { out.push_back(k); });
  return out;
}

} // namespace

TEST(LruTtlCache, GetCountsHitsAndMisses) {
  auto c = make(10, 1000);
  EXPECT_TRUE(c.put("a", "1", 0, 0));
  auto* v = c.get("a", 5);
  auto* none = c.get("b", 5);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(*v, "1");
  EXPECT_EQ(none, nullptr);
  EXPECT_EQ(c.counters().hits, 1u);
  EXPECT_EQ(c.counters().misses, 1u);
  EXPECT_EQ(c.counters().inserts, 1u);
}

TEST(LruTtlCache, EntriesExpireAfterTheirTtl) {
  auto c = make(10, 1000);
  c.put("short", "x", 100, 50); // expires at 150
  c.put("never", "y", 100, 0);
  EXPECT_NE(c.get("short", 149), nullptr);
  EXPECT_EQ(c.get("short", 150), nullptr); // at the expiry instant: gone
  EXPECT_NE(c.get("never", 1'000'000'000), nullptr);
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(c.counters().expired, 1u);
  EXPECT_EQ(c.counters().misses, 1u);
}

TEST(LruTtlCache, PeekNeitherCountsNorTouches) {
  auto c = make(2, 1000);
  c.put("a", "1", 0, 0);
  c.put("b", "2", 0, 0);
  EXPECT_NE(c.peek("a", 0), nullptr); // "a" stays least recently used
  c.put("c", "3", 0, 0);
  EXPECT_EQ(c.peek("a", 0), nullptr);
  EXPECT_EQ(c.counters().hits + c.counters().misses, 0u);
  EXPECT_EQ(c.counters().evicted_capacity, 1u);
}

TEST(LruTtlCache, CapacityEvictsTheLeastRecentlyUsed) {
  auto c = make(3, 1000);
  c.put("a", "1", 0, 0);
  c.put("b", "2", 0, 0);
  c.put("c", "3", 0, 0);
  c.get("a", 0); // a is now the most recently used
  c.put("d", "4", 0, 0);
  EXPECT_EQ(keys_mru_first(c), (std::vector<std::string>{"d", "a", "c"}));
  EXPECT_EQ(c.counters().evicted_capacity, 1u);
  EXPECT_EQ(c.counters().evicted_bytes, 0u);
}

TEST(LruTtlCache, BytesBoundEvictsUntilItFits) {
  auto c = make(100, 10);
  c.put("a", "1234", 0, 0); // 5 bytes
  c.put("b", "1234", 0, 0); // 10
  c.put("c", "12345678", 0, 0); // 9: both others must go
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(c.bytes(), 9u);
  EXPECT_EQ(c.counters().evicted_bytes, 2u);
  EXPECT_EQ(c.counters().evicted_capacity, 0u);
  EXPECT_EQ(c.counters().evicted(), 2u);
}

TEST(LruTtlCache, AnEntryBiggerThanTheBoundIsRefused) {
  auto c = make(100, 10);
  c.put("k", "small", 0, 0);
  EXPECT_FALSE(c.put("k", "far too large", 0, 0));
  EXPECT_EQ(c.peek("k", 0), nullptr); // the old value is gone too
  EXPECT_EQ(c.bytes(), 0u);
  EXPECT_EQ(c.counters().refused, 1u);
}

TEST(LruTtlCache, ExpiredVictimsAreCountedAsExpired) {
  auto c = make(2, 1000);
  c.put("old", "1", 0, 10);
  c.put("b", "2", 0, 0);
  c.put("c", "3", 20, 0); // "old" is least recently used and expired
  EXPECT_EQ(c.counters().expired, 1u);
  EXPECT_EQ(c.counters().evicted(), 0u);
}

TEST(LruTtlCache, UpsertChangesInPlaceAndRemeasures) {
  auto c = make(10, 1000);
  EXPECT_TRUE(c.upsert("k", 0, 100, [](std::string& v) { v += "ab"; }));
  EXPECT_TRUE(c.upsert("k", 50, 100, [](std::string& v) { v += "cd"; }));
  ASSERT_NE(c.peek("k", 149), nullptr); // expiry moved to 150
  EXPECT_EQ(*c.peek("k", 149), "abcd");
  EXPECT_EQ(c.bytes(), 5u);
  EXPECT_EQ(c.counters().inserts, 1u);
  EXPECT_EQ(c.counters().updates, 1u);
  // An expired entry starts from a default value.
  c.upsert("k", 500, 0, [](std::string& v) { v += "z"; });
  EXPECT_EQ(*c.peek("k", 500), "z");
  EXPECT_EQ(c.counters().expired, 1u);
}

TEST(LruTtlCache, EraseIfRemovesMatchesAndCountsThem) {
  auto c = make(10, 1000);
  for (auto k : {"price:A", "price:B", "bars:1m:A"})
    c.put(k, "v", 0, 0);
  auto n = c.erase_if([](const std::string& k, const std::string&) {
    return k.rfind("price:", 0) == 0;
  });
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(keys_mru_first(c), (std::vector<std::string>{"bars:1m:A"}));
  EXPECT_TRUE(c.erase("bars:1m:A"));
  EXPECT_FALSE(c.erase("bars:1m:A"));
  EXPECT_EQ(c.counters().erased, 3u);
  EXPECT_EQ(c.bytes(), 0u);
}

TEST(LruTtlCache, PurgeExpiredDropsOnlyExpiredEntries) {
  auto c = make(10, 1000);
  c.put("a", "1", 0, 10);
  c.put("b", "2", 0, 30);
  c.put("c", "3", 0, 0);
  EXPECT_EQ(c.purge_expired(20), 1u);
  EXPECT_EQ(c.size(), 2u);
  EXPECT_EQ(c.counters().expired, 1u);
}

TEST(LruTtlCache, HugeTtlDoesNotOverflow) {
  auto c = make(10, 1000);
  c.put("k", "v", INT64_MAX - 5, INT64_MAX);
  EXPECT_NE(c.get("k", INT64_MAX - 1), nullptr);
}

TEST(LruTtlCache, BoundsBelowOneAreOne) {
  auto c = make(0, 0);
  EXPECT_EQ(c.max_entries(), 1u);
  EXPECT_EQ(c.max_bytes(), 1u);
  EXPECT_FALSE(c.put("k", "v", 0, 0)); // 2 bytes > 1
}
