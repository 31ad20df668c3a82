// The [redis] keys of the event streams and the connection: defaults, the
// values they take, the values they refuse (a URL's error never quotes it).

#include <gtest/gtest.h>

#include <string>

#include "pipeline/topology/topology.hpp"

namespace tickflow {
namespace {

result<topology> with_redis(const std::string& keys) {
  return load_topology(
    "[providers]\nenabled = simulator\n[simulator]\nsymbols = RS-X:1\n[redis]\n" + keys,
    "<test>");
}

TEST(RedisSettings, StreamAndConnectionDefaults) {
  auto t = with_redis("");
  ASSERT_TRUE(t.ok()) << t.err().context;
  EXPECT_EQ(t->redis.streams, 4u);
  EXPECT_EQ(t->redis.stream_retention, 100'000u);
  EXPECT_FALSE(t->redis.publish);
  EXPECT_EQ(t->redis.password, "");
  EXPECT_EQ(t->redis.password_env, "");
  EXPECT_EQ(t->redis.db, 0u);
}

TEST(RedisSettings, KeysTakeTheirValues) {
  auto t = with_redis("streams = 16\nstream-retention = 500\npublish = true\n"
                      "url = redis://app:pw@10.1.2.3:7000/4\npassword-env = REDIS_PW\n");
  ASSERT_TRUE(t.ok()) << t.err().context;
  EXPECT_EQ(t->redis.streams, 16u);
  EXPECT_EQ(t->redis.stream_retention, 500u);
  EXPECT_TRUE(t->redis.publish);
  EXPECT_EQ(t->redis.host, "10.1.2.3");
  EXPECT_EQ(t->redis.port, 7000);
  EXPECT_EQ(t->redis.username, "app");
  EXPECT_EQ(t->redis.password, "pw");
  EXPECT_EQ(t->redis.db, 4u);
  EXPECT_EQ(t->redis.password_env, "REDIS_PW");
  auto db = with_redis("db = 9\n");
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(db->redis.db, 9u);
}

TEST(RedisSettings, BadValuesAreRefused) {
  for (auto bad : {"streams = 0\n", "streams = 1025\n", "stream-retention = 99\n",
                   "publish = maybe\n", "url = http://127.0.0.1\n", "url = redis://:sEcReT@127.0.0.1:0\n",
                   "password-env = A-B\n", "db = -1\n"}) {
    auto t = with_redis(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.err().context.find("sEcReT"), std::string::npos) << t.err().context;
  }
}

TEST(RedisSettings, SentinelsAndMasterNameGoTogether) {
  auto t = with_redis("sentinels = 127.0.0.1:26379, 127.0.0.1:26380\nmaster-name = tf-main\n");
  ASSERT_TRUE(t.ok()) << t.err().context;
  ASSERT_EQ(t->redis.sentinels.size(), 2u);
  EXPECT_EQ(t->redis.sentinels[1].port, 26380);
  EXPECT_EQ(t->redis.master_name, "tf-main");
  EXPECT_TRUE(with_redis("")->redis.sentinels.empty());
  struct row {
    const char* keys;
    const char* why;
  } rows[] = {
    {"sentinels = 127.0.0.1:26379\n", "redis.master-name: required because redis.sentinels"},
    {"master-name = m\n", "redis.sentinels: required because redis.master-name"},
    {"sentinels = h:0\nmaster-name = m\n", "sentinel 1: port must be 1..65535"},
    {"sentinels = h\nmaster-name = m m\n", "redis.master-name"},
  };
  for (auto& r : rows) {
    auto bad = with_redis(r.keys);
    ASSERT_FALSE(bad.ok()) << r.keys;
    EXPECT_NE(bad.err().context.find(r.why), std::string::npos) << bad.err().context;
  }
}

} // namespace
} // namespace tickflow
