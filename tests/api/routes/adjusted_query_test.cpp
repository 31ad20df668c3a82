// adjusted= on ohlcv and historical (docs/API.md "Adjusted prices"), and an
// end given as a date ("Bar convention").

#include "api/routes/data.hpp"
#include "api/routes/read_path.hpp"

#include <gtest/gtest.h>

#include "pipeline/model/time.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {

http_request request(std::vector<std::pair<std::string, std::string>> query) {
  http_request req;
  req.method = "GET";
  req.path = "/api/v1/data/ohlcv";
  req.query = std::move(query);
  return req;
}

TEST(AdjustedQuery, DefaultIsAsTradedExceptForAdjustedOnlyProviders) {
  struct row {
    std::vector<std::pair<std::string, std::string>> query;
    bool adjusted;
  };
  const row rows[] = {
    {{{"symbol", "AAPL"}}, false},
    {{{"symbol", "AAPL"}, {"adjusted", "true"}}, true},
    {{{"symbol", "AAPL"}, {"adjusted", "1"}}, true},
    {{{"symbol", "AAPL"}, {"adjusted", "false"}}, false},
    {{{"symbol", "AAPL"}, {"provider", "polygon"}}, false},
    // Yahoo publishes adjusted bars only.
    {{{"symbol", "AAPL"}, {"provider", "yahoo"}}, true},
    {{{"symbol", "AAPL"}, {"provider", "yahoo"}, {"adjusted", "false"}}, false},
  };
  for (auto& r : rows) {
    auto q = parse_ohlcv_query(request(r.query));
    ASSERT_TRUE(std::holds_alternative<ohlcv_query>(q));
    EXPECT_EQ(std::get<ohlcv_query>(q).adjusted, r.adjusted) << r.query.back().second;
  }
  auto bad = parse_ohlcv_query(request({{"symbol", "AAPL"}, {"adjusted", "maybe"}}));
  ASSERT_TRUE(std::holds_alternative<api_error>(bad));
  EXPECT_EQ(std::get<api_error>(bad).field, "adjusted");
  EXPECT_TRUE(adjusted_by_default("yahoo"));
  EXPECT_FALSE(adjusted_by_default("polygon"));
  EXPECT_FALSE(adjusted_by_default(""));
  EXPECT_FALSE(adjusted_by_default("nope"));
}

TEST(AdjustedQuery, TheBodySaysWhichSeries) {
  for (bool adjusted : {false, true}) {
    ohlcv_query q;
    q.instrument = "AAPL";
    q.span = interval::d1;
    q.adjusted = adjusted;
    auto r = bars_read::start(q, 1'700'000'000'000'000'000, [](const std::string&) {
      return true;
    });
    auto body = r.body({}, provenance{"polygon", false, 0, 1'700'000'000'000'000'000, {}});
    EXPECT_NE(body.find(adjusted ? R"("adjusted":true)" : R"("adjusted":false)"),
              std::string::npos)
      << body;
  }
}

TEST(AdjustedQuery, EndAsADateIsTheWholeDay) {
  struct row {
    const char* end;
    const char* expected;
  };
  const row rows[] = {
    {"2020-01-03", "2020-01-03T23:59:59.999999999Z"},
    {"2020-01-03T00:00:00Z", "2020-01-03T00:00:00Z"},
    {"1578009600", "2020-01-03T00:00:00Z"}, // epoch seconds: a time
    // The last representable date ends where int64 does.
    {"2262-04-11", "2262-04-11T23:47:16.854775807Z"},
  };
  for (auto& r : rows) {
    auto q = parse_ohlcv_query(request({{"symbol", "AAPL"}, {"end", r.end}}));
    ASSERT_TRUE(std::holds_alternative<ohlcv_query>(q)) << r.end;
    EXPECT_EQ(format_iso8601(std::get<ohlcv_query>(q).end_ns), r.expected) << r.end;
  }
  // start later the same day is no longer after the end.
  auto q = parse_ohlcv_query(
    request({{"symbol", "AAPL"}, {"start", "2020-01-03T12:00:00Z"}, {"end", "2020-01-03"}}));
  EXPECT_TRUE(std::holds_alternative<ohlcv_query>(q));
  // The epoch as an end is still refused.
  auto epoch = parse_ohlcv_query(request({{"symbol", "AAPL"}, {"end", "1970-01-01"}}));
  ASSERT_TRUE(std::holds_alternative<api_error>(epoch));
  EXPECT_EQ(std::get<api_error>(epoch).field, "end");
}

} // namespace
