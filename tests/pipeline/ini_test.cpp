#include "pipeline/topology/ini.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace tickflow;

namespace {

/// One line per section and entry: "[name]@line" and "key=value@line",
/// with "(q)" after a quoted value.
std::string dump(const ini_document& doc) {
  std::string out;
  for (auto& s : doc.sections) {
    out += "[" + s.name + "]@" + std::to_string(s.line) + "\n";
    for (auto& e : s.entries) {
      out += e.key + "=" + e.value + "@" + std::to_string(e.line);
      if (e.quoted)
        out += "(q)";
      out += "\n";
    }
  }
  return out;
}

struct parse_case {
  const char* name;
  std::string text;
  std::string expected; ///< dump() on success, the error context otherwise
  bool ok;
};

class IniParse : public testing::TestWithParam<parse_case> {};

TEST_P(IniParse, ParsesOrNamesTheLine) {
  auto& c = GetParam();
  auto doc = parse_ini(c.text, "t.ini");
  ASSERT_EQ(doc.ok(), c.ok) << (doc ? dump(*doc) : doc.err().context);
  if (c.ok) {
    EXPECT_EQ(dump(*doc), c.expected);
  } else {
    EXPECT_EQ(doc.err().code, errc::config_invalid);
    EXPECT_EQ(doc.err().context, c.expected);
  }
}

const parse_case parse_cases[] = {
  // Accepted syntax.
  {"Empty", "", "", true},
  {"OnlyComments", "# a\n; b\n   # c\n\n", "", true},
  {"OneEntry", "[a]\nk = v\n", "[a]@1\nk=v@2\n", true},
  {"NoBlanksAroundEquals", "[a]\nk=v", "[a]@1\nk=v@2\n", true},
  {"BlanksAndTabsTrimmed", "  [ a ]  \n\t k \t=\t v w \t\n",
   "[a]@1\nk=v w@2\n", true},
  {"CrLf", "[a]\r\nk = v\r\n", "[a]@1\nk=v@2\n", true},
  {"Bom", "\xEF\xBB\xBF[a]\nk = v\n", "[a]@1\nk=v@2\n", true},
  {"EmptyValue", "[a]\nk =\nj=\n", "[a]@1\nk=@2\nj=@3\n", true},
  {"TrailingHashComment", "[a]\nk = v # note\n", "[a]@1\nk=v@2\n", true},
  {"TrailingSemicolonComment", "[a]\nk = v ; note\n", "[a]@1\nk=v@2\n",
   true},
  {"TabBeforeComment", "[a]\nk = v\t# note\n", "[a]@1\nk=v@2\n", true},
  {"HashInsideValueKept", "[a]\nk = a#b;c\n", "[a]@1\nk=a#b;c@2\n", true},
  {"CommentOnlyValue", "[a]\nk = # nothing\nj =#x\n",
   "[a]@1\nk=@2\nj=@3\n", true},
  {"CommentAfterHeader", "[a] # first\nk = v\n", "[a]@1\nk=v@2\n", true},
  {"EqualsInValue", "[a]\nk = x=y\n", "[a]@1\nk=x=y@2\n", true},
  {"Quoted", "[a]\nk = \" v # not a comment \"\n",
   "[a]@1\nk= v # not a comment @2(q)\n", true},
  {"QuotedWithComment", "[a]\nk = \"v\" # c\n", "[a]@1\nk=v@2(q)\n", true},
  {"QuotedEscapes", "[a]\nk = \"a\\\"b\\\\c\"\n", "[a]@1\nk=a\"b\\c@2(q)\n",
   true},
  {"QuotedEmpty", "[a]\nk = \"\"\n", "[a]@1\nk=@2(q)\n", true},
  {"QuoteInsideUnquoted", "[a]\nk = a\"b\n", "[a]@1\nk=a\"b@2\n", true},
  {"SectionsInOrder", "[b]\nx=1\n\n[a]\ny=2\n# end\n[c]\n",
   "[b]@1\nx=1@2\n[a]@4\ny=2@5\n[c]@7\n", true},
  {"NameCharacters", "[Log_2.x-y]\nKey_1.a-b = 1\n",
   "[Log_2.x-y]@1\nKey_1.a-b=1@2\n", true},
  {"SameKeyInTwoSections", "[a]\nk=1\n[b]\nk=2\n",
   "[a]@1\nk=1@2\n[b]@3\nk=2@4\n", true},
  {"NoTrailingNewline", "[a]\nk = v", "[a]@1\nk=v@2\n", true},
  // Errors name the line.
  {"MissingEquals", "[a]\n\nthreads 4\n",
   "t.ini:3: syntax error: expected \"key = value\", got \"threads 4\"",
   false},
  {"MissingKey", "[a]\n = 4\n",
   "t.ini:2: syntax error: missing key before '=' in \"= 4\"", false},
  {"KeyWithBlank", "[a]\nmax connections = 4\n",
   "t.ini:2: syntax error: invalid key \"max connections\" (use a-z, 0-9,"
   " '-', '_', '.')",
   false},
  {"KeyOutsideSection", "# c\nk = v\n[a]\n",
   "t.ini:2: k: key outside any section (add a [section] header above it)",
   false},
  {"UnclosedHeader", "[a\n",
   "t.ini:1: syntax error: expected \"[section]\", got \"[a\"", false},
  {"EmptyHeader", "[ ]\n",
   "t.ini:1: syntax error: invalid section name \"\" (use a-z, 0-9, '-',"
   " '_', '.')",
   false},
  {"BadHeaderName", "[a b]\n",
   "t.ini:1: syntax error: invalid section name \"a b\" (use a-z, 0-9, '-',"
   " '_', '.')",
   false},
  {"TextAfterHeader", "[a] b\n",
   "t.ini:1: syntax error: unexpected text after \"[a]\": \"b\"", false},
  {"DuplicateSection", "[a]\nk=1\n[b]\n[a]\n",
   "t.ini:4: [a]: duplicate section (first on line 1)", false},
  {"DuplicateKey", "[a]\nk = 1\nj = 2\nk = 1\n",
   "t.ini:4: a.k: duplicate key (first set on line 2)", false},
  {"UnterminatedQuote", "[a]\nk = \"v\n",
   "t.ini:2: a.k: unterminated quoted value", false},
  {"TextAfterQuote", "[a]\nk = \"v\" w\n",
   "t.ini:2: a.k: unexpected text after the closing quote: \"w\"", false},
  {"BadEscape", "[a]\nk = \"a\\nb\"\n",
   "t.ini:2: a.k: invalid escape \"\\\\n\" in quoted value (only \\\" and"
   " \\\\ are allowed)",
   false},
  {"CrLfLineNumbers", "[a]\r\nk = 1\r\n\r\nbad\r\n",
   "t.ini:4: syntax error: expected \"key = value\", got \"bad\"", false},
  {"FirstErrorWins", "[a]\nx\ny\n",
   "t.ini:2: syntax error: expected \"key = value\", got \"x\"", false},
};

INSTANTIATE_TEST_SUITE_P(Table, IniParse, testing::ValuesIn(parse_cases),
                         [](const auto& info) {
                           return std::string{info.param.name};
                         });

TEST(IniParse, FindLooksUpSectionsAndKeys) {
  auto doc = parse_ini("[a]\nk = 1\n[b]\nj = 2\n", "t.ini");
  ASSERT_TRUE(doc.ok());
  auto a = doc->find("a");
  auto b = doc->find("b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(doc->find("c"), nullptr);
  ASSERT_NE(a->find("k"), nullptr);
  EXPECT_EQ(a->find("k")->value, "1");
  EXPECT_EQ(a->find("j"), nullptr);
  ASSERT_NE(b->find("j"), nullptr);
  EXPECT_EQ(b->find("j")->line, 4u);
}

TEST(IniParse, SourceIsUsedVerbatim) {
  auto doc = parse_ini("oops\n", "<embedded default>");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.err().context,
            "<embedded default>:1: syntax error: expected \"key = value\","
            " got \"oops\"");
}

struct quote_case {
  std::string in;
  std::string out;
};

TEST(IniQuote, EscapesAndTruncates) {
  const quote_case cases[] = {
    {"", "\"\""},
    {"abc", "\"abc\""},
    {"a\"b", "\"a\\\"b\""},
    {"a\\b", "\"a\\\\b\""},
    {"a\tb", "\"a\\x09b\""},
    {std::string(80, 'x'), "\"" + std::string(80, 'x') + "\""},
    {std::string(81, 'x'), "\"" + std::string(80, 'x') + "...\""},
  };
  for (auto& c : cases)
    EXPECT_EQ(quote_for_error(c.in), c.out) << c.in;
}

} // namespace
