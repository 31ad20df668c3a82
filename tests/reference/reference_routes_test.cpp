// End to end over the reference routes: the real tickflow binary, with the
// base URLs of polygon, finnhub, alpha_vantage, coingecko and newsapi
// pointing at one loopback fixture server that serves the documented
// payloads (tests/fixtures/<provider>/rest/) at the providers' real paths.
// The scheduler's own reuse of fresh answers is off (fresh-for = 0s), so a
// call the fixture server does not see was answered by the gateway's
// reference cache.

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/fixture_server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"

using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

const char* const providers[] = {"polygon", "finnhub", "alpha_vantage", "coingecko", "newsapi"};

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  return d;
}

std::string str(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString())
    return {};
  return v[key].GetString();
}

// Polygon's news for AAPL: the documented article, plus one carrying the
// URL of finnhub's second AAPL article (with a trailing '/') under another
// title and a minute earlier (the same story syndicated: it must come out
// once).
const char* polygon_aapl_news = R"({"status":"OK","count":2,"results":[
  {"id":"p-1","title":"Markets are underestimating Fed cuts: UBS By Investing.com - Investing.com UK",
   "article_url":"https://uk.investing.com/news/stock-market-news/markets-are-underestimating-fed-cuts-ubs-3559968",
   "published_utc":"2024-06-24T18:33:53Z","tickers":["UBS"],
   "publisher":{"name":"Investing.com"}},
  {"id":"p-2","title":"YouTube comments: how to turn them off",
   "article_url":"https://www.businessinsider.com/how-to-disable-comments-on-youtube/",
   "published_utc":"2019-09-26T20:11:00Z","tickers":["AAPL","GOOGL"],
   "image_url":"https://img.example/yt.jpg","publisher":{"name":"Business Insider"}}]})";

class ReferenceRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& s = server_;
    // Fundamentals.
    s.add("GET", "/v3/reference/tickers/AAPL",
          fixture_response::file("polygon/rest/v3_reference_tickers_AAPL.docs_example.json"));
    s.add("GET", "/v3/reference/tickers/MSFT",
          fixture_response::json(R"({"status":"ERROR","request_id":"r1","error":"internal"})", 500));
    s.add("GET", "/v3/reference/tickers/IBM",
          fixture_response::json(
            R"({"status":"NOT_FOUND","request_id":"r2","message":"Ticker not found."})", 404));
    s.add("GET", "/api/v1/stock/profile2",
          fixture_response::json(R"({"name":"Microsoft Corp","ticker":"MSFT","currency":"USD",
            "exchange":"NASDAQ NMS - GLOBAL MARKET","marketCapitalization":3000000.5})"),
          {{"symbol", "MSFT"}});
    s.add("GET", "/api/v1/stock/profile2", fixture_response::json("{}"), {{"symbol", "IBM"}});
    s.add("GET", "/query", fixture_response::file("alpha_vantage/rest/overview_IBM.json"),
          {{"function", "OVERVIEW"}, {"symbol", "IBM"}});
    s.add("GET", "/api/v3/coins/bitcoin",
          fixture_response::file("coingecko/rest/coins_bitcoin.composed.json"));
    // News.
    s.add("GET", "/api/v1/company-news",
          fixture_response::file("finnhub/rest/company_news_AAPL.docs_example.json"),
          {{"symbol", "AAPL"}});
    s.add("GET", "/api/v1/company-news",
          fixture_response::json(R"([{"datetime":1700000000,"headline":"Microsoft news",
            "url":"https://news.example/msft","source":"Example"}])"),
          {{"symbol", "MSFT"}});
    s.add("GET", "/v2/reference/news", fixture_response::json(polygon_aapl_news),
          {{"ticker", "AAPL"}});
    s.add("GET", "/v2/reference/news", fixture_response::json("oops", 500), {{"ticker", "MSFT"}});
    s.add("GET", "/v2/reference/news",
          fixture_response::file("polygon/rest/v2_reference_news.docs_example.json"));
    s.add("GET", "/api/v1/news", fixture_response::file("finnhub/rest/news_general.docs_example.json"),
          {{"category", "general"}});
    s.add("GET", "/v2/everything", fixture_response::file("newsapi/rest/everything_apple.composed.json"),
          {{"q", "apple"}});
    s.add("GET", "/v2/everything",
          fixture_response::json(R"({"status":"ok","totalResults":0,"articles":[]})"));

    dir_ = temp_dir();
    auto config = dir_ + "/reference.ini";
    {
      std::ofstream out{config};
      out << "[log]\nlevel = warn\n[providers]\nenabled = polygon, finnhub, alpha_vantage,"
             " coingecko, newsapi\n";
      for (auto p : providers) {
        auto var = "TICKFLOW_REF_KEY_" + std::string{p};
        out << "[" << p << "]\nbase-url = " << s.base_url() << "\ntimeout = 5s\napi-key-env = "
            << var << "\n";
        setenv(var.c_str(), ("s3cr3t-key-of-" + std::string{p}).c_str(), 1);
        // Free plans allow a handful of calls a minute: lift them for the test.
        out << "[limits." << p << "]\nper-second = 0\nper-minute = 0\nper-day = 0\n";
      }
      out << "[scheduler]\nfresh-for = 0s\n";
    }
    port_ = free_port();
    proc_ = std::make_unique<child_process>(
      TICKFLOW_BINARY,
      std::vector<std::string>{"--config", config, "--port", std::to_string(port_), "--ws-port",
                               std::to_string(free_port())},
      dir_ + "/tickflow.log");
    bool up = false;
    for (int i = 0; i < 250 && !up; ++i) {
      auto r = http_get(port_, "/live");
      up = r && r->status == 200;
      if (!up)
        std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(up) << "tickflow did not come up: " << proc_->output();
    // polygon publishes market holidays: the gateway asks for them once at
    // start (then every 12 h). Wait for that call so that the counts below
    // are of the lookups alone.
    for (int i = 0; i < 250 && hits(holidays_path) == 0; ++i)
      std::this_thread::sleep_for(20ms);
    ASSERT_EQ(hits(holidays_path), 1u);
  }

  /// The path of polygon's market-holiday list.
  static constexpr const char* holidays_path = "/v1/marketstatus/upcoming";

  /// The requests the fixture server received, but the holiday list.
  std::vector<recorded_request> lookups() const {
    std::vector<recorded_request> out;
    for (auto& r : server_.requests())
      if (r.path != holidays_path)
        out.push_back(r);
    return out;
  }

  /// GET target; the JSON body after checking the status; no key ever in it.
  rapidjson::Document get(const std::string& target, unsigned status = 200) {
    auto r = http_get(port_, target);
    EXPECT_TRUE(r) << target;
    if (!r)
      return {};
    EXPECT_EQ(r->status, status) << target << " -> " << r->body;
    EXPECT_EQ(r->body.find("s3cr3t"), std::string::npos) << r->body;
    auto d = parse(r->body);
    EXPECT_TRUE(d.IsObject()) << r->body;
    return d;
  }

  /// Requests the fixture server received for `path`.
  size_t hits(const std::string& path) const {
    size_t n = 0;
    for (auto& r : server_.requests())
      n += r.path == path ? 1 : 0;
    return n;
  }

  fixture_server server_;
  std::string dir_;
  uint16_t port_ = 0;
  std::unique_ptr<child_process> proc_;
};

} // namespace

