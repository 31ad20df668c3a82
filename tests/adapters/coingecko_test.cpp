#include "adapters/coingecko/coingecko_adapter.hpp"
#include "adapters/coingecko/coingecko_parse.hpp"
#include "adapters/common/json_number.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/coingecko/coingecko_provider.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::bars_of;
using test::dec;
using test::expect_error;
using test::expect_result;
using test::price_of;
using test::reply_of;

// tests/fixtures/coingecko/rest/<file>
std::string rest_fixture(std::string_view file) {
  return test::read_fixture("coingecko/rest/" + std::string{file});
}

constexpr int64_t recv_ns = 1'712'000'000'000'000'000; // 2024-04-01T19:33:20Z

// -- fixtures -----------------------------------------------------------------

TEST(Coingecko, ParsesTheSimplePriceFixture) {
  auto adapter = make_coingecko_adapter({});
  auto r = expect_result(adapter->parse(
    price_of("BTC-USD"),
    reply_of(200, rest_fixture("simple_price.example.json")),
    recv_ns));
  ASSERT_EQ(r.prices.size(), 1u);
  auto& p = r.prices[0];
  EXPECT_EQ(p.instrument, "BTC-USD");
  EXPECT_EQ(p.source, providers::coingecko);
  EXPECT_EQ(p.value, dec("67187.3358936566"));
  EXPECT_EQ(p.ts_event_ns, 1'711'356'300 * ns_per_s);
  EXPECT_EQ(p.ts_recv_ns, recv_ns);
  EXPECT_TRUE(p.trade_id.empty());
  EXPECT_TRUE(r.bars.empty());
  EXPECT_TRUE(r.quotes.empty());
}

// The simple/price fixture without its last_updated_at (derived: that one
// line removed): the price is kept, as of its receipt, flagged (issue 21).
TEST(Coingecko, APriceWithoutItsTimeIsDefaultedAndFlagged) {
  auto adapter = make_coingecko_adapter({});
  auto body = rest_fixture("simple_price.example.json");
  auto at = body.find(",\n    \"last_updated_at\": 1711356300");
  ASSERT_NE(at, std::string::npos) << body;
  auto without = body.substr(0, at) + body.substr(body.find('\n', at + 2));
  auto nulled = body.substr(0, at) + ",\n    \"last_updated_at\": null"
                + body.substr(body.find('\n', at + 2));
  for (auto& b : {without, nulled}) {
    auto r = expect_result(adapter->parse(price_of("BTC-USD"), reply_of(200, b), recv_ns));
    ASSERT_EQ(r.prices.size(), 1u) << b;
    auto& p = r.prices[0];
    EXPECT_EQ(p.value, dec("67187.3358936566"));
    EXPECT_EQ(p.ts_event_ns, recv_ns);
    EXPECT_EQ(p.ts_recv_ns, recv_ns);
    EXPECT_EQ(p.flags, uint32_t{quality_defaulted});
  }
  // With its time, nothing is flagged.
  auto r = expect_result(adapter->parse(price_of("BTC-USD"), reply_of(200, body), recv_ns));
  EXPECT_EQ(r.prices[0].flags, uint32_t{quality_none});
}

TEST(Coingecko, ParsesTheMarketChartFixture) {
  auto body = rest_fixture("coins_id_market_chart.example.json");
  auto req = price_of("BTC-USD");
  req.start_ns = 1'711'843'200'000 * ns_per_ms;
  req.end_ns = 1'711'983'682'000 * ns_per_ms;
  auto adapter = make_coingecko_adapter({});
  auto r = expect_result(adapter->parse(req, reply_of(200, body), recv_ns));
  ASSERT_EQ(r.prices.size(), 3u);
  const std::pair<int64_t, std::string_view> expected[] = {
    {1'711'843'200'000, "69702.3087473573"},
    {1'711'929'600'000, "71246.9514406015"},
    {1'711'983'682'000, "68887.7495158568"},
  };
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(r.prices[i].instrument, "BTC-USD");
    EXPECT_EQ(r.prices[i].source, providers::coingecko);
    EXPECT_EQ(r.prices[i].ts_event_ns, expected[i].first * ns_per_ms);
    EXPECT_EQ(r.prices[i].value, dec(expected[i].second));
    EXPECT_EQ(r.prices[i].ts_recv_ns, recv_ns);
  }
  // The volumes are only available from the pure parser.
  rapidjson::Document doc;
  ASSERT_TRUE(json::parse_with_number_text(body, doc));
  auto chart = coingecko::parse_market_chart(doc, "BTC-USD", recv_ns);
  ASSERT_TRUE(chart) << chart.err().message();
  ASSERT_EQ(chart->total_volumes.size(), 3u);
  EXPECT_EQ(chart->total_volumes[0].ts_ns, 1'711'843'200'000 * ns_per_ms);
  EXPECT_EQ(chart->total_volumes[0].value, dec("16408802301.8374"));
  EXPECT_EQ(chart->total_volumes[1].ts_ns, 1'711'929'600'000 * ns_per_ms);
  EXPECT_EQ(chart->total_volumes[1].value, dec("19723005998.215"));
  EXPECT_EQ(chart->total_volumes[2].ts_ns, 1'711'983'682'000 * ns_per_ms);
  EXPECT_EQ(chart->total_volumes[2].value, dec("30137418199.6431"));
}

