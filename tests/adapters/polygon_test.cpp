#include "adapters/polygon/polygon_adapter.hpp"
#include "adapters/polygon/polygon_parse.hpp"
#include "adapters/polygon/polygon_request.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "adapters/common/bar_window.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::dec;
using test::expect_error;
using test::expect_result;
using test::read_fixture;
using test::reply_of;
using test::request;

// After every fixture's times (2027-01-15T08:00:00Z).
constexpr int64_t recv_ns = 1'800'000'000 * ns_per_s;

std::string fixture(std::string_view name) {
  return read_fixture("polygon/rest/" + std::string{name});
}

std::unique_ptr<rest_adapter> adapter(kv_list overrides = {}) {
  adapter_options opts;
  opts.symbol_overrides = std::move(overrides);
  return make_polygon_adapter(opts);
}

credentials key() { return credentials{"KEY123"}; }

// -- fixtures -----------------------------------------------------------------

TEST(PolygonParse, AggsRangeAapl) {
  auto a = adapter();
  auto res = expect_result(a->parse(request(fetch_kind::bars, "AAPL"),
                                    reply_of(200, fixture(
                                      "v2_aggs_ticker_AAPL_range_1_day."
                                      "example.json")),
                                    recv_ns));
  ASSERT_EQ(res.bars.size(), 2u);
  EXPECT_TRUE(res.prices.empty());
  EXPECT_TRUE(res.quotes.empty());
  const auto& b0 = res.bars[0];
  EXPECT_EQ(b0.instrument, "AAPL");
  EXPECT_EQ(b0.provider_symbol, "AAPL");
  EXPECT_EQ(b0.source, providers::polygon);
  EXPECT_EQ(b0.span, interval::d1);
  // t 1577941200000 is 2020-01-02T05:00Z, the US/Eastern midnight: the bar
  // opens at its trading day, 00:00Z (docs/API.md "Bar convention").
  EXPECT_EQ(b0.open_time_ns, 1'577'923'200'000 * ns_per_ms);
  EXPECT_EQ(b0.open, dec(7406, 2));       // 74.06
  EXPECT_EQ(b0.high, dec(7515, 2));       // 75.15
  EXPECT_EQ(b0.low, dec(737975, 4));      // 73.7975
  EXPECT_EQ(b0.close, dec(750875, 4));    // 75.0875
  EXPECT_EQ(b0.volume, dec(135647456, 0));
  EXPECT_EQ(b0.trade_count, 1u);
  EXPECT_TRUE(b0.closed);
  EXPECT_EQ(b0.ts_recv_ns, recv_ns);
  EXPECT_EQ(b0.flags, quality_none);
  const auto& b1 = res.bars[1];
  EXPECT_EQ(b1.open_time_ns, 1'578'009'600'000 * ns_per_ms); // 2020-01-03
  EXPECT_EQ(b1.open, dec(742875, 4));     // 74.2875
  EXPECT_EQ(b1.high, dec(75145, 3));      // 75.145
  EXPECT_EQ(b1.low, dec(74125, 3));       // 74.125
  EXPECT_EQ(b1.close, dec(743575, 4));    // 74.3575
  EXPECT_EQ(b1.volume, dec(146535512, 0));
  EXPECT_EQ(b1.trade_count, 1u);
  EXPECT_TRUE(b1.closed);
}

TEST(PolygonParse, AggsRangeCryptoHasFractionalVolume) {
  auto a = adapter();
  auto res = expect_result(
    a->parse(request(fetch_kind::bars, "BTC-USD"),
             reply_of(200, fixture("v2_aggs_ticker_X-BTCUSD_range_1_day."
                                   "example.json")),
             recv_ns));
  ASSERT_EQ(res.bars.size(), 2u);
  const auto& b0 = res.bars[0];
  EXPECT_EQ(b0.instrument, "BTC-USD");
  EXPECT_EQ(b0.provider_symbol, "X:BTCUSD");
  // t 1590984000000 is 2020-06-01T04:00Z (daylight time): 2020-06-01.
  EXPECT_EQ(b0.open_time_ns, 1'590'969'600'000 * ns_per_ms);
  EXPECT_EQ(b0.open, dec(95579, 1));      // 9557.9
  EXPECT_EQ(b0.high, dec(1042926, 2));    // 10429.26
  EXPECT_EQ(b0.low, dec(9490, 0));        // 9490
  EXPECT_EQ(b0.close, dec(1009475, 2));   // 10094.75
  EXPECT_EQ(b0.volume, dec(3030676562332156, 10)); // 303067.6562332156
  EXPECT_EQ(b0.trade_count, 1u);
  const auto& b1 = res.bars[1];
  EXPECT_EQ(b1.open_time_ns, 1'591'056'000'000 * ns_per_ms); // 2020-06-02
  EXPECT_EQ(b1.open, dec(1009687, 2));    // 10096.87
  EXPECT_EQ(b1.high, dec(1022272, 2));    // 10222.72
  EXPECT_EQ(b1.low, dec(913568, 2));      // 9135.68
  EXPECT_EQ(b1.close, dec(949262, 2));    // 9492.62
  EXPECT_EQ(b1.volume, dec(3233396922892879, 10)); // 323339.6922892879
  EXPECT_EQ(b1.trade_count, 1u);
}

