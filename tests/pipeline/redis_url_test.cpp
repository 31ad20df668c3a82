// [redis] url (pipeline/topology/redis_url): every part, the defaults, the
// broken forms, and that no error or redacted form shows the password.

#include "pipeline/topology/redis_url.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace tickflow {
namespace {

TEST(RedisUrl, ParsesEveryPart) {
  struct row {
    const char* in;
    const char* host;
    uint16_t port;
    const char* user;
    const char* password;
    uint32_t db;
  } rows[] = {
    {"redis://127.0.0.1", "127.0.0.1", 6379, "", "", 0},
    {"redis://localhost:6380", "localhost", 6380, "", "", 0},
    {"redis://localhost:6380/", "localhost", 6380, "", "", 0},
    {"redis://:s3cret@127.0.0.1:7000/2", "127.0.0.1", 7000, "", "s3cret", 2},
    {"redis://app:pa%40ss%3Aw@redis-1.internal/15", "redis-1.internal", 6379, "app",
     "pa@ss:w", 15},
    {"redis://:p@ss@host:1/0", "host", 1, "", "p@ss", 0}, // the last @ ends the user info
    {"redis://[::1]:6390/3", "::1", 6390, "", "", 3},
    {"redis://[::1]", "::1", 6379, "", "", 0},
  };
  for (auto& r : rows) {
    auto u = parse_redis_url(r.in);
    ASSERT_TRUE(u.ok()) << r.in << ": " << u.err().context;
    EXPECT_EQ(u->host, r.host) << r.in;
    EXPECT_EQ(u->port, r.port) << r.in;
    EXPECT_EQ(u->username, r.user) << r.in;
    EXPECT_EQ(u->password, r.password) << r.in;
    EXPECT_EQ(u->db, r.db) << r.in;
  }
}

TEST(RedisUrl, RefusesBrokenFormsWithoutQuotingThem) {
  for (auto in : {"", "127.0.0.1:6379", "http://127.0.0.1", "rediss://127.0.0.1", "redis://",
                  "redis://:@127.0.0.1", "redis://s3cret@127.0.0.1", "redis://:s3cret%4@127.0.0.1",
                  "redis://:s3cret%zz@127.0.0.1", "redis://127.0.0.1:0", "redis://127.0.0.1:65536", "redis://127.0.0.1:",
                  "redis://127.0.0.1:x", "redis://127.0.0.1/x", "redis://127.0.0.1/-1", "redis://::1:5",
                  "redis://[::1", "redis://[::1]x", "redis://127.0.0.1 o", "redis://:s3cret@/1"}) {
    auto u = parse_redis_url(in);
    ASSERT_FALSE(u.ok()) << in;
    EXPECT_EQ(u.err().code, errc::config_invalid) << in;
    EXPECT_EQ(u.err().context.find("s3cret"), std::string::npos) << in;
  }
}

TEST(RedisUrl, RedactedHidesThePassword) {
  auto u = parse_redis_url("redis://app:s3cret@h:7/1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(redacted(*u), "redis://app:***@h:7/1");
  auto plain = parse_redis_url("redis://h");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(redacted(*plain), "redis://h:6379/0");
  auto v6 = parse_redis_url("redis://:x@[::1]:9");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(redacted(*v6), "redis://:***@[::1]:9/0");
}

TEST(RedisSentinels, ParsesTheList) {
  struct row {
    const char* in;
    std::vector<std::pair<std::string, uint16_t>> want;
  } rows[] = {
    {"127.0.0.1:26379", {{"127.0.0.1", 26379}}},
    {"a:1,b:2,c:3", {{"a", 1}, {"b", 2}, {"c", 3}}},
    {" a:1 , b ", {{"a", 1}, {"b", 26379}}}, // spaces ignored, default port
    {"[::1]:26380,[::1]", {{"::1", 26380}, {"::1", 26379}}},
  };
  for (auto& r : rows) {
    auto l = parse_sentinels(r.in);
    ASSERT_TRUE(l.ok()) << r.in << ": " << l.err().context;
    ASSERT_EQ(l->size(), r.want.size()) << r.in;
    for (size_t i = 0; i < r.want.size(); ++i) {
      EXPECT_EQ((*l)[i].host, r.want[i].first) << r.in;
      EXPECT_EQ((*l)[i].port, r.want[i].second) << r.in;
    }
  }
}

TEST(RedisSentinels, RefusesBrokenItemsByPosition) {
  struct row {
    const char* in;
    const char* why;
  } rows[] = {
    {"", "no sentinel"},
    {",", "sentinel 1: bad or missing host"},
    {"a:1,,b:2", "sentinel 2: bad or missing host"},
    {"a:1,b:0", "sentinel 2: port must be 1..65535"},
    {"a:1,b:", "sentinel 2: empty port"},
    {"::1:5", "sentinel 1: an IPv6 host needs [brackets]"},
    {"a b:1", "sentinel 1: bad or missing host"},
  };
  for (auto& r : rows) {
    auto l = parse_sentinels(r.in);
    ASSERT_FALSE(l.ok()) << r.in;
    EXPECT_EQ(l.err().code, errc::config_invalid) << r.in;
    EXPECT_NE(l.err().context.find(r.why), std::string::npos) << r.in << ": " << l.err().context;
  }
}

} // namespace
} // namespace tickflow
