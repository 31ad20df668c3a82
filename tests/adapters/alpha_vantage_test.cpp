#include "adapters/alpha_vantage/alpha_vantage_adapter.hpp"
#include "adapters/alpha_vantage/us_eastern_time.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
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

// tests/fixtures/alpha_vantage/rest/<file>
std::string rest_fixture(std::string_view file) {
  return test::read_fixture("alpha_vantage/rest/" + std::string{file});
}

constexpr int64_t recv_ns = 1'717'790'400 * ns_per_s; // 2024-06-07T20:00:00Z

int64_t at(std::string_view iso) { return *parse_timestamp(iso); }

// -- US/Eastern ---------------------------------------------------------------

TEST(AlphaVantageTime, ConvertsUsEasternToUtcAcrossDst) {
  struct row {
    std::string_view local; // wall clock in New York
    bool dst;
    std::string_view utc;
  };
  const row rows[] = {
    // 2024: DST from Sun 2024-03-10 02:00 EST to Sun 2024-11-03 02:00 EDT.
    {"2024-01-02T09:30:00Z", false, "2024-01-02T14:30:00Z"},
    {"2024-02-29T12:00:00Z", false, "2024-02-29T17:00:00Z"},
    {"2024-03-09T23:59:59Z", false, "2024-03-10T04:59:59Z"},
    {"2024-03-10T01:59:59Z", false, "2024-03-10T06:59:59Z"},
    {"2024-03-10T02:30:00Z", false, "2024-03-10T07:30:00Z"}, // skipped hour
    {"2024-03-10T03:00:00Z", true, "2024-03-10T07:00:00Z"},
    {"2024-06-07T19:55:00Z", true, "2024-06-07T23:55:00Z"},
    {"2024-11-03T00:59:59Z", true, "2024-11-03T04:59:59Z"},
    {"2024-11-03T01:30:00Z", true, "2024-11-03T05:30:00Z"}, // repeated hour
    {"2024-11-03T02:00:00Z", false, "2024-11-03T07:00:00Z"},
    {"2024-12-31T23:00:00Z", false, "2025-01-01T04:00:00Z"},
    // 2023: second Sunday of March is the 12th, first of November the 5th.
    {"2023-03-11T12:00:00Z", false, "2023-03-11T17:00:00Z"},
    {"2023-03-12T03:00:00Z", true, "2023-03-12T07:00:00Z"},
    {"2023-11-04T12:00:00Z", true, "2023-11-04T16:00:00Z"},
    {"2023-11-05T02:00:00Z", false, "2023-11-05T07:00:00Z"},
    // 2007: the first year of the current rule (March 11, November 4).
    {"2007-03-11T03:00:00Z", true, "2007-03-11T07:00:00Z"},
    {"2007-11-03T12:00:00Z", true, "2007-11-03T16:00:00Z"},
    {"2007-11-04T02:00:00Z", false, "2007-11-04T07:00:00Z"},
    // 2006: the 1987-2006 rule, first Sunday of April (2nd) to last Sunday
    // of October (29th).
    {"2006-03-12T12:00:00Z", false, "2006-03-12T17:00:00Z"},
    {"2006-04-02T01:59:00Z", false, "2006-04-02T06:59:00Z"},
    {"2006-04-02T03:00:00Z", true, "2006-04-02T07:00:00Z"},
    {"2006-10-29T01:30:00Z", true, "2006-10-29T05:30:00Z"},
    {"2006-10-29T02:00:00Z", false, "2006-10-29T07:00:00Z"},
    {"2006-11-01T12:00:00Z", false, "2006-11-01T17:00:00Z"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{r.local});
    auto wall = at(r.local);
    EXPECT_EQ(alpha_vantage::us_dst_in_effect(wall), r.dst);
    EXPECT_EQ(format_iso8601(alpha_vantage::us_eastern_to_utc_ns(wall)),
              r.utc);
  }
}

