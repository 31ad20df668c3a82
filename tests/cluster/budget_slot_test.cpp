// The shared budget behind Redis Cluster: a private redis-server in cluster
// mode that owns every slot (a one-node cluster refuses a script whose keys
// are in different slots with CROSSSLOT, as a real cluster does). Every
// script of the budget runs there: its keys share the {provider:key} tag.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "adapters/redis/redis_budget.hpp"
#include "adapters/redis/redis_client.hpp"
#include "tests/cluster/cluster_support.hpp"
#include "tests/storage/writers/writer_support.hpp"

namespace tickflow::test {
namespace {

TEST(BudgetSlot, EveryScriptRunsOnAOneNodeCluster) {
  auto dir = temp_dir();
  auto port = free_port();
  child_process server{"/usr/bin/redis-server",
                       {"--port", std::to_string(port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--dir", dir, "--cluster-enabled", "yes",
                        "--cluster-config-file", dir + "/nodes.conf",
                        // The bus port would be port + 10000 (36000+: the
                        // ephemeral range, where it may be taken): pick one.
                        "--cluster-port", std::to_string(free_port())},
                       dir + "/redis.log"};
  redis::client_options co;
  co.port = port;
  redis::redis_client admin{co};
  ASSERT_TRUE(wait_until([&] { return admin.ping().ok(); })) << server.output();
  auto added = admin.execute({"CLUSTER", "ADDSLOTSRANGE", "0", "16383"});
  ASSERT_TRUE(added);
  ASSERT_EQ(added->text, "OK");
  ASSERT_TRUE(wait_until([&] {
    auto info = admin.execute({"CLUSTER", "INFO"});
    return info && info->text.find("cluster_state:ok") != std::string::npos;
  }));
  // The cluster refuses keys of two slots in one script (what the budget
  // keys without a hash tag did).
  auto cross = admin.execute({"EVAL", "return 1", "2", "a:x", "b:y"});
  ASSERT_TRUE(cross);
  EXPECT_EQ(cross->text.rfind("CROSSSLOT", 0), 0u) << cross->text;

  redis::redis_budget b{co, "tfslot"};
  redis::budget_owner who{"binance", "public"};
  EXPECT_EQ(b.log_key(who), "tfslot:budget:{binance:public}");
  auto g = b.grant(who, 2, 5000, {{1000, 3}});
  ASSERT_TRUE(g) << g.err().message();
  EXPECT_TRUE(g->granted);
  ASSERT_TRUE(b.complete(who, g->id, 2));
  auto refused = b.grant(who, 2, 5000, {{1000, 3}});
  ASSERT_TRUE(refused) << refused.err().message();
  EXPECT_FALSE(refused->granted);
  ASSERT_TRUE(b.observe_used(who, 60'000, 10));
  auto used = b.used(who, 60'000);
  ASSERT_TRUE(used) << used.err().message();
  EXPECT_EQ(*used, 10u);
  ASSERT_TRUE(b.ban(who, 60'000));
  auto banned = b.grant(who, 1, 5000, {{60'000, 100}});
  ASSERT_TRUE(banned) << banned.err().message();
  EXPECT_TRUE(banned->banned);
  // The three keys of one owner are in one slot.
  auto slot = [&](const std::string& k) {
    auto r = admin.execute({"CLUSTER", "KEYSLOT", k});
    return r ? r->integer : -1;
  };
  EXPECT_EQ(slot("tfslot:budget:{binance:public}"), slot("tfslot:ban:{binance:public}"));
  EXPECT_EQ(slot("tfslot:budget:{binance:public}"), slot("tfslot:budget-seq:{binance:public}"));
  auto exists = admin.execute({"EXISTS", "tfslot:budget:{binance:public}",
                               "tfslot:budget-seq:{binance:public}", "tfslot:ban:{binance:public}"});
  ASSERT_TRUE(exists);
  EXPECT_EQ(exists->integer, 3);
}

} // namespace
} // namespace tickflow::test