TEST(PolygonParse, PrevCloseAapl) {
  polygon::parse_context ctx{"AAPL", "AAPL", interval::m1, recv_ns};
  auto b = polygon::parse_prev_close(
    fixture("v2_aggs_ticker_AAPL_prev.example.json"), ctx);
  ASSERT_TRUE(b) << b.err().message();
  EXPECT_EQ(b->instrument, "AAPL");
  EXPECT_EQ(b->provider_symbol, "AAPL");
  EXPECT_EQ(b->span, interval::d1); // always a day, whatever ctx says
  // t 1605042000000 (2020-11-10T21:00Z) is no Eastern midnight: its UTC
  // date, 2020-11-10T00:00Z.
  EXPECT_EQ(b->open_time_ns, 1'604'966'400'000 * ns_per_ms);
  EXPECT_EQ(b->open, dec(11555, 2));   // 115.55
  EXPECT_EQ(b->high, dec(11759, 2));   // 117.59
  EXPECT_EQ(b->low, dec(11413, 2));    // 114.13
  EXPECT_EQ(b->close, dec(11597, 2));  // 115.97
  EXPECT_EQ(b->volume, dec(131704427, 0));
  EXPECT_EQ(b->trade_count, 0u);       // no "n" in prev
  EXPECT_TRUE(b->closed);
  auto p = polygon::price_of_prev_close(*b);
  EXPECT_EQ(p.instrument, "AAPL");
  EXPECT_EQ(p.source, providers::polygon);
  EXPECT_EQ(p.value, dec(11597, 2));
  EXPECT_EQ(p.ts_event_ns, 1'604'966'400'000 * ns_per_ms); // the bar's start
  EXPECT_EQ(p.ts_recv_ns, recv_ns);
  EXPECT_TRUE(p.trade_id.empty());
}

TEST(PolygonParse, LastTradeAaplKeepsNanosecondsAsInt64) {
  auto a = adapter();
  auto res = expect_result(
    a->parse(request(fetch_kind::price, "AAPL"),
             reply_of(200, fixture("v2_last_trade_AAPL.example.json")),
             recv_ns));
  ASSERT_EQ(res.prices.size(), 1u);
  const auto& p = res.prices[0];
  EXPECT_EQ(p.instrument, "AAPL");
  EXPECT_EQ(p.source, providers::polygon);
  EXPECT_EQ(p.value, dec(1298473, 4)); // 129.8473
  EXPECT_EQ(p.trade_id, "118749");
  EXPECT_EQ(p.ts_event_ns, 1'617'901'342'969'834'000); // "t", not "y"/"f"
  EXPECT_EQ(p.ts_recv_ns, recv_ns);
  EXPECT_TRUE(res.bars.empty());
}

TEST(PolygonParse, LastNbboAapl) {
  auto a = adapter();
  auto res = expect_result(
    a->parse(request(fetch_kind::quote, "AAPL"),
             reply_of(200, fixture("v2_last_nbbo_AAPL.example.json")),
             recv_ns));
  ASSERT_EQ(res.quotes.size(), 1u);
  const auto& q = res.quotes[0];
  EXPECT_EQ(q.instrument, "AAPL");
  EXPECT_EQ(q.provider_symbol, "AAPL");
  EXPECT_EQ(q.source, providers::polygon);
  EXPECT_EQ(q.bid_price, dec(12796, 2)); // p 127.96
  EXPECT_EQ(q.bid_size, dec(1, 0));      // s 1
  EXPECT_EQ(q.ask_price, dec(12798, 2)); // P 127.98
  EXPECT_EQ(q.ask_size, dec(7, 0));      // S 7
  EXPECT_EQ(q.ts_event_ns, 1'617'827'221'349'730'300);
  EXPECT_EQ(q.ts_recv_ns, recv_ns);
}

TEST(PolygonParse, ApiKeyNotProvidedFixtureIsUnauthorized) {
  auto a = adapter();
  auto e = expect_error(
    a->parse(request(fetch_kind::bars, "AAPL"),
             reply_of(400, fixture("error_ERROR_api_key_not_provided.json")),
             recv_ns));
  EXPECT_EQ(e.code, errc::unauthorized);
  EXPECT_EQ(e.message, "API Key was not provided");
  EXPECT_EQ(e.retry_after_ns, 0);
}