TEST_F(ReferenceRoutes, FundamentalsComeFromTheFirstProviderOfTheChain) {
  auto d = get("/api/v1/fundamentals/AAPL");
  EXPECT_EQ(str(d, "symbol"), "AAPL");
  EXPECT_EQ(str(d, "source"), "polygon"); // first of the equity chain
  ASSERT_TRUE(d.HasMember("cached"));
  EXPECT_TRUE(d["cached"].IsFalse());
  EXPECT_FALSE(d.HasMember("failover"));
  auto& p = d["profile"];
  EXPECT_EQ(str(p, "name"), "Apple Inc.");
  EXPECT_EQ(str(p, "exchange"), "NASDAQ");
  EXPECT_EQ(str(p, "market_cap"), "2771126040150"); // exact, as a string
  EXPECT_EQ(str(p, "shares_outstanding"), "16406400000");
  EXPECT_TRUE(p["pe_ratio"].IsNull()); // polygon does not say
  EXPECT_EQ(hits("/v3/reference/tickers/AAPL"), 1u);
  EXPECT_EQ(hits("/api/v1/stock/profile2"), 0u);
  // The key went in the query, never back to the client.
  auto reqs = lookups();
  ASSERT_FALSE(reqs.empty());
  EXPECT_NE(reqs.back().param("apiKey"), nullptr);
}

TEST_F(ReferenceRoutes, SecondCallIsServedFromTheCache) {
  auto first = get("/api/v1/fundamentals/AAPL");
  EXPECT_TRUE(first["cached"].IsFalse());
  auto upstream = server_.request_count();
  auto second = get("/api/v1/fundamentals/aapl"); // the same instrument
  EXPECT_TRUE(second["cached"].IsTrue());
  EXPECT_EQ(str(second, "source"), "polygon");
  EXPECT_EQ(str(second["profile"], "name"), "Apple Inc.");
  EXPECT_EQ(server_.request_count(), upstream); // no upstream call
}

TEST_F(ReferenceRoutes, FailoverWhenTheFirstProviderFails) {
  auto d = get("/api/v1/fundamentals/MSFT");
  EXPECT_EQ(str(d, "source"), "finnhub");
  EXPECT_EQ(str(d["profile"], "name"), "Microsoft Corp");
  EXPECT_EQ(str(d["profile"], "market_cap"), "3000000500000"); // millions, exact
  ASSERT_TRUE(d.HasMember("failover") && d["failover"].IsArray());
  ASSERT_EQ(d["failover"].Size(), 1u);
  EXPECT_EQ(str(d["failover"][0], "provider"), "polygon");
  EXPECT_NE(str(d["failover"][0], "reason").find("provider_error"), std::string::npos);
  EXPECT_EQ(hits("/v3/reference/tickers/MSFT"), 1u);
}

TEST_F(ReferenceRoutes, FailoverWalksToAlphaVantage) {
  // polygon: 404 NOT_FOUND; finnhub: {} (unknown); alpha_vantage serves.
  auto d = get("/api/v1/fundamentals/IBM");
  EXPECT_EQ(str(d, "source"), "alpha_vantage");
  auto& p = d["profile"];
  EXPECT_EQ(str(p, "name"), "International Business Machines Corporation");
  EXPECT_EQ(str(p, "pe_ratio"), "21.3621");
  EXPECT_EQ(str(p, "week52_low"), "103.0292");
  ASSERT_TRUE(d["failover"].IsArray());
  EXPECT_EQ(d["failover"].Size(), 2u);
}

TEST_F(ReferenceRoutes, CryptoFundamentalsComeFromCoinGecko) {
  auto d = get("/api/v1/fundamentals/BTC-USD");
  EXPECT_EQ(str(d, "symbol"), "BTC-USD");
  EXPECT_EQ(str(d, "source"), "coingecko");
  auto& p = d["profile"];
  EXPECT_EQ(str(p, "name"), "Bitcoin");
  EXPECT_EQ(str(p, "asset_type"), "crypto");
  EXPECT_EQ(str(p, "provider_symbol"), "bitcoin/usd");
  EXPECT_EQ(str(p, "market_cap"), "1322317764935.16");
  EXPECT_EQ(str(p, "ipo_date"), "2009-01-03");
  EXPECT_EQ(hits("/api/v3/coins/bitcoin"), 1u);
}

