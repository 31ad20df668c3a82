#include "adapters/common/exact_json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tickflow::json {
namespace {

decimal dec(int64_t mantissa, uint8_t scale) {
  return decimal::from_parts(mantissa, scale);
}

TEST(ExactDocument, KeepsNumberTextAndTellsNumbersFromStrings) {
  exact_document doc;
  ASSERT_TRUE(doc.parse(R"({"n":1.35647456e+08,"s":"1.5","a":[-0.0,7],)"
                        R"("z":"a\u0000b","t":true,"o":{"x":10}})"));
  const auto& root = doc.root();
  EXPECT_TRUE(doc.is_number(root["n"]));
  EXPECT_EQ(doc.number_text(root["n"]), "1.35647456e+08");
  EXPECT_FALSE(doc.is_number(root["s"]));
  EXPECT_EQ(doc.number_text(root["s"]), std::nullopt);
  EXPECT_EQ(doc.number_text(root["a"][0]), "-0.0");
  EXPECT_EQ(doc.number_text(root["a"][1]), "7");
  EXPECT_FALSE(doc.is_number(root["z"]));
  EXPECT_EQ(std::string_view(root["z"].GetString(),
                             root["z"].GetStringLength()),
            std::string_view("a\0b", 3));
  EXPECT_FALSE(doc.is_number(root["t"]));
  EXPECT_FALSE(doc.is_number(root["o"]));
  EXPECT_EQ(doc.number_text(root["o"]["x"]), "10");
}

TEST(ExactDocument, RejectsWhatIsNotOneJsonValue) {
  const char* bad[] = {"", " ", "{", "[1,]", "{\"a\":1}x", "01", "1.",
                       "NaN", "\"\xff\"", "{\"a\" 1}", "[1] [2]"};
  for (const char* text : bad) {
    exact_document doc;
    auto r = doc.parse(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.err().code, errc::malformed) << text;
    EXPECT_EQ(r.err().context.rfind("offset ", 0), 0u) << r.err().context;
    EXPECT_TRUE(doc.root().IsNull());
  }
}

TEST(ExactDocument, DeepNestingFailsWithoutRecursion) {
  exact_document doc;
  std::string deep(200'000, '[');
  EXPECT_FALSE(doc.parse(deep));
  std::string ok = std::string(10'000, '[') + std::string(10'000, ']');
  EXPECT_TRUE(doc.parse(ok));
}

TEST(ExactDocument, ReparsingReplacesTheContent) {
  exact_document doc;
  ASSERT_TRUE(doc.parse(R"({"a":1})"));
  ASSERT_TRUE(doc.parse(R"({"b":"x"})"));
  EXPECT_FALSE(doc.root().HasMember("a"));
  EXPECT_FALSE(doc.is_number(doc.root()["b"]));
  EXPECT_FALSE(doc.parse("]"));
  EXPECT_TRUE(doc.root().IsNull());
}

TEST(ExactReader, ReadsTypedFields) {
  exact_document doc;
  ASSERT_TRUE(doc.parse(
    R"({"s":"AAPL","p":74.06,"v":1.35647456e+08,"t":1617901342969796400,)"
    R"("n":3,"b":false,"a":[1.5,2],"nul":null})"));
  exact_reader in{doc, doc.root()};
  EXPECT_EQ(in.string("s"), "AAPL");
  EXPECT_EQ(in.number("p"), dec(7406, 2));
  EXPECT_EQ(in.number("v"), dec(135647456, 0));
  EXPECT_EQ(in.integer("t"), 1'617'901'342'969'796'400);
  EXPECT_EQ(in.count("n"), 3u);
  EXPECT_FALSE(in.boolean("b"));
  auto a = in.array("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(in.number_at(*a, "a", 0), dec(15, 1));
  EXPECT_EQ(in.integer_at(*a, "a", 1), 2);
  EXPECT_EQ(in.optional_string("nul"), "");
  EXPECT_EQ(in.optional_string("absent"), "");
  EXPECT_TRUE(in.has("nul"));
  EXPECT_FALSE(in.has_value("nul"));
  EXPECT_TRUE(in.has_value("s"));
  EXPECT_TRUE(in);
}

TEST(ExactReader, ReportsTheFirstProblem) {
  exact_document doc;
  ASSERT_TRUE(doc.parse(R"({"s":"74.06","n":74.06,"neg":-1,"f":1.5,)"
                        R"("big":1e-19,"arr":[1,"x"],"nul":null,"o":{}})"));
  struct row {
    const char* name;
    int getter; // 0 string, 1 number, 2 integer, 3 count, 4 bool, 5 array,
                // 6 number_at(arr, 1)
    errc code;
    const char* context;
  };
  const row rows[] = {
    {"absent", 1, errc::missing_field, "r.absent"},
    {"s", 1, errc::malformed, "r.s: expected a number, got a string"},
    {"nul", 1, errc::malformed, "r.nul: expected a number, got null"},
    {"o", 2, errc::malformed, "r.o: expected a number, got an object"},
    {"n", 0, errc::malformed, "r.n: expected a string, got a number"},
    {"f", 2, errc::bad_number, "r.f: "},
    {"big", 1, errc::bad_number, "r.big: "},
    {"neg", 3, errc::out_of_range, "r.neg: expected a count >= 0"},
    {"n", 4, errc::malformed, "r.n: expected a boolean, got a number"},
    {"s", 5, errc::malformed, "r.s: expected an array, got a string"},
    {"arr", 6, errc::malformed, "r.arr[1]: expected a number, got a string"},
  };
  for (const auto& r : rows) {
    exact_reader in{doc, doc.root(), "r."};
    switch (r.getter) {
      case 0: in.string(r.name); break;
      case 1: in.number(r.name); break;
      case 2: in.integer(r.name); break;
      case 3: in.count(r.name); break;
      case 4: in.boolean(r.name); break;
      case 5: in.array(r.name); break;
      case 6: in.number_at(*in.array(r.name), r.name, 1); break;
    }
    ASSERT_FALSE(in) << r.name;
    EXPECT_EQ(in.err().code, r.code) << r.name;
    EXPECT_EQ(in.err().context.rfind(r.context, 0), 0u)
      << r.name << " -> " << in.err().context;
    // Later reads and failures keep the first error.
    EXPECT_EQ(in.string("s"), "");
    in.fail(errc::unknown_symbol, "x", "later");
    EXPECT_EQ(in.err().code, r.code);
  }
}

TEST(ExactReader, NotAnObject) {
  exact_document doc;
  ASSERT_TRUE(doc.parse("[1]"));
  exact_reader top{doc, doc.root()};
  ASSERT_FALSE(top);
  EXPECT_EQ(top.err().code, errc::malformed);
  EXPECT_EQ(top.err().context, "not an object");
  exact_reader nested{doc, doc.root()[0], "results[0]."};
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.err().context, "results[0]: not an object");
  EXPECT_FALSE(nested.has("x"));
  EXPECT_FALSE(nested.has_value("x"));
}

TEST(ExactDocument, StringMemberReadsOnlyRealStrings) {
  exact_document doc;
  ASSERT_TRUE(doc.parse(R"({"s":"OK","n":1.5,"t":"1.5","z":null,"o":{}})"));
  EXPECT_EQ(doc.string_member(doc.root(), "s"), "OK");
  EXPECT_EQ(doc.string_member(doc.root(), "t"), "1.5");
  EXPECT_EQ(doc.string_member(doc.root(), "n"), ""); // a number
  EXPECT_EQ(doc.string_member(doc.root(), "z"), "");
  EXPECT_EQ(doc.string_member(doc.root(), "o"), "");
  EXPECT_EQ(doc.string_member(doc.root(), "absent"), "");
  EXPECT_EQ(doc.string_member(doc.root()["o"], "s"), "");
  ASSERT_TRUE(doc.parse("[1]"));
  EXPECT_EQ(doc.string_member(doc.root(), "s"), ""); // not an object
}

TEST(ExactReader, ChecksOptionalStrings) {
  struct row {
    const char* json;
    bool ok;
    errc code;
    std::string context;
  };
  const row rows[] = {
    {R"({"T":"AAPL"})", true, errc::malformed, ""},
    {R"({})", true, errc::malformed, ""},
    {R"({"T":null})", true, errc::malformed, ""},
    {R"({"T":"MSFT"})", false, errc::malformed,
     R"(results[0].T: expected "AAPL", got "MSFT")"},
    {R"({"T":7})", false, errc::malformed,
     "results[0].T: expected a string, got a number"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.json);
    exact_document doc;
    ASSERT_TRUE(doc.parse(r.json));
    exact_reader in{doc, doc.root(), "results[0]."};
    in.check_optional_string("T", "AAPL");
    EXPECT_EQ(static_cast<bool>(in), r.ok);
    if (!in) {
      EXPECT_EQ(in.err().code, r.code);
      EXPECT_EQ(in.err().context, r.context);
    }
  }
  // The first error stays.
  exact_document doc;
  ASSERT_TRUE(doc.parse(R"({"T":"MSFT"})"));
  exact_reader in{doc, doc.root()};
  in.fail(errc::missing_field, "x", {});
  in.check_optional_string("T", "AAPL");
  EXPECT_EQ(in.err().context, "x");
}

TEST(ExactDocument, WithExactDocumentParsesThenCalls) {
  auto read = [](std::string_view body) {
    return with_exact_document(body, [](const exact_document& doc)
                                       -> result<decimal> {
      exact_reader in{doc, doc.root()};
      auto x = in.number("p");
      if (!in)
        return in.err();
      return x;
    });
  };
  auto ok = read(R"({"p":74.06})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, dec(7406, 2));
  auto wrong_type = read(R"({"p":"74.06"})");
  ASSERT_FALSE(wrong_type);
  EXPECT_EQ(wrong_type.err().code, errc::malformed);
  auto garbage = read("{");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.err().code, errc::malformed);
  EXPECT_EQ(garbage.err().context.rfind("offset ", 0), 0u);
}

} // namespace
} // namespace tickflow::json
