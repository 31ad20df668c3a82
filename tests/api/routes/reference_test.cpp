// api/routes/reference: the fundamentals body and the news answer merged
// from every provider's outcome (skipped, errors, partial, cached).

#include "api/routes/reference.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "api/routes/common.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {

constexpr int64_t s = 1'000'000'000;

news_item story(std::string title, int64_t published_ns) {
  news_item x;
  x.title = std::move(title);
  x.url = "https://127.0.0.1/" + x.title;
  x.published_ns = published_ns;
  return x;
}

news_outcome served(std::vector<news_item> xs) {
  return news_outcome{true, std::move(xs), {}};
}

news_outcome failed(unsigned status, std::string code, std::string message) {
  return news_outcome{false, {}, fail(status, std::move(code), std::move(message))};
}

TEST(ReferenceRoutes, FundamentalsBody) {
  asset_profile p;
  p.name = "Apple \"Inc\"";
  p.market_cap = *decimal::parse("3000000000000");
  p.ts_recv_ns = 1'700'000'000 * s;
  auto body = fundamentals_body("AAPL", p, true, {"eodhd: unavailable: down"});
  EXPECT_EQ(body.rfind(R"({"symbol":"AAPL","source":")", 0), 0u) << body;
  EXPECT_NE(body.find(R"("cached":true,"fetched_at":"2023-11-14T22:13:20Z",)"
                      R"("profile":{"instrument":null,"provider_symbol":null,)"
                      R"("name":"Apple \"Inc\"",)"),
            std::string::npos)
    << body;
  EXPECT_NE(body.find(R"("market_cap":"3000000000000","shares_outstanding":null,)"),
            std::string::npos);
  EXPECT_NE(body.find(R"(},"failover":[{"provider":"eodhd","reason":"unavailable: down"}]})"),
            std::string::npos)
    << body;
}

TEST(ReferenceRoutes, NewsFromEveryProvider) {
  reference::news_query q;
  q.instrument = "AAPL";
  q.limit = 10;
  auto r = finish_news(q, {"finnhub", "newsapi", "polygon"},
                       {served({story("b", 2 * s), story("a", 1 * s)}),
                        failed(400, "invalid_parameter", "newsapi: no symbol search"),
                        failed(502, "provider_error", "polygon: HTTP 500")});
  EXPECT_EQ(r.reply.status, 200u);
  EXPECT_FALSE(r.keep); // partial: not cached
  rapidjson::Document d;
  d.Parse(r.reply.body.c_str());
  ASSERT_TRUE(d.IsObject()) << r.reply.body;
  EXPECT_STREQ(d["symbol"].GetString(), "AAPL");
  EXPECT_TRUE(d["query"].IsNull());
  EXPECT_EQ(d["count"].GetInt(), 2);
  EXPECT_FALSE(d["cached"].GetBool());
  EXPECT_TRUE(d["partial"].GetBool());
  EXPECT_STREQ(d["items"][0]["title"].GetString(), "b");
  EXPECT_EQ(d["errors"].Size(), 1u);
  EXPECT_STREQ(d["errors"][0]["provider"].GetString(), "polygon");
  EXPECT_EQ(d["errors"][0]["status"].GetInt(), 502);
  EXPECT_STREQ(d["errors"][0]["code"].GetString(), "provider_error");
  EXPECT_STREQ(d["skipped"][0]["provider"].GetString(), "newsapi");
  EXPECT_STREQ(d["skipped"][0]["reason"].GetString(), "no symbol search");
}

TEST(ReferenceRoutes, CompleteNewsIsKept) {
  reference::news_query q;
  auto r = finish_news(q, {"finnhub"}, {served({story("a", s)})});
  ASSERT_TRUE(r.keep);
  EXPECT_EQ(r.keep->sources, (std::vector<std::string>{"finnhub"}));
  EXPECT_EQ(r.reply.body.find("\"skipped\""), std::string::npos);
  auto cached = cached_news_body(q, *r.keep);
  EXPECT_NE(cached.find(R"("cached":true,"partial":false,"sources":["finnhub"])"),
            std::string::npos)
    << cached;
}

TEST(ReferenceRoutes, NobodyServed) {
  reference::news_query q;
  auto first = finish_news(q, {"a", "b"},
                           {failed(503, "provider_rate_limited", "a: slow"),
                            failed(502, "provider_error", "b: down")});
  EXPECT_EQ(first.reply.status, 503u); // the first failure
  EXPECT_FALSE(first.keep);
  auto skipped = finish_news(q, {"a"}, {failed(404, "unknown_symbol", "a: no such symbol")});
  EXPECT_EQ(skipped.reply.status, 404u);
  EXPECT_EQ(skipped.reply.body,
            R"({"error":{"code":"no_provider","message":)"
            R"("no enabled provider serves this news request; a: no such symbol"}})");
  EXPECT_EQ(no_news_provider().body,
            R"({"error":{"code":"no_provider","message":"no enabled provider serves news"}})");
  EXPECT_EQ(reference_disabled().status, 503u);
}

} // namespace
