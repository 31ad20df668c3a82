// The one JSON string escaper (pipeline/model/json_string): short escapes,
// \u00xx for the other control characters, valid UTF-8 unchanged, one
// U+FFFD per byte that is not part of a valid sequence, and output that
// always parses back.

#include "pipeline/model/json_string.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

using tickflow::append_json_escaped;
using tickflow::append_json_string;

namespace {

const std::string fffd = "\xEF\xBF\xBD";

struct row {
  const char* name;
  std::string in;
  std::string out; // the body, without quotes
};

const row rows[] = {
  {"empty", "", ""},
  {"plain", "BTC-USDT", "BTC-USDT"},
  {"quote and backslash", "a\"b\\c", R"(a\"b\\c)"},
  {"slash is not escaped", "a/b", "a/b"},
  {"short escapes", "\b\f\n\r\t", R"(\b\f\n\r\t)"},
  {"other controls", std::string("\x01\x1f", 2), R"(\u0001\u001f)"},
  {"nul", std::string("nul\0x", 5), R"(nul\u0000x)"},
  {"del is not escaped", "a\x7f", "a\x7f"},
  {"2, 3 and 4 byte UTF-8", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
   "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"},
  {"highest code point", "\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF"},
  {"stray byte", "a\xFF" "b", "a" + fffd + "b"},
  {"stray continuation", "\x80", fffd},
  {"truncated 2-byte", "x\xC3", "x" + fffd},
  {"truncated 3-byte, per byte", "a\xFF" "b\xE2\x82",
   "a" + fffd + "b" + fffd + fffd},
  {"overlong", "\xC0\xAF", fffd + fffd},
  {"overlong 3-byte", "\xE0\x80\xAF", fffd + fffd + fffd},
  {"surrogate", "\xED\xA0\x80", fffd + fffd + fffd},
  {"above U+10FFFF", "\xF4\x90\x80\x80", fffd + fffd + fffd + fffd},
  {"bad byte then escape", "\xFE\n", fffd + "\\n"},
};

} // namespace

TEST(JsonString, EscapesTheBody) {
  for (const auto& r : rows) {
    std::string out = "prefix:";
    append_json_escaped(out, r.in);
    EXPECT_EQ(out, "prefix:" + r.out) << r.name;
  }
}

TEST(JsonString, QuotesAndAlwaysParsesBack) {
  for (const auto& r : rows) {
    std::string out;
    append_json_string(out, r.in);
    EXPECT_EQ(out, "\"" + r.out + "\"") << r.name;
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(out.c_str(), out.size());
    ASSERT_FALSE(doc.HasParseError()) << r.name << ": " << out;
    ASSERT_TRUE(doc.IsString()) << r.name;
    // Text without invalid bytes comes back exactly.
    if (r.out.find(fffd) == std::string::npos) {
      EXPECT_EQ(std::string(doc.GetString(), doc.GetStringLength()), r.in)
        << r.name;
    }
  }
}

TEST(JsonString, EveryByteValueGivesValidJson) {
  for (int b = 0; b < 256; ++b) {
    std::string in = "x";
    in.push_back(static_cast<char>(b));
    in.push_back('y');
    std::string out;
    append_json_string(out, in);
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(out.c_str(), out.size());
    EXPECT_FALSE(doc.HasParseError()) << "byte " << b;
  }
}
