#include "adapters/common/json_number.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tickflow::json {
namespace {

TEST(JsonNumber, ConvertsNumberTextExactly) {
  struct row {
    std::string_view text;
    std::string_view expected; // decimal::to_string
  };
  const row rows[] = {
    {"0", "0"},
    {"-0", "0"},
    {"61942", "61942"},
    {"-12.5", "-12.5"},
    {"0.00100000", "0.001"},
    {"67187.3358936566", "67187.3358936566"},
    {"1.1217849254608154", "1.1217849254608154"},
    {"21864.74930690019", "21864.74930690019"},
    {"129.0399932861328", "129.0399932861328"},
    {"999999999999999999", "999999999999999999"},
    {"0.000000000000000001", "0.000000000000000001"},
    // Exponent forms: the point moves in the text.
    {"1.35647456e+08", "135647456"},
    {"1.35647456E8", "135647456"},
    {"5e-05", "0.00005"},
    {"5E-5", "0.00005"},
    {"-2.5e-3", "-0.0025"},
    {"1e3", "1000"},
    {"1.5e1", "15"},
    {"12345e-2", "123.45"},
    {"0.00012e+4", "1.2"},
    {"1.000e+02", "100"},
    {"0e7", "0"},
    {"0.0e-999999999999", "0"},
    {"9.99999999999999999e17", "999999999999999999"},
    {"1e-18", "0.000000000000000001"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{r.text});
    auto d = decimal_from_number(r.text);
    ASSERT_TRUE(d) << d.err().message();
    EXPECT_EQ(d->to_string(), r.expected);
  }
}

TEST(JsonNumber, RejectsTextOutsideTheGrammar) {
  struct row {
    std::string_view text;
    std::string_view problem; // prefix of the error context
  };
  const row rows[] = {
    {"", "empty number"},
    {"-", "not a JSON number"},
    {"+1", "not a JSON number"},
    {".5", "not a JSON number"},
    {"abc", "not a JSON number"},
    {"NaN", "not a JSON number"},
    {"Infinity", "not a JSON number"},
    {"-Infinity", "not a JSON number"},
    {"01", "leading zero in a JSON number"},
    {"-007", "leading zero in a JSON number"},
    {"1.", "missing digit after the decimal point"},
    {"1.e5", "missing digit after the decimal point"},
    {"1e", "missing exponent digits"},
    {"1e+", "missing exponent digits"},
    {"1 ", "unexpected character after a JSON number"},
    {" 1", "not a JSON number"},
    {"1.2.3", "unexpected character after a JSON number"},
    {"1e5x", "unexpected character after a JSON number"},
    {"0x10", "unexpected character after a JSON number"},
    {"12,5", "unexpected character after a JSON number"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{r.text});
    auto d = decimal_from_number(r.text);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.err().code, errc::bad_number);
    EXPECT_EQ(d.err().context.rfind(r.problem, 0), 0u) << d.err().context;
  }
}

TEST(JsonNumber, RejectsValuesThatCannotBeExact) {
  const std::string_view rows[] = {
    "1234567890123456789",     // 19 significant digits
    "0.1234567890123456789",   // 19 fractional digits
    "1e18",                    // 19 integer digits
    "1e-19",                   // 19 fractional digits
    "1.2345678901234567e-3",   // 20 fractional digits
    "2.1357000150601384e-5",   // a tiny Yahoo price: 21 fractional digits
    "9e999999999999999999999", // saturated exponent
    "1e-999999",
  };
  for (auto text : rows) {
    SCOPED_TRACE(std::string{text});
    auto d = decimal_from_number(text);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.err().code, errc::bad_number);
    // The context always quotes what the provider sent.
    EXPECT_NE(d.err().context.find(std::string{text.substr(0, 10)}),
              std::string::npos)
      << d.err().context;
  }
}

TEST(JsonNumber, ReadsIntegers) {
  struct row {
    std::string_view text;
    bool ok;
    int64_t expected;
  };
  const row rows[] = {
    {"1711356300", true, 1'711'356'300},
    {"-5", true, -5},
    {"0", true, 0},
    {"9223372036854775807", true, 9'223'372'036'854'775'807},
    {"-9223372036854775808", true, INT64_MIN},
    {"1.7e12", true, 1'700'000'000'000},
    {"1711843200000.0", true, 1'711'843'200'000},
    {"9223372036854775808", false, 0},
    {"1.5", false, 0},
    {"1e-1", false, 0},
    {"abc", false, 0},
    {"", false, 0},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{r.text});
    auto i = int64_from_number(r.text);
    ASSERT_EQ(i.ok(), r.ok);
    if (r.ok)
      EXPECT_EQ(*i, r.expected);
    else
      EXPECT_EQ(i.err().code, errc::bad_number);
  }
}