TEST(Coingecko, ParsesTheOhlcFixtureAsCandlesThatEndAtTheirTimestamp) {
  auto adapter = make_coingecko_adapter({});
  auto r = expect_result(adapter->parse(
    bars_of("BTC-USD", interval::h4),
    reply_of(200, rest_fixture("coins_id_ohlc.example.json")),
    recv_ns));
  ASSERT_EQ(r.bars.size(), 3u);
  struct row {
    int64_t open_ms; // close time - 4h
    std::string_view o, h, l, c;
  };
  const row expected[] = {
    {1'709'380'800'000, "61942", "62211", "61721", "61845"},
    {1'709'395'200'000, "61828", "62139", "61726", "62139"},
    {1'709'409'600'000, "62171", "62210", "61821", "62068"},
  };
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    auto& b = r.bars[i];
    EXPECT_EQ(b.instrument, "BTC-USD");
    EXPECT_EQ(b.provider_symbol, "bitcoin/usd");
    EXPECT_EQ(b.source, providers::coingecko);
    EXPECT_EQ(b.span, interval::h4);
    EXPECT_EQ(b.open_time_ns, expected[i].open_ms * ns_per_ms);
    EXPECT_EQ(b.open, dec(expected[i].o));
    EXPECT_EQ(b.high, dec(expected[i].h));
    EXPECT_EQ(b.low, dec(expected[i].l));
    EXPECT_EQ(b.close, dec(expected[i].c));
    EXPECT_EQ(b.volume, decimal{}); // CoinGecko OHLC has no volume
    EXPECT_EQ(b.trade_count, 0u);
    EXPECT_TRUE(b.closed);
    EXPECT_EQ(b.ts_recv_ns, recv_ns);
  }
  EXPECT_EQ(format_iso8601(r.bars[0].open_time_ns), "2024-03-02T12:00:00Z");
}

TEST(Coingecko, MarksACandleThatEndsAfterReceiptOpen) {
  auto adapter = make_coingecko_adapter({});
  auto r = expect_result(adapter->parse(
    bars_of("BTC-USD", interval::h4),
    reply_of(200, rest_fixture("coins_id_ohlc.example.json")),
    1'709'409'600'000 * ns_per_ms)); // the second candle's close
  ASSERT_EQ(r.bars.size(), 3u);
  EXPECT_TRUE(r.bars[0].closed);
  EXPECT_TRUE(r.bars[1].closed);
  EXPECT_FALSE(r.bars[2].closed);
}

// -- requests -----------------------------------------------------------------

