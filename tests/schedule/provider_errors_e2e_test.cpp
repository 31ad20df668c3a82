// Issue 21, provider errors through the real binary and loopback providers
// that count what they receive: a "not found" body is a 404 unknown_symbol
// asked once (never retried), a 418 ban answers the Retry-After tickflow
// really waits, and a price without its time is served, flagged.

#include <string>

#include <gtest/gtest.h>

#include "tests/schedule/schedule_support.hpp"

using namespace tickflow::test;

namespace {

std::string error_code(const rapidjson::Document& d) {
  if (!d.IsObject() || !d.HasMember("error") || !d["error"].IsObject())
    return {};
  return str_of(d["error"], "code");
}

/// The Retry-After of an answer in seconds (-1 when absent).
long retry_after_s(const http_reply& r) {
  auto* v = r.header("retry-after");
  return v == nullptr ? -1 : std::stol(*v);
}

TEST(ProviderErrors, BinanceInvalidSymbolIsUnknownAndAskedOnce) {
  fixture_server upstream;
  // The recorded error body, with the 400 Binance sends it with.
  serve_binance(upstream, "NOPEUSDT",
                fixture_response::json(read_fixture("binance/rest/error_-1121_invalid_symbol.docs.json"),
                                       400));
  tickflow_run tf{base_config("binance") + "[binance]\nbase-url = " + upstream.base_url()
                  + "\n[scheduler]\nfresh-for = 0s\n"};
  ASSERT_TRUE(tf.up()) << tf.output();
  for (auto target : {"/api/v1/data/price?symbol=NOPE-USDT&provider=binance",
                      "/api/v1/data/price?symbol=NOPE-USDT"}) {
    upstream.clear_requests();
    auto [status, d] = tf.get(target);
    EXPECT_EQ(status, 404u) << target;
    EXPECT_EQ(error_code(d), "unknown_symbol") << target;
    EXPECT_EQ(upstream.request_count(), 1u) << target; // never retried
  }
}

TEST(ProviderErrors, CoinGeckoCoinNotFoundIsUnknownAndAskedOnce) {
  fixture_server upstream;
  auto not_found = fixture_response::json(
    read_fixture("coingecko/rest/error_coin_not_found.documented.json"), 404);
  upstream.add("GET", "/api/v3/coins/nopecoin/ohlc", not_found);
  upstream.add("GET", "/api/v3/coins/nopecoin/market_chart", not_found);
  tickflow_run tf{base_config("coingecko") + "[coingecko]\nbase-url = " + upstream.base_url()
                  + "\nsymbols = NOPE-USD=nopecoin\n[scheduler]\nfresh-for = 0s\n"};
  ASSERT_TRUE(tf.up()) << tf.output();
  auto [status, d] = tf.get("/api/v1/data/ohlcv?symbol=NOPE-USD&interval=4h&provider=coingecko");
  EXPECT_EQ(status, 404u);
  EXPECT_EQ(error_code(d), "unknown_symbol");
  EXPECT_EQ(upstream.request_count(), 1u); // not three times
}

TEST(ProviderErrors, A418BanAnswersTheRetryAfterTickflowWaits) {
  fixture_server upstream;
  // A ban without Retry-After: tickflow stays away ban-pause (120 s).
  serve_binance(upstream, "SOLUSDT", fixture_response::json("", 418));
  tickflow_run tf{base_config("binance") + "[binance]\nbase-url = " + upstream.base_url()
                  + "\n[scheduler]\nfresh-for = 0s\n"};
  ASSERT_TRUE(tf.up()) << tf.output();
  auto first = http_get(tf.port(), "/api/v1/data/price?symbol=SOL-USDT&provider=binance");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 503u) << first->body;
  EXPECT_EQ(retry_after_s(*first), 120) << first->body;
  // The next caller is refused without a call, told what is left of it.
  auto second = http_get(tf.port(), "/api/v1/data/price?symbol=SOL-USDT&provider=binance");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 503u) << second->body;
  EXPECT_GE(retry_after_s(*second), 110) << second->body;
  EXPECT_LE(retry_after_s(*second), 120) << second->body;
  EXPECT_EQ(upstream.request_count(), 1u);
}

TEST(ProviderErrors, ACoinGeckoPriceWithoutItsTimeIsServedFlagged) {
  fixture_server upstream;
  // The recorded simple/price example without its last_updated_at line.
  auto body = read_fixture("coingecko/rest/simple_price.example.json");
  auto at = body.find(",\n    \"last_updated_at\"");
  ASSERT_NE(at, std::string::npos);
  body = body.substr(0, at) + body.substr(body.find('\n', at + 2));
  serve_coingecko(upstream, "bitcoin", fixture_response::json(body));
  tickflow_run tf{base_config("coingecko") + "[coingecko]\nbase-url = " + upstream.base_url()
                  + "\n"};
  ASSERT_TRUE(tf.up()) << tf.output();
  auto [status, d] = tf.get("/api/v1/data/price?symbol=BTC-USD");
  ASSERT_EQ(status, 200u);
  EXPECT_EQ(str_of(d, "source"), "coingecko");
  EXPECT_EQ(str_of(d, "price"), "67187.3358936566");
  ASSERT_TRUE(d["flags"].IsArray());
  ASSERT_EQ(d["flags"].Size(), 1u);
  EXPECT_EQ(std::string{d["flags"][0].GetString()}, "defaulted");
  EXPECT_LT(d["age_ms"].GetInt64(), 60'000); // as of its receipt
}

} // namespace
