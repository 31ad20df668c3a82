// Polygon/Massive reference data: ticker details and news, through the
// adapter and the parsers, on the documented samples
// (tests/fixtures/polygon/rest/) and on every failure mode.

#include "adapters/polygon/polygon_adapter.hpp"
#include "adapters/polygon/polygon_reference.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/polygon/polygon_provider.hpp"
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

std::string fixture(std::string_view name) {
  return read_fixture("polygon/rest/" + std::string{name});
}

credentials key() { return credentials{"PK-123"}; }

// -- ticker details ---------------------------------------------------------------

TEST(PolygonReference, TickerDetailsOfTheDocumentedSample) {
  auto res = expect_result(make_polygon_adapter({})->parse(
    request(fetch_kind::profile, "AAPL"),
    reply_of(200, fixture("v3_reference_tickers_AAPL.docs_example.json")), recv_ns));
  ASSERT_EQ(res.profiles.size(), 1u);
  auto& p = res.profiles[0];
  EXPECT_EQ(p.instrument, "AAPL");
  EXPECT_EQ(p.provider_symbol, "AAPL");
  EXPECT_EQ(p.source, providers::polygon);
  EXPECT_EQ(p.name, "Apple Inc.");
  EXPECT_EQ(p.asset_type, "equity"); // type CS
  EXPECT_EQ(p.exchange, "NASDAQ");   // MIC XNAS
  EXPECT_EQ(p.currency, "USD");      // "usd"
  EXPECT_EQ(p.country, "US");        // locale "us"
  EXPECT_EQ(p.industry, "ELECTRONIC COMPUTERS");
  EXPECT_EQ(p.homepage, "https://www.apple.com");
  EXPECT_EQ(p.logo, "https://api.polygon.io/v1/reference/company-branding/"
                    "d3d3LmFwcGxlLmNvbQ/images/2022-01-10_logo.svg");
  EXPECT_EQ(p.ipo_date, "1980-12-12");
  EXPECT_EQ(p.market_cap, dec("2771126040150"));
  EXPECT_EQ(p.shares_outstanding, dec("16406400000")); // the share class's own
  EXPECT_EQ(p.description.rfind("Apple designs a wide variety", 0), 0u);
  EXPECT_EQ(p.ts_recv_ns, recv_ns);
}

TEST(PolygonReference, SparseDetailsAndOtherAssetTypes) {
  struct row {
    const char* body;
    const char* asset_type;
    const char* exchange;
  } rows[] = {
    {R"({"results":{"ticker":"SPY","market":"stocks","type":"ETF","primary_exchange":"ARCX",
        "weighted_shares_outstanding":908780000}})", "etf", "NYSE ARCA"},
    {R"({"results":{"ticker":"SPY","market":"otc","type":"WARRANT","primary_exchange":"XOTC"}})",
     "warrant", "XOTC"},
    {R"({"results":{}})", "equity", ""},
  };
  for (auto& r : rows) {
    auto p = polygon::parse_ticker_details(r.body, "SPY", "SPY", recv_ns);
    ASSERT_TRUE(p) << r.body << ": " << p.err().message();
    EXPECT_EQ(p->asset_type, r.asset_type) << r.body;
    EXPECT_EQ(p->exchange, r.exchange) << r.body;
    EXPECT_TRUE(p->market_cap.is_zero()) << r.body;
  }
  auto spy = polygon::parse_ticker_details(rows[0].body, "SPY", "SPY", recv_ns);
  EXPECT_EQ(spy->shares_outstanding, dec("908780000")); // weighted, for want of the class's
  auto btc = polygon::parse_ticker_details(
    R"({"results":{"ticker":"X:BTCUSD","market":"crypto","currency_name":"usd"}})", "BTC-USD",
    "X:BTCUSD", recv_ns);
  ASSERT_TRUE(btc) << btc.err().message();
  EXPECT_EQ(btc->asset_type, "crypto");
}

TEST(PolygonReference, MalformedDetailsAreTypedErrors) {
  const char* bodies[] = {
    R"({"status":"OK"})",                              // no results
    R"({"results":[]})",                               // results not an object
    R"({"results":{"ticker":"MSFT"}})",                // not the ticker asked for
    R"({"results":{"market_cap":"2771126040150"}})",   // number as a string
    R"({"results":{"name":["Apple"]}})",               // wrong type
    R"({"results":{"branding":"logo.svg"}})",          // branding not an object
    R"({"results":{"market_cap":1e400}})",             // beyond any decimal
    "not json",
  };
  auto a = make_polygon_adapter({});
  for (auto body : bodies) {
    auto e = expect_error(a->parse(request(fetch_kind::profile, "AAPL"), reply_of(200, body),
                                   recv_ns));
    EXPECT_EQ(e.code, errc::malformed) << body << " -> " << e.message;
  }
}