TEST_F(ReferenceRoutes, UnknownEverywhereIsA404) {
  auto d = get("/api/v1/fundamentals/ZZZZ", 404);
  EXPECT_TRUE(d.HasMember("error"));
}

TEST_F(ReferenceRoutes, NewsMergedFromFinnhubAndPolygonNewestFirst) {
  auto d = get("/api/v1/news?symbol=AAPL");
  EXPECT_EQ(str(d, "symbol"), "AAPL");
  EXPECT_TRUE(d["query"].IsNull());
  EXPECT_TRUE(d["partial"].IsFalse());
  EXPECT_TRUE(d["cached"].IsFalse());
  ASSERT_TRUE(d["items"].IsArray());
  auto& items = d["items"];
  // 3 finnhub + 2 polygon articles, one story twice (same URL).
  ASSERT_EQ(items.Size(), 4u);
  EXPECT_EQ(d["count"].GetUint(), 4u);
  EXPECT_EQ(d["duplicates"].GetUint(), 1u);
  std::vector<std::string> sources, published;
  std::set<std::string> urls;
  for (auto& x : items.GetArray()) {
    sources.push_back(str(x, "source"));
    published.push_back(str(x, "published"));
    urls.insert(str(x, "url"));
  }
  EXPECT_EQ(sources, (std::vector<std::string>{"polygon", "finnhub", "finnhub", "finnhub"}));
  EXPECT_EQ(published, (std::vector<std::string>{"2024-06-24T18:33:53Z", "2019-09-27T02:12:40Z",
                                                 "2019-09-26T20:12:00Z", "2019-09-26T19:29:40Z"}));
  EXPECT_EQ(urls.size(), 4u);
  // Finnhub's copy (20:12:00) is newer than polygon's (20:11:00) and both name the same
  // page: the merged item is finnhub's, with the instruments polygon's copy adds.
  auto& yt = items[2];
  EXPECT_NE(str(yt, "url").find("how-to-disable-comments-on-youtube"), std::string::npos);
  std::set<std::string> instruments;
  for (auto& i : yt["instruments"].GetArray())
    instruments.insert(i.GetString());
  EXPECT_TRUE(instruments.count("AAPL") && instruments.count("GOOGL"));
  // Each news provider was asked once; newsapi had nothing for AAPL.
  EXPECT_EQ(hits("/api/v1/company-news"), 1u);
  EXPECT_EQ(hits("/v2/reference/news"), 1u);
  EXPECT_EQ(hits("/v2/everything"), 1u);
  std::vector<std::string> served;
  for (auto& x : d["sources"].GetArray())
    served.push_back(x.GetString());
  EXPECT_EQ(served, (std::vector<std::string>{"polygon", "finnhub", "newsapi"}));
  // Asked again: from the cache.
  auto upstream = server_.request_count();
  auto again = get("/api/v1/news?symbol=AAPL");
  EXPECT_TRUE(again["cached"].IsTrue());
  EXPECT_EQ(again["items"].Size(), 4u);
  EXPECT_EQ(server_.request_count(), upstream);
}

TEST_F(ReferenceRoutes, NewsWithAQueryComesFromNewsApi) {
  auto d = get("/api/v1/news?query=apple&limit=5");
  EXPECT_TRUE(d["symbol"].IsNull());
  EXPECT_EQ(str(d, "query"), "apple");
  ASSERT_EQ(d["items"].Size(), 2u); // the withdrawn article is left out
  EXPECT_EQ(str(d["items"][0], "source"), "newsapi");
  EXPECT_EQ(str(d["items"][0], "publisher"), "Reuters");
  EXPECT_EQ(str(d["items"][0], "published"), "2024-09-10T18:05:00Z");
  EXPECT_TRUE(d["partial"].IsFalse());
  // finnhub and polygon have no text search: skipped, not failed.
  EXPECT_EQ(d["errors"].Size(), 0u);
  ASSERT_TRUE(d.HasMember("skipped"));
  EXPECT_EQ(d["skipped"].Size(), 2u);
  EXPECT_EQ(hits("/api/v1/company-news") + hits("/v2/reference/news"), 0u);
  auto reqs = lookups();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(*reqs[0].param("q"), "apple");
  EXPECT_EQ(*reqs[0].param("pageSize"), "5");
  ASSERT_NE(reqs[0].header("x-api-key"), nullptr); // the key in a header only
  EXPECT_EQ(reqs[0].target.find("s3cr3t"), std::string::npos);
}