TEST(AlphaVantageTime, ParsesZonedRowTimes) {
  struct row {
    std::string_view text;
    std::string_view zone;
    std::string_view utc; // "" when it must fail
  };
  const row rows[] = {
    {"2024-06-07 19:55:00", "US/Eastern", "2024-06-07T23:55:00Z"},
    {"2024-01-05 16:00:00", "America/New_York", "2024-01-05T21:00:00Z"},
    {"2024-01-05 16:00:00", "UTC", "2024-01-05T16:00:00Z"},
    {"2024-01-05 16:00:00", "Europe/London", ""},
    {"2024-01-05 16:00", "US/Eastern", ""},
    {"2024-01-05T16:00:00", "US/Eastern", ""},
    {"2024-02-30 16:00:00", "US/Eastern", ""},
    {"2024-01-05 24:00:00", "US/Eastern", ""},
    {"2024-01-05 1a:00:00", "US/Eastern", ""},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{r.text} + " " + std::string{r.zone});
    auto t = alpha_vantage::parse_zoned_time(r.text, r.zone);
    if (r.utc.empty()) {
      ASSERT_FALSE(t);
      EXPECT_EQ(t.err().code, errc::invalid_argument);
    } else {
      ASSERT_TRUE(t) << t.err().message();
      EXPECT_EQ(format_iso8601(*t), r.utc);
    }
  }
}

// -- fixtures -----------------------------------------------------------------

