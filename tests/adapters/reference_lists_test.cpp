// The providers' reference lists for the instruments search: Binance spot
// and USD-M exchangeInfo, Polygon/Massive reference tickers, Massive futures
// contracts, parsed from the recorded fixtures and from malformed variants.

#include <gtest/gtest.h>

#include <string>

#include "adapters/binance/binance_instruments.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/massive_futures/massive_futures_instruments.hpp"
#include "adapters/massive_futures/massive_futures_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/polygon/polygon_tickers.hpp"
#include "adapters/reference_lists.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::read_fixture;

decimal dec(int64_t m, uint8_t s) { return decimal::from_parts(m, s); }

// -- Binance ------------------------------------------------------------------

TEST(BinanceReferenceList, SpotFixtureHasNoFilters) {
  auto page = binance::parse_reference_list(
    read_fixture("binance/rest/api_v3_exchangeInfo.docs.json"));
  ASSERT_TRUE(page) << page.err().message();
  ASSERT_EQ(page->items.size(), 1u);
  auto& x = page->items[0];
  EXPECT_EQ(x.symbol, "ETH-BTC");
  EXPECT_EQ(x.native, "ETHBTC");
  EXPECT_EQ(x.cls, asset_class::crypto);
  EXPECT_TRUE(x.tick_size.is_zero()); // the docs' filters are placeholders
  EXPECT_TRUE(x.lot_size.is_zero());
  EXPECT_TRUE(page->next.empty());
}

TEST(BinanceReferenceList, FuturesFixtureTickAndLot) {
  auto table = binance::parse_exchange_info(
    read_fixture("binance/rest/fapi_v1_exchangeInfo.docs.json"));
  ASSERT_TRUE(table) << table.err().message();
  ASSERT_EQ(table->size(), 1u);
  auto& s = (*table)[0];
  EXPECT_EQ(s.symbol, "BTCUSDT");
  EXPECT_EQ(s.base_asset, "BTC");
  EXPECT_EQ(s.quote_asset, "USDT");
  EXPECT_EQ(s.status, "TRADING");
  EXPECT_EQ(s.tick_size, dec(1, 2));  // "0.01"
  EXPECT_EQ(s.lot_size, dec(1, 3));   // "0.001"
  EXPECT_EQ(s.contract_type, "");     // the 2020 schema has none
  auto rows = binance::reference_rows(*table);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].symbol, "BTC-USDT");
  EXPECT_EQ(rows[0].tick_size.to_string(), "0.01");
  EXPECT_EQ(rows[0].lot_size.to_string(), "0.001");
}

TEST(BinanceReferenceList, ContractTypeAndStatus) {
  auto table = binance::parse_exchange_info(R"({"symbols":[
    {"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT",
     "quotePrecision":8,"contractType":"PERPETUAL","filters":[
       {"filterType":"LOT_SIZE","stepSize":"0.00100000","minQty":"0.001"}]},
    {"symbol":"ETHUSDT","status":"BREAK","baseAsset":"ETH","quoteAsset":"USDT",
     "quotePrecision":8,"filters":[]}]})");
  ASSERT_TRUE(table) << table.err().message();
  ASSERT_EQ(table->size(), 2u);
  EXPECT_EQ((*table)[0].contract_type, "PERPETUAL");
  EXPECT_EQ((*table)[0].lot_size, dec(1, 3));
  EXPECT_TRUE((*table)[0].tick_size.is_zero());
  auto rows = binance::reference_rows(*table);
  ASSERT_EQ(rows.size(), 1u); // ETHUSDT is not trading
  EXPECT_EQ(rows[0].native, "BTCUSDT");
}

TEST(BinanceReferenceList, FuturesRequestPath) {
  auto r = binance::build_futures_exchange_info_request(credentials{});
  EXPECT_EQ(r.path, "/fapi/v1/exchangeInfo");
  EXPECT_EQ(r.url("http://127.0.0.1:9"), "http://127.0.0.1:9/fapi/v1/exchangeInfo");
}

struct bad_body {
  const char* name;
  const char* body;
  errc code;
  const char* context; // a part of the error's context
};

