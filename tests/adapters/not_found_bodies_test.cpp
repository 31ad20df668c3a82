// Issue 21: every provider's "not found" answer, whatever its HTTP status,
// is errc::unknown_symbol (a 404 unknown_symbol, final: never retried). The
// bodies are the recorded or documented ones of tests/fixtures/<provider>/
// (their MANIFEST.md says where each comes from).

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/coinmarketcap/coinmarketcap_provider.hpp"
#include "adapters/common/provider_errors.hpp"
#include "adapters/eodhd/eodhd_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/registry.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "pipeline/ratelimit/retry_policy.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::reply_of;

constexpr int64_t recv = 1'700'000'000'000'000'000;

/// The Polygon prev-close fixture with no results: the shape Polygon sends
/// for a ticker it has no data of (derived from the recorded file by
/// dropping "results" and setting "resultsCount" to 0, nothing else).
std::string polygon_empty() {
  return R"({"adjusted":true,"queryCount":0,"request_id":"6a7e466379af0a71039d60cc78e72282",)"
         R"("resultsCount":0,"status":"OK","ticker":"AAPL"})";
}

TEST(NotFoundBodies, NothingInARangeIsNoDataNothingForThePriceIsUnknown) {
  fetch_outcome none = fetch_error{errc::not_found, "polygon: no data for AAPL", 0};
  auto e = std::get<fetch_error>(settle_not_found(fetch_kind::bars, none));
  EXPECT_EQ(e.code, errc::not_found);
  for (auto k : {fetch_kind::price, fetch_kind::quote})
    EXPECT_EQ(std::get<fetch_error>(settle_not_found(k, none)).code, errc::unknown_symbol);
  fetch_outcome busy = fetch_error{errc::rate_limited, "slow down", 5};
  EXPECT_EQ(std::get<fetch_error>(settle_not_found(fetch_kind::price, busy)).code,
            errc::rate_limited);
  fetch_outcome data = fetch_result{};
  EXPECT_TRUE(std::holds_alternative<fetch_result>(settle_not_found(fetch_kind::price, data)));
}

TEST(NotFoundBodies, AreUnknownSymbolsAndFinal) {
  struct row {
    const char* name;
    provider p;
    fetch_request req;
    long status;
    std::string body;
  };
  std::vector<row> rows = {
    {"binance -1121 Invalid symbol (HTTP 400)", providers::binance,
     test::price_of("BTC-USDT"), 400,
     test::read_fixture("binance/rest/error_-1121_invalid_symbol.docs.json")},
    {"coingecko coin not found (HTTP 404)", providers::coingecko,
     test::bars_of("BTC-USD", interval::d1), 404,
     test::read_fixture("coingecko/rest/error_coin_not_found.documented.json")},
    {"coingecko unknown id left out (HTTP 200)", providers::coingecko,
     test::price_of("BTC-USD"), 200,
     test::read_fixture("coingecko/rest/simple_price_unknown_id.documented.json")},
    {"coinmarketcap invalid symbol (HTTP 400)", providers::coinmarketcap,
     test::price_of("BTC-USD"), 400,
     test::read_fixture("coinmarketcap/rest/error_400_invalid_symbol.documented.json")},
    {"eodhd Ticker Not Found. (HTTP 404)", providers::eodhd,
     test::bars_of("AAPL", interval::d1), 404,
     test::read_fixture("eodhd/rest/error_404_ticker_not_found.documented.txt")},
    {"yahoo chart Not Found (HTTP 404)", providers::yahoo,
     test::bars_of("AAPL", interval::d1), 404,
     test::read_fixture("yahoo/rest/chart_error_not_found.documented.json")},
    {"alpha vantage Invalid API call (HTTP 200)", providers::alpha_vantage,
     test::bars_of("IBM", interval::d1), 200,
     test::read_fixture("alpha_vantage/rest/error_invalid_api_call.documented.json")},
    {"polygon no results (HTTP 200)", providers::polygon, test::price_of("AAPL"), 200,
     polygon_empty()},
  };
  for (auto& x : rows) {
    SCOPED_TRACE(x.name);
    auto adapter = make_rest_adapter(x.p, {});
    ASSERT_NE(adapter, nullptr);
    // As the REST provider actor reads it (settle_not_found: nothing for the
    // latest price of a symbol is an unknown symbol).
    auto out = settle_not_found(x.req.kind, adapter->parse(x.req, reply_of(x.status, x.body), recv));
    ASSERT_TRUE(std::holds_alternative<fetch_error>(out));
    auto& e = std::get<fetch_error>(out);
    EXPECT_EQ(e.code, errc::unknown_symbol) << to_string(e.code) << ": " << e.message;
    EXPECT_EQ(classify_failure(e.code, x.status), failure_kind::final);
  }
}

} // namespace
} // namespace tickflow