TEST(AlphaVantage, ParsesTheDailyAdjustedFixture) {
  auto adapter = make_alpha_vantage_adapter({});
  auto r = expect_result(adapter->parse(
    bars_of("IBM", interval::d1),
    reply_of(200, rest_fixture("time_series_daily_adjusted_IBM_compact.json")),
    recv_ns));
  ASSERT_EQ(r.bars.size(), 100u);
  struct row {
    std::string_view date;
    std::string_view o, h, l, c, v;
  };
  // Traded (not adjusted) prices; "6. volume" of the adjusted series.
  const row rows[] = {
    {"2024-01-17", "166.79", "167.82", "165.495", "166.08", "4288604"},
    {"2024-02-08", "182.63", "184.55", "181.49", "184.36", "5161185"},
    {"2024-05-08", "168.01", "170.26", "167.9", "169.9", "3522011"},
    {"2024-05-09", "167.5", "167.55", "165.88", "166.27", "4266616"},
    {"2024-06-06", "167.38", "168.44", "166.8", "168.2", "2207263"},
    {"2024-06-07", "168.18", "171.305", "168.06", "170.01", "3475495"},
  };
  // Oldest first: the payload's last row first, its first row last.
  EXPECT_EQ(r.bars.front().open_time_ns, 1'705'449'600 * ns_per_s);
  EXPECT_EQ(r.bars.back().open_time_ns, 1'717'718'400 * ns_per_s);
  for (auto& x : rows) {
    SCOPED_TRACE(std::string{x.date});
    auto t = at(x.date);
    const bar* b = nullptr;
    for (auto& candidate : r.bars)
      if (candidate.open_time_ns == t)
        b = &candidate;
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->instrument, "IBM");
    EXPECT_EQ(b->provider_symbol, "IBM");
    EXPECT_EQ(b->source, providers::alpha_vantage);
    EXPECT_EQ(b->span, interval::d1);
    EXPECT_EQ(b->open, dec(x.o));
    EXPECT_EQ(b->high, dec(x.h));
    EXPECT_EQ(b->low, dec(x.l));
    EXPECT_EQ(b->close, dec(x.c));
    EXPECT_EQ(b->volume, dec(x.v));
    EXPECT_EQ(b->trade_count, 0u);
    EXPECT_EQ(b->ts_recv_ns, recv_ns);
  }
  EXPECT_EQ(r.bars.front().close, dec("166.08"));
  EXPECT_EQ(r.bars.back().close, dec("170.01"));
  for (size_t i = 1; i < r.bars.size(); ++i)
    EXPECT_LT(r.bars[i - 1].open_time_ns, r.bars[i].open_time_ns);
  // 2024-06-07 closes at 2024-06-08T00:00Z, after recv_ns (20:00Z).
  EXPECT_FALSE(r.bars.back().closed);
  EXPECT_TRUE(r.bars[r.bars.size() - 2].closed);
}

TEST(AlphaVantage, ParsesTheIntradayFixtureAcrossTheDstSwitch) {
  auto adapter = make_alpha_vantage_adapter({});
  auto r = expect_result(adapter->parse(
    bars_of("IBM", interval::m5),
    reply_of(200,
             rest_fixture("time_series_intraday_5min_IBM_dst.documented.json")),
    recv_ns));
  ASSERT_EQ(r.bars.size(), 4u);
  struct row {
    std::string_view utc; // from the US/Eastern key
    std::string_view o, h, l, c, v;
  };
  const row rows[] = {
    {"2024-03-09T00:50:00Z", "195.88", "195.95", "195.88", "195.95", "60"},
    {"2024-03-09T00:55:00Z", "195.95", "196", "195.9", "195.95", "154"},
    {"2024-03-11T08:00:00Z", "195.75", "195.95", "195.75", "195.9", "30"},
    {"2024-03-11T08:05:00Z", "195.9", "196", "195.9", "196", "12"},
  };
  for (size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    auto& b = r.bars[i];
    EXPECT_EQ(format_iso8601(b.open_time_ns), rows[i].utc);
    EXPECT_EQ(b.span, interval::m5);
    EXPECT_EQ(b.open, dec(rows[i].o));
    EXPECT_EQ(b.high, dec(rows[i].h));
    EXPECT_EQ(b.low, dec(rows[i].l));
    EXPECT_EQ(b.close, dec(rows[i].c));
    EXPECT_EQ(b.volume, dec(rows[i].v));
    EXPECT_TRUE(b.closed);
  }
}

TEST(AlphaVantage, ParsesTheGlobalQuoteFixture) {
  auto adapter = make_alpha_vantage_adapter({});
  auto r = expect_result(adapter->parse(
    price_of("AZN.LON"),
    reply_of(200, rest_fixture("global_quote_AZN.LON_2022-06-01.json")),
    recv_ns));
  ASSERT_EQ(r.prices.size(), 1u);
  auto& p = r.prices[0];
  EXPECT_EQ(p.instrument, "AZN.LON");
  EXPECT_EQ(p.source, providers::alpha_vantage);
  EXPECT_EQ(p.value, dec("10442"));
  EXPECT_EQ(p.ts_event_ns, 1'654'041'600 * ns_per_s); // 2022-06-01T00:00Z
  EXPECT_EQ(p.ts_recv_ns, recv_ns);
}

// -- requests -----------------------------------------------------------------

TEST(AlphaVantage, BuildsQueryRequestsPerKind) {
  struct row {
    const char* name;
    fetch_request req;
    kv_list query;
  };
  auto big = bars_of("IBM", interval::d1);
  big.limit = 101;
  auto small = bars_of("IBM", interval::d1);
  small.limit = 100;
  auto ranged = bars_of("IBM", interval::d1);
  ranged.start_ns = at("2020-01-01");
  const row rows[] = {
    {"quote", price_of("IBM"),
     {{"function", "GLOBAL_QUOTE"}, {"symbol", "IBM"}, {"apikey", "K"}}},
    {"daily", bars_of("IBM", interval::d1),
     {{"function", "TIME_SERIES_DAILY"},
      {"symbol", "IBM"},
      {"outputsize", "compact"},
      {"apikey", "K"}}},
    {"daily limit 100", small,
     {{"function", "TIME_SERIES_DAILY"},
      {"symbol", "IBM"},
      {"outputsize", "compact"},
      {"apikey", "K"}}},
    {"daily limit 101", big,
     {{"function", "TIME_SERIES_DAILY"},
      {"symbol", "IBM"},
      {"outputsize", "full"},
      {"apikey", "K"}}},
    {"daily from a start", ranged,
     {{"function", "TIME_SERIES_DAILY"},
      {"symbol", "IBM"},
      {"outputsize", "full"},
      {"apikey", "K"}}},
    {"1m", bars_of("IBM", interval::m1),
     {{"function", "TIME_SERIES_INTRADAY"},
      {"symbol", "IBM"},
      {"interval", "1min"},
      {"outputsize", "compact"},
      {"adjusted", "false"}, // intraday rows as traded (docs/API.md "Adjusted prices")
      {"apikey", "K"}}},
    {"15m", bars_of("MSFT", interval::m15),
     {{"function", "TIME_SERIES_INTRADAY"},
      {"symbol", "MSFT"},
      {"interval", "15min"},
      {"outputsize", "compact"},
      {"adjusted", "false"}, // intraday rows as traded (docs/API.md "Adjusted prices")
      {"apikey", "K"}}},
    {"30m", bars_of("IBM", interval::m30),
     {{"function", "TIME_SERIES_INTRADAY"},
      {"symbol", "IBM"},
      {"interval", "30min"},
      {"outputsize", "compact"},
      {"adjusted", "false"}, // intraday rows as traded (docs/API.md "Adjusted prices")
      {"apikey", "K"}}},
    {"1h", bars_of("IBM", interval::h1),
     {{"function", "TIME_SERIES_INTRADAY"},
      {"symbol", "IBM"},
      {"interval", "60min"},
      {"outputsize", "compact"},
      {"adjusted", "false"}, // intraday rows as traded (docs/API.md "Adjusted prices")
      {"apikey", "K"}}},
  };
  auto adapter = make_alpha_vantage_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto out = adapter->build(r.req, credentials{"K"});
    ASSERT_TRUE(out) << out.err().message();
    EXPECT_EQ(out->method, "GET");
    EXPECT_EQ(out->path, "/query");
    EXPECT_EQ(out->query, r.query);
    EXPECT_TRUE(out->headers.empty());
    EXPECT_EQ(out->secrets, std::vector<std::string>{"K"});
  }
  auto out = adapter->build(price_of("IBM"), credentials{"s3cr3t"});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->redacted_url("http://127.0.0.1:9").find("s3cr3t"),
            std::string::npos);
}