TEST(BinanceReferenceList, MalformedBodies) {
  const bad_body cases[] = {
    {"not json", "<html>", errc::malformed, ""},
    {"an array", "[]", errc::malformed, "not an object"},
    {"no symbols", "{}", errc::missing_field, "symbols"},
    {"symbols a string", R"({"symbols":"x"})", errc::malformed, "symbols"},
    {"entry a number", R"({"symbols":[1]})", errc::malformed, "symbols[0]"},
    {"symbol missing",
     R"({"symbols":[{"status":"TRADING","baseAsset":"B","quoteAsset":"Q","quotePrecision":8}]})",
     errc::missing_field, "symbols[0].symbol"},
    {"stepSize a number",
     R"({"symbols":[{"symbol":"BQ","status":"TRADING","baseAsset":"B","quoteAsset":"Q",
        "quotePrecision":8,"filters":[{"filterType":"LOT_SIZE","stepSize":0.001}]}]})",
     errc::bad_number, "stepSize"},
    {"stepSize negative",
     R"({"symbols":[{"symbol":"BQ","status":"TRADING","baseAsset":"B","quoteAsset":"Q",
        "quotePrecision":8,"filters":[{"filterType":"LOT_SIZE","stepSize":"-1"}]}]})",
     errc::bad_number, "negative"},
    {"contractType a number",
     R"({"symbols":[{"symbol":"BQ","status":"TRADING","baseAsset":"B","quoteAsset":"Q",
        "quotePrecision":8,"contractType":1}]})",
     errc::malformed, "contractType"},
  };
  for (auto& c : cases) {
    auto r = binance::parse_reference_list(c.body);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.err().code, c.code) << c.name << ": " << r.err().message();
    EXPECT_NE(r.err().context.find(c.context), std::string::npos)
      << c.name << ": " << r.err().context;
  }
}

// -- Polygon/Massive reference tickers ----------------------------------------

TEST(PolygonReferenceTickers, Fixture) {
  auto page = polygon::parse_reference_tickers(
    read_fixture("polygon/rest/v3_reference_tickers.example.json"));
  ASSERT_TRUE(page) << page.err().message();
  ASSERT_EQ(page->tickers.size(), 1u);
  auto& t = page->tickers[0];
  EXPECT_EQ(t.ticker, "A");
  EXPECT_EQ(t.name, "Agilent Technologies Inc.");
  EXPECT_EQ(t.market, "stocks");
  EXPECT_EQ(t.locale, "us");
  EXPECT_EQ(t.currency, "usd");
  EXPECT_TRUE(t.active);
  // The recorded cursor URL (its host is the provider's; only its path and
  // cursor are followed, on the configured base URL).
  EXPECT_NE(page->next_url.find("/v3/reference/tickers?cursor="), std::string::npos);
}

TEST(PolygonReferenceTickers, RowsAndNextPage) {
  auto page = polygon::parse_reference_list(
    read_fixture("polygon/rest/v3_reference_tickers.example.json"));
  ASSERT_TRUE(page) << page.err().message();
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].symbol, "A");
  EXPECT_EQ(page->items[0].cls, asset_class::equity);
  EXPECT_TRUE(page->items[0].tick_size.is_zero());
  EXPECT_EQ(page->next.rfind("/v3/reference/tickers?cursor=", 0), 0u);
  // The next page goes to the configured host with the key added again.
  auto next = polygon::reference_list_request(page->next, "secret-key");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->path, "/v3/reference/tickers");
  auto first = polygon::reference_list_request("", "secret-key");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->redacted_url("http://127.0.0.1:9"),
            "http://127.0.0.1:9/v3/reference/tickers?active=true&limit=1000&apiKey=***");
}

TEST(PolygonReferenceTickers, MarketsAndInactive) {
  auto page = polygon::parse_reference_list(R"({"status":"OK","results":[
    {"ticker":"X:BTCUSD","market":"crypto","active":true},
    {"ticker":"C:EURUSD","market":"fx"},
    {"ticker":"I:SPX","market":"indices","active":true},
    {"ticker":"OLD","market":"stocks","active":false},
    {"ticker":"Z","market":"something"}]})");
  ASSERT_TRUE(page) << page.err().message();
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].cls, asset_class::crypto);
  EXPECT_EQ(page->items[1].cls, asset_class::forex);
  EXPECT_EQ(page->items[2].cls, asset_class::index);
  EXPECT_TRUE(page->next.empty());
}