TEST(Coingecko, BuildsRequestsPerKind) {
  constexpr int64_t day = 86'400 * ns_per_s;
  struct row {
    const char* name;
    fetch_request req;
    std::string_view path;
    kv_list query;
  };
  auto history = price_of("ETH-EUR");
  history.start_ns = 1'711'843'200 * ns_per_s;
  history.end_ns = history.start_ns + 2 * day + 1; // just over 2 days
  auto h4_limit = bars_of("BTC-USD", interval::h4);
  h4_limit.limit = 50; // 200 h
  auto h4_range = bars_of("BTC-USD", interval::h4);
  h4_range.start_ns = 1'711'843'200 * ns_per_s;
  h4_range.end_ns = h4_range.start_ns + 20 * day;
  auto h4_open = bars_of("BTC-USD", interval::h4);
  h4_open.start_ns = 1'711'843'200 * ns_per_s;
  auto m30 = bars_of("SOL-USD", interval::m30);
  m30.limit = 500;
  const row rows[] = {
    {"simple price",
     price_of("BTC-USD"),
     "/api/v3/simple/price",
     {{"ids", "bitcoin"},
      {"vs_currencies", "usd"},
      {"include_last_updated_at", "true"}}},
    {"price history", history, "/api/v3/coins/ethereum/market_chart",
     {{"vs_currency", "eur"}, {"days", "3"}}},
    {"4h default", bars_of("BTC-USD", interval::h4),
     "/api/v3/coins/bitcoin/ohlc", {{"vs_currency", "usd"}, {"days", "7"}}},
    {"4h by limit", h4_limit, "/api/v3/coins/bitcoin/ohlc",
     {{"vs_currency", "usd"}, {"days", "14"}}},
    {"4h by range", h4_range, "/api/v3/coins/bitcoin/ohlc",
     {{"vs_currency", "usd"}, {"days", "30"}}},
    {"4h open range", h4_open, "/api/v3/coins/bitcoin/ohlc",
     {{"vs_currency", "usd"}, {"days", "30"}}},
    {"30m", m30, "/api/v3/coins/solana/ohlc",
     {{"vs_currency", "usd"}, {"days", "1"}}},
  };
  auto adapter = make_coingecko_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto out = adapter->build(r.req, credentials{});
    ASSERT_TRUE(out) << out.err().message();
    EXPECT_EQ(out->method, "GET");
    EXPECT_EQ(out->path, r.path);
    EXPECT_EQ(out->query, r.query);
    EXPECT_TRUE(out->headers.empty()); // keyless
    EXPECT_TRUE(out->secrets.empty());
  }
}

TEST(Coingecko, RejectsRequestsItCannotServe) {
  struct row {
    const char* name;
    fetch_request req;
    errc code;
  };
  auto quote_req = price_of("BTC-USD");
  quote_req.kind = fetch_kind::quote;
  auto open_history = price_of("BTC-USD");
  open_history.start_ns = 1'711'843'200 * ns_per_s;
  const row rows[] = {
    {"quote", quote_req, errc::invalid_argument},
    {"1h bars", bars_of("BTC-USD", interval::h1), errc::invalid_argument},
    {"1d bars", bars_of("BTC-USD", interval::d1), errc::invalid_argument},
    {"history without end", open_history, errc::invalid_argument},
    {"unknown coin", price_of("NOPE-USD"), errc::unknown_symbol},
    {"not a pair", price_of("AAPL"), errc::unknown_symbol},
    {"not canonical", price_of("btc-usd"), errc::unknown_symbol},
    {"empty", price_of(""), errc::unknown_symbol},
  };
  auto adapter = make_coingecko_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto out = adapter->build(r.req, credentials{});
    ASSERT_FALSE(out);
    EXPECT_EQ(out.err().code, r.code);
  }
}

