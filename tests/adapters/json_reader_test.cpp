#include "adapters/common/json_reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tickflow::json {
namespace {

rapidjson::Document parse(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

constexpr std::string_view sample =
  R"({"s":"BTCUSDT","t":17,"p":"65000.12","q":"0.00100000","m":true,)"
  R"("T":1700000000120000000,"n":18446744073709551615,"z":"a\u0000b",)"
  R"("neg":-5,"f":1.5,"big":99999999999999999999,"nul":null})";

TEST(JsonReader, ReadsTypedFields) {
  auto doc = parse(sample);
  reader in{doc};
  EXPECT_EQ(in.string("s"), "BTCUSDT");
  EXPECT_EQ(in.int64("t"), 17);
  EXPECT_EQ(in.decimal_from_string("p").to_string(), "65000.12");
  EXPECT_EQ(in.decimal_from_string("q").to_string(), "0.001");
  EXPECT_TRUE(in.boolean("m"));
  EXPECT_EQ(in.int64("T"), 1'700'000'000'120'000'000);
  EXPECT_EQ(in.uint64("n"), 18'446'744'073'709'551'615u);
  EXPECT_EQ(in.string("z"), std::string_view("a\0b", 3));
  EXPECT_EQ(in.int64("neg"), -5);
  EXPECT_TRUE(in.has("nul"));
  EXPECT_FALSE(in.has("absent"));
  EXPECT_TRUE(in);
}

TEST(JsonReader, ReportsTheFirstProblem) {
  struct row {
    const char* field;
    int kind; // which getter: 0 string, 1 int64, 2 uint64, 3 bool, 4 decimal
    errc code;
    const char* context;
  };
  const row rows[] = {
    {"absent", 0, errc::missing_field, "absent"},
    {"absent", 1, errc::missing_field, "absent"},
    {"absent", 3, errc::missing_field, "absent"},
    {"absent", 4, errc::missing_field, "absent"},
    {"t", 0, errc::malformed, "t: expected a string"},
    {"nul", 0, errc::malformed, "nul: expected a string"},
    {"s", 1, errc::bad_number, "s: expected an int64"},
    {"f", 1, errc::bad_number, "f: expected an int64"},
    {"n", 1, errc::bad_number, "n: expected an int64"},
    {"big", 1, errc::bad_number, "big: expected an int64"},
    {"neg", 2, errc::bad_number, "neg: expected a uint64"},
    {"big", 2, errc::bad_number, "big: expected a uint64"},
    {"s", 3, errc::malformed, "s: expected a boolean"},
    {"t", 3, errc::malformed, "t: expected a boolean"},
    {"f", 4, errc::bad_number, "f: expected a decimal string"},
    {"s", 4, errc::bad_number, "s: "}, // prefix; decimal::parse says why
    {"z", 4, errc::bad_number, "z: "},
  };
  auto doc = parse(sample);
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{r.field} + " via getter "
                 + std::to_string(r.kind));
    reader in{doc};
    switch (r.kind) {
      case 0:
        EXPECT_EQ(in.string(r.field), "");
        break;
      case 1:
        EXPECT_EQ(in.int64(r.field), 0);
        break;
      case 2:
        EXPECT_EQ(in.uint64(r.field), 0u);
        break;
      case 3:
        EXPECT_FALSE(in.boolean(r.field));
        break;
      default:
        EXPECT_EQ(in.decimal_from_string(r.field), decimal{});
    }
    // Later reads neither succeed nor replace the first error.
    EXPECT_EQ(in.string("s"), "");
    EXPECT_EQ(in.int64("absent2"), 0);
    ASSERT_FALSE(in);
    EXPECT_EQ(in.err().code, r.code);
    EXPECT_EQ(in.err().context.rfind(r.context, 0), 0u) << in.err().context;
  }
}

TEST(JsonReader, RejectsAValueThatIsNotAnObject) {
  for (auto text : {"[]", "null", "42", "\"s\"", "[{\"s\":1}]"}) {
    SCOPED_TRACE(text);
    auto doc = parse(text);
    reader in{doc};
    EXPECT_FALSE(in);
    EXPECT_EQ(in.string("s"), "");
    EXPECT_FALSE(in.has("s"));
    ASSERT_FALSE(in);
    EXPECT_EQ(in.err().code, errc::malformed);
    EXPECT_EQ(in.err().context, "not an object");
  }
}

TEST(JsonReader, ReadsNestedObjects) {
  auto doc = parse(R"({"data":{"s":"ETHUSDT"}})");
  reader in{doc["data"]};
  EXPECT_EQ(in.string("s"), "ETHUSDT");
  EXPECT_TRUE(in);
}

} // namespace
} // namespace tickflow::json