// -- price through prev close (crypto, forex) ---------------------------------

TEST(PolygonParse, CryptoPriceComesFromPrevClose) {
  constexpr std::string_view body =
    R"({"ticker":"X:BTCUSD","queryCount":1,"resultsCount":1,"adjusted":true,)"
    R"("results":[{"T":"X:BTCUSD","v":1.35647456e+08,"vw":0.1,"o":9557.9,)"
    R"("c":9492.62,"h":10429.26,"l":9135.68,"t":1591070400000,"n":3}],)"
    R"("status":"OK","request_id":"r1"})";
  auto a = adapter();
  auto res = expect_result(a->parse(request(fetch_kind::price, "BTC-USD"),
                                    reply_of(200, std::string{body}),
                                    recv_ns));
  ASSERT_EQ(res.prices.size(), 1u);
  ASSERT_EQ(res.bars.size(), 1u);
  EXPECT_EQ(res.prices[0].instrument, "BTC-USD");
  EXPECT_EQ(res.prices[0].value, dec(949262, 2));
  // The bar's start: 2020-06-02T00:00Z (t is 04:00Z, the Eastern midnight).
  EXPECT_EQ(res.prices[0].ts_event_ns, 1'591'056'000'000 * ns_per_ms);
  EXPECT_EQ(res.bars[0].provider_symbol, "X:BTCUSD");
  EXPECT_EQ(res.bars[0].volume, dec(135647456, 0)); // exponent shifted
  EXPECT_EQ(res.bars[0].trade_count, 3u);
}

// -- error bodies -------------------------------------------------------------

TEST(PolygonParse, ErrorBodies) {
  struct row {
    const char* name;
    long status;
    const char* body;
    kv_list headers;
    errc code;
    const char* message;
    int64_t retry_after_ns;
  };
  const row rows[] = {
    {"ERROR api key, 401", 401,
     R"({"status":"ERROR","request_id":"x","error":"Unknown API Key"})",
     {}, errc::unauthorized, "Unknown API Key", 0},
    {"ERROR api key on a 200", 200,
     R"({"status":"ERROR","request_id":"x",)"
     R"("error":"API Key was not provided"})",
     {}, errc::unauthorized, "API Key was not provided", 0},
    {"NOT_AUTHORIZED", 403,
     R"({"status":"NOT_AUTHORIZED","request_id":"x","message":"You are not )"
     R"(entitled to this data. Please upgrade your plan at )"
     R"(the pricing page"})",
     {}, errc::unauthorized,
     "You are not entitled to this data. Please upgrade your plan at "
     "the pricing page",
     0},
    {"NOT_AUTHORIZED on a 200", 200,
     R"({"status":"NOT_AUTHORIZED","request_id":"x","message":"no"})", {},
     errc::unauthorized, "no", 0},
    {"429 with Retry-After", 429,
     R"({"status":"ERROR","request_id":"x","error":"You've exceeded the )"
     R"(maximum requests per minute, please wait or upgrade your )"
     R"(subscription to continue. the pricing page"})",
     {{"retry-after", "7"}}, errc::rate_limited,
     "You've exceeded the maximum requests per minute, please wait or "
     "upgrade your subscription to continue. the pricing page",
     7 * ns_per_s},
    {"429 without a body", 429, "", {}, errc::rate_limited, "HTTP 429", 0},
    {"maximum requests on a 200", 200,
     R"({"status":"ERROR","error":"exceeded the maximum requests per minute"})",
     {}, errc::rate_limited, "exceeded the maximum requests per minute", 0},
    {"NOT_FOUND", 404,
     R"({"status":"NOT_FOUND","request_id":"x","message":"Data not found."})",
     {}, errc::not_found, "Data not found.", 0},
    {"other ERROR", 400,
     R"({"status":"ERROR","request_id":"x","error":"Could not parse the time )"
     R"(parameter: 'from'."})",
     {}, errc::provider_error,
     "Could not parse the time parameter: 'from'.", 0},
    {"ERROR on a 200", 200, R"({"status":"ERROR","request_id":"x"})", {},
     errc::provider_error, "status ERROR", 0},
    {"HTML 502", 502, "<html>Bad Gateway</html>", {}, errc::provider_error,
     "HTTP 502", 0},
    {"plain 401", 401, "", {}, errc::unauthorized, "HTTP 401", 0},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto e = expect_error(a->parse(request(fetch_kind::bars, "AAPL"),
                                   reply_of(r.status, r.body, r.headers),
                                   recv_ns));
    EXPECT_EQ(e.code, r.code) << r.name;
    EXPECT_EQ(e.message, r.message) << r.name;
    EXPECT_EQ(e.retry_after_ns, r.retry_after_ns) << r.name;
  }
}

