#include "adapters/common/json_number.hpp"
#include "adapters/yahoo/yahoo_adapter.hpp"
#include "adapters/yahoo/yahoo_parse.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/yahoo/yahoo_provider.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::bars_of;
using test::dec;
using test::expect_error;
using test::expect_result;
using test::price_of;
using test::reply_of;

// tests/fixtures/yahoo/rest/<file>
std::string rest_fixture(std::string_view file) {
  return test::read_fixture("yahoo/rest/" + std::string{file});
}

constexpr int64_t recv_ns = 1'740'052'100 * ns_per_s; // 2025-02-20T11:48:20Z

constexpr const char* aapl_file =
  "v8_finance_chart_AAPL_1d_2020-08-31_2020-11-07_with_events.json";
constexpr const char* eurusd_file =
  "v8_finance_chart_EURUSD=X_1d_2020-01-01_2020-01-03.json";
constexpr const char* qqq_file =
  "v8_finance_chart_QQQ_1d_2020-01-01_2020-01-03.json";

struct bar_row {
  int64_t open_s; // 00:00 UTC of the exchange's trading date
  std::string_view o, h, l, c, v;
};

void expect_bar(const bar& b, const bar_row& x, std::string_view instrument,
                std::string_view symbol) {
  EXPECT_EQ(b.instrument, instrument);
  EXPECT_EQ(b.provider_symbol, symbol);
  EXPECT_EQ(b.source, providers::yahoo);
  EXPECT_EQ(b.span, interval::d1);
  EXPECT_EQ(b.open_time_ns, x.open_s * ns_per_s);
  EXPECT_EQ(b.open, dec(x.o));
  EXPECT_EQ(b.high, dec(x.h));
  EXPECT_EQ(b.low, dec(x.l));
  EXPECT_EQ(b.close, dec(x.c));
  EXPECT_EQ(b.volume, dec(x.v));
  EXPECT_EQ(b.trade_count, 0u);
  EXPECT_TRUE(b.closed);
  EXPECT_EQ(b.ts_recv_ns, recv_ns);
}

// -- fixtures -----------------------------------------------------------------

