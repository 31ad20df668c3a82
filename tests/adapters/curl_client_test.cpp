#include "adapters/common/curl_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <variant>

#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::fixture_behaviour;
using test::fixture_response;
using test::fixture_server;

constexpr const char* price_fixture =
  "binance/rest/api_v3_ticker_price_single.docs.json";
constexpr const char* error_fixture =
  "binance/rest/error_-1121_invalid_symbol.docs.json";
constexpr const char* secret = "s3cr3tK3y+/=";

outbound_request get(std::string path, kv_list query = {}) {
  outbound_request req;
  req.path = std::move(path);
  req.query = std::move(query);
  return req;
}

// A request carrying the secret in a header and in the query.
outbound_request with_secret(std::string path) {
  auto req = get(std::move(path), {{"symbol", "LTCBTC"}, {"apikey", secret}});
  req.headers = {{"X-MBX-APIKEY", secret}};
  req.secrets = {secret};
  return req;
}

curl_options fast(int64_t timeout_ms = 2000, size_t max_body = 1 << 20) {
  curl_options o;
  o.timeout_ns = timeout_ms * ns_per_ms;
  o.connect_timeout_ns = 1000 * ns_per_ms;
  o.max_body_bytes = max_body;
  return o;
}

// The reply, or a test failure naming the error.
http_reply expect_reply(const http_outcome& x) {
  if (auto e = std::get_if<fetch_error>(&x)) {
    ADD_FAILURE() << "fetch failed: " << to_string(e->code) << ": "
                  << e->message;
    return {};
  }
  return std::get<http_reply>(x);
}

// The error, or a test failure.
fetch_error expect_error(const http_outcome& x) {
  if (auto r = std::get_if<http_reply>(&x)) {
    ADD_FAILURE() << "fetch succeeded with HTTP " << r->status;
    return {};
  }
  return std::get<fetch_error>(x);
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// A loopback port nobody listens on.
uint16_t closed_port() {
  uint16_t port = 0;
  {
    fixture_server gone;
    port = gone.port();
  }
  return port;
}

TEST(CurlClient, FetchesAndSendsHeaders) {
  fixture_server srv;
  srv.add("GET", "/api/v3/ticker/price",
          fixture_response::file(price_fixture), {{"symbol", "LTCBTC"}});
  curl_client client{fast()};
  auto req = with_secret("/api/v3/ticker/price");
  auto reply = expect_reply(client.perform(req, srv.base_url()));
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, test::read_fixture(price_fixture));
  ASSERT_NE(reply.header("content-type"), nullptr);
  EXPECT_EQ(*reply.header("content-type"), "application/json");
  for (auto& [name, value] : reply.headers)
    for (char c : name)
      EXPECT_FALSE(c >= 'A' && c <= 'Z') << name;
  EXPECT_GT(client.last_total_time_ns(), 0);
  // What the server saw.
  auto seen = srv.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].path, "/api/v3/ticker/price");
  ASSERT_NE(seen[0].param("symbol"), nullptr);
  EXPECT_EQ(*seen[0].param("symbol"), "LTCBTC");
  ASSERT_NE(seen[0].param("apikey"), nullptr);
  EXPECT_EQ(*seen[0].param("apikey"), secret); // encoded, then decoded
  ASSERT_NE(seen[0].header("x-mbx-apikey"), nullptr);
  EXPECT_EQ(*seen[0].header("x-mbx-apikey"), secret);
  ASSERT_NE(seen[0].header("user-agent"), nullptr);
  EXPECT_EQ(*seen[0].header("user-agent"), "tickflow/" TICKFLOW_VERSION);
  ASSERT_NE(seen[0].header("accept-encoding"), nullptr);
  EXPECT_NE(seen[0].header("accept-encoding")->find("gzip"),
            std::string::npos);
}

TEST(CurlClient, PassesErrorBodiesThroughWithTheirStatus) {
  fixture_server srv;
  srv.add("GET", "/api/v3/ticker/price",
          fixture_response::file(error_fixture, 400));
  curl_client client{fast()};
  auto reply = expect_reply(
    client.perform(get("/api/v3/ticker/price", {{"symbol", "BAD"}}),
                   srv.base_url()));
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body, test::read_fixture(error_fixture));
}

