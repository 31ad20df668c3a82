// The tour of bad input, REST side, part 2: well-formed HTTP carrying bad
// parameters and bodies: values out of range, unknown names, injection-like
// symbols, deeply nested JSON, bad webhooks and wrong credentials. Each gets
// its documented error (docs/API.md "Bad input"), nothing injection-like
// reaches a provider URL unescaped, and no secret is ever answered or logged.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "api/digest.hpp"
#include "api/url.hpp"
#include "pipeline/model/events.hpp"
#include "tests/hardening/tour_support.hpp"

using namespace tickflow::test;
using namespace tickflow::test::tour;

namespace {

class BadParameters : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(svc_.alive()) << svc_.tail_of_log(); }
  void TearDown() override { svc_.expect_healthy(); }

  tickflow::result<http_reply> get(const std::string& target, const header_list& headers = {}) {
    return http_once(svc_.http_port(), "GET", target, {}, headers);
  }
  tickflow::result<http_reply> post(const std::string& target, std::string body,
                          const header_list& headers = {}) {
    return http_once(svc_.http_port(), "POST", target, std::move(body), headers);
  }

  tour_service svc_;
};

std::string enc(const std::string& s) {
  return tickflow::api::percent_encode(s);
}

/// Symbols an attacker would try. None is a canonical instrument id.
const std::vector<std::string> injection_like = {
  "' OR 1=1 --",
  "BTC'; DROP TABLE bars; --",
  "; DROP TABLE trades",
  "$(rm -rf /)",
  "`id`",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "..%2f..%2fetc",
  "BTC-USDT\r\nSet-Cookie: a=1",
  "*",
  "tickflow:*",
  "{{7*7}}",
  "%s%s%s%n",
  "BTC USDT",
  "BTC-USDT;",
  "\xc3\x9c" "BERCOIN", // unicode
  "\xe2\x82\xbf-USD",   // a currency sign
  "\xff\xfe",           // not UTF-8 at all
  std::string(33, 'A'), // over 32 characters
  std::string(5000, 'B'),
  "-BTC",
};

} // namespace

TEST_F(BadParameters, LimitOutOfRangeIs400) {
  for (auto limit : {"-1", "0", "1000000000000", "5001", "99999999999999999999999", "1e3",
                     "abc", "10 0", "0x10", "+5", "5.0"}) {
    EXPECT_TRUE(is_error(get("/api/v1/data/ohlcv?symbol=BTC-USDT&limit=" + enc(limit)), 400,
                         "invalid_parameter", "limit"))
      << limit;
  }
  EXPECT_TRUE(is_error(get("/api/v1/data/quarantine?limit=1001"), 400, "invalid_parameter",
                       "limit"));
  EXPECT_TRUE(is_error(get("/api/v1/data/quarantine?limit=-1"), 400, "invalid_parameter",
                       "limit"));
}

TEST_F(BadParameters, BadTimesAndRangesAre400) {
  const std::string base = "/api/v1/data/ohlcv?symbol=BTC-USDT";
  EXPECT_TRUE(is_error(get(base + "&start=2025-02-01&end=2025-01-01"), 400,
                       "invalid_parameter", "start"));
  for (auto t : {"99999-01-01", "9999-12-31", "1000-01-01", "2025-13-01", "2025-02-30",
                 "2025-01-01T25:00:00Z", "2025-01-01T00:00:00+02:00", "yesterday", "-5",
                 "99999999999999999999", "1e18", "2025-01-01T00:00:60Z"}) {
    EXPECT_TRUE(is_error(get(base + "&start=" + enc(t)), 400, "invalid_parameter", "start"))
      << t;
    EXPECT_TRUE(is_error(get(base + "&end=" + enc(t)), 400, "invalid_parameter", "end")) << t;
  }
  EXPECT_TRUE(is_error(get("/api/v1/data/historical?symbol=BTC-USDT"), 400,
                       "missing_parameter", "start"));
}