TEST_F(ReferenceRoutes, MarketNewsWithoutSymbolOrQuery) {
  auto d = get("/api/v1/news?limit=3");
  EXPECT_TRUE(d["symbol"].IsNull());
  EXPECT_TRUE(d["query"].IsNull());
  ASSERT_EQ(d["items"].Size(), 3u); // 1 polygon + 3 finnhub, cut to the limit
  EXPECT_EQ(str(d["items"][0], "source"), "polygon"); // 2024, the newest
  EXPECT_EQ(str(d["items"][1], "publisher"), "CNBC");
  EXPECT_TRUE(d["partial"].IsFalse());
  // newsapi has nothing to search for: skipped.
  ASSERT_TRUE(d.HasMember("skipped"));
  ASSERT_EQ(d["skipped"].Size(), 1u);
  EXPECT_EQ(str(d["skipped"][0], "provider"), "newsapi");
  EXPECT_EQ(hits("/v2/everything"), 0u);
  auto reqs = lookups();
  for (auto& r : reqs) {
    if (r.path == "/v2/reference/news") {
      EXPECT_EQ(r.param("ticker"), nullptr);
    }
  }
}

TEST_F(ReferenceRoutes, AFailedProviderMakesAPartialAnswer) {
  auto d = get("/api/v1/news?symbol=MSFT");
  EXPECT_TRUE(d["partial"].IsTrue());
  ASSERT_EQ(d["items"].Size(), 1u);
  EXPECT_EQ(str(d["items"][0], "title"), "Microsoft news");
  ASSERT_EQ(d["errors"].Size(), 1u);
  EXPECT_EQ(str(d["errors"][0], "provider"), "polygon");
  EXPECT_EQ(d["errors"][0]["status"].GetUint(), 502u);
  EXPECT_FALSE(str(d["errors"][0], "code").empty());
  // A partial answer is not cached: polygon is asked again.
  auto asked = hits("/v2/reference/news");
  EXPECT_GE(asked, 1u);
  auto again = get("/api/v1/news?symbol=MSFT");
  EXPECT_TRUE(again["cached"].IsFalse());
  EXPECT_GT(hits("/v2/reference/news"), asked);
}

TEST_F(ReferenceRoutes, BadParametersAre400InTheOneErrorShape) {
  struct row {
    std::string target;
    std::string code;
    std::string field;
  } rows[] = {
    {"/api/v1/news?limit=0", "invalid_parameter", "limit"},
    {"/api/v1/news?limit=101", "invalid_parameter", "limit"},
    {"/api/v1/news?limit=ten", "invalid_parameter", "limit"},
    {"/api/v1/news?symbol=%24%24", "invalid_parameter", "symbol"},
    {"/api/v1/fundamentals/%24%24", "invalid_parameter", "symbol"},
  };
  for (auto& r : rows) {
    auto d = get(r.target, 400);
    ASSERT_TRUE(d.HasMember("error") && d["error"].IsObject()) << r.target;
    EXPECT_EQ(str(d["error"], "code"), r.code) << r.target;
    EXPECT_EQ(str(d["error"], "field"), r.field) << r.target;
    EXPECT_FALSE(str(d["error"], "message").empty()) << r.target;
  }
  EXPECT_TRUE(lookups().empty()); // nothing was asked upstream
}
