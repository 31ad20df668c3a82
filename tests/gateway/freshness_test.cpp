// api/routes/data provenance: every data response says where it came from and
// how fresh it is, the freshness class from the age and the interval.

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "api/routes/data.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {
constexpr int64_t s = 1'000'000'000;
constexpr int64_t t0 = 1'700'000'000 * s;
} // namespace

TEST(Freshness, PricesByAge) {
  EXPECT_EQ(freshness_class(0), "realtime");
  EXPECT_EQ(freshness_class(5 * s - 1), "realtime");
  EXPECT_EQ(freshness_class(5 * s), "near-realtime");
  EXPECT_EQ(freshness_class(60 * s), "delayed");
  EXPECT_EQ(freshness_class(86'400 * s - 1), "delayed");
  EXPECT_EQ(freshness_class(86'400 * s), "end-of-day");
}

TEST(Freshness, BarsByTheAgePastTheirInterval) {
  auto m1 = interval_ns(interval::m1);
  EXPECT_EQ(freshness_class(30 * s, m1), "realtime");      // the open minute
  EXPECT_EQ(freshness_class(m1 + 4 * s, m1), "realtime");  // just closed
  EXPECT_EQ(freshness_class(m1 + 30 * s, m1), "near-realtime");
  EXPECT_EQ(freshness_class(3600 * s, m1), "delayed");
  EXPECT_EQ(freshness_class(2 * 3600 * s, interval_ns(interval::h1)), "delayed");
  // Daily bars are end-of-day data whatever their age.
  EXPECT_EQ(freshness_class(s, interval_ns(interval::d1)), "end-of-day");
  EXPECT_EQ(freshness_class(s, interval_ns(interval::w1)), "end-of-day");
}

TEST(Provenance, PriceAndOhlcvBodiesCarrySourceCachedAsOfAndFreshness) {
  price p;
  p.instrument = "BTC-USDT";
  p.value = *decimal::parse("65000.5");
  p.ts_event_ns = t0;
  rapidjson::Document d;
  auto body = price_body(p, provenance{"binance", false, t0, t0 + 2 * s, {}});
  d.Parse(body.c_str());
  ASSERT_TRUE(d.IsObject()) << body;
  EXPECT_STREQ(d["source"].GetString(), "binance");
  EXPECT_FALSE(d["cached"].GetBool());
  EXPECT_STREQ(d["as_of"].GetString(), "2023-11-14T22:13:20Z");
  EXPECT_EQ(d["age_ms"].GetInt(), 2000);
  EXPECT_STREQ(d["freshness"].GetString(), "realtime");
  bar b;
  b.instrument = "AAPL";
  b.span = interval::d1;
  b.open_time_ns = t0;
  body = ohlcv_body("AAPL", interval::d1, {b}, provenance{"l1", true, t0, t0 + s, {}});
  d.Parse(body.c_str());
  ASSERT_TRUE(d.IsObject()) << body;
  EXPECT_STREQ(d["freshness"].GetString(), "end-of-day");
  body = ohlcv_body("AAPL", interval::m1, {}, provenance{"l1", true, 0, t0, {}});
  d.Parse(body.c_str());
  EXPECT_TRUE(d["as_of"].IsNull());
  EXPECT_TRUE(d["freshness"].IsNull());
}
