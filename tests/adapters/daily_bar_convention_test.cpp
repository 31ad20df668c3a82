// The daily-bar convention (docs/API.md "Bar convention") on every
// provider's recorded daily bars: a daily bar opens at its trading day,
// 00:00Z, whatever the provider stamps (Polygon and Finnhub: the US/Eastern
// midnight in UTC; Yahoo: the session's opening instant; EODHD and Alpha
// Vantage: a date; Massive: the session's end date; Binance: 00:00Z).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/eodhd/eodhd_provider.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "adapters/massive_futures/massive_futures_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/registry.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "pipeline/model/provider.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::expect_result;
using test::read_fixture;
using test::reply_of;

// After every fixture's times (2027-01-15T08:00:00Z).
constexpr int64_t recv_ns = 1'800'000'000 * ns_per_s;

/// The open times (ISO 8601) of the bars `p` parses from `file` for a daily
/// bars request of `instrument`.
std::vector<std::string> open_times(provider p, const char* instrument, const char* file,
                                    interval span = interval::d1) {
  auto a = make_rest_adapter(p, {});
  EXPECT_NE(a, nullptr) << to_string(p);
  if (a == nullptr)
    return {};
  auto req = test::bars_of(instrument, span);
  auto out = expect_result(a->parse(req, reply_of(200, read_fixture(file)), recv_ns));
  std::vector<std::string> times;
  for (auto& b : out.bars)
    times.push_back(format_iso8601(b.open_time_ns));
  return times;
}

struct row {
  provider source;
  const char* instrument;
  const char* file;
  std::vector<std::string> expected; ///< trading days, 00:00Z
};

TEST(DailyBarConvention, EveryProviderOpensADailyBarAtItsTradingDay) {
  const row rows[] = {
    // t = 1577941200000 (2020-01-02T05:00Z, Eastern midnight, EST).
    {providers::polygon, "AAPL", "polygon/rest/v2_aggs_ticker_AAPL_range_1_day.example.json",
     {"2020-01-02T00:00:00Z", "2020-01-03T00:00:00Z"}},
    // t = 1590984000000 (2020-06-01T04:00Z, Eastern midnight, EDT).
    {providers::polygon, "BTC-USD",
     "polygon/rest/v2_aggs_ticker_X-BTCUSD_range_1_day.example.json",
     {"2020-06-01T00:00:00Z", "2020-06-02T00:00:00Z"}},
    // t = 1569297600 (2019-09-24T04:00Z).
    {providers::finnhub, "AAPL", "finnhub/rest/stock_candle_AAPL_D.docs_example.json",
     {"2019-09-24T00:00:00Z", "2019-09-25T00:00:00Z", "2019-09-26T00:00:00Z"}},
    // timestamp 1577975400 (2020-01-02T14:30Z, the NYSE open), gmtoffset -18000.
    {providers::yahoo, "QQQ", "yahoo/rest/v8_finance_chart_QQQ_1d_2020-01-01_2020-01-03.json",
     {"2020-01-02T00:00:00Z"}},
    // London FX, gmtoffset 0, stamped 00:00Z.
    {providers::yahoo, "EUR-USD",
     "yahoo/rest/v8_finance_chart_EURUSD=X_1d_2020-01-01_2020-01-03.json",
     {"2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", "2020-01-03T00:00:00Z"}},
    // "date": "2024-01-02".
    {providers::eodhd, "AAPL", "eodhd/rest/eod_AAPL.US_2024-01-02.examples_md.json",
     {"2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"}},
    // window_start 2025-02-04T00:00Z, session_end_date "2025-02-04".
    {providers::massive_futures, "GCJ5",
     "massive_futures/rest/futures_vX_aggs_GCJ5.openapi_example.json",
     {"2025-02-04T00:00:00Z", "2025-02-05T00:00:00Z"}},
    // Open time 1499040000000 (2017-07-03T00:00Z).
    {providers::binance, "LTC-BTC", "binance/rest/api_v3_klines.docs.json",
     {"2017-07-03T00:00:00Z"}},
  };
  for (auto& r : rows)
    EXPECT_EQ(open_times(r.source, r.instrument, r.file), r.expected)
      << to_string(r.source) << " " << r.file;
}

TEST(DailyBarConvention, AlphaVantageDaysAreTheirDates) {
  auto times = open_times(providers::alpha_vantage, "IBM",
                          "alpha_vantage/rest/time_series_daily_adjusted_IBM_compact.json");
  ASSERT_EQ(times.size(), 100u);
  EXPECT_EQ(times.front(), "2024-01-17T00:00:00Z");
  EXPECT_EQ(times.back(), "2024-06-07T00:00:00Z");
}

TEST(DailyBarConvention, TheSameTradingDayOpensAtTheSameTimeFromEveryProvider) {
  // 2020-01-02 is recorded by Polygon (AAPL, 05:00Z) and Yahoo (QQQ at
  // 14:30Z, EURUSD=X at 00:00Z): three stamps, one open time.
  auto polygon = open_times(providers::polygon, "AAPL",
                            "polygon/rest/v2_aggs_ticker_AAPL_range_1_day.example.json");
  auto qqq = open_times(providers::yahoo, "QQQ",
                        "yahoo/rest/v8_finance_chart_QQQ_1d_2020-01-01_2020-01-03.json");
  auto fx = open_times(providers::yahoo, "EUR-USD",
                       "yahoo/rest/v8_finance_chart_EURUSD=X_1d_2020-01-01_2020-01-03.json");
  ASSERT_EQ(polygon.size(), 2u);
  ASSERT_EQ(qqq.size(), 1u);
  ASSERT_EQ(fx.size(), 3u);
  EXPECT_EQ(polygon[0], qqq[0]);
  EXPECT_EQ(polygon[0], fx[1]);
}

TEST(DailyBarConvention, WeeklyAndMonthlyBarsOpenOnTheirMondayAndFirst) {
  // The recorded daily rows read as weekly and monthly bars (the
  // adapters apply the same convention): Polygon's Thursday 2020-01-02
  // row is in the week of Monday 2019-12-30 and the month of 2020-01-01.
  auto week = open_times(providers::polygon, "AAPL",
                         "polygon/rest/v2_aggs_ticker_AAPL_range_1_day.example.json",
                         interval::w1);
  ASSERT_FALSE(week.empty());
  EXPECT_EQ(week[0], "2019-12-30T00:00:00Z");
  auto month = open_times(providers::polygon, "AAPL",
                          "polygon/rest/v2_aggs_ticker_AAPL_range_1_day.example.json",
                          interval::mo1);
  ASSERT_FALSE(month.empty());
  EXPECT_EQ(month[0], "2020-01-01T00:00:00Z");
}

} // namespace
} // namespace tickflow
