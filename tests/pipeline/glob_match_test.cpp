#include "pipeline/cache/glob_match.hpp"

#include <gtest/gtest.h>

using tickflow::cache::glob_match;
using tickflow::cache::valid_glob;

TEST(GlobMatch, RedisSyntax) {
  struct row {
    const char* pattern;
    const char* text;
    bool match;
  } rows[] = {
    {"*", "", true},
    {"*", "bars:1m:BTC-USDT", true},
    {"price:*", "price:BTC-USDT", true},
    {"price:*", "bars:1m:BTC-USDT", false},
    {"bars:*:BTC-USDT", "bars:1m:BTC-USDT", true},
    {"bars:*:BTC-USDT", "bars:1m:ETH-USDT", false},
    {"*BTC*", "bars:1h:BTC-USDT", true},
    {"h?llo", "hello", true},
    {"h?llo", "hllo", false},
    {"h[ae]llo", "hallo", true},
    {"h[ae]llo", "hillo", false},
    {"h[^e]llo", "hallo", true},
    {"h[^e]llo", "hello", false},
    {"h[!e]llo", "hello", false},
    {"h[a-c]llo", "hbllo", true},
    {"h[c-a]llo", "hbllo", true}, // reversed range
    {"h[a-c]llo", "hdllo", false},
    {"a\\*b", "a*b", true},
    {"a\\*b", "axb", false},
    {"[\\]]", "]", true},
    {"a*b*c", "aXXbYYc", true},
    {"a*b*c", "aXXbYY", false},
    {"**a", "bba", true},
    {"abc", "abcd", false},
    {"abc*", "abc", true},
    {"[abc", "b", true}, // unterminated set: the listed characters
  };
  for (auto& r : rows)
    EXPECT_EQ(glob_match(r.pattern, r.text), r.match) << r.pattern << " vs " << r.text;
}

TEST(GlobMatch, ManyStarsStillNeedTheLastCharacter) {
  std::string text(2000, 'a');
  std::string pattern;
  for (int i = 0; i < 200; ++i)
    pattern += "*a";
  pattern += "b";
  EXPECT_FALSE(glob_match(pattern, text));
}

TEST(GlobMatch, ValidPatterns) {
  EXPECT_TRUE(valid_glob("bars:*"));
  EXPECT_FALSE(valid_glob(""));
  EXPECT_FALSE(valid_glob("a b"));
  EXPECT_FALSE(valid_glob("a\r\nDEL x"));
  EXPECT_FALSE(valid_glob(std::string(257, 'a')));
  EXPECT_FALSE(valid_glob("caf\xc3\xa9"));
}
