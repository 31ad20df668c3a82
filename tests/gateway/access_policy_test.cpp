// api/api_keys and api/access_policy: the key file, Bearer parsing, the
// loopback rule and the admin token.

#include <gtest/gtest.h>

#include "api/access_policy.hpp"
#include "api/api_keys.hpp"
#include "api/digest.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {

std::string hash_of(std::string_view key) {
  return to_hex(sha256(key));
}

api_key_set keys_of(const std::string& text) {
  auto k = api_key_set::parse(text, "keys");
  EXPECT_TRUE(k.ok()) << (k ? "" : k.err().context);
  return k ? *k : api_key_set{};
}

http_request request_from(std::string remote, std::string authorization = {}) {
  http_request r;
  r.method = "GET";
  r.path = "/api/v1/data/price";
  r.remote = std::move(remote);
  if (!authorization.empty())
    r.headers.emplace_back("authorization", std::move(authorization));
  return r;
}

} // namespace

TEST(Digest, Sha256AndHmacMatchKnownVectors) {
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_FALSE(digest_from_hex("xyz"));
  EXPECT_TRUE(digest_from_hex(std::string(64, 'A')));
}

TEST(ApiKeyFile, ParsesNamesHashesAndOwnLimits) {
  auto keys = keys_of("# comment\n\n"
                      "dashboard " + hash_of("k1") + " 20 40\n"
                      "  backtest\t" + hash_of("k2") + "\r\n"
                      "slow " + hash_of("k3") + " 0.5\n");
  ASSERT_EQ(keys.size(), 3u);
  auto& e = keys.entries();
  EXPECT_EQ(e[0].name, "dashboard");
  EXPECT_EQ(e[0].requests_per_second, 20.0);
  EXPECT_EQ(e[0].burst, 40u);
  EXPECT_FALSE(e[1].requests_per_second);
  EXPECT_EQ(e[2].requests_per_second, 0.5);
  EXPECT_FALSE(e[2].burst);
  ASSERT_NE(keys.find("k2"), nullptr);
  EXPECT_EQ(keys.find("k2")->name, "backtest");
  EXPECT_EQ(keys.find("k4"), nullptr);
  EXPECT_EQ(keys.find(""), nullptr);
}

TEST(ApiKeyFile, EachMistakeNamesItsLine) {
  auto h = hash_of("k");
  struct bad_case {
    std::string text;
    std::string expected;
  };
  for (auto& c : std::vector<bad_case>{
         {"solo\n", "keys:1: expected <name> <sha256-hex> [<requests-per-second> [<burst>]]"},
         {"a b c d e\n", "keys:1: expected <name> <sha256-hex> [<requests-per-second> [<burst>]]"},
         {"bad/name " + h + "\n", "keys:1: key name must be 1 to 64 of A-Z a-z 0-9 _ - ."},
         {"# c\nk 1234\n", "keys:2: key k: the hash must be 64 hex digits (SHA-256)"},
         {"k " + h + " fast\n", "keys:1: key k: requests-per-second must be a number in 0..1000000"},
         {"k " + h + " 1 0\n", "keys:1: key k: burst must be an integer in 1..1000000"},
         {"k " + h + "\nk " + hash_of("x") + "\n", "keys:2: duplicate key name k"},
         {"k " + h + "\nj " + h + "\n", "keys:2: key j has the same hash as k"},
       }) {
    auto k = api_key_set::parse(c.text, "keys");
    ASSERT_FALSE(k.ok()) << c.text;
    EXPECT_EQ(k.err().code, errc::config_invalid);
    EXPECT_EQ(k.err().context, c.expected);
  }
}