TEST(PolygonReference, ErrorBodiesAreClassified) {
  auto a = make_polygon_adapter({});
  auto missing = expect_error(a->parse(
    request(fetch_kind::profile, "ZZZZ"),
    reply_of(404, R"({"status":"NOT_FOUND","request_id":"r1","message":"Ticker not found."})"),
    recv_ns));
  EXPECT_EQ(missing.code, errc::not_found);
  auto key_error = expect_error(a->parse(
    request(fetch_kind::news, "AAPL"),
    reply_of(401, R"({"status":"ERROR","request_id":"r2","error":"Unknown API Key"})"), recv_ns));
  EXPECT_EQ(key_error.code, errc::unauthorized);
  auto limited = expect_error(a->parse(
    request(fetch_kind::news, "AAPL"),
    reply_of(429, R"({"status":"ERROR","error":"You've exceeded the maximum requests per minute"})"),
    recv_ns));
  EXPECT_EQ(limited.code, errc::rate_limited);
}

// -- news -----------------------------------------------------------------------

TEST(PolygonReference, NewsOfTheDocumentedSample) {
  auto res = expect_result(make_polygon_adapter({})->parse(
    request(fetch_kind::news, "AAPL"), reply_of(200, fixture("v2_reference_news.docs_example.json")),
    recv_ns));
  ASSERT_EQ(res.news.size(), 1u);
  auto& x = res.news[0];
  EXPECT_EQ(x.id, "8ec638777ca03b553ae516761c2a22ba2fdd2f37befae3ab6fdab74e9e5193eb");
  EXPECT_EQ(x.title, "Markets are underestimating Fed cuts: UBS By Investing.com - Investing.com UK");
  EXPECT_EQ(x.url, "https://uk.investing.com/news/stock-market-news/"
                   "markets-are-underestimating-fed-cuts-ubs-3559968");
  EXPECT_EQ(x.publisher, "Investing.com");
  EXPECT_EQ(x.image, "https://i-invdn-com.investing.com/news/LYNXNPEC4I0AL_L.jpg");
  EXPECT_EQ(x.summary.rfind("UBS analysts warn", 0), 0u);
  EXPECT_EQ(x.published_ns, *parse_timestamp("2024-06-24T18:33:53Z"));
  EXPECT_EQ(x.instruments, (std::vector<std::string>{"AAPL", "UBS"})); // asked, then tickers
  EXPECT_EQ(x.source, providers::polygon);
}

TEST(PolygonReference, NewsOrdersNewestFirstAndMapsTickers) {
  auto body = R"({"results":[
    {"title":"a","article_url":"https://x/a","published_utc":"2024-01-01T00:00:00Z",
     "tickers":["X:BTCUSD","C:EURUSD","I:SPX"]},
    {"title":"b","article_url":"https://x/b","published_utc":"2024-01-02T00:00:00.5Z"}]})";
  auto xs = polygon::parse_news(body, "", 0, recv_ns);
  ASSERT_TRUE(xs) << xs.err().message();
  ASSERT_EQ(xs->size(), 2u);
  EXPECT_EQ((*xs)[0].title, "b");
  EXPECT_EQ((*xs)[0].published_ns, *parse_timestamp("2024-01-02T00:00:00.5Z"));
  EXPECT_EQ((*xs)[1].instruments, (std::vector<std::string>{"BTC-USD", "EUR-USD"}));
  auto one = polygon::parse_news(body, "", 1, recv_ns);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->size(), 1u);
}

TEST(PolygonReference, MalformedNewsIsATypedError) {
  const char* bodies[] = {
    R"({"status":"OK"})",
    R"({"results":{}})",
    R"({"results":[{"title":"t","article_url":"u"}]})",                        // no time
    R"({"results":[{"title":"t","article_url":"u","published_utc":"yesterday"}]})",
    R"({"results":[{"title":"t","article_url":"u","published_utc":"2024-01-01T00:00:00Z",
                    "tickers":[1]}]})",
    R"({"results":[{"title":"t","article_url":"u","published_utc":"2024-01-01T00:00:00Z",
                    "publisher":"Reuters"}]})",
  };
  auto a = make_polygon_adapter({});
  for (auto body : bodies) {
    auto e = expect_error(a->parse(request(fetch_kind::news, "AAPL"), reply_of(200, body),
                                   recv_ns));
    EXPECT_EQ(e.code, errc::malformed) << body << " -> " << e.message;
  }
}

// -- requests -------------------------------------------------------------------

TEST(PolygonReference, Requests) {
  auto a = make_polygon_adapter({});
  auto details = a->build(request(fetch_kind::profile, "BTC-USD"), key());
  ASSERT_TRUE(details) << details.err().message();
  EXPECT_EQ(details->path, "/v3/reference/tickers/X:BTCUSD");
  EXPECT_EQ(details->query, (kv_list{{"apiKey", "PK-123"}}));
  EXPECT_EQ(details->secrets, std::vector<std::string>{"PK-123"});
  auto news = request(fetch_kind::news, "AAPL");
  news.limit = 5;
  auto n = a->build(news, key());
  ASSERT_TRUE(n) << n.err().message();
  EXPECT_EQ(n->path, "/v2/reference/news");
  EXPECT_EQ(n->query, (kv_list{{"ticker", "AAPL"}, {"order", "desc"}, {"sort", "published_utc"},
                               {"limit", "5"}, {"apiKey", "PK-123"}}));
  auto market = a->build(request(fetch_kind::news, ""), key());
  ASSERT_TRUE(market) << market.err().message();
  EXPECT_EQ(market->query.front(), (std::pair<std::string, std::string>{"order", "desc"}));
  EXPECT_EQ(market->query[2].second, "20"); // default limit
  auto text = request(fetch_kind::news, "AAPL");
  text.query = "iphone";
  EXPECT_EQ(a->build(text, key()).err().code, errc::invalid_argument);
  EXPECT_EQ(a->build(request(fetch_kind::profile, "AAPL"), credentials{}).err().code,
            errc::unauthorized);
}

} // namespace
} // namespace tickflow
