// api/routes/technical: the query, the bars to read with the warm-up, and
// the body, with time as a parameter.

#include "api/routes/technical.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "pipeline/model/time.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {

constexpr int64_t day = 86'400'000'000'000;
constexpr int64_t t0 = 19'700 * day; // a day boundary in 2023

http_request request(std::vector<std::pair<std::string, std::string>> query) {
  http_request r;
  r.method = "GET";
  r.path = "/api/v1/technical/X";
  r.query = std::move(query);
  return r;
}

api_error refused(std::vector<std::pair<std::string, std::string>> query,
                  std::string symbol = "ADA-USDT") {
  indicators_settings cfg;
  auto q = parse_technical_query(request(std::move(query)), symbol, cfg);
  if (!std::holds_alternative<api_error>(q)) {
    ADD_FAILURE() << "accepted";
    return {};
  }
  return std::get<api_error>(q);
}

TEST(TechnicalRoutes, Query) {
  indicators_settings cfg;
  auto q = std::get<technical_query>(parse_technical_query(
    request({{"indicator", "RSI14, macd"}, {"indicator", "rsi14"}, {"interval", "1h"},
             {"limit", "5"}}),
    "ada-usdt", cfg));
  EXPECT_EQ(q.instrument, "ADA-USDT");
  EXPECT_EQ(q.span, interval::h1);
  EXPECT_EQ(q.limit, 5u);
  ASSERT_EQ(q.specs.size(), 2u); // rsi14 once
  EXPECT_EQ(q.specs[0].name(), "rsi14");
  EXPECT_EQ(q.specs[1].name(), "macd");
  auto d = std::get<technical_query>(
    parse_technical_query(request({{"indicator", "sma"}, {"period", "7"}}), "X", cfg));
  EXPECT_EQ(d.span, interval::d1); // the default interval
  EXPECT_EQ(d.limit, cfg.default_limit);
  EXPECT_EQ(d.specs[0].name(), "sma7");
}

TEST(TechnicalRoutes, RefusedQueries) {
  struct row {
    std::vector<std::pair<std::string, std::string>> query;
    std::string code, field, message;
  } rows[] = {
    {{{"indicator", "rsi"}, {"interval", "7m"}}, "invalid_parameter", "interval",
     "'interval' must be one of 1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, "
     "1w, 1M"},
    {{{"indicator", "rsi"}, {"period", "0"}}, "invalid_parameter", "period",
     "'period' must be an integer in 1..500"},
    {{{"indicator", "macd"}, {"slow", "1"}}, "invalid_parameter", "slow",
     "'slow' must be an integer in 2..500"},
    {{{"indicator", "bb"}, {"k", "0"}}, "invalid_parameter", "k",
     "'k' must be a number greater than 0 and at most 100"},
    {{{"indicator", "vol"}, {"bars_per_year", "-1"}}, "invalid_parameter", "bars_per_year",
     "'bars_per_year' must be a positive number"},
    {{}, "missing_parameter", "indicator", "missing required parameter 'indicator'"},
    {{{"indicator", "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q"}}, "invalid_parameter", "indicator",
     "at most 16 indicators per request"},
    {{{"indicator", "rsi"}, {"start", "2024-01-03"}, {"end", "2024-01-02"}},
     "invalid_parameter", "start", "'start' must not be after 'end'"},
    {{{"indicator", "rsi"}, {"limit", "5001"}}, "invalid_parameter", "limit",
     "'limit' must be an integer in 1..5000"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.message);
    auto e = refused(r.query);
    EXPECT_EQ(e.code, r.code);
    EXPECT_EQ(e.field, r.field);
    EXPECT_EQ(e.message, r.message);
  }
  EXPECT_EQ(refused({{"indicator", "nope"}}).field, "indicator");
  EXPECT_EQ(refused({{"indicator", "macd"}, {"fast", "30"}}).field, "slow");
  auto bad = refused({{"indicator", "rsi"}}, "BAD!");
  EXPECT_EQ(bad.field, "symbol");
  EXPECT_EQ(bad.message, "the symbol must be an instrument id such as BTC-USDT or AAPL");
}