TEST_F(BadParameters, TheEpochIsATimeNotAnAbsentBound) {
  // Issue 26: 0 stood for both "absent" and the epoch.
  // A given start: answered (bars, or 404 while the tour's service has
  // none for the symbol), never 400 missing_parameter.
  for (auto start : {"0", "1970-01-01"}) {
    auto r = get(std::string{"/api/v1/data/historical?symbol=BTC-USDT&start="} + start);
    ASSERT_TRUE(r) << start;
    EXPECT_TRUE(r->status == 200 || r->status == 404) << start << " " << r->body;
    EXPECT_EQ(r->body.find("missing_parameter"), std::string::npos) << r->body;
  }
  const std::string base = "/api/v1/data/ohlcv?symbol=BTC-USDT&start=2025-01-01";
  for (auto end : {"1970-01-01", "0"})
    EXPECT_TRUE(is_error(get(base + "&end=" + end), 400, "invalid_parameter", "end")) << end;
  EXPECT_TRUE(is_error(get("/api/v1/data/historical?symbol=BTC-USDT&start=2025-01-01&end=0"),
                       400, "invalid_parameter", "end"));
}

TEST_F(BadParameters, ExtremeButValidRangesAreServedOrRefusedCleanly) {
  // The edges of the int64 ns range, whole centuries of 1s bars, the
  // largest limit: valid input, answered with data or a documented error.
  for (auto q : {"ohlcv?symbol=BTC-USDT&end=2262-04-11T23:47:16Z&interval=1M",
                 "ohlcv?symbol=BTC-USDT&start=2262-04-11T23:47:16Z&interval=1w&limit=5000",
                 "historical?symbol=BTC-USDT&start=1&interval=1s&limit=5000",
                 "ohlcv?symbol=BTC-USDT&end=9223372036854775807&interval=1M",
                 "historical?symbol=ZZZQ&start=1&end=9223372036854775807&interval=1M&limit=5000",
                 "ohlcv?symbol=ETH-USDT&start=1970-01-01T00:00:00.000000001Z&end=1970-01-01T00:00:01Z",
                 "ohlcv?symbol=ETH-USDT&start=2262-04-11T23:47:16.854775807Z&interval=1s"}) {
    auto r = get(std::string{"/api/v1/data/"} + q);
    ASSERT_TRUE(r) << q;
    if (r->status != 200) {
      EXPECT_TRUE(read_error(r->body).shaped) << q << " " << r->status << " " << r->body;
    } else {
      EXPECT_FALSE(parse_json(r->body).HasParseError()) << q;
    }
    EXPECT_NE(r->status, 500u) << q;
  }
}

TEST_F(BadParameters, UnknownIntervalProviderAndFlagAre400) {
  const std::string base = "/api/v1/data/ohlcv?symbol=BTC-USDT";
  for (auto iv : {"7x", "0m", "1", "m1", "1 m", "1H", "60m", "-1m", "1m1m"})
    EXPECT_TRUE(is_error(get(base + "&interval=" + enc(iv)), 400, "invalid_parameter",
                         "interval"))
      << iv;
  for (auto p : {"nope", "../binance", "binance'--", "simulator2"}) {
    EXPECT_TRUE(is_error(get(base + "&provider=" + enc(p)), 400, "invalid_parameter",
                         "provider"))
      << p;
    EXPECT_TRUE(is_error(get("/api/v1/data/price?symbol=BTC-USDT&provider=" + enc(p)), 400,
                         "invalid_parameter", "provider"))
      << p;
  }
  // A known provider that is not enabled.
  EXPECT_TRUE(is_error(get("/api/v1/data/price?symbol=BTC-USDT&provider=binance"), 400,
                       "invalid_parameter", "provider"));
  EXPECT_TRUE(is_error(get(base + "&validate=maybe"), 400, "invalid_parameter", "validate"));
}

