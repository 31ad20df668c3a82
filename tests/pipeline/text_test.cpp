// The one trim (pipeline/model/text.hpp): trim_if over a character set, and
// the two sets the project trims by.

#include "pipeline/model/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

using namespace tickflow;

TEST(Text, TrimBlanksTakesSpacesAndTabsOnly) {
  struct row {
    std::string in;
    std::string_view out;
  } rows[] = {
    {"", ""},
    {"   ", ""},
    {" \tx y\t ", "x y"},
    {"\nx\r\n", "\nx\r\n"}, // line breaks are not blanks
    {"x", "x"},
  };
  for (auto& r : rows)
    EXPECT_EQ(trim_blanks(r.in), r.out) << r.in;
}

TEST(Text, TrimSpaceTakesAsciiWhiteSpace) {
  struct row {
    std::string in;
    std::string_view out;
  } rows[] = {
    {"", ""},
    {" \t\n\v\f\r", ""},
    {"\r\n https://127.0.0.1/a \r\n", "https://127.0.0.1/a"},
    {"\f5\v", "5"},
    {"a b", "a b"},
    {"\xC2\xA0x", "\xC2\xA0x"}, // no-break space is not ASCII
  };
  for (auto& r : rows)
    EXPECT_EQ(trim_space(r.in), r.out) << r.in;
}

TEST(Text, AsciiSpaceIsTheCLocaleSet) {
  for (int c = 0; c < 128; ++c) {
    bool expected = c == ' ' || c == '\t' || c == '\n' || c == '\v'
                    || c == '\f' || c == '\r';
    EXPECT_EQ(is_ascii_space(static_cast<char>(c)), expected) << c;
  }
  EXPECT_FALSE(is_ascii_space('\x85'));
}

TEST(Text, TrimIfTakesAnyPredicate) {
  auto dots = [](char c) { return c == '.'; };
  EXPECT_EQ(trim_if("..a.b..", dots), "a.b");
  static_assert(trim_blanks(" x ") == "x");
  static_assert(trim_space("\nx\n") == "x");
}
