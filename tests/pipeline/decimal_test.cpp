#include "pipeline/model/decimal.hpp"

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace tickflow {
namespace {

// Parses text that the test knows is valid.
decimal dec(const char* text) {
  auto r = decimal::parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r ? "" : r.err().message());
  return r ? *r : decimal{};
}

// -- parse --------------------------------------------------------------------

struct parse_ok_case {
  const char* text;
  int64_t mantissa;
  int scale;
  const char* printed;
};

TEST(DecimalParse, AcceptsPlainDecimals) {
  const std::vector<parse_ok_case> cases = {
    {"0.00100000", 1, 3, "0.001"},
    {"65000.12", 6500012, 2, "65000.12"},
    {"-0.5", -5, 1, "-0.5"},
    {"+0.5", 5, 1, "0.5"},
    {"42", 42, 0, "42"},
    {"-3", -3, 0, "-3"},
    {"0", 0, 0, "0"},
    {"-0", 0, 0, "0"},
    {"+0", 0, 0, "0"},
    {"0.0", 0, 0, "0"},
    {"-0.000", 0, 0, "0"},
    {"000", 0, 0, "0"},
    {"000123.4500", 12345, 2, "123.45"},
    {"100", 100, 0, "100"},
    {"100.00", 100, 0, "100"},
    {"10.10", 101, 1, "10.1"},
    {"1.0000000000000000000000000", 1, 0, "1"},
    {"0.000000000000000001", 1, 18, "0.000000000000000001"},
    {"-0.000000000000000001", -1, 18, "-0.000000000000000001"},
    {"0.0000000000000000010", 1, 18, "0.000000000000000001"},
    {"0.123456789012345678", 123456789012345678, 18,
     "0.123456789012345678"},
    {"999999999999999999", 999'999'999'999'999'999, 0, "999999999999999999"},
    {"-999999999999999999", -999'999'999'999'999'999, 0,
     "-999999999999999999"},
    {"0000000000000000000000001", 1, 0, "1"},
    {"123456789.123456789", 123456789123456789, 9, "123456789.123456789"},
    {"9.99999999999999999", 999'999'999'999'999'999, 17, "9.99999999999999999"},
    {"37001.50", 370015, 1, "37001.5"},
  };
  for (const auto& c : cases) {
    auto r = decimal::parse(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.err().message();
    EXPECT_EQ(r->mantissa, c.mantissa) << c.text;
    EXPECT_EQ(r->scale, c.scale) << c.text;
    EXPECT_EQ(r->to_string(), c.printed) << c.text;
  }
}

struct parse_error_case {
  const char* text;
  const char* context; // exact expected context
};

TEST(DecimalParse, RejectsEverythingElseWithAClearContext) {
  const std::vector<parse_error_case> cases = {
    {"", "empty number: \"\""},
    {"+", "sign without digits: \"+\""},
    {"-", "sign without digits: \"-\""},
    {".5", "missing digit before the decimal point: \".5\""},
    {"-.5", "missing digit before the decimal point: \"-.5\""},
    {"5.", "missing digit after the decimal point: \"5.\""},
    {".", "missing digit before the decimal point: \".\""},
    {"1e-3", "exponent form not supported: \"1e-3\""},
    {"1E5", "exponent form not supported: \"1E5\""},
    {"1.5e+10", "exponent form not supported: \"1.5e+10\""},
    {"nan", "nan/inf not supported: \"nan\""},
    {"NaN", "nan/inf not supported: \"NaN\""},
    {"-inf", "nan/inf not supported: \"-inf\""},
    {"Infinity", "nan/inf not supported: \"Infinity\""},
    {" 1", "whitespace not allowed: \" 1\""},
    {"1 ", "whitespace not allowed: \"1 \""},
    {"1\t", "whitespace not allowed: \"1\\x09\""},
    {"1 000", "whitespace not allowed: \"1 000\""},
    {"- 1", "whitespace not allowed: \"- 1\""},
    {"1.2.3", "multiple decimal points: \"1.2.3\""},
    {"1..2", "multiple decimal points: \"1..2\""},
    {"1,5", "unexpected character ',' at offset 1: \"1,5\""},
    {"12a", "unexpected character 'a' at offset 2: \"12a\""},
    {"0x1A", "unexpected character 'x' at offset 1: \"0x1A\""},
    {"--1", "unexpected character '-' at offset 1: \"--1\""},
    {"+-1", "unexpected character '-' at offset 1: \"+-1\""},
    {"1-", "unexpected character '-' at offset 1: \"1-\""},
    {"$5", "unexpected character '$' at offset 0: \"$5\""},
    {"1234567890123456789",
     "too many significant digits (max 18): \"1234567890123456789\""},
    {"-1234567890123456789",
     "too many significant digits (max 18): \"-1234567890123456789\""},
    {"1000000000000000000",
     "too many significant digits (max 18): \"1000000000000000000\""},
    {"12345678901.12345678",
     "too many significant digits (max 18): \"12345678901.12345678\""},
    {"1.000000000000000001",
     "too many significant digits (max 18): \"1.000000000000000001\""},
    {"0.0000000000000000001",
     "too many fractional digits (max 18): \"0.0000000000000000001\""},
    {"0.1234567890123456789",
     "too many fractional digits (max 18): \"0.1234567890123456789\""},
  };
  for (const auto& c : cases) {
    auto r = decimal::parse(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.err().code, errc::bad_number) << c.text;
    EXPECT_EQ(r.err().context, c.context) << c.text;
  }
}

TEST(DecimalParse, ErrorContextIsBoundedAndEscaped) {
  std::string long_text(200, '1');
  long_text.push_back('x');
  std::string with_nul{"1\0", 2};
  auto too_long = decimal::parse(long_text);
  auto nul = decimal::parse(with_nul);
  ASSERT_FALSE(too_long.ok());
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(too_long.err().context,
            "unexpected character 'x' at offset 200: \"" + std::string(64, '1')
              + "...\"");
  EXPECT_EQ(nul.err().context,
            "unexpected character '\\x00' at offset 1: \"1\\x00\"");
}

TEST(DecimalParse, CanonicalTextRoundTrips) {
  const std::vector<const char*> texts = {
    "0",       "1",        "-1",     "0.001",  "65000.12",
    "-0.5",    "123.45",   "10.1",   "100",    "0.000000000000000001",
    "0.123456789012345678",  "999999999999999999", "-999999999999999999",
    "9.99999999999999999",   "123456789.123456789", "-0.000000000000000001",
    "1000000", "0.5",
  };
  for (const char* text : texts) {
    auto r = decimal::parse(text);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(r->to_string(), text);
    auto again = decimal::parse(r->to_string());
    ASSERT_TRUE(again.ok()) << text;
    EXPECT_EQ(*again, *r) << text;
  }
}

// -- from_parts, to_string, append_to -----------------------------------------

struct parts_case {
  int64_t mantissa;
  int scale;
  int64_t want_mantissa;
  int want_scale;
  const char* printed;
};

TEST(DecimalFromParts, Normalizes) {
  constexpr auto min = std::numeric_limits<int64_t>::min();
  constexpr auto max = std::numeric_limits<int64_t>::max();
  const std::vector<parts_case> cases = {
    {0, 0, 0, 0, "0"},
    {0, 5, 0, 0, "0"},
    {150, 2, 15, 1, "1.5"},
    {100, 2, 1, 0, "1"},
    {1000, 0, 1000, 0, "1000"},
    {-2500, 3, -25, 1, "-2.5"},
    {1, 18, 1, 18, "0.000000000000000001"},
    {1'000'000'000'000'000'000, 18, 1, 0, "1"},
    {12345, 0, 12345, 0, "12345"},
    {12345, 5, 12345, 5, "0.12345"},
    {12345, 7, 12345, 7, "0.0012345"},
    {max, 0, max, 0, "9223372036854775807"},
    {min, 0, min, 0, "-9223372036854775808"},
    {max, 18, max, 18, "9.223372036854775807"},
    {min, 18, min, 18, "-9.223372036854775808"},
    {min, 5, min, 5, "-92233720368547.75808"},
  };
  for (const auto& c : cases) {
    auto d = decimal::from_parts(c.mantissa, static_cast<uint8_t>(c.scale));
    EXPECT_EQ(d.mantissa, c.want_mantissa) << c.printed;
    EXPECT_EQ(d.scale, c.want_scale) << c.printed;
    EXPECT_EQ(d.to_string(), c.printed);
  }
}

TEST(DecimalToString, HandBuiltUnnormalizedValuesStillPrintShortest) {
  EXPECT_EQ((decimal{100, 2}).to_string(), "1");
  EXPECT_EQ((decimal{-1050, 3}).to_string(), "-1.05");
  EXPECT_EQ((decimal{0, 7}).to_string(), "0");
  EXPECT_EQ((decimal{5, 20}).to_string(), "0.00000000000000000005");
}

TEST(DecimalAppendTo, AppendsWithoutTouchingThePrefix) {
  std::string out = "price=";
  dec("65000.12").append_to(out);
  out.push_back(',');
  dec("-0.001").append_to(out);
  out.push_back(',');
  decimal{}.append_to(out);
  EXPECT_EQ(out, "price=65000.12,-0.001,0");
}

// -- comparisons --------------------------------------------------------------

struct compare_case {
  const char* a;
  const char* b;
  int want;
};

TEST(DecimalCompare, IsExactAcrossScales) {
  const std::vector<compare_case> cases = {
    {"1.5", "1.50", 0},
    {"1.5", "1.5", 0},
    {"0", "-0", 0},
    {"-0.1", "0", -1},
    {"0", "-0.1", 1},
    {"1", "0.999999999999999999", 1},
    {"0.999999999999999999", "1", -1},
    {"0.1", "0.099999999999999999", 1},
    {"-1", "-0.999999999999999999", -1},
    {"999999999999999999", "0.000000000000000001", 1},
    {"-999999999999999999", "0.000000000000000001", -1},
    {"-999999999999999999", "-999999999999999998", -1},
    {"0.000000000000000001", "0.000000000000000002", -1},
    {"65000.12", "65000.1", 1},
    {"65000.12", "65000.120000001", -1},
    {"100", "99.99", 1},
    {"-100", "-99.99", -1},
    {"2", "10", -1},
  };
  for (const auto& c : cases) {
    auto a = dec(c.a);
    auto b = dec(c.b);
    EXPECT_EQ(decimal::compare(a, b), c.want) << c.a << " vs " << c.b;
    EXPECT_EQ(decimal::compare(b, a), -c.want) << c.b << " vs " << c.a;
    EXPECT_EQ(a == b, c.want == 0) << c.a << " vs " << c.b;
    EXPECT_EQ(a != b, c.want != 0) << c.a << " vs " << c.b;
    EXPECT_EQ(a < b, c.want < 0) << c.a << " vs " << c.b;
    EXPECT_EQ(a <= b, c.want <= 0) << c.a << " vs " << c.b;
    EXPECT_EQ(a > b, c.want > 0) << c.a << " vs " << c.b;
    EXPECT_EQ(a >= b, c.want >= 0) << c.a << " vs " << c.b;
  }
}

TEST(DecimalCompare, FullInt64MantissasDoNotOverflow) {
  constexpr auto min = std::numeric_limits<int64_t>::min();
  constexpr auto max = std::numeric_limits<int64_t>::max();
  auto big = decimal::from_parts(max, 0);
  auto tiny = decimal::from_parts(max, 18);
  auto neg_big = decimal::from_parts(min, 0);
  auto neg_tiny = decimal::from_parts(min, 18);
  EXPECT_EQ(decimal::compare(big, tiny), 1);
  EXPECT_EQ(decimal::compare(neg_big, tiny), -1);
  EXPECT_EQ(decimal::compare(neg_big, neg_tiny), -1);
  EXPECT_EQ(decimal::compare(neg_tiny, big), -1);
  EXPECT_EQ(decimal::compare(big, big), 0);
  EXPECT_EQ(decimal::compare(neg_big, neg_big), 0);
  EXPECT_EQ(decimal::compare(decimal::from_parts(9, 0), tiny), -1);
  EXPECT_EQ(decimal::compare(decimal::from_parts(10, 0), tiny), 1);
}

TEST(DecimalCompare, PredicatesFollowTheSign) {
  EXPECT_TRUE(dec("0").is_zero());
  EXPECT_TRUE(dec("-0").is_zero());
  EXPECT_TRUE(dec("-0.1").is_negative());
  EXPECT_FALSE(dec("-0.1").is_positive());
  EXPECT_TRUE(dec("0.1").is_positive());
  EXPECT_FALSE(dec("0").is_positive());
  EXPECT_FALSE(dec("0").is_negative());
}

// -- arithmetic ---------------------------------------------------------------

struct arith_case {
  const char* a;
  const char* b;
  const char* want; // nullptr: errc::out_of_range
};

void check_arith(const char* name, result<decimal> (*op)(decimal, decimal),
                 const std::vector<arith_case>& cases) {
  for (const auto& c : cases) {
    auto r = op(dec(c.a), dec(c.b));
    if (c.want == nullptr) {
      ASSERT_FALSE(r.ok()) << name << " " << c.a << ", " << c.b << " = "
                           << r->to_string();
      EXPECT_EQ(r.err().code, errc::out_of_range) << c.a << ", " << c.b;
      continue;
    }
    ASSERT_TRUE(r.ok()) << name << " " << c.a << ", " << c.b << ": "
                        << r.err().message();
    EXPECT_EQ(r->to_string(), c.want) << name << " " << c.a << ", " << c.b;
    // The result is normalized: it equals the parse of its own text.
    EXPECT_EQ(*r, dec(c.want)) << name << " " << c.a << ", " << c.b;
  }
}

TEST(DecimalArithmetic, AddIsExact) {
  check_arith("add", decimal::add,
              {
                {"0.1", "0.2", "0.3"},
                {"1.5", "1.5", "3"},
                {"0.5", "0.5", "1"},
                {"65000.12", "0.00000001", "65000.12000001"},
                {"-1", "1", "0"},
                {"-0.001", "-0.009", "-0.01"},
                {"0", "0", "0"},
                {"123456789", "0.000000001", "123456789.000000001"},
                {"999999999999999998", "1", "999999999999999999"},
                {"-999999999999999999", "999999999999999999", "0"},
                {"0.999999999999999999", "0.000000000000000001", "1"},
                // Overflow: more than 18 significant digits.
                {"999999999999999999", "1", nullptr},
                {"-999999999999999999", "-1", nullptr},
                {"500000000000000000", "500000000000000000", nullptr},
                {"1", "0.000000000000000001", nullptr},
                {"999999999999999999", "0.1", nullptr},
              });
}

TEST(DecimalArithmetic, SubIsExact) {
  check_arith("sub", decimal::sub,
              {
                {"0.3", "0.1", "0.2"},
                {"1", "1.00", "0"},
                {"1", "0.000000000000000001", "0.999999999999999999"},
                {"-0.5", "0.5", "-1"},
                {"0", "-0.25", "0.25"},
                {"65000.12", "65000.02", "0.1"},
                {"-999999999999999998", "1", "-999999999999999999"},
                // Overflow.
                {"-999999999999999999", "1", nullptr},
                {"999999999999999999", "-1", nullptr},
                {"100000000000000000", "0.1", "99999999999999999.9"},
                {"100000000000000000", "0.01", nullptr},
              });
}

TEST(DecimalArithmetic, MulIsExactAndNormalized) {
  check_arith("mul", decimal::mul,
              {
                {"1.5", "2", "3"},
                {"0.5", "0.2", "0.1"},
                {"-0.5", "0.5", "-0.25"},
                {"-0.5", "-0.5", "0.25"},
                {"0", "12345678.12345678", "0"},
                {"65000.12", "0.001", "65.00012"},
                {"999999999", "999999999", "999999998000000001"},
                {"0.000000001", "0.000000001", "0.000000000000000001"},
                {"0.000000000000000002", "0.5", "0.000000000000000001"},
                {"0.000000000000000005", "2", "0.00000000000000001"},
                {"100000000000000000", "0.000000000000000001", "0.1"},
                {"999999999999999999", "1", "999999999999999999"},
                {"-999999999999999999", "-1", "999999999999999999"},
                // More than 18 digits.
                {"1000000000", "1000000000", nullptr},
                {"999999999999999999", "999999999999999999", nullptr},
                {"-999999999999999999", "2", nullptr},
                {"123456789.123456789", "1.1", nullptr},
                // More than 18 fractional digits: never rounded.
                {"0.000000001", "0.0000000001", nullptr},
                {"0.000000000000000001", "0.1", nullptr},
                {"0.000000000000000003", "0.5", nullptr},
              });
}

TEST(DecimalArithmetic, OverflowContextNamesTheOperands) {
  auto sum = decimal::add(dec("999999999999999999"), dec("1"));
  auto product = decimal::mul(dec("0.000000001"), dec("0.0000000001"));
  ASSERT_FALSE(sum.ok());
  ASSERT_FALSE(product.ok());
  EXPECT_EQ(sum.err().context,
            "sum does not fit in 18 digits: 999999999999999999 + 1");
  EXPECT_EQ(product.err().context,
            "product needs more than 18 fractional digits: 0.000000001 * "
            "0.0000000001");
}

TEST(DecimalArithmetic, RejectsOperandsThatBreakTheScaleInvariant) {
  decimal broken{1, 19};
  auto sum = decimal::add(broken, dec("1"));
  auto difference = decimal::sub(dec("1"), broken);
  auto product = decimal::mul(broken, dec("1"));
  EXPECT_EQ(sum.ok() ? errc{} : sum.err().code, errc::out_of_range);
  EXPECT_EQ(difference.ok() ? errc{} : difference.err().code,
            errc::out_of_range);
  EXPECT_EQ(product.ok() ? errc{} : product.err().code, errc::out_of_range);
}

// -- to_double ----------------------------------------------------------------

TEST(DecimalToDouble, IsTheNearestDouble) {
  const std::vector<const char*> texts = {
    "0",
    "0.1",
    "0.3",
    "-0.5",
    "65000.12",
    "0.000000000000000001",
    "0.123456789012345678",
    "123456789012345678",
    "-123456789012345678",
    "1.23456789012345678",
    "9007199254740993",
    "999999999999999999",
    "0.00000001",
    "37001.5",
  };
  for (const char* text : texts) {
    // strtod is correctly rounded in glibc and our text has no locale issue
    // in the "C" locale tests run under.
    EXPECT_EQ(dec(text).to_double(), std::strtod(text, nullptr)) << text;
  }
  EXPECT_EQ(decimal::from_parts(std::numeric_limits<int64_t>::min(), 0)
              .to_double(),
            -9223372036854775808.0);
}

} // namespace
} // namespace tickflow
