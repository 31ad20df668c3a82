// Adjusted and as-traded bars (docs/API.md "Adjusted prices"): what each
// equity provider is asked for and what its recorded answer becomes.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/eodhd/eodhd_provider.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "adapters/massive_futures/massive_futures_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/registry.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
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

constexpr int64_t recv_ns = 1'800'000'000 * ns_per_s; // 2027-01-15T08:00:00Z

fetch_request bars(std::string instrument, bool adjusted, interval span = interval::d1) {
  auto r = test::bars_of(std::move(instrument), span);
  r.adjusted = adjusted;
  return r;
}

fetch_result parsed(provider p, const fetch_request& req, const char* file) {
  auto a = make_rest_adapter(p, {});
  return expect_result(a->parse(req, reply_of(200, read_fixture(file)), recv_ns));
}

std::string query_value(const outbound_request& r, const std::string& name) {
  auto it = std::find_if(r.query.begin(), r.query.end(),
                         [&](const auto& kv) { return kv.first == name; });
  return it == r.query.end() ? "<absent>" : it->second;
}

outbound_request built(provider p, const fetch_request& req) {
  auto a = make_rest_adapter(p, {});
  auto out = a->build(req, credentials{"KEY123"});
  EXPECT_TRUE(out) << to_string(p) << ": " << out.err().context;
  return out ? *out : outbound_request{};
}

TEST(AdjustedBars, RequestsSayWhichSeries) {
  EXPECT_EQ(query_value(built(providers::polygon, bars("AAPL", false)), "adjusted"), "false");
  EXPECT_EQ(query_value(built(providers::polygon, bars("AAPL", true)), "adjusted"), "true");
  EXPECT_EQ(query_value(built(providers::alpha_vantage, bars("IBM", false)), "function"),
            "TIME_SERIES_DAILY");
  EXPECT_EQ(query_value(built(providers::alpha_vantage, bars("IBM", true)), "function"),
            "TIME_SERIES_DAILY_ADJUSTED");
  // Alpha Vantage intraday rows are adjusted unless asked otherwise.
  EXPECT_EQ(query_value(built(providers::alpha_vantage, bars("IBM", false, interval::m5)),
                        "adjusted"),
            "false");
  EXPECT_EQ(query_value(built(providers::alpha_vantage, bars("IBM", true, interval::m5)),
                        "adjusted"),
            "true");
}

TEST(AdjustedBars, FinnhubRefusesAdjustedBars) {
  auto a = make_rest_adapter(providers::finnhub, {});
  auto adjusted = bars("AAPL", true);
  auto raw = bars("AAPL", false);
  for (auto* r : {&adjusted, &raw}) { // finnhub needs a range
    r->start_ns = *parse_timestamp("2019-09-24");
    r->end_ns = *parse_timestamp("2019-09-26");
  }
  auto out = a->build(adjusted, credentials{"KEY123"});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.err().code, errc::invalid_argument);
  EXPECT_TRUE(a->build(raw, credentials{"KEY123"}));
}

TEST(AdjustedBars, EodhdScalesByTheAdjustedClose) {
  const char* file = "eodhd/rest/eod_AAPL.US.openapi_example.json";
  auto raw = parsed(providers::eodhd, bars("AAPL", false), file);
  auto adj = parsed(providers::eodhd, bars("AAPL", true), file);
  ASSERT_EQ(raw.bars.size(), 2u);
  ASSERT_EQ(adj.bars.size(), 2u);
  // 2022-01-03: close 182.01, adjusted_close 179.2736.
  EXPECT_EQ(raw.bars[0].open, dec("177.83"));
  EXPECT_EQ(raw.bars[0].close, dec("182.01"));
  EXPECT_EQ(adj.bars[0].open, dec("175.1564"));
  EXPECT_EQ(adj.bars[0].high, dec("180.1305"));
  EXPECT_EQ(adj.bars[0].low, dec("175.0382"));
  EXPECT_EQ(adj.bars[0].close, dec("179.2736"));
  EXPECT_EQ(adj.bars[0].volume, raw.bars[0].volume);
  EXPECT_EQ(adj.bars[1].close, dec("176.9984"));
  EXPECT_EQ(adj.bars[0].open_time_ns, raw.bars[0].open_time_ns);
}

