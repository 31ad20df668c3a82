#include "adapters/coinmarketcap/coinmarketcap_adapter.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/coinmarketcap/coinmarketcap_provider.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::dec;
using test::expect_error;
using test::expect_result;
using test::price_of;
using test::reply_of;

// tests/fixtures/coinmarketcap/rest/<file>
std::string rest_fixture(std::string_view file) {
  return test::read_fixture("coinmarketcap/rest/" + std::string{file});
}

constexpr int64_t recv_ns = 1'655'364'200 * ns_per_s; // 2022-06-16T07:23:20Z

// -- fixtures -----------------------------------------------------------------

TEST(Coinmarketcap, ParsesEveryQuotesLatestFixture) {
  struct row {
    const char* file;
    std::string_view price;
    int64_t ts_s;
  };
  const row rows[] = {
    // v2 by id: data {"1": {...}}
    {"v2_cryptocurrency_quotes_latest_id1_2022-06-16.json",
     "21864.74930690019", 1'655'363'880}, // 2022-06-16T07:18:00.000Z
    // v2 by slug: still keyed by id
    {"v2_cryptocurrency_quotes_latest_slug_bitcoin_2022-06-16.json",
     "21847.757042255787", 1'655'364'120}, // 2022-06-16T07:22:00.000Z
    // v1 by symbol: data {"BTC": {...}}
    {"v1_cryptocurrency_quotes_latest_symbol_BTC.documented.json",
     "6602.60701122", 1'533'851'788}, // 2018-08-09T21:56:28.000Z
  };
  auto adapter = make_coinmarketcap_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.file);
    auto out = expect_result(adapter->parse(
      price_of("BTC-USD"), reply_of(200, rest_fixture(r.file)), recv_ns));
    ASSERT_EQ(out.prices.size(), 1u);
    auto& p = out.prices[0];
    EXPECT_EQ(p.instrument, "BTC-USD");
    EXPECT_EQ(p.source, providers::coinmarketcap);
    EXPECT_EQ(p.value, dec(r.price));
    EXPECT_EQ(p.ts_event_ns, r.ts_s * ns_per_s);
    EXPECT_EQ(p.ts_recv_ns, recv_ns);
    EXPECT_TRUE(out.bars.empty());
    EXPECT_TRUE(out.quotes.empty());
  }
}

TEST(Coinmarketcap, PicksTheBestRankedCoinOfAV2SymbolArray) {
  // v2 symbol=: several coins may share a symbol.
  const std::string body =
    R"({"status":{"error_code":0,"error_message":null},"data":{"BTC":[)"
    R"({"id":9999,"symbol":"BTC","cmc_rank":null,"quote":{"EUR":)"
    R"({"price":1.5,"last_updated":"2022-06-16T07:00:00.000Z"}}},)"
    R"({"id":1,"symbol":"BTC","cmc_rank":1,"quote":{"EUR":)"
    R"({"price":2.086917735e+04,"last_updated":"2022-06-16T07:18:00Z"}}},)"
    R"({"id":5000,"symbol":"BTC","cmc_rank":2500,"quote":{"EUR":)"
    R"({"price":0.01,"last_updated":"2022-06-16T07:00:00.000Z"}}}]}})";
  auto out = expect_result(make_coinmarketcap_adapter({})->parse(
    price_of("BTC-EUR"), reply_of(200, body), recv_ns));
  ASSERT_EQ(out.prices.size(), 1u);
  EXPECT_EQ(out.prices[0].value, dec("20869.17735"));
  EXPECT_EQ(out.prices[0].ts_event_ns, 1'655'363'880 * ns_per_s);
}

// -- requests -----------------------------------------------------------------

TEST(Coinmarketcap, BuildsTheQuotesLatestRequest) {
  struct row {
    std::string instrument;
    kv_list query;
  };
  const row rows[] = {
    {"BTC-USD", {{"symbol", "BTC"}, {"convert", "USD"}}},
    {"ETH-EUR", {{"symbol", "ETH"}, {"convert", "EUR"}}},
    {"SOL-BTC", {{"symbol", "SOL"}, {"convert", "BTC"}}},
  };
  auto adapter = make_coinmarketcap_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.instrument);
    auto out = adapter->build(price_of(r.instrument), credentials{"k-123"});
    ASSERT_TRUE(out) << out.err().message();
    EXPECT_EQ(out->method, "GET");
    EXPECT_EQ(out->path, "/v1/cryptocurrency/quotes/latest");
    EXPECT_EQ(out->query, r.query);
    EXPECT_EQ(out->headers, (kv_list{{"X-CMC_PRO_API_KEY", "k-123"}}));
    EXPECT_EQ(out->secrets, std::vector<std::string>{"k-123"});
    EXPECT_EQ(out->redacted_url("http://127.0.0.1:9").find("k-123"),
              std::string::npos);
  }
}