TEST(AccessPolicy, RemoteHostAndLoopback) {
  EXPECT_EQ(remote_host("127.0.0.1:5123"), "127.0.0.1");
  EXPECT_EQ(remote_host("[::1]:5123"), "::1");
  EXPECT_EQ(remote_host("10.0.0.2:80"), "10.0.0.2");
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("127.8.9.10"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_TRUE(is_loopback("::ffff:127.0.0.1"));
  EXPECT_FALSE(is_loopback("10.0.0.2"));
  EXPECT_FALSE(is_loopback("::ffff:10.0.0.2"));
  EXPECT_FALSE(is_loopback("fe80::1"));
}

TEST(AccessPolicy, BearerTokens) {
  EXPECT_EQ(bearer_token(request_from("x", "Bearer abc")).value_or(""), "abc");
  EXPECT_EQ(bearer_token(request_from("x", "bearer   abc  ")).value_or(""), "abc");
  EXPECT_FALSE(bearer_token(request_from("x", "Basic abc")));
  EXPECT_FALSE(bearer_token(request_from("x", "Bearer")));
  EXPECT_FALSE(bearer_token(request_from("x", "Bearerabc")));
  EXPECT_FALSE(bearer_token(request_from("x")));
}

TEST(AccessPolicy, WithoutKeysTheApiServesLoopbackOnlyUnlessAllowed) {
  access_rules rules;
  auto local = decide_access(access_level::api, request_from("127.0.0.1:1"), rules);
  EXPECT_TRUE(local.allowed);
  EXPECT_EQ(local.client, "addr:127.0.0.1");
  auto remote = decide_access(access_level::api, request_from("10.1.2.3:1"), rules);
  EXPECT_FALSE(remote.allowed);
  EXPECT_EQ(remote.refusal.status, 403u);
  EXPECT_EQ(remote.refusal.code, "forbidden");
  // Open routes are open to everyone.
  EXPECT_TRUE(decide_access(access_level::open, request_from("10.1.2.3:1"), rules).allowed);
  rules.allow_remote_without_keys = true;
  EXPECT_TRUE(decide_access(access_level::api, request_from("10.1.2.3:1"), rules).allowed);
}

TEST(AccessPolicy, WithKeysEveryApiCallNeedsAKnownOne) {
  auto keys = keys_of("alice " + hash_of("secret-a") + "\n");
  access_rules rules{&keys, {}, false};
  auto none = decide_access(access_level::api, request_from("127.0.0.1:1"), rules);
  EXPECT_FALSE(none.allowed);
  EXPECT_EQ(none.refusal.status, 401u);
  auto wrong = decide_access(access_level::api,
                             request_from("127.0.0.1:1", "Bearer secret-b"), rules);
  EXPECT_EQ(wrong.refusal.status, 401u);
  EXPECT_EQ(wrong.refusal.message.find("secret-b"), std::string::npos);
  // A key works from anywhere, and names the client.
  auto right = decide_access(access_level::api,
                             request_from("10.1.2.3:1", "Bearer secret-a"), rules);
  EXPECT_TRUE(right.allowed);
  EXPECT_EQ(right.client, "key:alice");
  ASSERT_NE(right.key, nullptr);
  EXPECT_EQ(right.key->name, "alice");
}

TEST(AccessPolicy, AdminRoutesAreOffWithoutATokenAndCheckItOtherwise) {
  access_rules rules;
  auto off = decide_access(access_level::admin, request_from("127.0.0.1:1", "Bearer x"), rules);
  EXPECT_EQ(off.refusal.status, 403u);
  EXPECT_EQ(off.refusal.code, "admin_disabled");
  rules.admin_token = "t0ken";
  EXPECT_EQ(decide_access(access_level::admin, request_from("127.0.0.1:1"), rules)
              .refusal.status, 401u);
  EXPECT_EQ(decide_access(access_level::admin, request_from("127.0.0.1:1", "Bearer t0ke"), rules)
              .refusal.status, 401u);
  auto ok = decide_access(access_level::admin, request_from("10.0.0.9:1", "Bearer t0ken"), rules);
  EXPECT_TRUE(ok.allowed);
  EXPECT_EQ(ok.client, "admin");
}