TEST(JsonNumber, ParsesDocumentsKeepingNumberText) {
  rapidjson::Document doc;
  auto ok = parse_with_number_text(
    R"({"p":1.35647456e+08,"q":"0.5","t":1711356300,"n":null,"a":[61942]})",
    doc);
  ASSERT_TRUE(ok) << ok.err().message();
  ASSERT_TRUE(doc["p"].IsString());
  EXPECT_EQ(std::string(doc["p"].GetString()), "1.35647456e+08");
  EXPECT_EQ(to_decimal(doc["p"])->to_string(), "135647456");
  EXPECT_EQ(to_decimal(doc["q"])->to_string(), "0.5");
  EXPECT_EQ(*to_int64(doc["t"]), 1'711'356'300);
  EXPECT_EQ(to_decimal(doc["a"][0])->to_string(), "61942");
  EXPECT_EQ(to_decimal(doc["n"]).err().code, errc::bad_number);
  EXPECT_EQ(to_int64(doc["a"]).err().code, errc::bad_number);
}

TEST(JsonNumber, RejectsDocumentsThatAreNotOneJsonValue) {
  const std::string_view rows[] = {
    "",
    "   ",
    "{",
    "{}}",
    "{} {}",
    "<html>429 Too Many Requests</html>",
    "Ticker Not Found.",
    "[1,2,]",
    "{\"a\":NaN}",
    std::string_view("{}\0trailing", 11),
    std::string_view("{\"a\":1\0}", 8),
  };
  for (auto text : rows) {
    SCOPED_TRACE(std::string{text});
    rapidjson::Document doc;
    auto r = parse_with_number_text(text, doc);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.err().code, errc::malformed);
    EXPECT_NE(r.err().context.find("offset"), std::string::npos);
  }
}

TEST(JsonNumber, SurvivesDeepNesting) {
  std::string deep(100'000, '[');
  rapidjson::Document doc;
  auto r = parse_with_number_text(deep, doc);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().code, errc::malformed);
}

constexpr std::string_view reader_sample =
  R"({"price":67187.3358936566,"quoted":"168.18","ts":1711356300,)"
  R"("sym":"BTC","obj":{},"arr":[],"nul":null,"bad":"12abc","frac":1.5})";

TEST(JsonNumberReader, ReadsTypedFields) {
  rapidjson::Document doc;
  ASSERT_TRUE(parse_with_number_text(reader_sample, doc));
  number_reader in{doc};
  EXPECT_EQ(in.decimal("price").to_string(), "67187.3358936566");
  EXPECT_EQ(in.decimal("quoted").to_string(), "168.18");
  EXPECT_EQ(in.int64("ts"), 1'711'356'300);
  EXPECT_EQ(in.string("sym"), "BTC");
  EXPECT_NE(in.object("obj"), nullptr);
  EXPECT_NE(in.array("arr"), nullptr);
  EXPECT_TRUE(in.has("nul"));
  EXPECT_FALSE(in.has("absent"));
  EXPECT_TRUE(in);
}

TEST(JsonNumberReader, ReportsTheFirstProblemWithItsPath) {
  struct row {
    const char* field;
    int getter; // 0 string, 1 decimal, 2 int64, 3 object, 4 array
    errc code;
    std::string_view context; // prefix
  };
  const row rows[] = {
    {"absent", 0, errc::missing_field, "quote.USD.absent"},
    {"absent", 1, errc::missing_field, "quote.USD.absent"},
    {"absent", 2, errc::missing_field, "quote.USD.absent"},
    {"absent", 3, errc::missing_field, "quote.USD.absent"},
    {"absent", 4, errc::missing_field, "quote.USD.absent"},
    {"obj", 0, errc::malformed, "quote.USD.obj: expected a string"},
    {"nul", 1, errc::bad_number, "quote.USD.nul: expected a number"},
    {"obj", 1, errc::bad_number, "quote.USD.obj: expected a number"},
    {"bad", 1, errc::bad_number,
     "quote.USD.bad: unexpected character after a JSON number"},
    {"sym", 1, errc::bad_number, "quote.USD.sym: not a JSON number"},
    {"frac", 2, errc::bad_number, "quote.USD.frac: not a whole number"},
    {"arr", 2, errc::bad_number, "quote.USD.arr: expected an integer"},
    {"arr", 3, errc::malformed, "quote.USD.arr: expected an object"},
    {"obj", 4, errc::malformed, "quote.USD.obj: expected an array"},
  };
  rapidjson::Document doc;
  ASSERT_TRUE(parse_with_number_text(reader_sample, doc));
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{r.field} + " via getter "
                 + std::to_string(r.getter));
    number_reader in{doc, "quote.USD"};
    switch (r.getter) {
      case 0:
        EXPECT_EQ(in.string(r.field), "");
        break;
      case 1:
        EXPECT_TRUE(in.decimal(r.field).is_zero());
        break;
      case 2:
        EXPECT_EQ(in.int64(r.field), 0);
        break;
      case 3:
        EXPECT_EQ(in.object(r.field), nullptr);
        break;
      default:
        EXPECT_EQ(in.array(r.field), nullptr);
        break;
    }
    ASSERT_FALSE(in);
    EXPECT_EQ(in.err().code, r.code);
    EXPECT_EQ(in.err().context.rfind(r.context, 0), 0u) << in.err().context;
    // Later reads keep the first error and return defaults.
    EXPECT_EQ(in.decimal("price"), decimal{});
    EXPECT_EQ(in.err().code, r.code);
  }
}

TEST(JsonNumberReader, RejectsANonObject) {
  rapidjson::Document doc;
  ASSERT_TRUE(parse_with_number_text("[1,2]", doc));
  number_reader in{doc, "data"};
  EXPECT_FALSE(in);
  EXPECT_EQ(in.err().code, errc::malformed);
  EXPECT_EQ(in.err().context, "data: not an object");
  EXPECT_FALSE(in.has("x"));
  EXPECT_EQ(in.string("x"), "");
}

} // namespace
} // namespace tickflow::json
