// api/routes/query: the one reader of query parameters (trimming, empty is
// absent, the first problem wins, the messages of each kind of value).

#include "api/routes/query.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace tickflow;
using namespace tickflow::api;

namespace {

using pairs = std::vector<std::pair<std::string, std::string>>;

http_request request(pairs query) {
  http_request req;
  req.method = "GET";
  req.path = "/x";
  req.query = std::move(query);
  return req;
}

TEST(QueryReader, TrimsAndTreatsEmptyAsAbsent) {
  auto req = request({{"a", " \t1 \r\n"}, {"b", "   "}, {"a", "2"}, {"A", "3"}});
  query_reader in{req};
  EXPECT_EQ(in.text("a"), "1"); // the first of repeats
  EXPECT_EQ(in.text("b"), "");
  EXPECT_EQ(in.text("c"), "");
  EXPECT_EQ(in.text("A"), "3"); // names are case-sensitive
  EXPECT_EQ(in.whole("b", 1, 9, 7), 7u);
  EXPECT_TRUE(in);
  std::vector<std::string> all;
  in.each_value("a", [&](std::string_view v) { all.emplace_back(v); });
  EXPECT_EQ(all, (std::vector<std::string>{" \t1 \r\n", "2"}));
}

TEST(QueryReader, Symbols) {
  struct row {
    const char* name;
    pairs query;
    std::string want;   // on success
    std::string code;   // on failure
  } rows[] = {
    {"canonical", {{"symbol", "BTC-USDT"}}, "BTC-USDT", ""},
    {"upper-cased and trimmed", {{"symbol", " eth-usd\t"}}, "ETH-USD", ""},
    {"missing", {}, "", "missing_parameter"},
    {"blank", {{"symbol", " "}}, "", "missing_parameter"},
    {"inner space", {{"symbol", "BTC USD"}}, "", "invalid_parameter"},
    {"too long", {{"symbol", std::string(33, 'A')}}, "", "invalid_parameter"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto req = request(r.query);
    query_reader in{req};
    auto got = in.symbol();
    if (r.code.empty()) {
      EXPECT_TRUE(in);
      EXPECT_EQ(got, r.want);
      continue;
    }
    ASSERT_FALSE(in);
    EXPECT_EQ(in.error().status, 400u);
    EXPECT_EQ(in.error().code, r.code);
    EXPECT_EQ(in.error().field, "symbol");
  }
  auto req = request({{"symbol", "$"}});
  query_reader in{req};
  in.symbol();
  EXPECT_EQ(in.error().message, symbol_rule);
  query_reader other{req};
  other.symbol("custom rule");
  EXPECT_EQ(other.error().message, "custom rule");
}

TEST(QueryReader, TheFirstProblemWins) {
  auto req = request({{"interval", "7x"}, {"limit", "0"}});
  query_reader in{req};
  auto symbol = in.symbol();
  auto span = in.span(interval::h1);
  auto limit = in.whole("limit", 1, 10, 5);
  EXPECT_TRUE(symbol.empty());
  EXPECT_EQ(span, interval::h1); // fallbacks once a problem is known
  EXPECT_EQ(limit, 5u);
  ASSERT_FALSE(in);
  EXPECT_EQ(in.error().code, "missing_parameter");
  EXPECT_EQ(in.error().message, "missing required parameter 'symbol'");
}

TEST(QueryReader, WholeNumbersAndTheirMessages) {
  struct row {
    std::string text;
    range_words words;
    std::string message; // "" = accepted as 7
  } rows[] = {
    {"7", range_words::from_to, ""},
    {"007", range_words::from_to, ""},
    {"0", range_words::from_to, "'n' must be an integer from 1 to 10"},
    {"11", range_words::dots, "'n' must be an integer in 1..10"},
    {"-1", range_words::from_to, "'n' must be an integer from 1 to 10"},
    {"+5", range_words::from_to, "'n' must be an integer from 1 to 10"},
    {"1.5", range_words::dots, "'n' must be an integer in 1..10"},
    {"99999999999999999999999", range_words::dots, "'n' must be an integer in 1..10"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.text);
    auto req = request({{"n", r.text}});
    query_reader in{req};
    auto n = in.whole("n", 1, 10, 3, r.words);
    if (r.message.empty()) {
      EXPECT_TRUE(in);
      EXPECT_EQ(n, 7u);
    } else {
      ASSERT_FALSE(in);
      EXPECT_EQ(in.error().code, "invalid_parameter");
      EXPECT_EQ(in.error().field, "n");
      EXPECT_EQ(in.error().message, r.message);
    }
  }
}

TEST(QueryReader, PositiveNumbers) {
  for (auto [text, ok] : {std::pair{"2.5", true}, {"100", true}, {"0", false},
                          {"-1", false}, {"101", false}, {"nan", false}, {"inf", false},
                          {"2x", false}}) {
    SCOPED_TRACE(text);
    auto req = request({{"k", text}});
    query_reader in{req};
    auto k = in.positive("k", 100, 2.0, "rule of k");
    EXPECT_EQ(static_cast<bool>(in), ok);
    if (!ok) {
      EXPECT_EQ(in.error().message, "rule of k");
      EXPECT_EQ(k, 2.0);
    }
  }
}

TEST(QueryReader, TimestampsAndTheirOrder) {
  constexpr int64_t s = 1'000'000'000;
  auto req = request({{"start", "2024-01-02"}, {"end", "1704153601"}});
  query_reader in{req};
  auto start = in.timestamp("start");
  auto end = in.timestamp("end");
  in.ordered(start, end);
  EXPECT_TRUE(in);
  EXPECT_EQ(start, 1704153600 * s);
  EXPECT_EQ(end, 1704153601 * s);
  EXPECT_EQ(in.timestamp("absent"), 0);
  for (auto bad : {"yesterday", "-5", "2024-13-01"}) {
    auto r = request({{"end", bad}});
    query_reader x{r};
    x.timestamp("end");
    ASSERT_FALSE(x) << bad;
    EXPECT_EQ(x.error().field, "end");
    EXPECT_EQ(x.error().message, "'end' must be a date (YYYY-MM-DD), an ISO 8601 UTC "
                                 "time or an epoch number");
  }
  query_reader late{req};
  late.ordered(2, 1);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().field, "start");
  EXPECT_EQ(late.error().message, "'start' must not be after 'end'");
  query_reader open{req};
  open.ordered(5, 0); // an open end
  open.ordered(0, 5);
  EXPECT_TRUE(open);
}

TEST(QueryReader, ARangeTellsTheEpochFromAbsence) {
  constexpr int64_t s = 1'000'000'000;
  struct row {
    std::vector<std::pair<std::string, std::string>> params;
    std::optional<int64_t> start, end;
    std::string field; // the refused parameter, "" when accepted
  };
  const std::vector<row> rows = {
    {{}, std::nullopt, std::nullopt, ""},
    {{{"start", "0"}}, 0, std::nullopt, ""},
    {{{"start", "1970-01-01"}}, 0, std::nullopt, ""},
    {{{"start", "1970-01-01"}, {"end", "1"}}, 0, 1 * s, ""},
    {{{"start", "2024-01-02"}, {"end", "2024-01-02"}}, 1704153600 * s, 1704153600 * s, ""},
    {{{"start", "2025-01-01"}, {"end", "1970-01-01"}}, {}, {}, "end"},
    {{{"start", "2025-01-01"}, {"end", "0"}}, {}, {}, "end"},
    {{{"end", "0"}}, {}, {}, "end"},
    {{{"start", "2025-02-01"}, {"end", "2025-01-01"}}, {}, {}, "start"},
    {{{"start", "yesterday"}}, {}, {}, "start"},
  };
  for (auto& r : rows) {
    auto req = request(r.params);
    query_reader in{req};
    auto got = in.range();
    if (!r.field.empty()) {
      ASSERT_FALSE(in) << r.params.size();
      EXPECT_EQ(in.error().code, "invalid_parameter");
      EXPECT_EQ(in.error().field, r.field);
      continue;
    }
    ASSERT_TRUE(in) << in.error().message;
    EXPECT_EQ(got.start_ns, r.start);
    EXPECT_EQ(got.end_ns, r.end);
  }
}

TEST(QueryReader, FlagsProvidersAndIntervals) {
  auto req = request({{"v", "1"}, {"w", "no"}, {"provider", "BINANCE"}, {"interval", "1M"}});
  query_reader in{req};
  EXPECT_TRUE(in.flag("v"));
  EXPECT_FALSE(in.flag("absent"));
  EXPECT_EQ(in.provider(), "binance");
  EXPECT_EQ(in.span(interval::m1), interval::mo1);
  EXPECT_TRUE(in);
  in.flag("w");
  ASSERT_FALSE(in);
  EXPECT_EQ(in.error().message, "'w' must be true or false");
  auto bad = request({{"provider", "nobody"}, {"interval", "1H"}});
  query_reader p{bad};
  EXPECT_EQ(p.provider(), "");
  EXPECT_EQ(p.error().field, "provider");
  query_reader i{bad};
  i.span(interval::m1);
  EXPECT_EQ(i.error().field, "interval");
  EXPECT_EQ(i.error().message, "'interval' must be one of 1s, 1m, 3m, 5m, 15m, 30m, "
                               "1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M");
}

TEST(QueryReader, InstrumentsGivenElsewhere) {
  EXPECT_EQ(std::get<std::string>(read_instrument(" aapl ")), "AAPL");
  auto missing = std::get<api_error>(read_instrument(""));
  EXPECT_EQ(missing.code, "missing_parameter");
  EXPECT_EQ(missing.field, "symbol");
  auto bad = std::get<api_error>(read_instrument("<script>", "no such id"));
  EXPECT_EQ(bad.code, "invalid_parameter");
  EXPECT_EQ(bad.message, "no such id");
  auto req = request({});
  query_reader in{req};
  EXPECT_EQ(in.instrument("brk.b", symbol_rule), "BRK.B");
  EXPECT_TRUE(in);
}

TEST(QueryReader, CustomProblems) {
  auto req = request({});
  query_reader in{req};
  in.missing("pattern", "pattern is required");
  in.invalid("other", "ignored: not the first");
  ASSERT_FALSE(in);
  EXPECT_EQ(in.error().code, "missing_parameter");
  EXPECT_EQ(in.error().message, "pattern is required");
  EXPECT_EQ(trim_space("\v\f x y \n"), "x y");
}

} // namespace