TEST_F(BadParameters, MissingSymbolIs400) {
  for (auto target : {"/api/v1/data/price", "/api/v1/data/price?symbol=",
                      "/api/v1/data/price?symbol=%20%20", "/api/v1/data/ohlcv?interval=1m",
                      "/api/v1/data/price?SYMBOL=BTC-USDT"})
    EXPECT_TRUE(is_error(get(target), 400, "missing_parameter", "symbol")) << target;
}

TEST_F(BadParameters, InjectionLikeSymbolsAre400OnEveryRoute) {
  for (auto& s : injection_like) {
    for (auto route : {"/api/v1/data/price?symbol=", "/api/v1/data/ohlcv?symbol=",
                       "/api/v1/data/historical?start=2025-01-01&symbol=",
                       "/api/v1/data/quarantine?symbol=", "/api/v1/data/quality?symbol="}) {
      auto r = get(route + enc(s));
      EXPECT_TRUE(is_error(r, 400, "invalid_parameter", "symbol")) << route << s;
      // The message explains the rule; it does not echo the input.
      if (r && s.size() > 3) {
        EXPECT_EQ(r->body.find(s), std::string::npos) << route << s;
      }
    }
  }
  // An escaped NUL is a malformed request, before any route.
  EXPECT_TRUE(is_error(get("/api/v1/data/price?symbol=BTC%00"), 400, "bad_request"));
  // Nothing reached the provider: none of these is an instrument. (The
  // gateway's own market-holiday list, asked at start, is not a lookup.)
  for (auto& req : svc_.upstream().requests())
    EXPECT_EQ(req.path, "/v1/marketstatus/upcoming") << req.target;
}

TEST_F(BadParameters, CanonicalButOddSymbolsReachProvidersEscaped) {
  // Ids made only of allowed characters may still look like paths: they
  // are looked up as they are (unknown here, so polygon is asked) and sent
  // upstream as one escaped path segment.
  for (std::string s : {"A/../../ETC/PASSWD", "Q/..", "A.B=C_D/E:F", "X:Y/../../Z"}) {
    ASSERT_TRUE(tickflow::is_canonical_instrument(s)) << s;
    auto r = get("/api/v1/data/price?symbol=" + enc(s));
    ASSERT_TRUE(r) << s;
    EXPECT_TRUE(r->status == 404 || r->status == 502) << s << " " << r->body;
    EXPECT_TRUE(read_error(r->body).shaped) << r->body;
    EXPECT_EQ(secret_in(r->body), "");
  }
  ASSERT_GT(svc_.upstream().request_count(), 0u);
  for (auto& req : svc_.upstream().requests()) {
    EXPECT_EQ(req.target.find("/.."), std::string::npos) << req.target;
    EXPECT_EQ(req.target.find("../"), std::string::npos) << req.target;
  }
}

TEST_F(BadParameters, ProviderFailuresNeverShowTheProviderKey) {
  // polygon's key travels in the query string of every upstream call; the
  // stand-in server knows nothing, so each call fails.
  for (auto target : {"/api/v1/data/price?symbol=ZZZQ", "/api/v1/data/price?symbol=ZZZQ&provider=polygon",
                      "/api/v1/data/ohlcv?symbol=ZZZQ&provider=polygon&interval=1d",
                      "/api/v1/data/historical?symbol=ZZZQ&start=2024-01-01&interval=1h"}) {
    auto r = get(target);
    ASSERT_TRUE(r) << target;
    EXPECT_GE(r->status, 400u) << target;
    EXPECT_TRUE(read_error(r->body).shaped) << r->body;
    EXPECT_EQ(secret_in(r->body), "") << target;
    for (auto& [k, v] : r->headers)
      EXPECT_EQ(secret_in(v), "") << k;
  }
  // The key did reach upstream: the check above is not vacuous.
  bool keyed = false;
  for (auto& req : svc_.upstream().requests())
    if (auto* k = req.param("apiKey"); k && *k == provider_key)
      keyed = true;
  EXPECT_TRUE(keyed) << "no upstream call carried the key";
}

