// The shared budget's Lua scripts against the private Redis of ./test.sh.

#include "adapters/redis/redis_budget.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "tests/storage/storage_support.hpp"

using namespace tickflow;
using namespace tickflow::redis;
using namespace tickflow::test;

namespace {

struct RedisBudget : ::testing::Test {
  services_env env;
  client_options opts;
  std::string prefix;
  budget_owner who{"binance", "public"};

  void SetUp() override {
    ASSERT_TRUE(env.ok()) << env.problem();
    opts.port = env.redis_port();
    prefix = "tfbudget" + unique_name();
  }
};

TEST_F(RedisBudget, GrantsUpToTheLimitThenSaysHowLongToWait) {
  redis_budget b{opts, prefix};
  std::vector<budget_window> second{{1000, 3}};
  std::vector<uint64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto g = b.grant(who, 1, 5000, second);
    ASSERT_TRUE(g) << g.err().message();
    ASSERT_TRUE(g->granted) << i;
    ids.push_back(g->id);
  }
  EXPECT_EQ(ids, (std::vector<uint64_t>{1, 2, 3}));
  auto refused = b.grant(who, 1, 5000, second);
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->granted);
  EXPECT_TRUE(refused->held); // the three are still in flight
  EXPECT_GT(refused->wait_ms, 1000);
  // Completed now: they count one more second from now.
  for (auto id : ids)
    ASSERT_TRUE(b.complete(who, id, 1));
  auto after = b.grant(who, 1, 5000, second);
  ASSERT_TRUE(after);
  EXPECT_FALSE(after->granted);
  EXPECT_FALSE(after->held);
  EXPECT_LE(after->wait_ms, 1000);
  EXPECT_GE(after->wait_ms, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds{after->wait_ms + 20});
  auto again = b.grant(who, 1, 5000, second);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->granted);
  auto used = b.used(who, 1000);
  ASSERT_TRUE(used);
  EXPECT_EQ(*used, 1u);
}

TEST_F(RedisBudget, WeightsAndSeveralWindows) {
  redis_budget b{opts, prefix};
  std::vector<budget_window> ws{{1000, 10}, {60'000, 12}};
  auto g = b.grant(who, 4, 5000, ws);
  ASSERT_TRUE(g && g->granted);
  ASSERT_TRUE(b.complete(who, g->id, 4));
  g = b.grant(who, 4, 5000, ws);
  ASSERT_TRUE(g && g->granted);
  ASSERT_TRUE(b.complete(who, g->id, 4));
  // 8 used: 4 more fits the minute (12) but not the second (10).
  g = b.grant(who, 4, 5000, ws);
  ASSERT_TRUE(g);
  EXPECT_FALSE(g->granted); // 12 > 10 in the second
  std::this_thread::sleep_for(std::chrono::milliseconds{1100});
  g = b.grant(who, 4, 5000, ws);
  ASSERT_TRUE(g && g->granted);
  ASSERT_TRUE(b.complete(who, g->id, 4));
  std::this_thread::sleep_for(std::chrono::milliseconds{1100});
  g = b.grant(who, 1, 5000, ws); // the minute holds 12
  ASSERT_TRUE(g);
  EXPECT_FALSE(g->granted);
  EXPECT_GT(g->wait_ms, 50'000);
}

TEST_F(RedisBudget, ABanRefusesEveryGrantUntilItEnds) {
  redis_budget b{opts, prefix};
  ASSERT_TRUE(b.ban(who, 60'000));
  ASSERT_TRUE(b.ban(who, 10)); // a shorter ban keeps the longer one
  auto g = b.grant(who, 1, 5000, {{1000, 100}});
  ASSERT_TRUE(g);
  EXPECT_FALSE(g->granted);
  EXPECT_TRUE(g->banned);
  EXPECT_GT(g->wait_ms, 59'000);
  // Another key of the same provider is not banned.
  auto other = b.grant(budget_owner{"binance", "KEY2"}, 1, 5000, {{1000, 100}});
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->granted);
}

TEST_F(RedisBudget, ProviderReportedWeightTopsTheWindowUp) {
  redis_budget b{opts, prefix};
  ASSERT_TRUE(b.observe_used(who, 60'000, 1195));
  auto g = b.grant(who, 6, 5000, {{60'000, 1200}}); // 1201
  ASSERT_TRUE(g);
  EXPECT_FALSE(g->granted);
  g = b.grant(who, 5, 5000, {{60'000, 1200}}); // 1200
  ASSERT_TRUE(g);
  EXPECT_TRUE(g->granted);
}

TEST_F(RedisBudget, ScriptsAreLoadedAgainAfterAFlush) {
  redis_budget b{opts, prefix};
  ASSERT_TRUE(b.grant(who, 1, 5000, {{1000, 100}}));
  redis_client admin{opts};
  auto flushed = admin.execute({"SCRIPT", "FLUSH"});
  ASSERT_TRUE(flushed);
  auto g = b.grant(who, 1, 5000, {{1000, 100}});
  ASSERT_TRUE(g) << g.err().message();
  EXPECT_TRUE(g->granted);
}

TEST_F(RedisBudget, NoServerIsAnErrorNotAGrant) {
  client_options nowhere;
  nowhere.port = free_port();
  redis_budget b{nowhere, prefix};
  auto g = b.grant(who, 1, 5000, {{1000, 100}});
  ASSERT_FALSE(g);
  EXPECT_EQ(g.err().code, errc::unavailable);
}

} // namespace
