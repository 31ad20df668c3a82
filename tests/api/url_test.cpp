#include "api/url.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

using namespace tickflow;
using namespace tickflow::api;

namespace {

using pairs = std::vector<std::pair<std::string, std::string>>;

struct decode_case {
  std::string input;
  bool plus_is_space;
  std::string want; // ignored when it must fail
  bool ok;
};

const decode_case decode_cases[] = {
  {"", false, "", true},
  {"plain", false, "plain", true},
  {"a%20b", false, "a b", true},
  {"%41%42%43", false, "ABC", true},
  {"%e2%82%ac", false, "\xE2\x82\xAC", true}, // lowercase hex
  {"%E2%82%AC", false, "\xE2\x82\xAC", true},
  {"a+b", false, "a+b", true},   // '+' is literal in paths
  {"a+b", true, "a b", true},    // and a space in queries
  {"a%2Bb", true, "a+b", true},  // an escaped '+' stays a '+'
  {"%25", false, "%", true},
  {"%2525", false, "%25", true}, // decoded once only
  {"%zz", false, "", false},
  {"%4", false, "", false},
  {"abc%", false, "", false},
  {"%g0", false, "", false},
  {"%0g", true, "", false},
  {"%00", false, "", false},     // NUL escaped
  {std::string("a\0b", 3), false, "", false}, // NUL raw
};

TEST(UrlTest, PercentDecode) {
  for (const auto& c : decode_cases) {
    SCOPED_TRACE("input: " + c.input);
    auto got = percent_decode(c.input, c.plus_is_space);
    ASSERT_EQ(got.ok(), c.ok);
    if (c.ok)
      EXPECT_EQ(*got, c.want);
    else
      EXPECT_EQ(got.err().code, errc::malformed);
  }
}

struct target_case {
  std::string target;
  std::string path;
  pairs query;
};

const target_case good_targets[] = {
  {"/", "/", {}},
  {"/api/v1/data/price", "/api/v1/data/price", {}},
  {"/p?", "/p", {}},
  {"/p?symbol=BTC-USDT", "/p", {{"symbol", "BTC-USDT"}}},
  {"/p?a=1&b=2&a=3", "/p", {{"a", "1"}, {"b", "2"}, {"a", "3"}}},
  {"/p?a=1&&b=2&", "/p", {{"a", "1"}, {"b", "2"}}}, // empty pairs skipped
  {"/p?flag", "/p", {{"flag", ""}}},
  {"/p?flag=", "/p", {{"flag", ""}}},
  {"/p?=v", "/p", {{"", "v"}}},
  {"/p?q=a+b%20c", "/p", {{"q", "a b c"}}},
  {"/p?k%3D=v%3D1&x=%26", "/p", {{"k=", "v=1"}, {"x", "&"}}},
  {"/p?a=b=c", "/p", {{"a", "b=c"}}}, // only the first '=' splits
  {"/a%20b/c+d", "/a b/c+d", {}},
  {"/a%2Fb", "/a/b", {}},
  {"/%E2%82%AC?s=%E2%82%AC", "/\xE2\x82\xAC", {{"s", "\xE2\x82\xAC"}}},
  {"//double", "//double", {}},
};

TEST(UrlTest, GoodTargets) {
  for (const auto& c : good_targets) {
    SCOPED_TRACE("target: " + c.target);
    auto got = parse_target(c.target);
    ASSERT_TRUE(got.ok()) << got.err().message();
    EXPECT_EQ(got->path, c.path);
    EXPECT_EQ(got->query, c.query);
  }
}

const std::string bad_targets[] = {
  "",
  "api/v1",             // relative
  "*",                  // asterisk-form
  "http://127.0.0.1/x", // absolute-form
  "?a=1",               // no path
  "/a%zz",
  "/a%4",
  "/a%",
  "/a%00b",
  "/p?x=%zz",
  "/p?x=%4",
  "/p?x=1%",
  "/p?%zz=1",
  "/p?x=%00",
  std::string("/p?x=a\0b", 8),
  "/p#frag",
  "/p?x=1#frag",
};

TEST(UrlTest, BadTargets) {
  for (const auto& t : bad_targets) {
    SCOPED_TRACE("target: " + t);
    auto got = parse_target(t);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.err().code, errc::malformed);
    EXPECT_FALSE(got.err().context.empty());
  }
}

TEST(UrlTest, ParseIntoReusesOutputs) {
  std::string path = "stale";
  pairs query{{"old", "1"}};
  ASSERT_TRUE(parse_target_into("/new?k=v", path, query).ok());
  EXPECT_EQ(path, "/new");
  EXPECT_EQ(query, (pairs{{"k", "v"}}));
  ASSERT_TRUE(parse_target_into("/bare", path, query).ok());
  EXPECT_EQ(path, "/bare");
  EXPECT_TRUE(query.empty());
}

} // namespace
