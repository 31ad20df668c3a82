// CoinGecko coin data as a crypto profile: the composed documentation
// sample (tests/fixtures/coingecko/rest/coins_bitcoin.composed.json),
// missing values, error bodies and malformed replies.

#include "adapters/coingecko/coingecko_adapter.hpp"
#include "adapters/coingecko/coingecko_reference.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/coingecko/coingecko_provider.hpp"
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

constexpr int64_t recv_ns = 1'800'000'000 * ns_per_s;

fetch_outcome parse(long status, std::string body, std::string instrument = "BTC-USD") {
  return make_coingecko_adapter({})->parse(request(fetch_kind::profile, instrument),
                                           reply_of(status, std::move(body)), recv_ns);
}

TEST(CoinGeckoReference, CoinOfTheComposedSample) {
  auto res = expect_result(parse(200, read_fixture("coingecko/rest/coins_bitcoin.composed.json")));
  ASSERT_EQ(res.profiles.size(), 1u);
  auto& p = res.profiles[0];
  EXPECT_EQ(p.instrument, "BTC-USD");
  EXPECT_EQ(p.provider_symbol, "bitcoin/usd");
  EXPECT_EQ(p.source, providers::coingecko);
  EXPECT_EQ(p.name, "Bitcoin");
  EXPECT_EQ(p.asset_type, "crypto");
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.homepage, "http://www.bitcoin.org");
  EXPECT_EQ(p.logo, "https://assets.coingecko.com/coins/images/1/large/bitcoin.png?1696501400");
  EXPECT_EQ(p.ipo_date, "2009-01-03"); // genesis date
  EXPECT_EQ(p.sector, "Cryptocurrency");
  EXPECT_TRUE(p.country.empty());
  EXPECT_EQ(p.market_cap, dec("1322317764935.16")); // exact, in usd
  EXPECT_EQ(p.shares_outstanding, dec("19675962"));  // circulating supply
  EXPECT_EQ(p.description.rfind("Bitcoin is the first successful internet money", 0), 0u);
}

TEST(CoinGeckoReference, TheVsCurrencyPicksTheMarketCap) {
  auto res = expect_result(
    parse(200, read_fixture("coingecko/rest/coins_bitcoin.composed.json"), "BTC-EUR"));
  ASSERT_EQ(res.profiles.size(), 1u);
  EXPECT_EQ(res.profiles[0].currency, "EUR");
  EXPECT_EQ(res.profiles[0].market_cap, dec("1223216281735.71"));
}

TEST(CoinGeckoReference, AbsentAndNullFieldsAreUnset) {
  auto res = expect_result(parse(200, R"({"id":"bitcoin","name":"Bitcoin","genesis_date":null,
      "links":{"homepage":[null,"","https://bitcoin.org"]},"image":{"small":"s.png"},
      "market_data":{"market_cap":{"eur":1},"circulating_supply":null}})"));
  ASSERT_EQ(res.profiles.size(), 1u);
  auto& p = res.profiles[0];
  EXPECT_TRUE(p.ipo_date.empty());
  EXPECT_EQ(p.homepage, "https://bitcoin.org"); // first non-empty
  EXPECT_EQ(p.logo, "s.png");                    // large absent: small
  EXPECT_TRUE(p.market_cap.is_zero());           // no usd figure
  EXPECT_TRUE(p.shares_outstanding.is_zero());
  EXPECT_TRUE(p.description.empty());
}

TEST(CoinGeckoReference, ErrorBodiesAreClassified) {
  EXPECT_EQ(expect_error(parse(404, read_fixture("coingecko/rest/error_coin_not_found.documented.json")))
              .code,
            errc::unknown_symbol);
  EXPECT_EQ(expect_error(parse(429, read_fixture("coingecko/rest/error_429_rate_limited.documented.json")))
              .code,
            errc::rate_limited);
  EXPECT_EQ(expect_error(parse(503, "Service Unavailable")).code, errc::provider_error);
}

TEST(CoinGeckoReference, MalformedCoinsAreTypedErrors) {
  const char* bodies[] = {
    R"([])",                                                  // not an object
    R"({"id":"ethereum","name":"Ethereum"})",                 // not the coin asked for
    R"({"id":"bitcoin","name":{"en":"Bitcoin"}})",            // wrong type
    R"({"id":"bitcoin","links":{"homepage":[{"url":"x"}]}})", // homepage not strings
    R"({"id":"bitcoin","market_data":{"market_cap":{"usd":"a lot"}}})", // not a number
    R"({"id":"bitcoin","market_data":[]})",                   // not an object
    R"({"id":"bitcoin")",                                     // truncated
  };
  for (auto body : bodies) {
    auto e = expect_error(parse(200, body));
    EXPECT_EQ(e.code, errc::malformed) << body << " -> " << e.message;
  }
}

TEST(CoinGeckoReference, CoinRequest) {
  auto a = make_coingecko_adapter({});
  auto out = a->build(request(fetch_kind::profile, "ETH-EUR"), credentials{});
  ASSERT_TRUE(out) << out.err().message();
  EXPECT_EQ(out->path, "/api/v3/coins/ethereum");
  EXPECT_EQ(out->query, (kv_list{{"localization", "false"},
                                 {"tickers", "false"},
                                 {"market_data", "true"},
                                 {"community_data", "false"},
                                 {"developer_data", "false"},
                                 {"sparkline", "false"}}));
  EXPECT_TRUE(out->headers.empty()); // keyless
  EXPECT_EQ(a->build(request(fetch_kind::profile, "NOPE-USD"), credentials{}).err().code,
            errc::unknown_symbol);
  EXPECT_EQ(a->build(request(fetch_kind::news, "BTC-USD"), credentials{}).err().code,
            errc::invalid_argument);
}

} // namespace
} // namespace tickflow
