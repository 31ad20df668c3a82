// api/routes/data: the historical query, the price a provider's answer
// holds, and the provenance every data body ends with (exact bytes).

#include "api/routes/data.hpp"

#include <gtest/gtest.h>

#include "api/event_json.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {

constexpr int64_t s = 1'000'000'000;
constexpr int64_t t0 = 1'700'000'000 * s; // 2023-11-14T22:13:20Z

http_request request(std::vector<std::pair<std::string, std::string>> query) {
  http_request req;
  req.method = "GET";
  req.path = "/api/v1/data/historical";
  req.query = std::move(query);
  return req;
}

TEST(DataRoutes, HistoricalNeedsAStartAfterTheOhlcvChecks) {
  auto ok = parse_historical_query(request({{"symbol", "X"}, {"start", "2024-01-02"}}));
  ASSERT_TRUE(std::holds_alternative<ohlcv_query>(ok));
  auto no_start = std::get<api_error>(parse_historical_query(request({{"symbol", "X"}})));
  EXPECT_EQ(no_start.code, "missing_parameter");
  EXPECT_EQ(no_start.field, "start");
  EXPECT_EQ(no_start.message, "historical bars need a start");
  // A bad symbol is reported first.
  auto bad = std::get<api_error>(parse_historical_query(request({{"symbol", "$"}})));
  EXPECT_EQ(bad.field, "symbol");
}

TEST(DataRoutes, HistoricalTakesTheEpochAsAStart) {
  for (auto start : {"0", "1970-01-01", "1970-01-01T00:00:00Z"}) {
    auto q = parse_historical_query(request({{"symbol", "X"}, {"start", start}}));
    ASSERT_TRUE(std::holds_alternative<ohlcv_query>(q)) << start;
    EXPECT_TRUE(std::get<ohlcv_query>(q).start_given);
    EXPECT_EQ(std::get<ohlcv_query>(q).start_ns, 0);
  }
  auto late = std::get<api_error>(parse_historical_query(
    request({{"symbol", "X"}, {"start", "2025-01-01"}, {"end", "1970-01-01"}})));
  EXPECT_EQ(late.status, 400u);
  EXPECT_EQ(late.code, "invalid_parameter");
}

TEST(DataRoutes, ThePriceOfAProvidersAnswer) {
  price p;
  p.instrument = "A";
  p.value = *decimal::parse("1.5");
  price q = p;
  q.value = *decimal::parse("2.5");
  EXPECT_EQ(price_of({p, q}, {})->value.mantissa, q.value.mantissa); // the last price
  bar b;
  b.instrument = "A";
  b.span = interval::m1;
  b.open_time_ns = t0;
  b.close = *decimal::parse("3.25");
  b.ts_recv_ns = t0 + 5;
  b.flags = quality_backfilled;
  auto from_bar = price_of({}, {b});
  ASSERT_TRUE(from_bar);
  EXPECT_EQ(from_bar->value.mantissa, b.close.mantissa);
  EXPECT_EQ(from_bar->ts_event_ns, t0 + 60 * s); // as of the bar's end
  EXPECT_EQ(from_bar->ts_recv_ns, t0 + 5);
  EXPECT_EQ(from_bar->flags, quality_backfilled);
  EXPECT_FALSE(price_of({}, {}));
}

TEST(DataRoutes, PriceBodyEndsWithItsProvenance) {
  price p;
  p.instrument = "BTC-USDT";
  p.value = *decimal::parse("65000.5");
  p.ts_event_ns = t0;
  std::string head;
  append_json(head, p);
  head.pop_back();
  auto body = price_body(p, provenance{"coingecko", false, t0, t0 + 2 * s,
                                       {"binance: rate_limited: slow", "odd"}});
  EXPECT_EQ(body, head + R"(,"source":"coingecko","cached":false,)"
                         R"("as_of":"2023-11-14T22:13:20Z","age_ms":2000,)"
                         R"("freshness":"realtime","failover":[)"
                         R"({"provider":"binance","reason":"rate_limited: slow"},)"
                         R"({"provider":"odd","reason":""}]})");
}

TEST(DataRoutes, OhlcvBodyWithoutBars) {
  auto body = ohlcv_body("AAPL", interval::m5, {}, provenance{"l1", true, 0, t0, {}});
  EXPECT_EQ(body, R"({"instrument":"AAPL","interval":"5m","count":0,"bars":[],)"
                  R"("source":"l1","cached":true,"as_of":null,"age_ms":null,)"
                  R"("freshness":null})");
}

TEST(DataRoutes, OhlcvBodyWithFindings) {
  bar b;
  b.instrument = "X";
  b.span = interval::h1;
  b.open_time_ns = t0;
  b.open = *decimal::parse("10");
  b.high = *decimal::parse("9"); // high below open: a finding
  b.low = *decimal::parse("8");
  b.close = *decimal::parse("9");
  std::string bar_json;
  append_json(bar_json, b);
  auto plain = ohlcv_body("X", interval::h1, {b}, provenance{"redis", true, t0, t0, {}});
  EXPECT_EQ(plain, R"({"instrument":"X","interval":"1h","count":1,"bars":[)" + bar_json
                     + R"(],"source":"redis","cached":true,"as_of":"2023-11-14T22:13:20Z",)"
                       R"("age_ms":0,"freshness":"realtime"})");
  auto checked = ohlcv_body("X", interval::h1, {b}, provenance{"redis", true, t0, t0, {}}, true);
  EXPECT_NE(checked.find(R"(,"findings":[{"rule":)"), std::string::npos) << checked;
}

} // namespace