TEST(PolygonParse, NoResultsIsNotFound) {
  const char* bodies[] = {
    R"({"ticker":"AAPL","queryCount":0,"resultsCount":0,"adjusted":true,)"
    R"("status":"OK","request_id":"x"})",
    R"({"ticker":"AAPL","resultsCount":0,"results":[],"status":"OK"})",
    R"({"ticker":"AAPL","status":"DELAYED","results":null})",
  };
  auto a = adapter();
  for (const char* body : bodies) {
    auto e = expect_error(a->parse(request(fetch_kind::bars, "AAPL"),
                                   reply_of(200, body), recv_ns));
    EXPECT_EQ(e.code, errc::not_found) << body;
  }
  auto e = expect_error(a->parse(request(fetch_kind::price, "AAPL"),
                                 reply_of(200, R"({"status":"OK"})"),
                                 recv_ns));
  EXPECT_EQ(e.code, errc::not_found);
  e = expect_error(a->parse(request(fetch_kind::quote, "AAPL"),
                            reply_of(200, R"({"status":"OK"})"), recv_ns));
  EXPECT_EQ(e.code, errc::not_found);
  e = expect_error(a->parse(request(fetch_kind::price, "EUR-USD"),
                            reply_of(200, R"({"resultsCount":0})"), recv_ns));
  EXPECT_EQ(e.code, errc::not_found);
}

// -- garbage, wrong types, missing fields -------------------------------------

TEST(PolygonParse, GarbageIsMalformed) {
  const char* bodies[] = {
    "", "not json", "{", R"({"results":[{"o":1}])", "[]", "null", "42",
    R"({"results":[]} trailing)", "\xff\xfe",
  };
  auto a = adapter();
  for (const char* body : bodies) {
    for (auto kind : {fetch_kind::bars, fetch_kind::price, fetch_kind::quote}) {
      auto e = expect_error(
        a->parse(request(kind, "AAPL"), reply_of(200, body), recv_ns));
      EXPECT_EQ(e.code, errc::malformed) << body;
    }
  }
}

// One aggs result with `fields` replacing the defaults.
std::string aggs_with(std::string_view result_fields) {
  std::string out = R"({"ticker":"AAPL","status":"OK","resultsCount":1,)"
                    R"("results":[{)";
  out.append(result_fields);
  out.append("}]}");
  return out;
}

TEST(PolygonParse, AggsFieldProblems) {
  constexpr std::string_view ok_rest =
    R"("h":75.15,"l":73.7975,"c":75.0875,"v":135647456,"t":1577941200000)";
  struct row {
    std::string body;
    const char* message; // fetch_error::message
  };
  const row rows[] = {
    {aggs_with(std::string{R"("o":"74.06",)"} + std::string{ok_rest}),
     "malformed: results[0].o: expected a number, got a string"},
    {aggs_with(std::string{R"("o":null,)"} + std::string{ok_rest}),
     "malformed: results[0].o: expected a number, got null"},
    {aggs_with(std::string{R"("o":true,)"} + std::string{ok_rest}),
     "malformed: results[0].o: expected a number, got a boolean"},
    {aggs_with(ok_rest), "missing_field: results[0].o"},
    {aggs_with(R"("o":74.06,"h":75.15,"l":73.7975,"v":1,"t":1577941200000)"),
     "missing_field: results[0].c"},
    {aggs_with(R"("o":74.06,"h":75.15,"l":73.7975,"c":75.0875,"v":1)"),
     "missing_field: results[0].t"},
    {aggs_with(R"("o":74.06,"h":75.15,"l":1,"c":1,"v":1,"t":1.5e3)"),
     ""}, // 1.5e3 is the integer 1500: fine
    {aggs_with(R"("o":74.06,"h":75.15,"l":1,"c":1,"v":1,"t":1577941200000.5)"),
     "bad_number: results[0].t: "},
    {aggs_with(R"("o":74.06,"h":75.15,"l":1,"c":1,"v":1,"t":-1)"),
     "out_of_range: results[0].t: timestamp out of range"},
    {aggs_with(R"("o":74.06,"h":75.15,"l":1,"c":1,"v":1,)"
               R"("t":9223372036854775807)"),
     "out_of_range: results[0].t: timestamp out of range"},
    {aggs_with(R"("o":74.06,"h":1,"l":1,"c":1,"v":12345678901234567891,)"
               R"("t":1577941200000)"),
     "bad_number: results[0].v: "},
    {aggs_with(R"("o":74.06,"h":1,"l":1,"c":1,"v":1e-19,"t":1577941200000)"),
     "bad_number: results[0].v: "},
    {aggs_with(R"("o":74.06,"h":1,"l":1,"c":1,"v":1,"t":1577941200000,)"
               R"("n":-1)"),
     "out_of_range: results[0].n: expected a count >= 0"},
    {R"({"ticker":"AAPL","results":{"o":1}})",
     "malformed: results: expected an array, got an object"},
    {R"({"ticker":"AAPL","results":[7]})",
     "malformed: results[0]: not an object"},
    {R"({"ticker":"MSFT","results":[]})",
     R"(malformed: ticker: expected "AAPL", got "MSFT")"},
    {R"({"ticker":7,"results":[]})",
     "malformed: ticker: expected a string, got a number"},
    {R"({"ticker":"AAPL","resultsCount":2})", "missing_field: results"},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto out = a->parse(request(fetch_kind::bars, "AAPL"),
                        reply_of(200, r.body), recv_ns);
    if (std::string_view{r.message}.empty()) {
      EXPECT_TRUE(std::holds_alternative<fetch_result>(out)) << r.body;
      continue;
    }
    auto e = expect_error(out);
    EXPECT_EQ(e.code, errc::malformed) << r.body;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u)
      << r.body << " -> " << e.message;
  }
}

