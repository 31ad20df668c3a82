#include "api/routes/data.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

using namespace tickflow;
using namespace tickflow::api;

namespace {

using pairs = std::vector<std::pair<std::string, std::string>>;

constexpr int64_t s = 1'000'000'000;

http_request make_request(pairs query) {
  http_request req;
  req.method = "GET";
  req.path = "/api/v1/data/ohlcv";
  req.query = std::move(query);
  return req;
}

// Expected failure: empty code means success.
struct want_error {
  std::string code;
  std::string field;
};

// -- price --------------------------------------------------------------------

struct price_case {
  std::string name;
  pairs query;
  std::string instrument;
  want_error err;
};

const price_case price_cases[] = {
  {"canonical", {{"symbol", "BTC-USDT"}}, "BTC-USDT", {}},
  {"lowercase", {{"symbol", "btc-usdt"}}, "BTC-USDT", {}},
  {"mixed and trimmed", {{"symbol", " \teth-Usd "}}, "ETH-USD", {}},
  {"share class", {{"symbol", "brk.b"}}, "BRK.B", {}},
  // Resolved to the canonical id (issue 21: EURUSD=X was kept as written).
  {"fx", {{"symbol", "EURUSD=X"}}, "EUR-USD", {}},
  {"polygon fx", {{"symbol", "C:EURUSD"}}, "EUR-USD", {}},
  {"pair without dash", {{"symbol", "btcusdt"}}, "BTC-USDT", {}},
  {"pair with slash", {{"symbol", "BTC/USDT"}}, "BTC-USDT", {}},
  {"venue prefix", {{"symbol", "BINANCE:BTCUSDT"}}, "BTC-USDT", {}},
  {"usd is not usdt", {{"symbol", "X:BTCUSD"}}, "BTC-USD", {}},
  {"futures", {{"symbol", "esz4"}}, "ESZ4", {}},
  {"first of two", {{"symbol", "AAA"}, {"symbol", "BBB"}}, "AAA", {}},
  {"other params ignored", {{"x", "1"}, {"symbol", "AAPL"}}, "AAPL", {}},
  {"missing", {}, "", {"missing_parameter", "symbol"}},
  {"empty", {{"symbol", ""}}, "", {"missing_parameter", "symbol"}},
  {"blank", {{"symbol", "   "}}, "", {"missing_parameter", "symbol"}},
  {"wrong name", {{"sym", "BTC"}}, "", {"missing_parameter", "symbol"}},
  {"inner space", {{"symbol", "BTC USDT"}}, "",
   {"invalid_parameter", "symbol"}},
  {"leading dash", {{"symbol", "-BTC"}}, "", {"invalid_parameter", "symbol"}},
  {"bad char", {{"symbol", "BTC$"}}, "", {"invalid_parameter", "symbol"}},
  {"non ascii", {{"symbol", "\xE2\x82\xAC"}}, "",
   {"invalid_parameter", "symbol"}},
  {"too long", {{"symbol", std::string(33, 'A')}}, "",
   {"invalid_parameter", "symbol"}},
};

TEST(DataQueriesTest, Price) {
  for (const auto& c : price_cases) {
    SCOPED_TRACE(c.name);
    auto got = parse_price_query(make_request(c.query));
    if (c.err.code.empty()) {
      ASSERT_TRUE(std::holds_alternative<price_query>(got))
        << std::get<api_error>(got).message;
      EXPECT_EQ(std::get<price_query>(got).instrument, c.instrument);
    } else {
      ASSERT_TRUE(std::holds_alternative<api_error>(got));
      const auto& e = std::get<api_error>(got);
      EXPECT_EQ(e.status, 400u);
      EXPECT_EQ(e.code, c.err.code);
      EXPECT_EQ(e.field, c.err.field);
      EXPECT_FALSE(e.message.empty());
    }
  }
}

TEST(DataQueriesTest, PriceEchoesTheSymbolAsWritten) {
  auto got = parse_price_query(make_request({{"symbol", " btcusdt "}}));
  ASSERT_TRUE(std::holds_alternative<price_query>(got));
  EXPECT_EQ(std::get<price_query>(got).instrument, "BTC-USDT");
  EXPECT_EQ(std::get<price_query>(got).requested, "btcusdt");
}

TEST(DataQueriesTest, AnAmbiguousSymbolListsItsCandidates) {
  symbol_resolver known{{"BTC-USD", "BTC-USDT"}, {}};
  auto got = parse_ohlcv_query(make_request({{"symbol", "btc"}}), known);
  ASSERT_TRUE(std::holds_alternative<api_error>(got));
  auto& e = std::get<api_error>(got);
  EXPECT_EQ(e.status, 400u);
  EXPECT_EQ(e.code, "ambiguous_symbol");
  EXPECT_EQ(e.field, "symbol");
  EXPECT_EQ(e.candidates, (std::vector<std::string>{"BTC-USD", "BTC-USDT"}));
  auto body = error_response(e).body;
  EXPECT_NE(body.find(R"("candidates":["BTC-USD","BTC-USDT"])"), std::string::npos) << body;
  // The one known instrument of a base is no question.
  symbol_resolver one{{"BTC-USDT"}, {}};
  auto ok = parse_price_query(make_request({{"symbol", "btc"}}), one);
  ASSERT_TRUE(std::holds_alternative<price_query>(ok));
  EXPECT_EQ(std::get<price_query>(ok).instrument, "BTC-USDT");
}

TEST(DataQueriesTest, LongestSymbolIsAccepted) {
  auto req = make_request({{"symbol", std::string(32, 'a')}});
  auto got = parse_price_query(req);
  ASSERT_TRUE(std::holds_alternative<price_query>(got));
  EXPECT_EQ(std::get<price_query>(got).instrument, std::string(32, 'A'));
}

// -- ohlcv --------------------------------------------------------------------

struct ohlcv_case {
  std::string name;
  pairs query;
  ohlcv_query want; // compared on success
  want_error err;
};

ohlcv_query q(std::string instrument, interval span = interval::m1,
              size_t limit = 100, int64_t start = 0, int64_t end = 0) {
  ohlcv_query out;
  out.instrument = std::move(instrument);
  out.span = span;
  out.limit = limit;
  out.start_ns = start;
  out.end_ns = end;
  return out;
}

const ohlcv_case ohlcv_cases[] = {
  // Defaults and each field.
  {"defaults", {{"symbol", "btc-usdt"}}, q("BTC-USDT"), {}},
  {"interval 5m", {{"symbol", "X"}, {"interval", "5m"}},
   q("X", interval::m5), {}},
  {"interval 1M is a month", {{"symbol", "X"}, {"interval", "1M"}},
   q("X", interval::mo1), {}},
  {"interval 1w", {{"symbol", "X"}, {"interval", "1w"}},
   q("X", interval::w1), {}},
  {"interval trimmed", {{"symbol", "X"}, {"interval", " 1h "}},
   q("X", interval::h1), {}},
  {"interval empty is default", {{"symbol", "X"}, {"interval", ""}},
   q("X"), {}},
  {"limit 1", {{"symbol", "X"}, {"limit", "1"}},
   q("X", interval::m1, 1), {}},
  {"limit 5000", {{"symbol", "X"}, {"limit", "5000"}},
   q("X", interval::m1, 5000), {}},
  {"limit leading zeros", {{"symbol", "X"}, {"limit", "007"}},
   q("X", interval::m1, 7), {}},
  {"limit empty is default", {{"symbol", "X"}, {"limit", ""}}, q("X"), {}},
  {"start date", {{"symbol", "X"}, {"start", "2024-01-02"}},
   q("X", interval::m1, 100, 1704153600 * s), {}},
  {"end iso", {{"symbol", "X"}, {"end", "2024-01-02T00:00:01.5Z"}},
   q("X", interval::m1, 100, 0, 1704153601 * s + 500'000'000), {}},
  {"start seconds", {{"symbol", "X"}, {"start", "1700000000"}},
   q("X", interval::m1, 100, 1700000000 * s), {}},
  {"start millis", {{"symbol", "X"}, {"start", "1700000000000"}},
   q("X", interval::m1, 100, 1700000000 * s), {}},
  {"range", {{"symbol", "X"}, {"start", "1700000000"}, {"end", "1700000060"}},
   q("X", interval::m1, 100, 1700000000 * s, 1700000060 * s), {}},
  {"empty range allowed", {{"symbol", "X"}, {"start", "1700000000"},
                           {"end", "1700000000"}},
   q("X", interval::m1, 100, 1700000000 * s, 1700000000 * s), {}},
  {"all fields", {{"symbol", "eth-usd"}, {"interval", "15m"},
                  {"limit", "250"}, {"start", "2024-01-02"},
                  {"end", "2024-01-03"}},
   // An end given as a date is the whole date (docs/API.md "Bar convention").
   q("ETH-USD", interval::m15, 250, 1704153600 * s, 1704326400 * s - 1), {}},
  // Symbol errors come first.
  {"missing symbol", {{"interval", "5m"}}, {},
   {"missing_parameter", "symbol"}},
  {"missing symbol beats bad interval", {{"interval", "7m"}}, {},
   {"missing_parameter", "symbol"}},
  {"bad symbol", {{"symbol", "B TC"}}, {}, {"invalid_parameter", "symbol"}},
  // Interval.
  {"interval 7m", {{"symbol", "X"}, {"interval", "7m"}}, {},
   {"invalid_parameter", "interval"}},
  {"interval 1min", {{"symbol", "X"}, {"interval", "1min"}}, {},
   {"invalid_parameter", "interval"}},
  {"interval uppercase H", {{"symbol", "X"}, {"interval", "1H"}}, {},
   {"invalid_parameter", "interval"}},
  // Limit.
  {"limit 0", {{"symbol", "X"}, {"limit", "0"}}, {},
   {"invalid_parameter", "limit"}},
  {"limit 5001", {{"symbol", "X"}, {"limit", "5001"}}, {},
   {"invalid_parameter", "limit"}},
  {"limit negative", {{"symbol", "X"}, {"limit", "-1"}}, {},
   {"invalid_parameter", "limit"}},
  {"limit plus", {{"symbol", "X"}, {"limit", "+5"}}, {},
   {"invalid_parameter", "limit"}},
  {"limit fraction", {{"symbol", "X"}, {"limit", "1.5"}}, {},
   {"invalid_parameter", "limit"}},
  {"limit text", {{"symbol", "X"}, {"limit", "ten"}}, {},
   {"invalid_parameter", "limit"}},
  {"limit trailing text", {{"symbol", "X"}, {"limit", "10x"}}, {},
   {"invalid_parameter", "limit"}},
  {"limit overflow", {{"symbol", "X"}, {"limit", "99999999999999999999999"}},
   {}, {"invalid_parameter", "limit"}},
  // Timestamps.
  {"start garbage", {{"symbol", "X"}, {"start", "yesterday"}}, {},
   {"invalid_parameter", "start"}},
  {"start bad month", {{"symbol", "X"}, {"start", "2024-13-01"}}, {},
   {"invalid_parameter", "start"}},
  {"end garbage", {{"symbol", "X"}, {"end", "2024-01-02T25:00:00Z"}}, {},
   {"invalid_parameter", "end"}},
  {"end negative", {{"symbol", "X"}, {"end", "-5"}}, {},
   {"invalid_parameter", "end"}},
  {"start after end", {{"symbol", "X"}, {"start", "2024-01-03"},
                       {"end", "2024-01-02"}},
   {}, {"invalid_parameter", "start"}},
};

TEST(DataQueriesTest, Ohlcv) {
  for (const auto& c : ohlcv_cases) {
    SCOPED_TRACE(c.name);
    auto got = parse_ohlcv_query(make_request(c.query));
    if (c.err.code.empty()) {
      ASSERT_TRUE(std::holds_alternative<ohlcv_query>(got))
        << std::get<api_error>(got).message;
      const auto& x = std::get<ohlcv_query>(got);
      EXPECT_EQ(x.instrument, c.want.instrument);
      EXPECT_EQ(x.span, c.want.span);
      EXPECT_EQ(x.limit, c.want.limit);
      EXPECT_EQ(x.start_ns, c.want.start_ns);
      EXPECT_EQ(x.end_ns, c.want.end_ns);
    } else {
      ASSERT_TRUE(std::holds_alternative<api_error>(got));
      const auto& e = std::get<api_error>(got);
      EXPECT_EQ(e.status, 400u);
      EXPECT_EQ(e.code, c.err.code);
      EXPECT_EQ(e.field, c.err.field);
      EXPECT_FALSE(e.message.empty());
    }
  }
}

} // namespace