TEST_F(BadParameters, BadBodiesAre400) {
  for (auto route : {"/api/v1/data/batch", "/api/v1/prefetch", "/api/v1/data/fetch/async"}) {
    for (std::string body : {std::string{}, std::string{"not json"}, std::string{"[]"},
                             std::string{"\"x\""}, std::string{"{\"items\":"},
                             std::string{"{\"items\":5,\"symbols\":5}"},
                             std::string{"{\"items\":[],\"symbols\":[]}"},
                             // Nesting as deep as the body limit allows.
                             std::string(1000000, '['), std::string(1000000, '{'),
                             std::string{"{\"items\":"} + std::string(999000, '['),
                             std::string(500000, '[') + std::string(500000, ']')}) {
      EXPECT_TRUE(is_error(post(route, body), 400, "invalid_body"))
        << route << " " << body.substr(0, 40);
      ASSERT_TRUE(svc_.alive()) << route << " " << body.substr(0, 40);
    }
  }
  // Too many items.
  std::string many = "{\"items\":[";
  for (int i = 0; i < 101; ++i)
    many += std::string{i ? "," : ""} + "{\"symbol\":\"BTC-USDT\"}";
  many += "]}";
  EXPECT_TRUE(is_error(post("/api/v1/data/batch", many), 400, "invalid_body", "items"));
}

TEST_F(BadParameters, BadItemsInsideABatchGetTheirOwnErrors) {
  std::string body = "{\"items\":[{\"symbol\":\"BTC-USDT\",\"type\":\"ohlcv\",\"limit\":-1},"
                     "{\"symbol\":\"' OR 1=1 --\"},{\"symbol\":\"BTC-USDT\",\"type\":\"drop\"},"
                     "{\"symbol\":\"BTC-USDT\",\"type\":\"ohlcv\",\"interval\":\"7x\"},"
                     "[1,2],{\"symbol\":{\"$ne\":1}}]}";
  auto r = post("/api/v1/data/batch", body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u) << r->body;
  auto d = parse_json(r->body);
  ASSERT_TRUE(d.IsObject() && d.HasMember("results") && d["results"].IsArray()) << r->body;
  auto& results = d["results"];
  ASSERT_EQ(results.Size(), 6u);
  for (auto& x : results.GetArray()) {
    ASSERT_TRUE(x.HasMember("status") && x["status"].IsUint()) << r->body;
    EXPECT_EQ(x["status"].GetUint(), 400u) << r->body;
    ASSERT_TRUE(x.HasMember("error") && x["error"].IsObject()) << r->body;
    EXPECT_FALSE(str_of(x["error"], "code").empty());
  }
  ASSERT_TRUE(d.HasMember("errors") && d["errors"].IsUint());
  EXPECT_EQ(d["errors"].GetUint(), 6u);
  // Prefetch marks each bad symbol invalid.
  auto p = post("/api/v1/prefetch", "{\"symbols\":[\"' OR 1=1 --\",\"<script>\",\"A/../B\"]}");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, 202u) << p->body;
  auto pd = parse_json(p->body);
  ASSERT_TRUE(pd.IsObject() && pd.HasMember("items") && pd["items"].IsArray()) << p->body;
  EXPECT_EQ(str_of(pd["items"][0], "status"), "invalid");
  EXPECT_EQ(str_of(pd["items"][1], "status"), "invalid");
}

