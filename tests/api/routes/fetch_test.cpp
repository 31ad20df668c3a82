// api/routes/fetch: what a provider's failure is answered with, and why a
// provider of a chain was passed over.

#include "api/routes/fetch.hpp"

#include <gtest/gtest.h>

using namespace tickflow;
using namespace tickflow::api;

namespace {

TEST(FetchReplies, ProviderFailureTable) {
  struct row {
    errc code;
    unsigned status;
    std::string body;
  } rows[] = {
    {errc::unknown_symbol, 404,
     R"({"error":{"code":"unknown_symbol","message":"binance does not know X","field":"symbol"}})"},
    {errc::not_found, 404,
     R"({"error":{"code":"no_data","message":"binance: gone","field":"symbol"}})"},
    {errc::invalid_argument, 400,
     R"({"error":{"code":"invalid_parameter","message":"binance: gone"}})"},
    {errc::unauthorized, 502,
     R"({"error":{"code":"provider_unauthorized","message":"binance: gone"}})"},
    {errc::bad_number, 502,
     R"({"error":{"code":"provider_malformed","message":"malformed payload from binance: gone"}})"},
    {errc::unavailable, 502,
     R"({"error":{"code":"provider_unavailable","message":"binance: gone"}})"},
    {errc::provider_error, 502,
     R"({"error":{"code":"provider_error","message":"binance: gone"}})"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.body);
    auto res = provider_failure("binance", r.code, "gone", 0, "X");
    EXPECT_EQ(res.status, r.status);
    EXPECT_EQ(res.body, r.body);
    EXPECT_TRUE(res.headers.empty());
  }
  // The provider is named once, and a rate limit says when to come back.
  auto limited = provider_failure("binance", errc::rate_limited, "binance: 429", 1'500'000'000, "X");
  EXPECT_EQ(limited.status, 503u);
  EXPECT_EQ(limited.body,
            R"({"error":{"code":"provider_rate_limited","message":"binance: 429"}})");
  ASSERT_EQ(limited.headers.size(), 1u);
  EXPECT_EQ(limited.headers[0].second, "2");
  EXPECT_EQ(provider_failure("p", errc::rate_limited, "", 0, "X").headers[0].second, "1");
}

TEST(FetchReplies, WhyAProviderWasPassedOver) {
  EXPECT_EQ(passed_reason("binance", errc::rate_limited, "binance: budget spent"),
            "rate_limited: budget spent");
  EXPECT_EQ(passed_reason("binance", errc::unavailable, ""), "unavailable");
  EXPECT_EQ(stale_reason("polygon", 42'900'000'000), "polygon: stale (newest price 42 s old)");
  EXPECT_TRUE(is_no_service(errc::unknown_symbol));
  EXPECT_TRUE(is_no_service(errc::invalid_argument));
  EXPECT_FALSE(is_no_service(errc::unavailable));
  price a, b;
  a.ts_event_ns = 10;
  b.ts_event_ns = 30;
  EXPECT_EQ(newest_age_ns({a, b}, 100), 70);
  EXPECT_EQ(newest_age_ns({}, 100), 0);
  EXPECT_EQ(no_provider_serves("X").body,
            R"({"error":{"code":"unknown_symbol","message":"no provider serves X","field":"symbol"}})");
}

} // namespace
