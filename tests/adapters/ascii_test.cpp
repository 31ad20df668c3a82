#include "adapters/common/ascii.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace tickflow {
namespace {

TEST(Ascii, MapsOnlyAsciiLetters) {
  EXPECT_EQ(ascii_lower("BTC-USDT a1_Z"), "btc-usdt a1_z");
  EXPECT_EQ(ascii_upper("btc-usdt a1_Z"), "BTC-USDT A1_Z");
  // UTF-8 bytes pass through: "É" is 0xC3 0x89.
  EXPECT_EQ(ascii_lower("\xC3\x89T"), "\xC3\x89t");
  EXPECT_EQ(ascii_upper("\xC3\xA9t"), "\xC3\xA9T");
  EXPECT_EQ(ascii_lower('@'), '@');
  EXPECT_EQ(ascii_lower('['), '[');
  EXPECT_EQ(ascii_upper('`'), '`');
  EXPECT_EQ(ascii_upper('{'), '{');
}

TEST(Ascii, ComparesIgnoringCase) {
  struct row {
    std::string_view a, b;
    bool equal;
  };
  const row rows[] = {
    {"", "", true},
    {"Retry-After", "retry-after", true},
    {"IBM", "ibm", true},
    {"IBM", "IBM.", false},
    {"a", "b", false},
    {"\xC3\x89", "\xC3\xA9", false}, // not ASCII: compared as bytes
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(testing::Message() << r.a << " / " << r.b);
    EXPECT_EQ(ascii_iequals(r.a, r.b), r.equal);
    EXPECT_EQ(ascii_iequals(r.b, r.a), r.equal);
  }
}

TEST(Ascii, FindsALowercaseNeedleIgnoringTheHaystacksCase) {
  struct row {
    std::string_view haystack, needle;
    bool found;
  };
  const row rows[] = {
    {"Invalid API Key.", "api key", true},
    {"API limit reached", "limit reached", true},
    {"anything", "", true},
    {"", "", true},
    {"", "x", false},
    {"api", "api key", false},
    {"Invalid API Key.", "API key", false}, // the needle is not lowered
    {"You have exceeded the Maximum Requests", "maximum requests", true},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(testing::Message() << r.haystack << " / " << r.needle);
    EXPECT_EQ(ascii_icontains(r.haystack, r.needle), r.found);
  }
}

} // namespace
} // namespace tickflow