TEST_F(BadParameters, CredentialsAreNeverEchoed) {
  // Wrong admin tokens, the right one on the wrong route, and an API-key
  // header on open routes: refusals name no token.
  for (auto token : {std::string{"guess-5d1e"}, std::string{admin_token} + "x",
                     std::string{admin_token}.substr(0, 10), std::string(5000, 'T')}) {
    auto r = post("/api/v1/admin/reload", {}, {{"Authorization", "Bearer " + token}});
    EXPECT_TRUE(is_error(r, 401, "unauthorized")) << token.substr(0, 20);
    if (r) {
      EXPECT_EQ(r->body.find(token), std::string::npos);
    }
  }
  EXPECT_TRUE(is_error(post("/api/v1/admin/reload", {}, {{"Authorization", "Basic xyz"}}), 401,
                       "unauthorized"));
  auto ok = post("/api/v1/admin/reload", {},
                 {{"Authorization", "Bearer " + std::string{admin_token}}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(secret_in(ok->body), "");
  for (auto path : {"/info", "/status", "/metrics", "/ready", "/openapi.json",
                    "/dashboard/config.json"}) {
    auto r = get(path, {{"Authorization", "Bearer " + std::string{admin_token}}});
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(secret_in(r->body), "") << path;
  }
}

TEST_F(BadParameters, BadWebhooksAreRefusedWithoutShowingTheSecret) {
  auto ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count());
  auto sign = [&](const std::string& body) {
    return "sha256="
           + tickflow::api::to_hex(tickflow::api::hmac_sha256(webhook_secret, ts + "." + body));
  };
  auto hook = [&](const std::string& body, const header_list& headers) {
    return post("/webhooks/test", body, headers);
  };
  const std::string good_body = R"({"events":[]})";
  EXPECT_TRUE(is_error(hook(good_body, {}), 401, "missing_signature"));
  EXPECT_TRUE(is_error(hook(good_body, {{"X-Tickflow-Timestamp", "yesterday"},
                                        {"X-Tickflow-Signature", sign(good_body)}}),
                       401, "bad_timestamp"));
  EXPECT_TRUE(is_error(hook(good_body, {{"X-Tickflow-Timestamp", "1000000000"},
                                        {"X-Tickflow-Signature", sign(good_body)}}),
                       401, "stale_timestamp"));
  EXPECT_TRUE(is_error(hook(good_body, {{"X-Tickflow-Timestamp", ts},
                                        {"X-Tickflow-Signature", "sha256=" + std::string(64, '0')}}),
                       401, "bad_signature"));
  EXPECT_TRUE(is_error(hook(good_body, {{"X-Tickflow-Timestamp", ts},
                                        {"X-Tickflow-Signature", std::string{webhook_secret}}}),
                       401, "bad_signature"));
  EXPECT_TRUE(is_error(raw_exchange(svc_.http_port(),
                                    "POST /webhooks/test HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    "X-Tickflow-Timestamp: " + ts + "\r\n"
                                    "X-Tickflow-Signature: sha256=00\r\n"
                                    "Content-Length: 2000000\r\n\r\n"),
                       413, "body_too_large"));
  // Signed correctly, but the content is bad: 400 bad_body, never a crash.
  for (std::string body :
       {std::string{"not json"}, std::string(1000000, '['),
        std::string{R"({"events":[{"type":"trade","instrument":"'; DROP TABLE trades; --",)"
                    R"("price":"1","size":"1","ts":1}]})"},
        std::string{R"({"events":[{"type":"trade","instrument":"BTC-USDT","price":1e999,)"
                    R"("size":"1","ts":1}]})"},
        std::string{R"({"events":[{"type":"nuke","instrument":"BTC-USDT"}]})"}}) {
    EXPECT_TRUE(is_error(hook(body, {{"X-Tickflow-Timestamp", ts},
                                     {"X-Tickflow-Signature", sign(body)}}),
                         400, "bad_body"))
      << body.substr(0, 40);
    ASSERT_TRUE(svc_.alive()) << body.substr(0, 40);
  }
  // Webhooks without a secret are off.
  EXPECT_TRUE(is_error(post("/webhooks/binance", "{}"), 404, "webhook_disabled"));
}
