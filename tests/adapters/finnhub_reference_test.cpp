// Finnhub reference data: profile2 and news, through the adapter and the
// parsers, on the documented samples (tests/fixtures/finnhub/rest/) and on
// every failure mode.

#include "adapters/finnhub/finnhub_adapter.hpp"
#include "adapters/finnhub/finnhub_reference.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/finnhub/finnhub_provider.hpp"
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
  return read_fixture("finnhub/rest/" + std::string{name});
}

credentials key() { return credentials{"TOK42"}; }

fetch_request news_of(std::string instrument, size_t limit = 0) {
  auto r = request(fetch_kind::news, std::move(instrument));
  r.limit = limit;
  r.start_ns = *parse_timestamp("2019-09-20");
  r.end_ns = *parse_timestamp("2019-09-27T12:00:00Z");
  return r;
}

// -- profile --------------------------------------------------------------------

TEST(FinnhubReference, ProfileOfTheDocumentedSample) {
  auto a = make_finnhub_adapter({});
  auto res = expect_result(a->parse(request(fetch_kind::profile, "AAPL"),
                                    reply_of(200, fixture("stock_profile2_AAPL.docs_example.json")),
                                    recv_ns));
  ASSERT_EQ(res.profiles.size(), 1u);
  auto& p = res.profiles[0];
  EXPECT_EQ(p.instrument, "AAPL");
  EXPECT_EQ(p.provider_symbol, "AAPL");
  EXPECT_EQ(p.source, providers::finnhub);
  EXPECT_EQ(p.name, "Apple Inc");
  EXPECT_EQ(p.asset_type, "equity");
  EXPECT_EQ(p.exchange, "NASDAQ/NMS (GLOBAL MARKET)");
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.country, "US");
  EXPECT_EQ(p.industry, "Technology");
  EXPECT_EQ(p.homepage, "https://www.apple.com/");
  EXPECT_EQ(p.logo, "https://static.finnhub.io/logo/87cb30d8-80df-11ea-8951-00000000092a.png");
  EXPECT_EQ(p.ipo_date, "1980-12-12");
  // Millions, scaled exactly: 1415993 M USD, 4375.47998046875 M shares.
  EXPECT_EQ(p.market_cap, dec("1415993000000"));
  EXPECT_EQ(p.shares_outstanding, dec("4375479980.46875"));
  EXPECT_TRUE(p.pe_ratio.is_zero()); // profile2 has no ratios
  EXPECT_EQ(p.ts_recv_ns, recv_ns);
  EXPECT_TRUE(res.prices.empty());
}

TEST(FinnhubReference, ProfileWithMissingAndNullFieldsLeavesThemUnset) {
  auto p = finnhub::parse_profile(R"({"name":"Tiny Corp","ticker":"TINY","ipo":null,
                                      "marketCapitalization":null})",
                                  "TINY", "TINY", recv_ns);
  ASSERT_TRUE(p) << p.err().message();
  EXPECT_EQ(p->name, "Tiny Corp");
  EXPECT_TRUE(p->ipo_date.empty());
  EXPECT_TRUE(p->market_cap.is_zero());
  EXPECT_TRUE(p->exchange.empty());
}

TEST(FinnhubReference, UnknownSymbolIsAnEmptyObject) {
  auto e = expect_error(make_finnhub_adapter({})->parse(request(fetch_kind::profile, "ZZZZ"),
                                                        reply_of(200, "{}"), recv_ns));
  EXPECT_EQ(e.code, errc::unknown_symbol);
}

TEST(FinnhubReference, MalformedProfilesAreTypedErrors) {
  const char* bodies[] = {
    "[]",                                       // not an object
    R"({"name":42})",                           // wrong type
    R"({"marketCapitalization":"1415993"})",    // number as a string
    R"({"ticker":"MSFT","name":"Microsoft"})",  // not the symbol asked for
    R"({"name":"x")",                           // truncated
    "<html>502 Bad Gateway</html>",             // garbage
  };
  auto a = make_finnhub_adapter({});
  for (auto body : bodies) {
    auto e = expect_error(a->parse(request(fetch_kind::profile, "AAPL"), reply_of(200, body),
                                   recv_ns));
    EXPECT_EQ(e.code, errc::malformed) << body << " -> " << e.message;
  }
}

TEST(FinnhubReference, ErrorBodiesAreClassified) {
  auto a = make_finnhub_adapter({});
  auto unauthorized = expect_error(a->parse(request(fetch_kind::profile, "AAPL"),
                                            reply_of(401, R"({"error":"Invalid API key."})"),
                                            recv_ns));
  EXPECT_EQ(unauthorized.code, errc::unauthorized);
  auto limited = expect_error(a->parse(
    news_of("AAPL"),
    reply_of(429, R"({"error":"API limit reached. Please try again later. Remaining Limit: 0"})",
             {{"retry-after", "7"}}),
    recv_ns));
  EXPECT_EQ(limited.code, errc::rate_limited);
  EXPECT_EQ(limited.retry_after_ns, 7 * ns_per_s);
  auto server = expect_error(a->parse(request(fetch_kind::profile, "AAPL"),
                                      reply_of(500, "oops"), recv_ns));
  EXPECT_EQ(server.code, errc::provider_error);
}

// -- news -----------------------------------------------------------------------