TEST(TechnicalRoutes, TheReadIncludesTheWarmUp) {
  indicators_settings cfg;
  technical_query q;
  q.instrument = "X";
  q.span = interval::d1;
  q.limit = 10;
  q.specs.push_back(*indicators::parse_indicator("sma5", 0, cfg.max_period)); // warmup 4
  auto newest = std::get<technical_read>(plan_technical_read(q, cfg, t0 + day / 2));
  EXPECT_EQ(newest.bars.limit, 10u + 4 + 2 + 2); // plus half again and 2 slots
  EXPECT_EQ(newest.bars.start_ns, 0);
  EXPECT_EQ(newest.to_ns, t0 + day / 2);
  q.start_ns = t0;
  q.end_ns = t0 + 9 * day;
  auto ranged = std::get<technical_read>(plan_technical_read(q, cfg, t0 + 20 * day));
  EXPECT_EQ(ranged.from_ns, t0 - 8 * day);
  EXPECT_EQ(ranged.bars.start_ns, t0 - 8 * day);
  EXPECT_EQ(ranged.bars.limit, 18u);
  EXPECT_EQ(ranged.to_ns, t0 + 9 * day);
  cfg.max_bars = 10;
  auto too_many = std::get<api_error>(plan_technical_read(q, cfg, t0 + 20 * day));
  EXPECT_EQ(too_many.field, "start");
  EXPECT_EQ(too_many.message, "the range holds 18 1d bars with the warm-up; at most 10 "
                              "([indicators] max-bars): narrow it or use a longer interval");
  q.start_ns = 0;
  auto too_long = std::get<api_error>(plan_technical_read(q, cfg, t0));
  EXPECT_EQ(too_long.field, "limit");
  EXPECT_EQ(too_long.message, "limit plus the warm-up (8 bars) exceeds 10 ([indicators] max-bars)");
}

TEST(TechnicalRoutes, TheWarmUpCountsTradingDays) {
  // sma5 from Tuesday 2023-01-17: 8 trading days of warm-up before it, so
  // the weekend and Martin Luther King Jr. Day (Jan 16) are skipped and
  // the read begins Wednesday 2023-01-04 (4, 5, 6, 9, 10, 11, 12, 13).
  indicators_settings cfg;
  technical_query q;
  q.instrument = "AAPL";
  q.span = interval::d1;
  q.limit = 10;
  q.specs.push_back(*indicators::parse_indicator("sma5", 0, cfg.max_period));
  auto jan17 = *parse_timestamp("2023-01-17");
  q.start_ns = jan17;
  q.end_ns = jan17 + 3 * day;
  trading_calendar us{calendar_rules::us_equity};
  auto r = std::get<technical_read>(plan_technical_read(q, cfg, jan17 + 20 * day, &us));
  EXPECT_EQ(r.from_ns, *parse_timestamp("2023-01-04"));
  trading_calendar crypto;
  auto c = std::get<technical_read>(plan_technical_read(q, cfg, jan17 + 20 * day, &crypto));
  EXPECT_EQ(c.from_ns, jan17 - 8 * day); // every day a slot
}

TEST(TechnicalRoutes, Body) {
  indicators_settings cfg;
  technical_query q;
  q.instrument = "X";
  q.span = interval::d1;
  q.limit = 3;
  q.specs.push_back(*indicators::parse_indicator("sma2", 0, cfg.max_period));
  std::vector<bar> bars;
  for (int i = 0; i < 5; ++i) {
    bar b;
    b.span = interval::d1;
    b.open_time_ns = t0 + i * day;
    b.close = *decimal::parse(std::to_string(10 + i));
    b.open = b.high = b.low = b.close;
    b.closed = i < 4; // the open bar does not count
    bars.push_back(b);
  }
  auto body = technical_body(q, "l1", bars, t0, t0 + 10 * day);
  rapidjson::Document d;
  d.Parse(body.c_str());
  ASSERT_TRUE(d.IsObject()) << body;
  EXPECT_STREQ(d["symbol"].GetString(), "X");
  EXPECT_STREQ(d["source"].GetString(), "l1");
  EXPECT_EQ(d["bars_used"].GetInt(), 4);
  EXPECT_EQ(d["warmup_bars"].GetInt(), 1);
  EXPECT_EQ(d["missing_bars"].GetInt(), 0);
  EXPECT_EQ(d["indicators"]["sma2"].Size(), 3u);
  auto empty = technical_body(q, "l1", {}, t0, t0);
  EXPECT_NE(empty.find(R"("start":null,"end":null,"first_bar":null,"bars_used":0,)"),
            std::string::npos)
    << empty;
  EXPECT_EQ(technical_disabled().status, 404u);
}

} // namespace