TEST(PolygonParse, LastTradeAndNbboFieldProblems) {
  struct row {
    fetch_kind kind;
    const char* body;
    const char* message;
  };
  const row rows[] = {
    {fetch_kind::price, R"({"results":{"T":"AAPL","i":"1","t":1}})",
     "missing_field: results.p"},
    {fetch_kind::price, R"({"results":{"T":"AAPL","p":1,"i":"1"}})",
     "missing_field: results.t"},
    {fetch_kind::price, R"({"results":{"T":"AAPL","p":"129.8","t":1}})",
     "malformed: results.p: expected a number, got a string"},
    {fetch_kind::price, R"({"results":{"T":"AAPL","p":1,"i":118749,"t":1}})",
     "malformed: results.i: expected a string, got a number"},
    {fetch_kind::price, R"({"results":{"T":"MSFT","p":1,"t":1}})",
     R"(malformed: results.T: expected "AAPL", got "MSFT")"},
    {fetch_kind::price, R"({"results":{"T":"AAPL","p":1,"t":0}})",
     "out_of_range: results.t: timestamp out of range"},
    {fetch_kind::price, R"({"results":[1]})",
     "malformed: results: not an object"},
    {fetch_kind::quote, R"({"results":{"p":1,"s":1,"P":2,"t":1}})",
     "missing_field: results.S"},
    {fetch_kind::quote, R"({"results":{"p":1,"s":1,"P":[2],"S":1,"t":1}})",
     "malformed: results.P: expected a number, got an array"},
    {fetch_kind::quote,
     R"({"results":{"p":1,"s":1,"P":2,"S":1,"t":1617827221349730300.5}})",
     "bad_number: results.t: "},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto e = expect_error(
      a->parse(request(r.kind, "AAPL"), reply_of(200, r.body), recv_ns));
    EXPECT_EQ(e.code, errc::malformed) << r.body;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u)
      << r.body << " -> " << e.message;
  }
}

TEST(PolygonParse, ExponentVolumesAreShiftedExactly) {
  struct row {
    const char* v;
    decimal expected;
  };
  const row rows[] = {
    {"1.35647456e+08", dec(135647456, 0)},
    {"1.35647456E8", dec(135647456, 0)},
    {"2.5E-3", dec(25, 4)},
    {"303067.6562332156", dec(3030676562332156, 10)},
    {"0", dec(0, 0)},
    {"1e0", dec(1, 0)},
  };
  polygon::parse_context ctx{"AAPL", "AAPL", interval::d1, recv_ns};
  for (const auto& r : rows) {
    auto body = aggs_with(R"("o":1,"h":1,"l":1,"c":1,"t":1,"v":)"
                          + std::string{r.v});
    auto bars = polygon::parse_aggs(body, ctx);
    ASSERT_TRUE(bars) << r.v << ": " << bars.err().message();
    EXPECT_EQ(bars->at(0).volume, r.expected) << r.v;
  }
}