// -- api_error (the one error shape the queries and the server use) ----------

namespace {

TEST(ApiErrorTest, StatusTable) {
  const std::pair<errc, unsigned> table[] = {
    {errc::malformed, 400},       {errc::missing_field, 400},
    {errc::bad_number, 400},      {errc::out_of_range, 400},
    {errc::invalid_argument, 400}, {errc::unauthorized, 401},
    {errc::unknown_symbol, 404},  {errc::not_found, 404},
    {errc::rate_limited, 429},    {errc::config_invalid, 500},
    {errc::provider_error, 502},  {errc::stale, 503},
    {errc::unavailable, 503},
  };
  for (const auto& [code, status] : table) {
    SCOPED_TRACE(std::string{to_string(code)});
    EXPECT_EQ(http_status(code), status);
  }
  EXPECT_EQ(http_status(static_cast<errc>(200)), 500u);
}

TEST(ApiErrorTest, FromPipelineError) {
  auto e = to_api_error(error{errc::unknown_symbol, "no such instrument FOO"},
                        "symbol");
  EXPECT_EQ(e.status, 404u);
  EXPECT_EQ(e.code, "unknown_symbol");
  EXPECT_EQ(e.message, "no such instrument FOO");
  EXPECT_EQ(e.field, "symbol");
  auto bare = to_api_error(error{errc::rate_limited, ""});
  EXPECT_EQ(bare.status, 429u);
  EXPECT_EQ(bare.message, "rate_limited");
  EXPECT_TRUE(bare.field.empty());
}

struct body_case {
  std::string name;
  api_error in;
  std::string body;
};

TEST(ApiErrorTest, ResponseBody) {
  const body_case cases[] = {
    {"plain", {400, "missing_parameter", "missing 'symbol'", "symbol"},
     R"({"error":{"code":"missing_parameter","message":"missing 'symbol'",)"
     R"("field":"symbol"}})"},
    {"no field", {503, "unavailable", "down", ""},
     R"({"error":{"code":"unavailable","message":"down"}})"},
    {"quotes and backslash", {400, "x", "say \"hi\" \\ bye", ""},
     R"({"error":{"code":"x","message":"say \"hi\" \\ bye"}})"},
    {"control characters",
     {400, "x", std::string("a\nb\tc\x01\x1f\x7f", 8), ""},
     "{\"error\":{\"code\":\"x\",\"message\":"
     "\"a\\nb\\tc\\u0001\\u001f\x7f\"}}"},
    {"utf-8 kept", {400, "x", "\xE2\x82\xAC 5", ""},
     "{\"error\":{\"code\":\"x\",\"message\":\"\xE2\x82\xAC 5\"}}"},
    {"invalid utf-8 replaced", {400, "x", "a\xFF" "b\xE2\x82", ""},
     "{\"error\":{\"code\":\"x\",\"message\":\"a\xEF\xBF\xBD" "b"
     "\xEF\xBF\xBD\xEF\xBF\xBD\"}}"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto res = error_response(c.in);
    EXPECT_EQ(res.status, c.in.status);
    EXPECT_EQ(res.content_type, "application/json");
    EXPECT_EQ(res.body, c.body);
  }
}

} // namespace