TEST(Coingecko, SendsTheKeyInTheHeaderOfItsPlan) {
  credentials cred{"CG-secret"};
  auto demo = make_coingecko_adapter({})->build(price_of("BTC-USD"), cred);
  ASSERT_TRUE(demo);
  EXPECT_EQ(demo->headers, (kv_list{{"x-cg-demo-api-key", "CG-secret"}}));
  EXPECT_EQ(demo->secrets, std::vector<std::string>{"CG-secret"});
  auto pro = make_coingecko_adapter({}, coingecko::plan::pro)
               ->build(price_of("BTC-USD"), cred);
  ASSERT_TRUE(pro);
  EXPECT_EQ(pro->headers, (kv_list{{"x-cg-pro-api-key", "CG-secret"}}));
  EXPECT_EQ(pro->secrets, std::vector<std::string>{"CG-secret"});
  // The key never travels in the URL.
  EXPECT_EQ(pro->url("http://127.0.0.1:9").find("CG-secret"),
            std::string::npos);
}

// -- errors -------------------------------------------------------------------

TEST(Coingecko, MapsErrorBodies) {
  struct row {
    const char* name;
    std::string body;
    long status;
    kv_list headers;
    fetch_request req;
    errc code;
    std::string_view message; // prefix
    int64_t retry_after_ns;
  };
  const row rows[] = {
    {"429 body", rest_fixture("error_429_rate_limited.documented.json"),
     429, {{"retry-after", "30"}}, price_of("BTC-USD"), errc::rate_limited,
     "You've exceeded the Rate Limit.", 30 * ns_per_s},
    {"429 body without Retry-After",
     rest_fixture("error_429_rate_limited.documented.json"), 429,
     {}, price_of("BTC-USD"), errc::rate_limited, "You've exceeded", 0},
    {"missing key", rest_fixture("error_10002_missing_key.documented.json"),
     401, {}, price_of("BTC-USD"), errc::unauthorized, "API Key Missing", 0},
    {"wrong plan key", R"({"status":{"error_code":10010,"error_message":"x"}})",
     401, {}, price_of("BTC-USD"), errc::unauthorized, "x", 0},
    {"other code", R"({"status":{"error_code":500,"error_message":"boom"}})",
     500, {}, price_of("BTC-USD"), errc::provider_error, "boom", 0},
    {"coin not found", rest_fixture("error_coin_not_found.documented.json"),
     404, {}, bars_of("BTC-USD", interval::h4), errc::unknown_symbol,
     "coin not found", 0},
    {"invalid vs", R"({"error":"invalid vs_currency"})", 400, {},
     price_of("BTC-USDT"), errc::unknown_symbol, "invalid vs_currency", 0},
    {"other error text", R"({"error":"days is invalid"})", 400, {},
     bars_of("BTC-USD", interval::h4), errc::provider_error, "days is invalid",
     0},
    {"unknown id", rest_fixture("simple_price_unknown_id.documented.json"),
     200, {}, price_of("BTC-USD"), errc::unknown_symbol, "bitcoin", 0},
    {"unsupported vs", R"({"bitcoin":{}})", 200, {}, price_of("BTC-USD"),
     errc::unknown_symbol, "bitcoin has no price in usd", 0},
    {"HTML 429", "<html>Too Many Requests</html>", 429,
     {{"retry-after", "12"}}, price_of("BTC-USD"), errc::rate_limited, "",
     12 * ns_per_s},
    {"HTML 503", "<html>down</html>", 503, {}, price_of("BTC-USD"),
     errc::provider_error, "HTTP 503", 0},
  };
  auto adapter = make_coingecko_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto e = expect_error(
      adapter->parse(r.req, reply_of(r.status, r.body, r.headers), recv_ns));
    EXPECT_EQ(e.code, r.code) << e.message;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u) << e.message;
    EXPECT_EQ(e.retry_after_ns, r.retry_after_ns);
  }
}