TEST(AlphaVantage, RejectsRequestsItCannotServe) {
  struct row {
    const char* name;
    fetch_request req;
    credentials cred;
    errc code;
  };
  auto quote = price_of("IBM");
  quote.kind = fetch_kind::quote;
  const row rows[] = {
    {"no key", price_of("IBM"), {}, errc::unauthorized},
    {"weekly", bars_of("IBM", interval::w1), {"K"}, errc::invalid_argument},
    {"4h", bars_of("IBM", interval::h4), {"K"}, errc::invalid_argument},
    {"quote", quote, {"K"}, errc::invalid_argument},
    {"crypto", price_of("BTC-USD"), {"K"}, errc::unknown_symbol},
    {"forex", price_of("EUR-USD"), {"K"}, errc::unknown_symbol},
    {"not canonical", price_of("ibm"), {"K"}, errc::unknown_symbol},
  };
  auto adapter = make_alpha_vantage_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto out = adapter->build(r.req, r.cred);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.err().code, r.code);
  }
}

// -- errors -------------------------------------------------------------------

TEST(AlphaVantage, MapsErrorBodies) {
  constexpr int64_t to_midnight = 4 * 3600 * ns_per_s; // from 20:00Z
  struct row {
    const char* name;
    std::string body;
    long status;
    fetch_request req;
    errc code;
    std::string_view message; // prefix
    int64_t retry_after_ns;
  };
  const row rows[] = {
    {"per-minute Note",
     rest_fixture("throttle_note_5_per_minute.json"), 200,
     bars_of("IBM", interval::d1), errc::rate_limited,
     "Thank you for using Alpha Vantage! Our standard API call frequency is "
     "5 calls per minute and 500 calls per day.",
     60 * ns_per_s},
    {"daily Information",
     rest_fixture("information_25_per_day.documented.json"),
     200, price_of("IBM"), errc::rate_limited,
     "Thank you for using Alpha Vantage! Our standard API rate limit is 25 "
     "requests per day.",
     to_midnight},
    {"premium endpoint",
     R"j({"Information":"Thank you for using Alpha Vantage! This is a )j"
     R"j(premium endpoint. You may subscribe ..."})j",
     200, bars_of("IBM", interval::d1), errc::unauthorized,
     "Thank you for using Alpha Vantage! This is a premium endpoint.", 0},
    {"premium feature",
     R"j({"Information":"Thank you for using Alpha Vantage! The )j"
     R"j(outputsize=full parameter value is a premium feature for the )j"
     R"j(TIME_SERIES_DAILY endpoint."})j",
     200, bars_of("IBM", interval::d1), errc::unauthorized,
     "Thank you for using Alpha Vantage! The outputsize=full", 0},
    {"unknown symbol",
     rest_fixture("error_invalid_api_call.documented.json"),
     200, bars_of("NOPE", interval::d1), errc::unknown_symbol,
     "Invalid API call. Please retry or visit the documentation (",
     0},
    {"bad key",
     rest_fixture("error_apikey_missing.documented.json"),
     200, price_of("IBM"), errc::unauthorized,
     "the parameter apikey is invalid or missing.", 0},
    {"other error", R"j({"Error Message":"Something else."})j", 200,
     price_of("IBM"), errc::provider_error, "Something else.", 0},
    {"empty quote", R"j({"Global Quote":{}})j", 200, price_of("NOPE"),
     errc::unknown_symbol, "NOPE", 0},
    {"HTML 500", "<html>oops</html>", 500, price_of("IBM"),
     errc::provider_error, "HTTP 500", 0},
    {"429", "", 429, price_of("IBM"), errc::rate_limited, "", 0},
  };
  auto adapter = make_alpha_vantage_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto e = expect_error(
      adapter->parse(r.req, reply_of(r.status, r.body), recv_ns));
    EXPECT_EQ(e.code, r.code) << e.message;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u) << e.message;
    EXPECT_EQ(e.retry_after_ns, r.retry_after_ns);
  }
}