TEST(PolygonParse, NewestFirstRepliesComeBackInTimeOrderAndOpenBars) {
  // sort=desc (start_ns == 0): newest first; the last bar is still open.
  // Daily bars are stamped at the US/Eastern midnight: the newest at that
  // of recv_ns's day (2027-01-15T05:00Z), so it opens 2027-01-15T00:00Z
  // and ends after recv_ns (08:00Z).
  constexpr int64_t day_ms = 86'400'000;
  constexpr int64_t t0 = recv_ns / ns_per_ms - 3 * 3'600'000 - day_ms;
  std::string body = R"({"ticker":"AAPL","results":[)";
  body += R"({"o":2,"h":2,"l":2,"c":2,"v":2,"t":)"
          + std::to_string(t0 + day_ms) + "},";
  body += R"({"o":1,"h":1,"l":1,"c":1,"v":1,"t":)" + std::to_string(t0)
          + "}]}";
  polygon::parse_context ctx{"AAPL", "AAPL", interval::d1, recv_ns};
  auto bars = polygon::parse_aggs(body, ctx);
  ASSERT_TRUE(bars) << bars.err().message();
  ASSERT_EQ(bars->size(), 2u);
  EXPECT_EQ(bars->at(0).open, dec(1, 0));
  EXPECT_TRUE(bars->at(0).closed);
  EXPECT_EQ(bars->at(1).open, dec(2, 0));
  EXPECT_FALSE(bars->at(1).closed); // ends 16 h after recv_ns
}

TEST(PolygonParse, BarEndsAfterItsSpan) {
  constexpr int64_t day = 86'400 * ns_per_s;
  EXPECT_TRUE(bar_has_ended(interval::m1, 0, 60 * ns_per_s));
  EXPECT_FALSE(bar_has_ended(interval::m1, 0, 60 * ns_per_s - 1));
  EXPECT_TRUE(bar_has_ended(interval::d1, day, 2 * day));
  EXPECT_FALSE(bar_has_ended(interval::mo1, 0, 30 * day));
  EXPECT_TRUE(bar_has_ended(interval::mo1, 0, 31 * day));
  EXPECT_FALSE(bar_has_ended(interval::d1, day, 0));
}

// -- request builders ---------------------------------------------------------