TEST(Coinmarketcap, RejectsRequestsItCannotServe) {
  struct row {
    const char* name;
    fetch_request req;
    credentials cred;
    errc code;
  };
  auto bars = price_of("BTC-USD");
  bars.kind = fetch_kind::bars;
  auto quote = price_of("BTC-USD");
  quote.kind = fetch_kind::quote;
  const row rows[] = {
    {"no key", price_of("BTC-USD"), {}, errc::unauthorized},
    {"bars", bars, {"k"}, errc::invalid_argument},
    {"quote", quote, {"k"}, errc::invalid_argument},
    {"equity", price_of("AAPL"), {"k"}, errc::unknown_symbol},
    {"forex", price_of("EUR-USD"), {"k"}, errc::unknown_symbol},
    {"not canonical", price_of("btc-usd"), {"k"}, errc::unknown_symbol},
  };
  auto adapter = make_coinmarketcap_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto out = adapter->build(r.req, r.cred);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.err().code, r.code);
  }
}

// -- errors -------------------------------------------------------------------

TEST(Coinmarketcap, MapsStatusErrors) {
  constexpr int64_t to_midnight = 16 * 3600 * ns_per_s + 36 * 60 * ns_per_s
                                  + 40 * ns_per_s; // from 07:23:20
  struct row {
    const char* name;
    std::string body;
    long status;
    kv_list headers;
    errc code;
    std::string_view message;
    int64_t retry_after_ns;
  };
  auto status = [](int code, std::string_view text) {
    return R"({"status":{"error_code":)" + std::to_string(code)
           + R"(,"error_message":")" + std::string{text} + R"("}})";
  };
  const row rows[] = {
    {"1002 missing key",
     rest_fixture("error_1002_api_key_missing.documented.json"),
     401, {}, errc::unauthorized, "API key missing.", 0},
    {"1001 invalid key", status(1001, "This API Key is invalid."), 401, {},
     errc::unauthorized, "This API Key is invalid.", 0},
    {"1006 plan", status(1006, "not on your plan"), 403, {},
     errc::unauthorized, "not on your plan", 0},
    {"1008 minute",
     rest_fixture("error_1008_minute_rate_limit.documented.json"),
     429, {}, errc::rate_limited,
     "You've exceeded your API Key's HTTP request rate limit. Rate limits "
     "reset every minute.",
     60 * ns_per_s},
    {"1008 with Retry-After", status(1008, "minute"), 429,
     {{"retry-after", "7"}}, errc::rate_limited, "minute", 7 * ns_per_s},
    {"1009 daily", status(1009, "daily"), 429, {}, errc::rate_limited,
     "daily", to_midnight},
    {"1010 monthly", status(1010, "monthly"), 429, {}, errc::rate_limited,
     "monthly", 0},
    {"1011 ip", status(1011, "ip"), 429, {}, errc::rate_limited, "ip",
     60 * ns_per_s},
    {"400 invalid symbol",
     rest_fixture("error_400_invalid_symbol.documented.json"),
     400, {}, errc::unknown_symbol, "Invalid value for \"symbol\": \"NOPE\"",
     0},
    {"400 other", status(400, "Invalid value for \\\"convert\\\""), 400, {},
     errc::provider_error, "Invalid value for \"convert\"", 0},
    {"500", status(500, "oops"), 500, {}, errc::provider_error, "oops", 0},
    {"code without message",
     R"({"status":{"error_code":1002,"error_message":null}})", 401, {},
     errc::unauthorized, "error_code 1002", 0},
    {"code on HTTP 200", status(1008, "x"), 200, {}, errc::rate_limited, "x",
     60 * ns_per_s},
    {"HTML 502", "<html>bad gateway</html>", 502, {}, errc::provider_error,
     "HTTP 502", 0},
    {"bare 401", "", 401, {}, errc::unauthorized, "", 0},
  };
  auto adapter = make_coinmarketcap_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto e = expect_error(adapter->parse(
      price_of("BTC-USD"), reply_of(r.status, r.body, r.headers), recv_ns));
    EXPECT_EQ(e.code, r.code) << e.message;
    if (!r.message.empty()) {
      EXPECT_EQ(e.message, r.message);
    }
    EXPECT_EQ(e.retry_after_ns, r.retry_after_ns);
  }
}