TEST(Coingecko, RejectsMalformedBodies) {
  struct row {
    const char* name;
    std::string body;
    fetch_request req;
    errc code;
    std::string_view message; // prefix
  };
  auto history = price_of("BTC-USD");
  history.start_ns = 1;
  history.end_ns = 2;
  auto h4 = bars_of("BTC-USD", interval::h4);
  const row rows[] = {
    {"garbage", "not json", price_of("BTC-USD"), errc::malformed, ""},
    {"empty body", "", price_of("BTC-USD"), errc::malformed, ""},
    {"price: array", "[]", price_of("BTC-USD"), errc::malformed,
     "simple/price: not an object"},
    {"price: coin not an object", R"({"bitcoin":5})", price_of("BTC-USD"),
     errc::malformed, "bitcoin: not an object"},
    {"price: string price", R"({"bitcoin":{"usd":"abc","last_updated_at":1}})",
     price_of("BTC-USD"), errc::bad_number, "bitcoin.usd: not a JSON number"},
    {"price: null price", R"({"bitcoin":{"usd":null,"last_updated_at":1}})",
     price_of("BTC-USD"), errc::bad_number, "bitcoin.usd: expected a number"},
    {"price: float timestamp",
     R"({"bitcoin":{"usd":1.5,"last_updated_at":1.5}})", price_of("BTC-USD"),
     errc::bad_number, "bitcoin.last_updated_at: not a whole number"},
    {"price: too precise",
     R"({"bitcoin":{"usd":1.2345678901234567890,"last_updated_at":1}})",
     price_of("BTC-USD"), errc::bad_number, "bitcoin.usd: too many"},
    {"chart: no prices", R"({"total_volumes":[]})", history,
     errc::missing_field, "prices"},
    {"chart: no volumes", R"({"prices":[]})", history, errc::missing_field,
     "total_volumes"},
    {"chart: prices not an array", R"({"prices":{},"total_volumes":[]})",
     history, errc::malformed, "prices: expected an array"},
    {"chart: short point", R"({"prices":[[1]],"total_volumes":[]})", history,
     errc::malformed, "prices[0]: expected [ms, value]"},
    {"chart: bad time", R"({"prices":[["x",1]],"total_volumes":[]})",
     history, errc::bad_number, "prices[0]: not a JSON number"},
    {"chart: bad volume",
     R"({"prices":[[1,1]],"total_volumes":[[1,null]]})", history,
     errc::bad_number, "total_volumes[0]: expected a number"},
    {"ohlc: object", "{}", h4, errc::malformed,
     "ohlc: expected an array of candles"},
    {"ohlc: short row", "[[1709395200000,1,2,3]]", h4, errc::malformed,
     "ohlc[0]: expected [ms, open, high, low, close]"},
    {"ohlc: null price", "[[1709395200000,1,2,null,4]]", h4,
     errc::bad_number, "ohlc[0]: expected a number"},
    {"ohlc: float time", "[[1709395200000.5,1,2,3,4]]", h4,
     errc::bad_number, "ohlc[0]: not a whole number"},
    {"ohlc: off grid", "[[1709395200000,1,2,3,4],[1709397000000,1,2,3,4]]",
     h4, errc::malformed, "ohlc[1]: close time 2024-03-02T16:30:00Z"},
    {"ohlc: out of order",
     "[[1709409600000,1,2,3,4],[1709395200000,1,2,3,4]]", h4,
     errc::malformed, "ohlc[1]: candles out of order"},
  };
  auto adapter = make_coingecko_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto e =
      expect_error(adapter->parse(r.req, reply_of(200, r.body), recv_ns));
    EXPECT_EQ(e.code, r.code) << e.message;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u) << e.message;
  }
}

TEST(Coingecko, TrimsBarsAndSeriesToTheRequest) {
  auto adapter = make_coingecko_adapter({});
  auto ohlc = rest_fixture("coins_id_ohlc.example.json");
  auto limited = bars_of("BTC-USD", interval::h4);
  limited.limit = 2;
  auto r = expect_result(adapter->parse(limited, reply_of(200, ohlc), recv_ns));
  ASSERT_EQ(r.bars.size(), 2u); // the newest two
  EXPECT_EQ(r.bars[0].open_time_ns, 1'709'395'200'000 * ns_per_ms);
  EXPECT_EQ(r.bars[1].open_time_ns, 1'709'409'600'000 * ns_per_ms);
  auto ranged = bars_of("BTC-USD", interval::h4);
  ranged.start_ns = 1'709'395'200'000 * ns_per_ms;
  ranged.end_ns = 1'709'395'200'000 * ns_per_ms;
  r = expect_result(adapter->parse(ranged, reply_of(200, ohlc), recv_ns));
  ASSERT_EQ(r.bars.size(), 1u);
  EXPECT_EQ(r.bars[0].open, dec("61828"));
  auto history = price_of("BTC-USD");
  history.start_ns = 1'711'900'000'000 * ns_per_ms;
  history.end_ns = 1'711'983'682'000 * ns_per_ms;
  r = expect_result(adapter->parse(
    history,
    reply_of(200, rest_fixture("coins_id_market_chart.example.json")),
    recv_ns));
  ASSERT_EQ(r.prices.size(), 2u);
  EXPECT_EQ(r.prices[0].value, dec("71246.9514406015"));
}