TEST(AdjustedBars, AlphaVantageScalesByTheAdjustedClose) {
  const char* file = "alpha_vantage/rest/time_series_daily_adjusted_IBM_compact.json";
  auto raw = parsed(providers::alpha_vantage, bars("IBM", false), file);
  auto adj = parsed(providers::alpha_vantage, bars("IBM", true), file);
  ASSERT_EQ(raw.bars.size(), 100u);
  ASSERT_EQ(adj.bars.size(), 100u);
  // 2024-01-17, before the dividends of 2024-02-08 and 2024-05-09: close
  // 166.08, adjusted close 162.961173543364.
  EXPECT_EQ(format_iso8601(adj.bars[0].open_time_ns), "2024-01-17T00:00:00Z");
  EXPECT_EQ(raw.bars[0].close, dec("166.08"));
  EXPECT_EQ(adj.bars[0].open, dec("163.657840410029"));
  EXPECT_EQ(adj.bars[0].high, dec("164.668497977164"));
  EXPECT_EQ(adj.bars[0].low, dec("162.387159294069"));
  EXPECT_EQ(adj.bars[0].close, dec("162.961173543364"));
  // 2024-06-07, after them: both series agree.
  EXPECT_EQ(adj.bars.back().open, raw.bars.back().open);
  EXPECT_EQ(adj.bars.back().close, raw.bars.back().close);
}

TEST(AdjustedBars, AlphaVantageAdjustedNeedsTheAdjustedSeries) {
  auto a = make_rest_adapter(providers::alpha_vantage, {});
  // A TIME_SERIES_DAILY row (no "5. adjusted close"), trimmed from the
  // recorded adjusted fixture.
  std::string body =
    R"js({"Meta Data":{"1. Information":"Daily Prices","2. Symbol":"IBM",)js"
    R"js("3. Last Refreshed":"2024-06-07","4. Output Size":"Compact","5. Time Zone":"US/Eastern"},)js"
    R"js("Time Series (Daily)":{"2024-06-07":{"1. open":"168.18","2. high":"171.305",)js"
    R"js("3. low":"168.06","4. close":"170.01","5. volume":"3475495"}}})js";
  auto e = expect_error(a->parse(bars("IBM", true), reply_of(200, body), recv_ns));
  EXPECT_EQ(e.code, errc::missing_field) << e.message;
  EXPECT_NE(e.message.find("adjusted close"), std::string::npos) << e.message;
}

TEST(AdjustedBars, YahooScalesByAdjclose) {
  const char* file = "yahoo/rest/v8_finance_chart_AAPL_1d_2020-08-31_2020-11-07_with_events.json";
  auto plain = parsed(providers::yahoo, bars("AAPL", false), file);
  auto adj = parsed(providers::yahoo, bars("AAPL", true), file);
  ASSERT_EQ(adj.bars.size(), plain.bars.size());
  ASSERT_FALSE(adj.bars.empty());
  // 2020-08-31: open 127.58000183105469, close 129.0399932861328, adjclose
  // 125.82673645019531.
  EXPECT_EQ(format_iso8601(adj.bars[0].open_time_ns), "2020-08-31T00:00:00Z");
  EXPECT_EQ(adj.bars[0].open, dec("124.403100603979"));
  EXPECT_EQ(adj.bars[0].close, dec("125.82673645019531"));
  EXPECT_EQ(adj.bars[0].volume, plain.bars[0].volume);
}

TEST(AdjustedBars, YahooAdjustedNeedsAdjclose) {
  // The recorded QQQ chart without its indicators.adjclose.
  auto body = read_fixture("yahoo/rest/v8_finance_chart_QQQ_1d_2020-01-01_2020-01-03.json");
  auto at = body.find(",\"adjclose\":");
  ASSERT_NE(at, std::string::npos);
  auto end = body.find(']', body.find('[', at));
  end = body.find('}', end);
  end = body.find(']', end);
  body.erase(at, end + 1 - at);
  auto a = make_rest_adapter(providers::yahoo, {});
  auto e = expect_error(a->parse(bars("QQQ", true), reply_of(200, body), recv_ns));
  EXPECT_NE(e.message.find("adjclose"), std::string::npos) << e.message;
  expect_result(a->parse(bars("QQQ", false), reply_of(200, body), recv_ns));
}

} // namespace
} // namespace tickflow