TEST(AlphaVantage, KeepsTheKeyOutOfErrorMessages) {
  const std::string body =
    R"j({"Information":"We have detected your API key as ABC123XYZ and our )j"
    R"j(standard API rate limit is 25 requests per day."})j";
  auto e = expect_error(make_alpha_vantage_adapter({})->parse(
    price_of("IBM"), reply_of(200, body), recv_ns));
  EXPECT_EQ(e.code, errc::rate_limited);
  EXPECT_EQ(e.message,
            "We have detected your API key as *** and our standard API rate "
            "limit is 25 requests per day.");
}

TEST(AlphaVantage, RejectsMalformedBodies) {
  struct row {
    const char* name;
    std::string body;
    fetch_request req;
    errc code;
    std::string_view message; // prefix
  };
  auto daily = [](std::string_view meta, std::string_view rows) {
    return R"j({"Meta Data":)j" + std::string{meta}
           + R"j(,"Time Series (Daily)":)j" + std::string{rows} + "}";
  };
  const std::string meta = R"j({"2. Symbol":"IBM",)j"
                           R"j("5. Time Zone":"US/Eastern"})j";
  const std::string ok_row =
    R"j({"1. open":"1","2. high":"2","3. low":"0.5","4. close":"1.5",)j"
    R"j("5. volume":"10"})j";
  auto d1 = bars_of("IBM", interval::d1);
  auto m5 = bars_of("IBM", interval::m5);
  const row rows[] = {
    {"garbage", "<html>", d1, errc::malformed, ""},
    {"array", "[]", d1, errc::malformed, "not an object"},
    {"no meta", R"j({"Time Series (Daily)":{}})j", d1, errc::missing_field,
     "Meta Data"},
    {"other series", daily(meta, "{}"), m5, errc::missing_field,
     "Time Series (5min)"},
    {"no symbol", daily("{}", "{}"), d1, errc::missing_field,
     "Meta Data.2. Symbol"},
    {"other symbol", daily(R"j({"2. Symbol":"MSFT"})j", "{}"), d1,
     errc::malformed, "Meta Data.2. Symbol: MSFT, asked for IBM"},
    {"series not an object", daily(meta, "[]"), d1, errc::malformed,
     "Time Series (Daily): expected an object"},
    {"bad date", daily(meta, R"j({"2024-6-7":)j" + ok_row + "}"), d1,
     errc::malformed, "Time Series (Daily).2024-6-7: expected"},
    {"impossible date", daily(meta, R"j({"2024-02-30":)j" + ok_row + "}"), d1,
     errc::malformed, "Time Series (Daily).2024-02-30: "},
    {"row not an object", daily(meta, R"j({"2024-06-07":5})j"), d1,
     errc::malformed, "Time Series (Daily).2024-06-07: not an object"},
    {"no close", daily(meta, R"j({"2024-06-07":{"1. open":"1","2. high":"2",)j"
                             R"j("3. low":"0.5","5. volume":"10"}})j"),
     d1, errc::missing_field, "Time Series (Daily).2024-06-07.4. close"},
    {"no volume", daily(meta, R"j({"2024-06-07":{"1. open":"1","2. high":"2",)j"
                              R"j("3. low":"0.5","4. close":"1"}})j"),
     d1, errc::missing_field, "Time Series (Daily).2024-06-07.6. volume"},
    {"text price", daily(meta, R"j({"2024-06-07":{"1. open":"n/a",)j"
                               R"j("2. high":"2","3. low":"0.5",)j"
                               R"j("4. close":"1","5. volume":"10"}})j"),
     d1, errc::bad_number, "Time Series (Daily).2024-06-07.1. open: "},
    {"duplicate rows",
     daily(meta, R"j({"2024-06-07":)j" + ok_row + R"j(,"2024-06-07":)j"
                   + ok_row + "}"),
     d1, errc::malformed, "Time Series (Daily): two rows open at"},
    {"intraday without zone",
     R"j({"Meta Data":{"2. Symbol":"IBM"},"Time Series (5min)":{}})j", m5,
     errc::missing_field, "Meta Data.6. Time Zone"},
    {"intraday other zone",
     R"j({"Meta Data":{"2. Symbol":"IBM","6. Time Zone":"Asia/Tokyo"},)j"
     R"j("Time Series (5min)":{"2024-06-07 10:00:00":)j" + ok_row + "}}",
     m5, errc::malformed,
     "Time Series (5min).2024-06-07 10:00:00: unsupported time zone"},
    {"intraday date only",
     R"j({"Meta Data":{"2. Symbol":"IBM","6. Time Zone":"US/Eastern"},)j"
     R"j("Time Series (5min)":{"2024-06-07":)j" + ok_row + "}}",
     m5, errc::malformed, "Time Series (5min).2024-06-07: expected"},
    {"quote not an object", R"j({"Global Quote":[]})j", price_of("IBM"),
     errc::malformed, "Global Quote: expected an object"},
    {"quote without price",
     R"j({"Global Quote":{"01. symbol":"IBM",)j"
     R"j("07. latest trading day":"2024-06-07"}})j",
     price_of("IBM"), errc::missing_field, "Global Quote.05. price"},
    {"quote of another symbol",
     R"j({"Global Quote":{"01. symbol":"MSFT","05. price":"1",)j"
     R"j("07. latest trading day":"2024-06-07"}})j",
     price_of("IBM"), errc::malformed,
     "Global Quote.01. symbol: MSFT, asked for IBM"},
    {"quote bad day",
     R"j({"Global Quote":{"01. symbol":"IBM","05. price":"1",)j"
     R"j("07. latest trading day":"20240607"}})j",
     price_of("IBM"), errc::malformed,
     "Global Quote.07. latest trading day: expected"},
  };
  auto adapter = make_alpha_vantage_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto e =
      expect_error(adapter->parse(r.req, reply_of(200, r.body), recv_ns));
    EXPECT_EQ(e.code, r.code) << e.message;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u) << e.message;
  }
}