// -- symbols ------------------------------------------------------------------

TEST(Coingecko, MapsSymbolsBothWays) {
  adapter_options options;
  options.symbol_overrides = {{"PEPE-USD", "pepe"},
                              {"WBTC-USD", "wrapped-bitcoin"}};
  auto adapter = make_coingecko_adapter(options);
  struct row {
    std::string_view canonical;
    std::string_view provider_symbol;
  };
  const row both_ways[] = {
    {"BTC-USD", "bitcoin/usd"},
    {"ETH-EUR", "ethereum/eur"},
    {"AVAX-USD", "avalanche-2/usd"},
    {"USDT-USD", "tether/usd"},
    {"BTC-ETH", "bitcoin/eth"},
    {"PEPE-USD", "pepe/usd"},
    {"WBTC-USD", "wrapped-bitcoin/usd"},
  };
  for (auto& r : both_ways) {
    SCOPED_TRACE(std::string{r.canonical});
    EXPECT_EQ(adapter->to_provider_symbol(r.canonical), r.provider_symbol);
    EXPECT_EQ(adapter->to_canonical(r.provider_symbol), r.canonical);
  }
  // An override is per canonical id: PEPE-EUR has none and no table entry.
  EXPECT_EQ(adapter->to_provider_symbol("PEPE-EUR"), "");
  EXPECT_EQ(adapter->to_canonical("pepe/eur"), "");
  for (auto bad : {"NOPE-USD", "AAPL", "EUR-USD-X", "btc-usd", ""})
    EXPECT_EQ(adapter->to_provider_symbol(bad), "") << bad;
  for (auto bad : {"bitcoin", "bitcoin/", "/usd", "nope/usd", ""})
    EXPECT_EQ(adapter->to_canonical(bad), "") << bad;
  // The same built-in table without overrides.
  auto plain = make_coingecko_adapter({});
  EXPECT_EQ(plain->to_provider_symbol("PEPE-USD"), "");
  // An override wins over the built-in table.
  adapter_options renamed;
  renamed.symbol_overrides = {{"BTC-USD", "bitcoin-2"}};
  auto r = make_coingecko_adapter(renamed);
  EXPECT_EQ(r->to_provider_symbol("BTC-USD"), "bitcoin-2/usd");
  EXPECT_EQ(r->to_provider_symbol("BTC-EUR"), "bitcoin/eur");
  EXPECT_EQ(r->to_canonical("bitcoin-2/usd"), "BTC-USD");
  auto req = r->build(price_of("BTC-USD"), credentials{});
  ASSERT_TRUE(req);
  EXPECT_EQ(req->query[0].second, "bitcoin-2");
}

TEST(Coingecko, DescribesItself) {
  auto adapter = make_coingecko_adapter({});
  auto& info = adapter->info();
  EXPECT_EQ(info.id, providers::coingecko);
  EXPECT_EQ(info.asset_classes, std::vector<asset_class>{asset_class::crypto});
  EXPECT_EQ(info.data_types,
            (std::vector<fetch_kind>{fetch_kind::price, fetch_kind::bars,
                                     fetch_kind::profile}));
  EXPECT_EQ(info.intervals,
            (std::vector<interval>{interval::m30, interval::h4}));
  EXPECT_FALSE(info.needs_key);
}

} // namespace
} // namespace tickflow
