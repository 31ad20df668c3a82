#include "pipeline/ratelimit/batch_merge.hpp"
#include "pipeline/ratelimit/coalesce.hpp"

#include <gtest/gtest.h>

namespace tickflow {
namespace {

TEST(CoalescingKey, DifferentPartsNeverCollide) {
  EXPECT_EQ(coalescing_key({"binance", "price", "BTC-USDT"}),
            coalescing_key({"binance", "price", "BTC-USDT"}));
  EXPECT_NE(coalescing_key({"a|b", "c"}), coalescing_key({"a", "b|c"}));
  EXPECT_NE(coalescing_key({"ab", ""}), coalescing_key({"a", "b"}));
  EXPECT_NE(coalescing_key({"1:a"}), coalescing_key({"1", "a"}));
  EXPECT_NE(coalescing_key({"binance", "price", "BTC-USDT"}),
            coalescing_key({"coingecko", "price", "BTC-USDT"}));
}

TEST(FreshAnswers, ReusedOnlyWhileYoung) {
  fresh_answers<int> f{100, 10};
  f.put("k", 1, 1000);
  EXPECT_EQ(f.get("k", 1000), 1);
  EXPECT_EQ(f.get("k", 1099), 1);
  EXPECT_FALSE(f.get("k", 1100)); // max age reached
  EXPECT_FALSE(f.get("other", 1000));
  EXPECT_EQ(f.size(), 0u);
}

TEST(FreshAnswers, BoundedOldestOut) {
  fresh_answers<int> f{1000, 2};
  f.put("a", 1, 0);
  f.put("b", 2, 1);
  f.put("a", 3, 2); // refreshed: now the newest
  f.put("c", 4, 3); // pushes out b
  EXPECT_EQ(f.get("a", 4), 3);
  EXPECT_FALSE(f.get("b", 4));
  EXPECT_EQ(f.get("c", 4), 4);
}

TEST(FreshAnswers, OffWhenAgeOrCapacityIsZero) {
  fresh_answers<int> none{0, 10};
  none.put("a", 1, 0);
  EXPECT_FALSE(none.get("a", 0));
  fresh_answers<int> tiny{10, 0};
  tiny.put("a", 1, 0);
  EXPECT_FALSE(tiny.get("a", 0));
}

TEST(BatchBuilder, MergesOnlyBatchCallsOfOneGroupUpToTheMaximum) {
  batch_builder b{"binance/price", 3};
  EXPECT_TRUE(b.offer(priority::batch, "binance/price", "BTC-USDT"));
  EXPECT_FALSE(b.offer(priority::urgent, "binance/price", "ETH-USDT")); // never delayed
  EXPECT_FALSE(b.offer(priority::batch, "binance/bars", "ETH-USDT"));   // other shape
  EXPECT_FALSE(b.offer(priority::batch, "coingecko/price", "ETH-USD")); // other provider
  EXPECT_FALSE(b.offer(priority::batch, "binance/price", "BTC-USDT"));  // already in
  EXPECT_TRUE(b.offer(priority::batch, "binance/price", "ETH-USDT"));
  EXPECT_TRUE(b.offer(priority::batch, "binance/price", "SOL-USDT"));
  EXPECT_TRUE(b.full());
  EXPECT_FALSE(b.offer(priority::batch, "binance/price", "XRP-USDT"));
  EXPECT_EQ(b.items(), (std::vector<std::string>{"BTC-USDT", "ETH-USDT", "SOL-USDT"}));
}

TEST(BatchBuilder, MaxOneMeansNoMerging) {
  batch_builder b{"p/price", 1};
  EXPECT_TRUE(b.offer(priority::batch, "p/price", "A"));
  EXPECT_FALSE(b.offer(priority::batch, "p/price", "B"));
}

} // namespace
} // namespace tickflow