TEST(Yahoo, ParsesTheAaplChartFixture) {
  auto adapter = make_yahoo_adapter({});
  auto r = expect_result(adapter->parse(bars_of("AAPL", interval::d1),
                                        reply_of(200, rest_fixture(aapl_file)),
                                        recv_ns));
  ASSERT_EQ(r.bars.size(), 49u);
  // timestamp 1598880600 = 2020-08-31T13:30Z, the session open in New York.
  expect_bar(r.bars[0],
             {1'598'832'000, "127.58000183105469", "131", "126",
              "129.0399932861328", "225702700"},
             "AAPL", "AAPL");
  expect_bar(r.bars[1],
             {1'598'918'400, "132.75999450683594", "134.8000030517578",
              "130.52999877929688", "134.17999267578125", "151948100"},
             "AAPL", "AAPL");
  expect_bar(r.bars[24],
             {1'601'856'000, "113.91000366210938", "116.6500015258789",
              "113.55000305175781", "116.5", "106243800"},
             "AAPL", "AAPL");
  // 1604673000 = 2020-11-06T14:30Z (EST by then).
  expect_bar(r.bars[48],
             {1'604'620'800, "118.31999969482422", "119.19999694824219",
              "116.12999725341797", "118.69000244140625", "114457900"},
             "AAPL", "AAPL");
  for (size_t i = 1; i < r.bars.size(); ++i)
    EXPECT_LT(r.bars[i - 1].open_time_ns, r.bars[i].open_time_ns);

  // The same payload read for its price.
  r = expect_result(
    adapter->parse(price_of("AAPL"), reply_of(200, rest_fixture(aapl_file)),
                   recv_ns));
  ASSERT_EQ(r.prices.size(), 1u);
  EXPECT_EQ(r.prices[0].instrument, "AAPL");
  EXPECT_EQ(r.prices[0].source, providers::yahoo);
  EXPECT_EQ(r.prices[0].value, dec("244.87"));
  EXPECT_EQ(r.prices[0].ts_event_ns, 1'739'998'801 * ns_per_s);
  EXPECT_EQ(r.prices[0].ts_recv_ns, recv_ns);
}

TEST(Yahoo, ParsesTheEurUsdChartFixture) {
  auto adapter = make_yahoo_adapter({});
  auto r = expect_result(
    adapter->parse(bars_of("EUR-USD", interval::d1),
                   reply_of(200, rest_fixture(eurusd_file)), recv_ns));
  ASSERT_EQ(r.bars.size(), 3u);
  expect_bar(r.bars[0],
             {1'577'836'800, "1.1220825910568237", "1.1228384971618652",
              "1.115946888923645", "1.1220825910568237", "0"},
             "EUR-USD", "EURUSD=X");
  expect_bar(r.bars[1],
             {1'577'923'200, "1.1218937635421753", "1.12271249294281",
              "1.1166820526123047", "1.1220825910568237", "0"},
             "EUR-USD", "EURUSD=X");
  expect_bar(r.bars[2],
             {1'578'009'600, "1.1170812845230103", "1.118067979812622",
              "1.112569808959961", "1.1171437501907349", "0"},
             "EUR-USD", "EURUSD=X");
  r = expect_result(adapter->parse(price_of("EUR-USD"),
                                   reply_of(200, rest_fixture(eurusd_file)),
                                   recv_ns));
  ASSERT_EQ(r.prices.size(), 1u);
  EXPECT_EQ(r.prices[0].value, dec("1.0436"));
  EXPECT_EQ(r.prices[0].ts_event_ns, 1'740'052'002 * ns_per_s);
}

TEST(Yahoo, ParsesTheQqqChartFixture) {
  auto adapter = make_yahoo_adapter({});
  auto r = expect_result(adapter->parse(bars_of("QQQ", interval::d1),
                                        reply_of(200, rest_fixture(qqq_file)),
                                        recv_ns));
  ASSERT_EQ(r.bars.size(), 1u);
  // 1577975400 = 2020-01-02T14:30Z.
  expect_bar(r.bars[0],
             {1'577'923'200, "214.39999389648438", "216.16000366210938",
              "213.97999572753906", "216.16000366210938", "30969400"},
             "QQQ", "QQQ");
  r = expect_result(adapter->parse(price_of("QQQ"),
                                   reply_of(200, rest_fixture(qqq_file)),
                                   recv_ns));
  ASSERT_EQ(r.prices.size(), 1u);
  EXPECT_EQ(r.prices[0].value, dec("539.52"));
  EXPECT_EQ(r.prices[0].ts_event_ns, 1'739'998'800 * ns_per_s);
}

// -- nulls, intraday, trimming ------------------------------------------------

// A 1m chart as Yahoo sends it mid-session: nulls for minutes without
// trades, the last (live) minute not closed yet.
std::string intraday_chart(std::string_view closes) {
  return R"j({"chart":{"result":[{"meta":{"symbol":"AAPL",)j"
         R"j("gmtoffset":-18000},)j"
         R"j("timestamp":[1738593000,1738593060,1738593120,1738593180],)j"
         R"j("indicators":{"quote":[{"open":[1.5,null,2.5,3.5],)j"
         R"j("high":[1.5,null,2.5,3.5],"low":[1.5,null,2.5,3.5],"close":)j"
         + std::string{closes}
         + R"j(,"volume":[100,null,0,7]}]}}],"error":null}})j";
}

TEST(Yahoo, SkipsAndCountsRowsWithNulls) {
  auto body = intraday_chart("[1.5,null,2.5,null]");
  rapidjson::Document doc;
  ASSERT_TRUE(json::parse_with_number_text(body, doc));
  auto chart = yahoo::parse_chart_bars(doc, interval::m1, "AAPL", "AAPL",
                                       1'738'593'200 * ns_per_s);
  ASSERT_TRUE(chart) << chart.err().message();
  EXPECT_EQ(chart->skipped_null, 2u); // all-null row and close-only null
  ASSERT_EQ(chart->bars.size(), 2u);
  EXPECT_EQ(format_iso8601(chart->bars[0].open_time_ns),
            "2025-02-03T14:30:00Z"); // intraday: the timestamp itself
  EXPECT_EQ(chart->bars[0].close, dec("1.5"));
  EXPECT_EQ(chart->bars[0].volume, dec("100"));
  EXPECT_EQ(format_iso8601(chart->bars[1].open_time_ns),
            "2025-02-03T14:32:00Z");
  EXPECT_EQ(chart->bars[1].volume, decimal{});
  EXPECT_TRUE(chart->bars[0].closed);
  EXPECT_TRUE(chart->bars[1].closed); // ends 14:33:00, received 14:33:20
  auto live = yahoo::parse_chart_bars(doc, interval::m1, "AAPL", "AAPL",
                                      1'738'593'170 * ns_per_s); // 14:32:50
  ASSERT_TRUE(live);
  EXPECT_FALSE(live->bars[1].closed);
  // Through the adapter the same rows come back without the count.
  auto r = expect_result(make_yahoo_adapter({})->parse(
    bars_of("AAPL", interval::m1), reply_of(200, body), recv_ns));
  EXPECT_EQ(r.bars.size(), 2u);
}

TEST(Yahoo, KeepsTheLaterRowOfARepeatedDay) {
  // Yahoo re-sends the live day with the current time as its timestamp.
  const std::string body =
    R"j({"chart":{"result":[{"meta":{"symbol":"AAPL","gmtoffset":-18000},)j"
    R"j("timestamp":[1739889000,1739975400,1739998801],)j"
    R"j("indicators":{"quote":[{"open":[1,2,2],"high":[1,2,3],"low":[1,2,2],)j"
    R"j("close":[1,2,2.5],"volume":[1,2,3]}]}}],"error":null}})j";
  auto r = expect_result(make_yahoo_adapter({})->parse(
    bars_of("AAPL", interval::d1), reply_of(200, body), recv_ns));
  ASSERT_EQ(r.bars.size(), 2u);
  EXPECT_EQ(format_iso8601(r.bars[1].open_time_ns), "2025-02-19T00:00:00Z");
  EXPECT_EQ(r.bars[1].close, dec("2.5"));
  EXPECT_EQ(r.bars[1].volume, dec("3"));
}

TEST(Yahoo, FloorsWeeklyAndMonthlyBars) {
  auto body = [](int64_t ts) {
    return R"j({"chart":{"result":[{"meta":{"symbol":"AAPL",)j"
           R"j("gmtoffset":-18000},)j"
           R"j("timestamp":[)j" + std::to_string(ts)
           + R"j(],"indicators":{"quote":[{"open":[1],"high":[1],"low":[1],)j"
             R"j("close":[1],"volume":[1]}]}}],"error":null}})j";
  };
  auto adapter = make_yahoo_adapter({});
  // Tue 2020-09-01T13:30Z: week of Mon 2020-08-31, month of 2020-09-01.
  auto w = expect_result(adapter->parse(bars_of("AAPL", interval::w1),
                                        reply_of(200, body(1'598'967'000)),
                                        recv_ns));
  ASSERT_EQ(w.bars.size(), 1u);
  EXPECT_EQ(format_iso8601(w.bars[0].open_time_ns), "2020-08-31T00:00:00Z");
  auto m = expect_result(adapter->parse(bars_of("AAPL", interval::mo1),
                                        reply_of(200, body(1'598'967'000)),
                                        recv_ns));
  ASSERT_EQ(m.bars.size(), 1u);
  EXPECT_EQ(format_iso8601(m.bars[0].open_time_ns), "2020-09-01T00:00:00Z");
}

TEST(Yahoo, TrimsBarsToTheRequest) {
  auto adapter = make_yahoo_adapter({});
  auto req = bars_of("AAPL", interval::d1);
  req.start_ns = 1'601'856'000 * ns_per_s; // 2020-10-05
  req.end_ns = 1'602'028'800 * ns_per_s;   // 2020-10-07
  auto r = expect_result(
    adapter->parse(req, reply_of(200, rest_fixture(aapl_file)), recv_ns));
  ASSERT_EQ(r.bars.size(), 3u);
  EXPECT_EQ(r.bars[0].close, dec("116.5"));
  req = bars_of("AAPL", interval::d1);
  req.limit = 2;
  r = expect_result(
    adapter->parse(req, reply_of(200, rest_fixture(aapl_file)), recv_ns));
  ASSERT_EQ(r.bars.size(), 2u);
  EXPECT_EQ(r.bars[1].close, dec("118.69000244140625"));
}

TEST(Yahoo, ReturnsNoBarsForAnEmptyRange) {
  const std::string body =
    R"j({"chart":{"result":[{"meta":{"symbol":"AAPL","gmtoffset":-18000},)j"
    R"j("indicators":{"quote":[{}]}}],"error":null}})j";
  auto r = expect_result(make_yahoo_adapter({})->parse(
    bars_of("AAPL", interval::d1), reply_of(200, body), recv_ns));
  EXPECT_TRUE(r.bars.empty());
}

// -- requests -----------------------------------------------------------------

TEST(Yahoo, BuildsChartRequests) {
  struct row {
    const char* name;
    fetch_request req;
    std::string_view path;
    kv_list query;
  };
  auto ranged = bars_of("AAPL", interval::d1);
  ranged.start_ns = 1'598'832'000 * ns_per_s;
  ranged.end_ns = 1'604'620'800 * ns_per_s + 5;
  auto open_ended = bars_of("BTC-USD", interval::h1);
  open_ended.start_ns = 1'598'832'000 * ns_per_s;
  const row rows[] = {
    {"price", price_of("AAPL"), "/v8/finance/chart/AAPL",
     {{"interval", "1d"}, {"range", "1d"}}},
    {"forex price", price_of("EUR-USD"), "/v8/finance/chart/EURUSD%3DX",
     {{"interval", "1d"}, {"range", "1d"}}},
    {"daily range", ranged, "/v8/finance/chart/AAPL",
     {{"interval", "1d"},
      {"period1", "1598832000"},
      {"period2", "1604707200"}}}, // end + 1 day
    {"open-ended 1h", open_ended, "/v8/finance/chart/BTC-USD",
     {{"interval", "60m"},
      {"period1", "1598832000"},
      {"period2", "9999999999"}}},
    {"1m default", bars_of("AAPL", interval::m1), "/v8/finance/chart/AAPL",
     {{"interval", "1m"}, {"range", "1d"}}},
    {"5m default", bars_of("AAPL", interval::m5), "/v8/finance/chart/AAPL",
     {{"interval", "5m"}, {"range", "5d"}}},
    {"15m default", bars_of("AAPL", interval::m15), "/v8/finance/chart/AAPL",
     {{"interval", "15m"}, {"range", "5d"}}},
    {"30m default", bars_of("AAPL", interval::m30), "/v8/finance/chart/AAPL",
     {{"interval", "30m"}, {"range", "5d"}}},
    {"1h default", bars_of("AAPL", interval::h1), "/v8/finance/chart/AAPL",
     {{"interval", "60m"}, {"range", "1mo"}}},
    {"1d default", bars_of("QQQ", interval::d1), "/v8/finance/chart/QQQ",
     {{"interval", "1d"}, {"range", "1y"}}},
    {"1w default", bars_of("AAPL", interval::w1), "/v8/finance/chart/AAPL",
     {{"interval", "1wk"}, {"range", "5y"}}},
    {"1M default", bars_of("AAPL", interval::mo1), "/v8/finance/chart/AAPL",
     {{"interval", "1mo"}, {"range", "max"}}},
  };
  auto adapter = make_yahoo_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto out = adapter->build(r.req, credentials{"ignored"});
    ASSERT_TRUE(out) << out.err().message();
    EXPECT_EQ(out->method, "GET");
    EXPECT_EQ(out->path, r.path);
    EXPECT_EQ(out->query, r.query);
    EXPECT_TRUE(out->headers.empty());
    EXPECT_TRUE(out->secrets.empty()); // no key
  }
}

TEST(Yahoo, RejectsRequestsItCannotServe) {
  struct row {
    const char* name;
    fetch_request req;
    errc code;
  };
  auto quote = price_of("AAPL");
  quote.kind = fetch_kind::quote;
  const row rows[] = {
    {"quote", quote, errc::invalid_argument},
    {"4h", bars_of("AAPL", interval::h4), errc::invalid_argument},
    {"3m", bars_of("AAPL", interval::m3), errc::invalid_argument},
    {"1s", bars_of("AAPL", interval::s1), errc::invalid_argument},
    {"not canonical", price_of("^GSPC"), errc::unknown_symbol},
    {"lowercase", price_of("aapl"), errc::unknown_symbol},
  };
  auto adapter = make_yahoo_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto out = adapter->build(r.req, credentials{});
    ASSERT_FALSE(out);
    EXPECT_EQ(out.err().code, r.code);
  }
}

// -- errors -------------------------------------------------------------------

TEST(Yahoo, MapsErrorReplies) {
  struct row {
    const char* name;
    std::string body;
    long status;
    kv_list headers;
    errc code;
    std::string_view message;
    int64_t retry_after_ns;
  };
  const row rows[] = {
    {"not found", rest_fixture("chart_error_not_found.documented.json"),
     404, {}, errc::unknown_symbol,
     "Not Found: No data found, symbol may be delisted", 0},
    {"bad request",
     R"j({"chart":{"result":null,"error":{"code":"Bad Request",)j"
     R"j("description":"Invalid input - interval=2h is not supported"}}})j",
     400, {}, errc::provider_error,
     "Bad Request: Invalid input - interval=2h is not supported", 0},
    {"error without code", R"j({"chart":{"result":null,"error":{}}})j", 500,
     {}, errc::provider_error, "chart.error without code", 0},
    {"429 text", "Too Many Requests\r\n", 429, {{"retry-after", "5"}},
     errc::rate_limited, "HTTP 429", 5 * ns_per_s},
    {"503 html", "<html>down</html>", 503, {}, errc::provider_error,
     "HTTP 503", 0},
  };
  auto adapter = make_yahoo_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto e = expect_error(adapter->parse(
      bars_of("AAPL", interval::d1), reply_of(r.status, r.body, r.headers),
      recv_ns));
    EXPECT_EQ(e.code, r.code) << e.message;
    EXPECT_EQ(e.message, r.message);
    EXPECT_EQ(e.retry_after_ns, r.retry_after_ns);
  }
}

TEST(Yahoo, RejectsMalformedBodies) {
  struct row {
    const char* name;
    std::string body;
    fetch_request req;
    errc code;
    std::string_view message; // prefix
  };
  auto chart = [](std::string_view result) {
    return R"j({"chart":{"result":[)j" + std::string{result}
           + R"j(],"error":null}})j";
  };
  auto quote = [](std::string_view columns) {
    return R"j({"meta":{"symbol":"AAPL","gmtoffset":0},)j"
           R"j("timestamp":[1598880600],)j"
           R"j("indicators":{"quote":[)j"
           + std::string{columns} + "]}}";
  };
  const std::string ok_cols =
    R"j("open":[1],"high":[1],"low":[1],"close":[1],"volume":[1])j";
  auto d1 = bars_of("AAPL", interval::d1);
  const row rows[] = {
    {"garbage", "<!DOCTYPE html>", d1, errc::malformed, ""},
    {"no chart", "{}", d1, errc::missing_field, "chart"},
    {"result null, error null", R"j({"chart":{"result":null,"error":null}})j",
     d1, errc::malformed, "chart.result: expected an array"},
    {"empty result", chart(""), d1, errc::malformed, "chart.result: empty"},
    {"no meta", chart("{}"), d1, errc::missing_field,
     "chart.result[0].meta"},
    {"other symbol", chart(R"j({"meta":{"symbol":"MSFT"}})j"), d1,
     errc::malformed, "chart.result[0].meta.symbol: MSFT, asked for AAPL"},
    {"no gmtoffset",
     chart(R"j({"meta":{"symbol":"AAPL"},"timestamp":[],)j"
           R"j("indicators":{"quote":[{}]}})j"),
     d1, errc::missing_field, "chart.result[0].meta.gmtoffset"},
    {"no indicators", chart(R"j({"meta":{"symbol":"AAPL","gmtoffset":0},)j"
                            R"j("timestamp":[]})j"),
     d1, errc::missing_field, "chart.result[0].indicators"},
    {"empty quote list", chart(quote("")), d1, errc::malformed,
     "indicators.quote: empty"},
    {"no close column",
     chart(quote(R"j({"open":[1],"high":[1],"low":[1],"volume":[1]})j")), d1,
     errc::missing_field, "indicators.quote[0].close"},
    {"short column",
     chart(quote(R"j({"open":[1],"high":[1],"low":[1],"close":[],)j"
                 R"j("volume":[1]})j")),
     d1, errc::malformed, "indicators.quote[0].close: 0 values for 1"},
    {"text price",
     chart(quote(R"j({"open":["x"],"high":[1],"low":[1],"close":[1],)j"
                 R"j("volume":[1]})j")),
     d1, errc::bad_number, "indicators.quote[0].open[0]: not a JSON number"},
    {"too precise",
     chart(quote(R"j({"open":[2.1357000150601384e-05],"high":[1],"low":[1],)j"
                 R"j("close":[1],"volume":[1]})j")),
     d1, errc::bad_number, "indicators.quote[0].open[0]: "},
    {"float timestamp",
     chart(R"j({"meta":{"symbol":"AAPL","gmtoffset":0},"timestamp":[1.5],)j"
           R"j("indicators":{"quote":[{)j"
           + ok_cols + "}]}}"),
     d1, errc::bad_number, "chart.result[0].timestamp[0]: not a whole number"},
    {"time going back",
     chart(R"j({"meta":{"symbol":"AAPL","gmtoffset":0},"timestamp":[2,1],)j"
           R"j("indicators":{"quote":[{)j"
           R"j("open":[1,1],"high":[1,1],"low":[1,1],"close":[1,1],)j"
           R"j("volume":[1,1]}]}})j"),
     d1, errc::malformed, "chart.result[0].timestamp[1]: goes back in time"},
    {"price missing", chart(R"j({"meta":{"symbol":"AAPL",)j"
                            R"j("regularMarketTime":1}})j"),
     price_of("AAPL"), errc::missing_field,
     "chart.result[0].meta.regularMarketPrice"},
    {"price null",
     chart(R"j({"meta":{"symbol":"AAPL","regularMarketPrice":null,)j"
           R"j("regularMarketTime":1}})j"),
     price_of("AAPL"), errc::bad_number,
     "chart.result[0].meta.regularMarketPrice: expected a number"},
    {"price time missing",
     chart(R"j({"meta":{"symbol":"AAPL","regularMarketPrice":1.5}})j"),
     price_of("AAPL"), errc::missing_field,
     "chart.result[0].meta.regularMarketTime"},
  };
  auto adapter = make_yahoo_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto e =
      expect_error(adapter->parse(r.req, reply_of(200, r.body), recv_ns));
    EXPECT_EQ(e.code, r.code) << e.message;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u) << e.message;
  }
}

// -- symbols ------------------------------------------------------------------

TEST(Yahoo, MapsSymbolsBothWays) {
  adapter_options options;
  options.symbol_overrides = {{"BRK.B", "BRK-B"}, {"SPX", "^GSPC"}};
  auto adapter = make_yahoo_adapter(options);
  struct row {
    std::string_view canonical;
    std::string_view provider_symbol;
  };
  const row both_ways[] = {
    {"AAPL", "AAPL"},         {"EUR-USD", "EURUSD=X"},
    {"USD-JPY", "USDJPY=X"},  {"BTC-USD", "BTC-USD"},
    {"ETH-EUR", "ETH-EUR"},   {"OCDO.L", "OCDO.L"},
    {"ES=F", "ES=F"},         {"BRK.B", "BRK-B"},
    {"SPX", "^GSPC"},
  };
  for (auto& r : both_ways) {
    SCOPED_TRACE(std::string{r.canonical});
    EXPECT_EQ(adapter->to_provider_symbol(r.canonical), r.provider_symbol);
    EXPECT_EQ(adapter->to_canonical(r.provider_symbol), r.canonical);
  }
  auto req = adapter->build(price_of("SPX"), credentials{});
  ASSERT_TRUE(req);
  EXPECT_EQ(req->path, "/v8/finance/chart/%5EGSPC");
  for (auto bad : {"aapl", "^GSPC", ""})
    EXPECT_EQ(adapter->to_provider_symbol(bad), "") << bad;
  // Not Yahoo symbols of any canonical id.
  for (auto bad : {"EUR-USD", "BTCUSD=X", "aapl", "^DJI", ""})
    EXPECT_EQ(adapter->to_canonical(bad), "") << bad;
}

TEST(Yahoo, DescribesItself) {
  auto adapter = make_yahoo_adapter({});
  auto& info = adapter->info();
  EXPECT_EQ(info.id, providers::yahoo);
  EXPECT_EQ(info.asset_classes,
            (std::vector<asset_class>{asset_class::equity, asset_class::forex,
                                      asset_class::crypto}));
  EXPECT_EQ(info.data_types,
            (std::vector<fetch_kind>{fetch_kind::price, fetch_kind::bars,
                                     fetch_kind::splits, fetch_kind::dividends}));
  EXPECT_EQ(info.intervals,
            (std::vector<interval>{interval::m1, interval::m5, interval::m15,
                                   interval::m30, interval::h1, interval::d1,
                                   interval::w1, interval::mo1}));
  EXPECT_FALSE(info.needs_key);
}

} // namespace
} // namespace tickflow
