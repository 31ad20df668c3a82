// Alpha Vantage company overview: the demo output
// (tests/fixtures/alpha_vantage/rest/overview_IBM.json), missing values,
// error bodies and malformed replies.

#include "adapters/alpha_vantage/alpha_vantage_adapter.hpp"
#include "adapters/alpha_vantage/alpha_vantage_reference.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
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

fetch_outcome parse(std::string body, std::string instrument = "IBM") {
  return make_alpha_vantage_adapter({})->parse(request(fetch_kind::profile, instrument),
                                               reply_of(200, std::move(body)), recv_ns);
}

TEST(AlphaVantageReference, OverviewOfTheDemoOutput) {
  auto res = expect_result(parse(read_fixture("alpha_vantage/rest/overview_IBM.json")));
  ASSERT_EQ(res.profiles.size(), 1u);
  auto& p = res.profiles[0];
  EXPECT_EQ(p.instrument, "IBM");
  EXPECT_EQ(p.provider_symbol, "IBM");
  EXPECT_EQ(p.source, providers::alpha_vantage);
  EXPECT_EQ(p.name, "International Business Machines Corporation");
  EXPECT_EQ(p.asset_type, "equity"); // "Common Stock"
  EXPECT_EQ(p.exchange, "NYSE");
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.country, "USA");
  EXPECT_EQ(p.sector, "Technology");
  EXPECT_EQ(p.industry, "Information Technology Services");
  EXPECT_TRUE(p.homepage.empty()); // no OfficialSite in the 2021 output
  // Numbers arrive as strings and stay exact.
  EXPECT_EQ(p.market_cap, dec("118982033408"));
  EXPECT_EQ(p.shares_outstanding, dec("893593984"));
  EXPECT_EQ(p.pe_ratio, dec("21.3621"));
  EXPECT_EQ(p.eps, dec("6.233"));
  EXPECT_EQ(p.dividend_yield, dec("0.0489"));
  EXPECT_EQ(p.beta, dec("1.2454"));
  EXPECT_EQ(p.week52_high, dec("137.07"));
  EXPECT_EQ(p.week52_low, dec("103.0292"));
  EXPECT_EQ(p.description.rfind("International Business Machines Corporation provides", 0), 0u);
  EXPECT_EQ(p.ts_recv_ns, recv_ns);
}

TEST(AlphaVantageReference, MissingValueTextsAreUnset) {
  auto res = expect_result(parse(R"({"Symbol":"VYM","AssetType":"ETF","Name":"Vanguard",
    "Sector":"None","Industry":"N/A","PERatio":"None","EPS":"-","Beta":"","DividendYield":" None ",
    "52WeekHigh":"123.50","MarketCapitalization":null,"OfficialSite":"https://investor.vanguard.com"})",
                                 "VYM"));
  ASSERT_EQ(res.profiles.size(), 1u);
  auto& p = res.profiles[0];
  EXPECT_EQ(p.asset_type, "etf");
  EXPECT_TRUE(p.sector.empty());
  EXPECT_TRUE(p.industry.empty());
  EXPECT_TRUE(p.pe_ratio.is_zero());
  EXPECT_TRUE(p.eps.is_zero());
  EXPECT_TRUE(p.beta.is_zero());
  EXPECT_TRUE(p.dividend_yield.is_zero());
  EXPECT_TRUE(p.market_cap.is_zero());
  EXPECT_EQ(p.week52_high, dec("123.5"));
  EXPECT_EQ(p.homepage, "https://investor.vanguard.com");
}

TEST(AlphaVantageReference, MissingValueTexts) {
  for (auto t : {"None", "-", "N/A", "", "  None "})
    EXPECT_TRUE(alpha_vantage::is_missing_value(t)) << t;
  for (auto t : {"0", "none", "N", "1.5"})
    EXPECT_FALSE(alpha_vantage::is_missing_value(t)) << t;
}

TEST(AlphaVantageReference, UnknownSymbolIsAnEmptyObject) {
  auto e = expect_error(parse("{}", "ZZZZ"));
  EXPECT_EQ(e.code, errc::unknown_symbol);
}

TEST(AlphaVantageReference, ErrorBodiesComeFirst) {
  auto note = expect_error(parse(read_fixture("alpha_vantage/rest/throttle_note_5_per_minute.json")));
  EXPECT_EQ(note.code, errc::rate_limited);
  EXPECT_EQ(note.retry_after_ns, 60 * ns_per_s);
  auto daily = expect_error(parse(read_fixture("alpha_vantage/rest/information_25_per_day.documented.json")));
  EXPECT_EQ(daily.code, errc::rate_limited);
  auto key = expect_error(parse(read_fixture("alpha_vantage/rest/error_apikey_missing.documented.json")));
  EXPECT_EQ(key.code, errc::unauthorized);
}

TEST(AlphaVantageReference, MalformedOverviewsAreTypedErrors) {
  const char* bodies[] = {
    R"(["IBM"])",                                 // not an object
    R"({"Symbol":"MSFT","Name":"Microsoft"})",    // not the symbol asked for
    R"({"Symbol":"IBM","PERatio":"twenty"})",     // number field with other text
    R"({"Symbol":"IBM","Beta":"1e-30"})",         // not exact in a decimal
    R"({"Symbol":"IBM","Name":{"en":"x"}})",      // not a string
    R"({"Symbol":"IBM")",                         // truncated
  };
  for (auto body : bodies) {
    auto e = expect_error(parse(body));
    EXPECT_EQ(e.code, errc::malformed) << body << " -> " << e.message;
  }
}

TEST(AlphaVantageReference, OverviewRequest) {
  auto a = make_alpha_vantage_adapter({});
  auto out = a->build(request(fetch_kind::profile, "IBM"), credentials{"AVKEY"});
  ASSERT_TRUE(out) << out.err().message();
  EXPECT_EQ(out->path, "/query");
  EXPECT_EQ(out->query,
            (kv_list{{"function", "OVERVIEW"}, {"symbol", "IBM"}, {"apikey", "AVKEY"}}));
  EXPECT_EQ(out->secrets, std::vector<std::string>{"AVKEY"});
  EXPECT_EQ(a->build(request(fetch_kind::news, "IBM"), credentials{"AVKEY"}).err().code,
            errc::invalid_argument);
}

} // namespace
} // namespace tickflow