TEST(PolygonRequest, BuildsEachKind) {
  struct row {
    fetch_request req;
    std::string path;
    kv_list query;
  };
  auto bars = [](std::string id, interval iv, int64_t start, int64_t end,
                 size_t limit, bool adjusted = false) {
    fetch_request r = request(fetch_kind::bars, std::move(id), iv);
    r.start_ns = start;
    r.end_ns = end;
    r.limit = limit;
    r.adjusted = adjusted;
    return r;
  };
  constexpr int64_t jan1 = 1'577'836'800 * ns_per_s;  // 2020-01-01
  constexpr int64_t jan10 = 1'578'614'400 * ns_per_s; // 2020-01-10
  const row rows[] = {
    {bars("AAPL", interval::d1, jan1, jan10, 120),
     "/v2/aggs/ticker/AAPL/range/1/day/1577836800000/1578614400000",
     {{"adjusted", "false"}, {"sort", "asc"}, {"limit", "120"},
      {"apiKey", "KEY123"}}},
    {bars("BTC-USD", interval::m5, 0, 0, 0, true),
     "/v2/aggs/ticker/X:BTCUSD/range/5/minute/0/4102444800000",
     {{"adjusted", "true"}, {"sort", "desc"}, {"apiKey", "KEY123"}}},
    {bars("EUR-USD", interval::h1, jan1 + 123'456'789, 0, 50'000),
     "/v2/aggs/ticker/C:EURUSD/range/1/hour/1577836800123/4102444800000",
     {{"adjusted", "false"}, {"sort", "asc"}, {"limit", "50000"},
      {"apiKey", "KEY123"}}},
    {request(fetch_kind::price, "AAPL"), "/v2/last/trade/AAPL",
     {{"apiKey", "KEY123"}}},
    {request(fetch_kind::price, "BTC-USD"), "/v2/aggs/ticker/X:BTCUSD/prev",
     {{"adjusted", "true"}, {"apiKey", "KEY123"}}},
    {request(fetch_kind::price, "EUR-USD"), "/v2/aggs/ticker/C:EURUSD/prev",
     {{"adjusted", "true"}, {"apiKey", "KEY123"}}},
    {request(fetch_kind::quote, "AAPL"), "/v2/last/nbbo/AAPL",
     {{"apiKey", "KEY123"}}},
    {request(fetch_kind::quote, "BRK.B"), "/v2/last/nbbo/BRK.B",
     {{"apiKey", "KEY123"}}},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto out = a->build(r.req, key());
    ASSERT_TRUE(out) << r.path << ": " << out.err().message();
    EXPECT_EQ(out->method, "GET");
    EXPECT_EQ(out->path, r.path);
    EXPECT_EQ(out->query, r.query) << r.path;
    EXPECT_TRUE(out->headers.empty());
    EXPECT_EQ(out->secrets, std::vector<std::string>{"KEY123"});
  }
}

TEST(PolygonRequest, MapsEveryIntervalButOneSecond) {
  struct row {
    interval iv;
    const char* range; // "<multiplier>/<timespan>"
  };
  const row rows[] = {
    {interval::m1, "1/minute"},  {interval::m3, "3/minute"},
    {interval::m5, "5/minute"},  {interval::m15, "15/minute"},
    {interval::m30, "30/minute"}, {interval::h1, "1/hour"},
    {interval::h2, "2/hour"},    {interval::h4, "4/hour"},
    {interval::h6, "6/hour"},    {interval::h8, "8/hour"},
    {interval::h12, "12/hour"},  {interval::d1, "1/day"},
    {interval::d3, "3/day"},     {interval::w1, "1/week"},
    {interval::mo1, "1/month"},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto req = request(fetch_kind::bars, "AAPL", r.iv);
    req.start_ns = ns_per_ms;
    req.end_ns = 2 * ns_per_ms;
    auto out = a->build(req, key());
    ASSERT_TRUE(out) << to_string(r.iv);
    EXPECT_EQ(out->path,
              "/v2/aggs/ticker/AAPL/range/" + std::string{r.range} + "/1/2");
  }
  EXPECT_EQ(a->info().intervals.size(), std::size(rows));
  auto out = a->build(request(fetch_kind::bars, "AAPL", interval::s1), key());
  ASSERT_FALSE(out);
  EXPECT_EQ(out.err().code, errc::invalid_argument);
}

TEST(PolygonRequest, RefusesBadRequests) {
  struct row {
    const char* name;
    fetch_request req;
    credentials cred;
    errc code;
  };
  auto bars = [](int64_t start, int64_t end, size_t limit) {
    auto r = request(fetch_kind::bars, "AAPL");
    r.start_ns = start;
    r.end_ns = end;
    r.limit = limit;
    return r;
  };
  const row rows[] = {
    {"unknown shape", request(fetch_kind::price, "^GSPC"), key(),
     errc::unknown_symbol},
    {"lowercase", request(fetch_kind::price, "btc-usd"), key(),
     errc::unknown_symbol},
    {"empty", request(fetch_kind::price, ""), key(), errc::unknown_symbol},
    {"quote of crypto", request(fetch_kind::quote, "BTC-USD"), key(),
     errc::invalid_argument},
    {"quote of forex", request(fetch_kind::quote, "EUR-USD"), key(),
     errc::invalid_argument},
    {"1s bars", request(fetch_kind::bars, "AAPL", interval::s1), key(),
     errc::invalid_argument},
    {"start after end", bars(2'000, 1'000, 0), key(), errc::invalid_argument},
    {"negative start", bars(-1, 0, 0), key(), errc::invalid_argument},
    {"limit too big", bars(0, 0, 50'001), key(), errc::invalid_argument},
    {"no key", request(fetch_kind::price, "AAPL"), credentials{},
     errc::unauthorized},
    {"no key, bars", bars(0, 0, 0), credentials{}, errc::unauthorized},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto out = a->build(r.req, r.cred);
    ASSERT_FALSE(out) << r.name;
    EXPECT_EQ(out.err().code, r.code) << r.name;
  }
}

TEST(PolygonRequest, KeyIsRedactedInTheLoggableUrl) {
  auto out = adapter()->build(request(fetch_kind::price, "AAPL"), key());
  ASSERT_TRUE(out);
  auto url = out->redacted_url("http://127.0.0.1:9");
  EXPECT_EQ(url.find("KEY123"), std::string::npos) << url;
  EXPECT_NE(out->url("http://127.0.0.1:9").find("apiKey=KEY123"),
            std::string::npos);
}

TEST(PolygonRequest, EscapesOddPathCharacters) {
  EXPECT_EQ(polygon::escape_path_segment("X:BTCUSD"), "X:BTCUSD");
  EXPECT_EQ(polygon::escape_path_segment("BRK.B"), "BRK.B");
  EXPECT_EQ(polygon::escape_path_segment("A/B C?"), "A%2FB%20C%3F");
  auto a = adapter({{"ODD", "A/B"}});
  auto out = a->build(request(fetch_kind::price, "ODD"), key());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->path, "/v2/last/trade/A%2FB");
}

// -- symbols ------------------------------------------------------------------

TEST(PolygonSymbols, MapsBothWays) {
  struct row {
    const char* canonical;
    const char* ticker;
  };
  const row round_trips[] = {
    {"AAPL", "AAPL"},          {"BRK.B", "BRK.B"},
    {"BTC-USD", "X:BTCUSD"},   {"BTC-USDT", "X:BTCUSDT"},
    {"ETH-BTC", "X:ETHBTC"},   {"USDT-USD", "X:USDTUSD"},
    {"EUR-USD", "C:EURUSD"},   {"GBP-JPY", "C:GBPJPY"},
  };
  auto a = adapter();
  for (const auto& r : round_trips) {
    EXPECT_EQ(a->to_provider_symbol(r.canonical), r.ticker);
    EXPECT_EQ(a->to_canonical(r.ticker), r.canonical);
  }
  const char* unmappable_canonical[] = {"^GSPC", ".SPX", "btc-usd", "",
                                        "X:BTCUSD", "A-B.C"};
  for (const char* c : unmappable_canonical)
    EXPECT_EQ(a->to_provider_symbol(c), "") << c;
  const char* unmappable_ticker[] = {"I:SPX", "X:FOO", "C:EURUS", "C:eurusd",
                                     "aapl",  "X:",    "",        "X:USD"};
  for (const char* t : unmappable_ticker)
    EXPECT_EQ(a->to_canonical(t), "") << t;
}

TEST(PolygonSymbols, OverridesComeFirstBothWays) {
  auto a = adapter({{"PEPE-USD", "X:PEPEUSD2"},
                    {"GOLD", "C:XAUUSD"},
                    {"BTC-USD", "X:BTCUSDC"}});
  EXPECT_EQ(a->to_provider_symbol("PEPE-USD"), "X:PEPEUSD2");
  EXPECT_EQ(a->to_canonical("X:PEPEUSD2"), "PEPE-USD");
  EXPECT_EQ(a->to_provider_symbol("GOLD"), "C:XAUUSD");
  EXPECT_EQ(a->to_canonical("C:XAUUSD"), "GOLD");
  EXPECT_EQ(a->to_provider_symbol("BTC-USD"), "X:BTCUSDC");
  EXPECT_EQ(a->to_canonical("X:BTCUSDC"), "BTC-USD");
  EXPECT_EQ(a->to_provider_symbol("ETH-USD"), "X:ETHUSD"); // built-in still
  // Requests and replies use the override.
  auto out = a->build(request(fetch_kind::price, "GOLD"), key());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->path, "/v2/aggs/ticker/C:XAUUSD/prev");
  auto res = expect_result(a->parse(
    request(fetch_kind::price, "GOLD"),
    reply_of(200, R"({"ticker":"C:XAUUSD","results":[{"T":"C:XAUUSD",)"
                  R"("o":1,"h":1,"l":1,"c":2650.5,"v":0,"t":1}]})"),
    recv_ns));
  ASSERT_EQ(res.prices.size(), 1u);
  EXPECT_EQ(res.prices[0].instrument, "GOLD");
  EXPECT_EQ(res.prices[0].value, dec(26505, 1));
}

TEST(PolygonAdapter, Info) {
  auto a = adapter();
  const auto& i = a->info();
  EXPECT_EQ(i.id, providers::polygon);
  EXPECT_TRUE(i.needs_key);
  EXPECT_EQ(i.asset_classes,
            (std::vector<asset_class>{asset_class::equity, asset_class::crypto,
                                      asset_class::forex}));
  EXPECT_EQ(i.data_types,
            (std::vector<fetch_kind>{fetch_kind::price, fetch_kind::bars,
                                     fetch_kind::quote, fetch_kind::profile,
                                     fetch_kind::news, fetch_kind::splits,
                                     fetch_kind::dividends}));
  for (auto iv : i.intervals)
    EXPECT_NE(iv, interval::s1);
}

} // namespace
} // namespace tickflow