TEST(FinnhubReference, CompanyNewsOfTheDocumentedSample) {
  auto res = expect_result(make_finnhub_adapter({})->parse(
    news_of("AAPL"), reply_of(200, fixture("company_news_AAPL.docs_example.json")), recv_ns));
  ASSERT_EQ(res.news.size(), 3u);
  auto& x = res.news[0]; // newest first
  EXPECT_EQ(x.title.rfind("More sops needed to boost electronic manufacturing", 0), 0u);
  EXPECT_EQ(x.url, "https://economictimes.indiatimes.com/industry/cons-products/electronics/"
                   "more-sops-needed-to-boost-electronic-manufacturing-top-govt-official/"
                   "articleshow/71321308.cms");
  EXPECT_EQ(x.id, "25286");
  EXPECT_EQ(x.publisher, "The Economic Times India");
  EXPECT_EQ(x.source, providers::finnhub);
  EXPECT_EQ(x.published_ns, 1'569'550'360 * ns_per_s); // SECONDS
  EXPECT_EQ(x.instruments, std::vector<std::string>{"AAPL"}); // asked + related, once
  EXPECT_EQ(x.ts_recv_ns, recv_ns);
  EXPECT_EQ(res.news[1].id, "25287");
  EXPECT_EQ(res.news[2].id, "25341");
  EXPECT_GT(res.news[0].published_ns, res.news[1].published_ns);
  EXPECT_GT(res.news[1].published_ns, res.news[2].published_ns);
}

TEST(FinnhubReference, NewsKeepsTheNewestLimitAndOrdersThem) {
  auto body = R"([{"datetime":100,"headline":"old","url":"https://a/1"},
                  {"datetime":300,"headline":"new","url":"https://a/3","related":"MSFT, AAPL,BAD:X"},
                  {"datetime":200,"headline":"mid","url":"https://a/2"}])";
  auto xs = finnhub::parse_news(body, "", 2, recv_ns);
  ASSERT_TRUE(xs) << xs.err().message();
  ASSERT_EQ(xs->size(), 2u);
  EXPECT_EQ((*xs)[0].title, "new");
  EXPECT_EQ((*xs)[1].title, "mid");
  EXPECT_EQ((*xs)[0].instruments, (std::vector<std::string>{"MSFT", "AAPL"}));
  EXPECT_TRUE((*xs)[1].instruments.empty()); // market news: no instrument asked
  EXPECT_TRUE((*xs)[1].id.empty());
}

TEST(FinnhubReference, MarketNewsOfTheDocumentedSample) {
  auto a = make_finnhub_adapter({});
  auto req = request(fetch_kind::news, "");
  auto out = a->build(req, key());
  ASSERT_TRUE(out) << out.err().message();
  EXPECT_EQ(out->path, "/api/v1/news");
  EXPECT_EQ(out->query, (kv_list{{"category", "general"}}));
  auto res = expect_result(a->parse(req, reply_of(200, fixture("news_general.docs_example.json")),
                                    recv_ns));
  ASSERT_EQ(res.news.size(), 3u);
  EXPECT_EQ(res.news[0].publisher, "CNBC");
  EXPECT_EQ(res.news[0].published_ns, 1'596'589'501 * ns_per_s);
  EXPECT_TRUE(res.news[0].instruments.empty()); // related ""
}

TEST(FinnhubReference, MalformedNewsIsATypedError) {
  const char* bodies[] = {
    R"([{"headline":"h","url":"u"}])",                         // no datetime
    R"([{"datetime":"1569550360","headline":"h","url":"u"}])", // time as a string
    R"([{"datetime":-5,"headline":"h","url":"u"}])",           // negative time
    R"([{"datetime":1,"headline":7,"url":"u"}])",              // wrong type
    R"([1,2])",                                                // not articles
    R"({"news":[]})",                                          // not an array
    "[",                                                       // truncated
  };
  auto a = make_finnhub_adapter({});
  for (auto body : bodies) {
    auto e = expect_error(a->parse(news_of("AAPL"), reply_of(200, body), recv_ns));
    EXPECT_EQ(e.code, errc::malformed) << body << " -> " << e.message;
  }
  // An error body on a 2xx is the provider's error, not a malformed reply.
  auto e = expect_error(a->parse(news_of("AAPL"), reply_of(200, R"({"error":"x"})"), recv_ns));
  EXPECT_EQ(e.code, errc::provider_error);
}

// -- requests -------------------------------------------------------------------

TEST(FinnhubReference, RequestsCarryTheTokenInAHeaderOnly) {
  auto a = make_finnhub_adapter({});
  auto profile = a->build(request(fetch_kind::profile, "AAPL"), key());
  ASSERT_TRUE(profile) << profile.err().message();
  EXPECT_EQ(profile->path, "/api/v1/stock/profile2");
  EXPECT_EQ(profile->query, (kv_list{{"symbol", "AAPL"}}));
  EXPECT_EQ(profile->headers, (kv_list{{"X-Finnhub-Token", "TOK42"}}));
  EXPECT_EQ(profile->url("http://127.0.0.1:9").find("TOK42"), std::string::npos);
  auto news = a->build(news_of("AAPL"), key());
  ASSERT_TRUE(news) << news.err().message();
  EXPECT_EQ(news->path, "/api/v1/company-news");
  EXPECT_EQ(news->query,
            (kv_list{{"symbol", "AAPL"}, {"from", "2019-09-20"}, {"to", "2019-09-27"}}));
}

TEST(FinnhubReference, RefusesWhatItCannotAsk) {
  auto a = make_finnhub_adapter({});
  auto text = news_of("AAPL");
  text.query = "iphone";
  EXPECT_EQ(a->build(text, key()).err().code, errc::invalid_argument); // no text search
  auto open = request(fetch_kind::news, "AAPL"); // company news needs a range
  EXPECT_EQ(a->build(open, key()).err().code, errc::invalid_argument);
  EXPECT_EQ(a->build(request(fetch_kind::profile, "BTC-USD"), key()).err().code,
            errc::unknown_symbol);
  EXPECT_EQ(a->build(request(fetch_kind::profile, "AAPL"), credentials{}).err().code,
            errc::unauthorized);
}

} // namespace
} // namespace tickflow
