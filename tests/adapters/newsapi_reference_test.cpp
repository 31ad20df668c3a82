// The NewsAPI-style news adapter: request, the composed documentation
// sample (tests/fixtures/newsapi/rest/), documented error bodies and
// malformed replies.

#include "adapters/newsapi/newsapi_adapter.hpp"
#include "adapters/newsapi/newsapi_parse.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/newsapi/newsapi_provider.hpp"
#include "adapters/registry.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::expect_error;
using test::expect_result;
using test::read_fixture;
using test::reply_of;
using test::request;

constexpr int64_t recv_ns = 1'800'000'000 * ns_per_s;

std::string fixture(std::string_view name) {
  return read_fixture("newsapi/rest/" + std::string{name});
}

fetch_request search(std::string query, std::string instrument = {}, size_t limit = 0) {
  auto r = request(fetch_kind::news, std::move(instrument));
  r.query = std::move(query);
  r.limit = limit;
  return r;
}

TEST(NewsApiReference, IsARegisteredNewsOnlyProvider) {
  EXPECT_EQ(provider_from_string("newsapi"), providers::newsapi);
  auto a = make_rest_adapter(providers::newsapi, {});
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->info().id, providers::newsapi);
  EXPECT_EQ(a->info().data_types, std::vector<fetch_kind>{fetch_kind::news});
  EXPECT_TRUE(a->info().needs_key);
  EXPECT_EQ(a->build(request(fetch_kind::price, "AAPL"), credentials{"k"}).err().code,
            errc::invalid_argument);
}

TEST(NewsApiReference, EverythingOfTheComposedSample) {
  auto res = expect_result(make_newsapi_adapter({})->parse(
    search("apple", "AAPL"), reply_of(200, fixture("everything_apple.composed.json")), recv_ns));
  ASSERT_EQ(res.news.size(), 2u); // the "[Removed]" article is skipped
  auto& x = res.news[0];
  EXPECT_EQ(x.title, "Apple unveils new iPhone lineup at September event");
  EXPECT_EQ(x.url, "https://www.reuters.com/technology/apple-unveils-new-iphone-lineup-2024-09-10/");
  EXPECT_EQ(x.publisher, "Reuters");
  EXPECT_EQ(x.summary, "Apple Inc on Tuesday showed its new iPhone models and a new version of "
                       "its smartwatch.");
  EXPECT_EQ(x.image, "https://www.reuters.com/resizer/apple-event.jpg");
  EXPECT_EQ(x.published_ns, *parse_timestamp("2024-09-10T18:05:00Z"));
  EXPECT_EQ(x.instruments, std::vector<std::string>{"AAPL"});
  EXPECT_EQ(x.source, providers::newsapi);
  EXPECT_TRUE(x.id.empty());
  auto& y = res.news[1];
  EXPECT_EQ(y.publisher, "MacRumors");
  EXPECT_TRUE(y.summary.empty()); // description null
  EXPECT_TRUE(y.image.empty());
}

TEST(NewsApiReference, DocumentedErrorsAreClassified) {
  auto a = make_newsapi_adapter({});
  auto key = expect_error(
    a->parse(search("apple"), reply_of(401, fixture("error_apiKeyInvalid.documented.json")), recv_ns));
  EXPECT_EQ(key.code, errc::unauthorized);
  EXPECT_EQ(key.message.rfind("Your API key is invalid", 0), 0u);
  auto limited = expect_error(
    a->parse(search("apple"), reply_of(429, fixture("error_rateLimited.documented.json")), recv_ns));
  EXPECT_EQ(limited.code, errc::rate_limited);
  EXPECT_EQ(limited.retry_after_ns, 60 * ns_per_s);
  auto exhausted = expect_error(a->parse(
    search("apple"),
    reply_of(429, R"({"status":"error","code":"apiKeyExhausted","message":"no more requests"})"),
    recv_ns));
  EXPECT_EQ(exhausted.code, errc::rate_limited);
  EXPECT_GT(exhausted.retry_after_ns, 0); // until the daily quota resets
  auto bad = expect_error(a->parse(
    search("apple"),
    reply_of(400, R"({"status":"error","code":"parameterInvalid","message":"bad q"})"), recv_ns));
  EXPECT_EQ(bad.code, errc::provider_error);
  auto server = expect_error(a->parse(search("apple"), reply_of(500, "<html/>"), recv_ns));
  EXPECT_EQ(server.code, errc::provider_error);
}

TEST(NewsApiReference, MalformedRepliesAreTypedErrors) {
  const char* bodies[] = {
    R"({"status":"ok"})",                                          // no articles
    R"({"status":"maybe","articles":[]})",                         // unknown status
    R"({"status":"ok","articles":[{"title":"t","url":"u"}]})",     // no publishedAt
    R"({"status":"ok","articles":[{"title":"t","url":"u","publishedAt":"soon"}]})",
    R"({"status":"ok","articles":[{"title":"t","url":"u","publishedAt":"2024-01-01T00:00:00Z",
        "source":"Reuters"}]})",                                   // source not an object
    R"({"status":"ok","articles":{}})",
    "{",
  };
  auto a = make_newsapi_adapter({});
  for (auto body : bodies) {
    auto e = expect_error(a->parse(search("apple"), reply_of(200, body), recv_ns));
    EXPECT_EQ(e.code, errc::malformed) << body << " -> " << e.message;
  }
}

TEST(NewsApiReference, RequestSearchesWithTheKeyInAHeader) {
  auto a = make_newsapi_adapter({});
  auto out = a->build(search("apple iphone", "AAPL", 5), credentials{"NK-1"});
  ASSERT_TRUE(out) << out.err().message();
  EXPECT_EQ(out->path, "/v2/everything");
  EXPECT_EQ(out->query,
            (kv_list{{"q", "apple iphone"}, {"pageSize", "5"}, {"sortBy", "publishedAt"}}));
  EXPECT_EQ(out->headers, (kv_list{{"X-Api-Key", "NK-1"}}));
  EXPECT_EQ(out->url("http://127.0.0.1:9").find("NK-1"), std::string::npos);
  EXPECT_EQ(out->secrets, std::vector<std::string>{"NK-1"});
  // Without a query the instrument is the search term (a pair's base).
  auto pair = a->build(search("", "BTC-USD"), credentials{"NK-1"});
  ASSERT_TRUE(pair) << pair.err().message();
  EXPECT_EQ(pair->query.front().second, "BTC");
  EXPECT_EQ(pair->query[1].second, "20"); // default page size
  EXPECT_EQ(a->build(search("", ""), credentials{"NK-1"}).err().code, errc::invalid_argument);
  EXPECT_EQ(a->build(search("apple", "", 101), credentials{"NK-1"}).err().code,
            errc::invalid_argument);
  EXPECT_EQ(a->build(search("apple"), credentials{}).err().code, errc::unauthorized);
}

} // namespace
} // namespace tickflow