TEST(CurlClient, UnmatchedPathsGetTheServers404) {
  fixture_server srv;
  curl_client client{fast()};
  auto reply = expect_reply(client.perform(get("/nowhere"), srv.base_url()));
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.body, R"({"error":"no fixture"})");
}

TEST(CurlClient, RateLimitKeepsRetryAfter) {
  fixture_server srv;
  auto r = fixture_response::json("", 429);
  r.headers = {{"Retry-After", "7"}};
  srv.add("GET", "/api/v3/klines", r);
  curl_client client{fast()};
  auto reply = expect_reply(client.perform(get("/api/v3/klines"),
                                           srv.base_url()));
  EXPECT_EQ(reply.status, 429);
  ASSERT_NE(reply.header("retry-after"), nullptr);
  EXPECT_EQ(*reply.header("retry-after"), "7");
  fetch_error e;
  ASSERT_TRUE(classify_http_status(reply, 0, e));
  EXPECT_EQ(e.code, errc::rate_limited);
  EXPECT_EQ(e.retry_after_ns, 7 * ns_per_s);
}

TEST(CurlClient, DoesNotFollowRedirects) {
  fixture_server srv;
  auto r = fixture_response::json("", 302);
  r.headers = {{"Location", "/elsewhere"}};
  srv.add("GET", "/moved", r);
  srv.add("GET", "/elsewhere", fixture_response::json("{}"));
  curl_client client{fast()};
  auto reply = expect_reply(client.perform(get("/moved"), srv.base_url()));
  EXPECT_EQ(reply.status, 302);
  ASSERT_NE(reply.header("location"), nullptr);
  EXPECT_EQ(*reply.header("location"), "/elsewhere");
  EXPECT_EQ(srv.request_count(), 1u);
}

