// Polygon/Massive market holidays (/v1/marketstatus/upcoming) from the
// recorded OpenAPI example, and every failure mode.

#include "adapters/polygon/polygon_calendar.hpp"

#include "adapters/binance/binance_provider.hpp"
#include "adapters/holiday_sources.hpp"
#include "adapters/polygon/polygon_provider.hpp"

#include <gtest/gtest.h>

#include <string>

#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

int64_t day_of(const char* date) { return *parse_timestamp(date) / (86'400 * ns_per_s); }

TEST(PolygonCalendar, UpcomingHolidaysOfAnExchange) {
  auto body = test::read_fixture("polygon/rest/v1_marketstatus_upcoming.example.json");
  auto nyse = polygon::parse_market_holidays(body, "NYSE");
  ASSERT_TRUE(nyse) << nyse.err().context;
  ASSERT_EQ(nyse->size(), 2u);
  EXPECT_EQ((*nyse)[0].day, day_of("2020-11-26")); // Thanksgiving: closed
  EXPECT_FALSE((*nyse)[0].session.open());
  EXPECT_EQ((*nyse)[1].day, day_of("2020-11-27")); // the day after: 13:00 ET
  EXPECT_EQ(format_iso8601((*nyse)[1].session.open_ns), "2020-11-27T14:30:00Z");
  EXPECT_EQ(format_iso8601((*nyse)[1].session.close_ns), "2020-11-27T18:00:00Z");
  auto otc = polygon::parse_market_holidays(body, "OTC");
  ASSERT_TRUE(otc);
  EXPECT_EQ(otc->size(), 1u);
  // The provider's word, applied: the same sessions the NYSE rules give.
  trading_calendar cal{calendar_rules::us_equity};
  auto rules_fri = cal.session(day_of("2020-11-27"));
  cal.set_exceptions(*nyse);
  EXPECT_EQ(cal.session(day_of("2020-11-27")), rules_fri);
  EXPECT_FALSE(cal.session(day_of("2020-11-26")).open());
}

TEST(PolygonCalendar, Request) {
  auto out = polygon::market_holidays_request("KEY123");
  EXPECT_EQ(out.url("http://127.0.0.1:9"),
            "http://127.0.0.1:9/v1/marketstatus/upcoming?apiKey=KEY123");
  EXPECT_EQ(out.secrets, std::vector<std::string>{"KEY123"});
}

TEST(PolygonCalendar, FailureModes) {
  struct row {
    const char* body;
    errc code;
  };
  for (auto r : std::vector<row>{
         {"", errc::malformed},
         {"{\"status\":\"OK\"}", errc::malformed},
         {"[1]", errc::malformed},
         {"[{\"exchange\":\"NYSE\",\"status\":\"closed\"}]", errc::missing_field},
         {"[{\"date\":\"2020-11-26\",\"exchange\":\"NYSE\",\"status\":7}]", errc::malformed},
         {"[{\"date\":\"1606348800\",\"exchange\":\"NYSE\",\"status\":\"closed\"}]",
          errc::invalid_argument},
         {"[{\"date\":\"2020-11-27\",\"exchange\":\"NYSE\",\"status\":\"early-close\"}]",
          errc::missing_field},
         {"[{\"date\":\"2020-11-27\",\"exchange\":\"NYSE\",\"status\":\"early-close\","
          "\"open\":\"2020-11-27T18:00:00.000Z\",\"close\":\"2020-11-27T14:30:00.000Z\"}]",
          errc::invalid_argument},
         {"[{\"date\":\"2020-11-27\",\"exchange\":\"NYSE\",\"status\":\"early-close\","
          "\"open\":\"2020-11-27\",\"close\":\"2020-11-27T18:00:00.000Z\"}]",
          errc::invalid_argument},
       }) {
    auto x = polygon::parse_market_holidays(r.body, "NYSE");
    ASSERT_FALSE(x) << r.body;
    EXPECT_EQ(x.err().code, r.code) << r.body << " " << x.err().context;
  }
  // Other exchanges' rows and other statuses are skipped, whatever they hold.
  auto x = polygon::parse_market_holidays(
    "[{\"date\":\"x\",\"exchange\":\"NASDAQ\",\"status\":\"closed\"},"
    "{\"date\":\"2020-11-26\",\"exchange\":\"NYSE\",\"status\":\"open\"}]",
    "NYSE");
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->empty());
}

} // namespace
} // namespace tickflow

namespace tickflow {
namespace {

TEST(HolidaySources, PolygonPublishesNyseHolidays) {
  auto* src = holiday_source_of(providers::polygon);
  ASSERT_NE(src, nullptr);
  EXPECT_EQ(src->cls, asset_class::equity);
  EXPECT_EQ(src->request("K").path, "/v1/marketstatus/upcoming");
  auto xs = src->parse(test::read_fixture("polygon/rest/v1_marketstatus_upcoming.example.json"));
  ASSERT_TRUE(xs);
  EXPECT_EQ(xs->size(), 2u);
  EXPECT_EQ(holiday_source_of(providers::binance), nullptr);
}

} // namespace
} // namespace tickflow