namespace tickflow {
namespace {

// tickflow asks Polygon for JSON. The recorded text/csv variants of the same
// answers (what a proxy that drops Accept would return) are refused as
// malformed, never half-read.
TEST(PolygonParse, CsvVariantsAreRefusedAsMalformed) {
  struct row {
    const char* file;
    fetch_request req;
  } rows[] = {
    {"v2_aggs_ticker_AAPL_prev.example.csv", request(fetch_kind::price, "AAPL")},
    {"v2_aggs_ticker_AAPL_range_1_day.example.csv", request(fetch_kind::bars, "AAPL")},
    {"v2_aggs_ticker_X-BTCUSD_range_1_day.example.csv",
     request(fetch_kind::bars, "BTC-USD")},
    {"v2_last_nbbo_AAPL.example.csv", request(fetch_kind::quote, "AAPL")},
    {"v2_last_trade_AAPL.example.csv", request(fetch_kind::price, "AAPL")},
  };
  auto a = adapter();
  for (auto& r : rows) {
    auto body = fixture(r.file);
    ASSERT_FALSE(body.empty()) << r.file;
    auto e = expect_error(a->parse(r.req, reply_of(200, body), recv_ns));
    EXPECT_EQ(e.code, errc::malformed) << r.file << ": " << e.message;
  }
}

} // namespace
} // namespace tickflow