TEST(AlphaVantage, TrimsBarsToTheRequest) {
  auto body = rest_fixture("time_series_daily_adjusted_IBM_compact.json");
  auto adapter = make_alpha_vantage_adapter({});
  auto limited = bars_of("IBM", interval::d1);
  limited.limit = 3;
  auto r = expect_result(adapter->parse(limited, reply_of(200, body), recv_ns));
  ASSERT_EQ(r.bars.size(), 3u);
  EXPECT_EQ(format_iso8601(r.bars[0].open_time_ns), "2024-06-05T00:00:00Z");
  EXPECT_EQ(format_iso8601(r.bars[2].open_time_ns), "2024-06-07T00:00:00Z");
  auto ranged = bars_of("IBM", interval::d1);
  ranged.start_ns = at("2024-05-08");
  ranged.end_ns = at("2024-05-10");
  r = expect_result(adapter->parse(ranged, reply_of(200, body), recv_ns));
  ASSERT_EQ(r.bars.size(), 3u);
  EXPECT_EQ(r.bars[1].close, dec("166.27")); // 2024-05-09
}

// -- symbols ------------------------------------------------------------------

TEST(AlphaVantage, MapsSymbolsBothWays) {
  adapter_options options;
  options.symbol_overrides = {{"BRK.B", "BRK-B"}, {"SHOP.TO", "SHOP.TRT"}};
  auto adapter = make_alpha_vantage_adapter(options);
  struct row {
    std::string_view canonical;
    std::string_view provider_symbol;
  };
  const row both_ways[] = {
    {"IBM", "IBM"},
    {"AZN.LON", "AZN.LON"},
    {"BRK.B", "BRK-B"},
    {"SHOP.TO", "SHOP.TRT"},
  };
  for (auto& r : both_ways) {
    SCOPED_TRACE(std::string{r.canonical});
    EXPECT_EQ(adapter->to_provider_symbol(r.canonical), r.provider_symbol);
    EXPECT_EQ(adapter->to_canonical(r.provider_symbol), r.canonical);
  }
  auto req = adapter->build(price_of("BRK.B"), credentials{"K"});
  ASSERT_TRUE(req);
  EXPECT_EQ(req->query[1].first, "symbol");
  EXPECT_EQ(req->query[1].second, "BRK-B");
  for (auto bad : {"BTC-USD", "EUR-USD", "ibm", ""})
    EXPECT_EQ(adapter->to_provider_symbol(bad), "") << bad;
  for (auto bad : {"ETH-BTC", "ibm", ""})
    EXPECT_EQ(adapter->to_canonical(bad), "") << bad;
}

TEST(AlphaVantage, DescribesItself) {
  auto adapter = make_alpha_vantage_adapter({});
  auto& info = adapter->info();
  EXPECT_EQ(info.id, providers::alpha_vantage);
  EXPECT_EQ(info.asset_classes, std::vector<asset_class>{asset_class::equity});
  EXPECT_EQ(info.data_types,
            (std::vector<fetch_kind>{fetch_kind::price, fetch_kind::bars,
                                     fetch_kind::profile}));
  EXPECT_EQ(info.intervals,
            (std::vector<interval>{interval::m1, interval::m5, interval::m15,
                                   interval::m30, interval::h1,
                                   interval::d1}));
  EXPECT_TRUE(info.needs_key);
}

} // namespace
} // namespace tickflow