TEST(CurlClient, DecodesGzip) {
  fixture_server srv;
  auto body = test::read_fixture(price_fixture);
  auto r = fixture_response::json(body);
  r.behaviour = fixture_behaviour::gzip;
  srv.add("GET", "/gz", r);
  // Larger than one stored deflate block.
  auto big = fixture_response::json(std::string(200'000, 'z'));
  big.behaviour = fixture_behaviour::gzip;
  srv.add("GET", "/gz-big", big);
  curl_client client{fast()};
  auto reply = expect_reply(client.perform(get("/gz"), srv.base_url()));
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, body);
  ASSERT_NE(reply.header("content-encoding"), nullptr);
  EXPECT_EQ(*reply.header("content-encoding"), "gzip");
  auto big_reply = expect_reply(client.perform(get("/gz-big"),
                                               srv.base_url()));
  EXPECT_EQ(big_reply.body, std::string(200'000, 'z'));
}

TEST(CurlClient, ReusesOneConnection) {
  fixture_server srv;
  srv.add("GET", "/api/v3/ticker/price",
          fixture_response::file(price_fixture));
  curl_client client{fast()};
  for (int i = 0; i < 10; ++i) {
    auto reply = expect_reply(
      client.perform(get("/api/v3/ticker/price", {{"symbol", "LTCBTC"}}),
                     srv.base_url()));
    EXPECT_EQ(reply.status, 200);
  }
  EXPECT_EQ(srv.request_count(), 10u);
  EXPECT_EQ(srv.connection_count(), 1u);
  for (auto& r : srv.requests())
    EXPECT_EQ(r.connection, 1u);
}

TEST(CurlClient, ReconnectsAfterTheServerCloses) {
  fixture_server srv;
  auto r = fixture_response::json("{}");
  r.close = true;
  srv.add("GET", "/once", r);
  curl_client client{fast()};
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(expect_reply(client.perform(get("/once"), srv.base_url()))
                .status,
              200);
  EXPECT_EQ(srv.connection_count(), 3u);
}

TEST(CurlClient, SlowResponseTimesOut) {
  fixture_server srv;
  auto r = fixture_response::file(price_fixture);
  r.delay = std::chrono::milliseconds{1500};
  srv.add("GET", "/slow", r);
  curl_client client{fast(200)};
  auto t0 = std::chrono::steady_clock::now();
  auto e = expect_error(client.perform(get("/slow"), srv.base_url()));
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(e.code, errc::unavailable);
  EXPECT_TRUE(starts_with(e.message, "timeout after 200 ms")) << e.message;
  EXPECT_LT(elapsed, std::chrono::milliseconds{1200});
}

TEST(CurlClient, TruncatedBodyIsUnavailable) {
  fixture_server srv;
  auto r = fixture_response::file(price_fixture);
  r.behaviour = fixture_behaviour::truncated;
  srv.add("GET", "/cut", r);
  curl_client client{fast()};
  auto e = expect_error(client.perform(get("/cut"), srv.base_url()));
  EXPECT_EQ(e.code, errc::unavailable);
  EXPECT_TRUE(starts_with(e.message, "truncated response body"))
    << e.message;
}

TEST(CurlClient, GarbageInsteadOfHttpIsUnavailable) {
  fixture_server srv;
  auto r =
    fixture_response::json("\x16\x03\x01 this is not HTTP at all\r\n\r\n");
  r.behaviour = fixture_behaviour::garbage;
  srv.add("GET", "/garbage", r);
  curl_client client{fast()};
  auto e = expect_error(client.perform(get("/garbage"), srv.base_url()));
  EXPECT_EQ(e.code, errc::unavailable);
  EXPECT_TRUE(starts_with(e.message, "invalid HTTP response")) << e.message;
}

TEST(CurlClient, EmptyReplyIsUnavailable) {
  fixture_server srv;
  auto r = fixture_response::json("");
  r.behaviour = fixture_behaviour::garbage; // nothing at all, then close
  srv.add("GET", "/empty", r);
  curl_client client{fast()};
  auto e = expect_error(client.perform(get("/empty"), srv.base_url()));
  EXPECT_EQ(e.code, errc::unavailable);
  EXPECT_TRUE(starts_with(e.message, "empty reply from server")) << e.message;
}

TEST(CurlClient, RefusesBodiesOverTheLimit) {
  constexpr size_t fifty_mb = 50 * 1024 * 1024;
  struct row {
    const char* name;
    bool chunked;
  };
  const row rows[] = {{"content-length", false}, {"chunked", true}};
  for (auto& row : rows) {
    SCOPED_TRACE(row.name);
    fixture_server srv;
    auto r = fixture_response::json("");
    r.behaviour = fixture_behaviour::huge;
    r.huge_bytes = fifty_mb;
    r.chunked = row.chunked;
    srv.add("GET", "/huge", r);
    curl_client client{fast(5000, 1 << 20)};
    auto t0 = std::chrono::steady_clock::now();
    auto e = expect_error(client.perform(get("/huge"), srv.base_url()));
    auto elapsed = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(e.code, errc::unavailable);
    EXPECT_TRUE(starts_with(e.message, "response body exceeds 1048576 bytes"))
      << e.message;
    EXPECT_LT(elapsed, std::chrono::seconds{3});
  }
}

TEST(CurlClient, AcceptsABodyAtTheLimit) {
  fixture_server srv;
  auto r = fixture_response::json("");
  r.behaviour = fixture_behaviour::huge;
  r.huge_bytes = 1 << 20;
  r.chunked = true;
  srv.add("GET", "/exact", r);
  curl_client client{fast(5000, 1 << 20)};
  auto reply = expect_reply(client.perform(get("/exact"), srv.base_url()));
  EXPECT_EQ(reply.body.size(), size_t{1} << 20);
}

TEST(CurlClient, ConnectionRefusedIsUnavailable) {
  auto port = closed_port();
  curl_client client{fast()};
  auto e = expect_error(client.perform(
    get("/x"), "http://127.0.0.1:" + std::to_string(port)));
  EXPECT_EQ(e.code, errc::unavailable);
  EXPECT_TRUE(starts_with(e.message, "connection failed")) << e.message;
}

TEST(CurlClient, RejectsHeaderInjection) {
  fixture_server srv;
  curl_client client{fast()};
  auto req = get("/x");
  req.headers = {{"X-Test", "a\r\nX-Evil: 1"}};
  auto e = expect_error(client.perform(req, srv.base_url()));
  EXPECT_EQ(e.code, errc::invalid_argument);
  EXPECT_EQ(srv.request_count(), 0u);
}

TEST(CurlClient, RejectsNonHttpBaseUrls) {
  curl_client client{fast()};
  for (auto base : {"ftp://127.0.0.1:1", "file:///etc", "127.0.0.1:1", ""}) {
    auto e = expect_error(client.perform(get("/x"), base));
    EXPECT_EQ(e.code, errc::invalid_argument) << base;
    EXPECT_TRUE(starts_with(e.message, "base URL is not http(s)")) << base;
  }
}

TEST(CurlClient, ErrorsNeverShowTheKey) {
  fixture_server srv;
  auto slow = fixture_response::json("{}");
  slow.delay = std::chrono::milliseconds{1000};
  srv.add("GET", "/slow", slow);
  auto cut = fixture_response::json(R"({"symbol":"LTCBTC"})");
  cut.behaviour = fixture_behaviour::truncated;
  srv.add("GET", "/cut", cut);
  auto junk = fixture_response::json("junk junk junk\r\n\r\n");
  junk.behaviour = fixture_behaviour::garbage;
  srv.add("GET", "/junk", junk);
  auto huge = fixture_response::json("");
  huge.behaviour = fixture_behaviour::huge;
  huge.huge_bytes = 4 << 20;
  srv.add("GET", "/huge", huge);
  auto refused = "http://127.0.0.1:" + std::to_string(closed_port());
  struct row {
    std::string path;
    std::string base;
  };
  const row rows[] = {{"/slow", srv.base_url()},
                      {"/cut", srv.base_url()},
                      {"/junk", srv.base_url()},
                      {"/huge", srv.base_url()},
                      {"/x", refused},
                      {"/" + std::string{secret}, refused}};
  curl_client client{fast(200)};
  for (auto& r : rows) {
    SCOPED_TRACE(r.path);
    auto e = expect_error(client.perform(with_secret(r.path), r.base));
    EXPECT_EQ(e.message.find(secret), std::string::npos) << e.message;
    EXPECT_EQ(e.message.find(url_encode(secret)), std::string::npos)
      << e.message;
    EXPECT_NE(e.message.find("apikey=***"), std::string::npos) << e.message;
  }
}

TEST(FixtureServer, MatchesTheMostSpecificRouteAndServesSequences) {
  fixture_server srv;
  srv.add("GET", "/p", fixture_response::json(R"("any")"));
  srv.add("GET", "/p", fixture_response::json(R"("btc")"),
          {{"symbol", "BTCUSDT"}});
  srv.add("GET", "/p", fixture_response::json(R"("btc 1m")"),
          {{"symbol", "BTCUSDT"}, {"interval", "1m"}});
  srv.add_sequence("GET", "/seq",
                   {fixture_response::json("first", 429),
                    fixture_response::json("then")});
  curl_client client{fast()};
  auto body = [&](outbound_request req) {
    return expect_reply(client.perform(req, srv.base_url())).body;
  };
  EXPECT_EQ(body(get("/p")), R"("any")");
  EXPECT_EQ(body(get("/p", {{"symbol", "ETHUSDT"}})), R"("any")");
  EXPECT_EQ(body(get("/p", {{"symbol", "BTCUSDT"}})), R"("btc")");
  EXPECT_EQ(body(get("/p", {{"interval", "1m"}, {"symbol", "BTCUSDT"}})),
            R"("btc 1m")");
  EXPECT_EQ(expect_reply(client.perform(get("/seq"), srv.base_url())).status,
            429);
  EXPECT_EQ(body(get("/seq")), "then");
  EXPECT_EQ(body(get("/seq")), "then");
  auto post = get("/p");
  post.method = "POST";
  EXPECT_EQ(expect_reply(client.perform(post, srv.base_url())).status, 404);
  EXPECT_EQ(srv.request_count(), 8u);
  srv.clear_requests();
  EXPECT_EQ(srv.request_count(), 0u);
}

TEST(FixtureServer, GzipStoredMatchesTheFormat) {
  // Empty input: header, one empty final stored block, CRC 0, size 0.
  auto empty = test::gzip_stored("");
  EXPECT_EQ(empty, std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
                               "\x01\x00\x00\xff\xff"
                               "\x00\x00\x00\x00\x00\x00\x00\x00",
                               23));
  // CRC-32 of "123456789" is 0xCBF43926.
  auto digits = test::gzip_stored("123456789");
  EXPECT_EQ(digits.substr(digits.size() - 8),
            std::string("\x26\x39\xf4\xcb\x09\x00\x00\x00", 8));
}

} // namespace
} // namespace tickflow