TEST(Coinmarketcap, RejectsMalformedBodies) {
  struct row {
    const char* name;
    std::string body;
    errc code;
    std::string_view message; // prefix
  };
  auto quote = [](std::string_view usd) {
    return R"({"status":{"error_code":0},"data":{"BTC":{"symbol":"BTC",)"
           R"("quote":{"USD":)" + std::string{usd} + "}}}}";
  };
  const row rows[] = {
    {"garbage", "{\"data\":", errc::malformed, ""},
    {"not an object", "[1]", errc::malformed, "not an object"},
    {"no data", R"({"status":{"error_code":0}})", errc::missing_field,
     "data"},
    {"data not an object", R"({"data":[]})", errc::malformed,
     "data: expected an object"},
    {"bad error_code", R"({"status":{"error_code":"x"},"data":{}})",
     errc::malformed, "status.error_code: "},
    {"symbol absent", R"({"data":{"ETH":{},"SOL":{}}})", errc::unknown_symbol,
     "BTC"},
    {"empty symbol array", R"({"data":{"BTC":[]}})", errc::unknown_symbol,
     "BTC"},
    {"other coin by id", R"({"data":{"1027":{"symbol":"ETH","quote":{}}}})",
     errc::malformed, "data.1027: holds ETH, asked for BTC"},
    {"entry not an object", R"({"data":{"BTC":5}})", errc::malformed,
     "data.BTC: not an object"},
    {"no quote", R"({"data":{"BTC":{"symbol":"BTC"}}})", errc::missing_field,
     "data.BTC.quote"},
    {"no USD quote", R"({"data":{"BTC":{"symbol":"BTC","quote":{"EUR":{}}}}})",
     errc::missing_field, "data.BTC.quote.USD"},
    {"null price", quote(R"({"price":null,)"
                         R"("last_updated":"2022-06-16T07:18:00Z"})"),
     errc::not_found, "data.BTC.quote.USD.price: null"},
    {"string price", quote(R"({"price":"abc",)"
                           R"("last_updated":"2022-06-16T07:18:00Z"})"),
     errc::bad_number, "data.BTC.quote.USD.price: not a JSON number"},
    {"no price", quote(R"({"last_updated":"2022-06-16T07:18:00Z"})"),
     errc::missing_field, "data.BTC.quote.USD.price"},
    {"no last_updated", quote(R"({"price":1.5})"), errc::missing_field,
     "data.BTC.quote.USD.last_updated"},
    {"numeric last_updated", quote(R"({"price":1.5,"last_updated":{}})"),
     errc::malformed, "data.BTC.quote.USD.last_updated: expected a string"},
    {"bad last_updated", quote(R"({"price":1.5,"last_updated":"yesterday"})"),
     errc::malformed, "data.BTC.quote.USD.last_updated: "},
  };
  auto adapter = make_coinmarketcap_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto e = expect_error(
      adapter->parse(price_of("BTC-USD"), reply_of(200, r.body), recv_ns));
    EXPECT_EQ(e.code, r.code) << e.message;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u) << e.message;
  }
}

// -- symbols ------------------------------------------------------------------

TEST(Coinmarketcap, MapsSymbolsBothWays) {
  adapter_options options;
  options.symbol_overrides = {{"MIOTA-USD", "IOTA"}};
  auto adapter = make_coinmarketcap_adapter(options);
  struct row {
    std::string_view canonical;
    std::string_view provider_symbol;
  };
  const row both_ways[] = {
    {"BTC-USD", "BTC/USD"},
    {"ETH-EUR", "ETH/EUR"},
    {"SOL-BTC", "SOL/BTC"},
    {"MIOTA-USD", "IOTA/USD"},
  };
  for (auto& r : both_ways) {
    SCOPED_TRACE(std::string{r.canonical});
    EXPECT_EQ(adapter->to_provider_symbol(r.canonical), r.provider_symbol);
    EXPECT_EQ(adapter->to_canonical(r.provider_symbol), r.canonical);
  }
  // The override is for MIOTA-USD only.
  EXPECT_EQ(adapter->to_provider_symbol("MIOTA-EUR"), "MIOTA/EUR");
  EXPECT_EQ(adapter->to_canonical("IOTA/EUR"), "IOTA-EUR");
  auto req = adapter->build(price_of("MIOTA-USD"), credentials{"k"});
  ASSERT_TRUE(req);
  EXPECT_EQ(req->query[0].second, "IOTA");
  for (auto bad : {"AAPL", "EUR-USD", "btc-usd", ""})
    EXPECT_EQ(adapter->to_provider_symbol(bad), "") << bad;
  for (auto bad : {"BTC", "EUR/USD", "btc/usd", "/USD", ""})
    EXPECT_EQ(adapter->to_canonical(bad), "") << bad;
}

TEST(Coinmarketcap, DescribesItself) {
  auto adapter = make_coinmarketcap_adapter({});
  auto& info = adapter->info();
  EXPECT_EQ(info.id, providers::coinmarketcap);
  EXPECT_EQ(info.asset_classes, std::vector<asset_class>{asset_class::crypto});
  EXPECT_EQ(info.data_types, std::vector<fetch_kind>{fetch_kind::price});
  EXPECT_TRUE(info.intervals.empty());
  EXPECT_TRUE(info.needs_key);
}

} // namespace
} // namespace tickflow