TEST(PolygonReferenceTickers, ANextUrlOfAnotherEndpointIsNotFollowed) {
  auto page = polygon::parse_reference_list(
    R"({"results":[],"next_url":"http://127.0.0.1:9/v2/aggs/x?cursor=1"})");
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->next.empty());
}

TEST(PolygonReferenceTickers, MalformedBodies) {
  const bad_body cases[] = {
    {"not json", "nope", errc::malformed, ""},
    {"an array", "[]", errc::malformed, "not an object"},
    {"results an object", R"({"results":{}})", errc::malformed, "results"},
    {"row a string", R"({"results":["A"]})", errc::malformed, "results[0]"},
    {"ticker missing", R"({"results":[{"market":"stocks"}]})", errc::missing_field,
     "results[0].ticker"},
    {"market missing", R"({"results":[{"ticker":"A"}]})", errc::missing_field,
     "results[0].market"},
    {"ticker a number", R"({"results":[{"ticker":1,"market":"stocks"}]})",
     errc::malformed, "results[0].ticker"},
    {"active a string", R"({"results":[{"ticker":"A","market":"stocks","active":"yes"}]})",
     errc::malformed, "results[0].active"},
  };
  for (auto& c : cases) {
    auto r = polygon::parse_reference_list(c.body);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.err().code, c.code) << c.name << ": " << r.err().message();
    EXPECT_NE(r.err().context.find(c.context), std::string::npos)
      << c.name << ": " << r.err().context;
  }
}

// -- Massive futures contracts --------------------------------------------------

TEST(MassiveFuturesReferenceList, Fixture) {
  auto page = massive_futures::parse_reference_list(
    read_fixture("massive_futures/rest/futures_v1_contracts.example.json"));
  ASSERT_TRUE(page) << page.err().message();
  ASSERT_EQ(page->items.size(), 1u);
  auto& x = page->items[0];
  EXPECT_EQ(x.symbol, "00CN5");
  EXPECT_EQ(x.cls, asset_class::futures);
  EXPECT_EQ(x.tick_size, dec(25, 4)); // 0.0025 as written, not via double
  EXPECT_TRUE(x.lot_size.is_zero());
  // The example's next_url names /futures/vX/contracts: followed.
  EXPECT_EQ(page->next.rfind("/futures/vX/contracts?cursor=", 0), 0u);
  auto first = massive_futures::reference_list_request("", "secret-key");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->redacted_url("http://127.0.0.1:9"),
            "http://127.0.0.1:9/futures/v1/contracts?active=true&apiKey=***");
}

TEST(MassiveFuturesReferenceList, NotFollowedElsewhere) {
  auto page = massive_futures::parse_reference_list(
    R"({"results":[],"next_url":"http://127.0.0.1:9/futures/vX/trades/ES?cursor=1"})");
  ASSERT_TRUE(page) << page.err().message();
  EXPECT_TRUE(page->next.empty());
}

TEST(MassiveFuturesReferenceList, MalformedBodies) {
  const bad_body cases[] = {
    {"not json", "{", errc::malformed, ""},
    {"ticker missing", R"({"results":[{"active":true}]})", errc::missing_field, "ticker"},
    {"tick size a string",
     R"({"results":[{"ticker":"ESZ4","active":true,"trade_tick_size":"0.25"}]})",
     errc::malformed, "trade_tick_size"},
    {"active a number", R"({"results":[{"ticker":"ESZ4","active":1}]})", errc::malformed,
     "active"},
  };
  for (auto& c : cases) {
    auto r = massive_futures::parse_reference_list(c.body);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.err().code, c.code) << c.name << ": " << r.err().message();
    EXPECT_NE(r.err().context.find(c.context), std::string::npos)
      << c.name << ": " << r.err().context;
  }
}

// -- the table ----------------------------------------------------------------

TEST(ReferenceListSources, WhoPublishesOne) {
  EXPECT_NE(reference_list_of(providers::binance), nullptr);
  EXPECT_NE(reference_list_of(providers::polygon), nullptr);
  EXPECT_NE(reference_list_of(providers::massive_futures), nullptr);
  EXPECT_EQ(reference_list_of(providers::coingecko), nullptr);
  auto* b = reference_list_of(providers::binance);
  auto first = b->request("", "");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->path, "/api/v3/exchangeInfo");
  EXPECT_FALSE(b->request("/api/v3/exchangeInfo?page=2", "")); // one page only
}

} // namespace
} // namespace tickflow
