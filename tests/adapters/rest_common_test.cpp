#include "adapters/common/rest_adapter.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "pipeline/model/time.hpp"

namespace tickflow {
namespace {

// 2015-10-21T07:28:00Z, the RFC 9110 example date.
constexpr int64_t oct21_s = 1'445'412'480;
// 1994-11-06T08:49:37Z, the date of the RFC 9110 format examples.
constexpr int64_t nov06_s = 784'111'777;

TEST(RestCommon, FetchKindNames) {
  EXPECT_EQ(to_string(fetch_kind::price), "price");
  EXPECT_EQ(to_string(fetch_kind::bars), "bars");
  EXPECT_EQ(to_string(fetch_kind::quote), "quote");
  EXPECT_EQ(to_string(static_cast<fetch_kind>(9)), "unknown");
}

TEST(RestCommon, UrlEncodeKeepsOnlyUnreservedCharacters) {
  struct row {
    std::string_view in;
    std::string_view out;
  };
  const row rows[] = {
    {"", ""},
    {"AZaz09-._~", "AZaz09-._~"},
    {"BTCUSDT", "BTCUSDT"},
    {" ", "%20"},
    {"a+b", "a%2Bb"},
    {"a&b=c", "a%26b%3Dc"},
    {"/?#%", "%2F%3F%23%25"},
    {R"(["BTCUSDT","BNBUSDT"])", "%5B%22BTCUSDT%22%2C%22BNBUSDT%22%5D"},
    {"\xC3\xA9", "%C3%A9"}, // UTF-8 e-acute, byte by byte
    {std::string_view{"\0\x7F", 2}, "%00%7F"},
  };
  for (auto& r : rows)
    EXPECT_EQ(url_encode(r.in), r.out) << r.in;
}

TEST(RestCommon, UrlJoinsBasePathAndEncodedQuery) {
  outbound_request req;
  req.path = "/api/v3/klines";
  EXPECT_EQ(req.url("http://127.0.0.1:9"), "http://127.0.0.1:9/api/v3/klines");
  EXPECT_EQ(req.url("http://127.0.0.1:9/"), "http://127.0.0.1:9/api/v3/klines");
  req.query = {{"symbol", "BTCUSDT"}, {"interval", "1m"}, {"q", "a b&c"}};
  EXPECT_EQ(req.url("http://127.0.0.1:9"),
            "http://127.0.0.1:9/api/v3/klines?symbol=BTCUSDT"
            "&interval=1m&q=a%20b%26c");
  req.query = {{"empty", ""}};
  EXPECT_EQ(req.url("http://127.0.0.1:9"), "http://127.0.0.1:9/api/v3/klines?empty=");
}

TEST(RestCommon, RedactedUrlHidesEverySecret) {
  struct row {
    std::string name;
    std::string path;
    kv_list query;
    std::vector<std::string> secrets;
    std::string expected;
  };
  const row rows[] = {
    {"no secret", "/v1/q", {{"a", "1"}}, {}, "http://127.0.0.1:9/v1/q?a=1"},
    {"query value", "/v1/q", {{"apikey", "K3Y"}, {"a", "1"}}, {"K3Y"},
     "http://127.0.0.1:9/v1/q?apikey=***&a=1"},
    {"needs encoding", "/v1/q", {{"token", "a+b/c="}}, {"a+b/c="},
     "http://127.0.0.1:9/v1/q?token=***"},
    {"in the path", "/v1/K3Y/q", {}, {"K3Y"}, "http://127.0.0.1:9/v1/***/q"},
    {"twice, two secrets", "/v1/q",
     {{"k", "S1"}, {"t", "S2"}, {"again", "S1"}}, {"S1", "S2"},
     "http://127.0.0.1:9/v1/q?k=***&t=***&again=***"},
    {"empty secret ignored", "/v1/q", {{"a", "1"}}, {""}, "http://127.0.0.1:9/v1/q?a=1"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    outbound_request req;
    req.path = r.path;
    req.query = r.query;
    req.secrets = r.secrets;
    auto shown = req.redacted_url("http://127.0.0.1:9");
    EXPECT_EQ(shown, r.expected);
    for (auto& s : r.secrets)
      if (!s.empty()) {
        EXPECT_EQ(shown.find(s), std::string::npos);
        EXPECT_EQ(shown.find(url_encode(s)), std::string::npos);
      }
  }
}

TEST(RestCommon, HeaderLookupIgnoresCase) {
  http_reply reply;
  reply.headers = {{"content-type", "application/json"},
                   {"retry-after", "5"},
                   {"retry-after", "9"}};
  ASSERT_NE(reply.header("Retry-After"), nullptr);
  EXPECT_EQ(*reply.header("Retry-After"), "5"); // the first one
  ASSERT_NE(reply.header("content-type"), nullptr);
  EXPECT_EQ(*reply.header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(reply.header("x-mbx-used-weight-1m"), nullptr);
  EXPECT_EQ(reply.header(""), nullptr);
}

TEST(RestCommon, RetryAfterDeltaSeconds) {
  constexpr int64_t now = oct21_s * ns_per_s;
  struct row {
    std::string_view value;
    int64_t expected_ns;
  };
  const row rows[] = {
    {"120", 120 * ns_per_s},
    {"0", 0},
    {"1", ns_per_s},
    {" 5\t", 5 * ns_per_s}, // optional whitespace around the value
    {"007", 7 * ns_per_s},
    {"9223372036", 9'223'372'036 * ns_per_s},
    {"9223372037", std::numeric_limits<int64_t>::max()},          // clamped
    {"99999999999999999999999", std::numeric_limits<int64_t>::max()},
    {"", 0},
    {"   ", 0},
    {"-5", 0},
    {"+5", 0},
    {"1.5", 0},
    {"5s", 0},
    {"soon", 0},
  };
  for (auto& r : rows)
    EXPECT_EQ(parse_retry_after(r.value, now), r.expected_ns)
      << '"' << r.value << '"';
}

TEST(RestCommon, RetryAfterHttpDate) {
  struct row {
    std::string_view value;
    int64_t now_ns;
    int64_t expected_ns;
  };
  const int64_t before = (oct21_s - 30) * ns_per_s;
  const row rows[] = {
    // IMF-fixdate, 30 s ahead of now.
    {"Wed, 21 Oct 2015 07:28:00 GMT", before, 30 * ns_per_s},
    // Sub-second now: the wait is exact to the ns.
    {"Wed, 21 Oct 2015 07:28:00 GMT", before + 250'000'000,
     29'750'000'000},
    // Already past or now: nothing to wait.
    {"Wed, 21 Oct 2015 07:28:00 GMT", oct21_s * ns_per_s, 0},
    {"Wed, 21 Oct 2015 07:28:00 GMT", (oct21_s + 60) * ns_per_s, 0},
    // Obsolete forms a recipient must accept (RFC 9110 5.6.7).
    {"Wednesday, 21-Oct-15 07:28:00 GMT", before, 30 * ns_per_s},
    {"Wed Oct 21 07:28:00 2015", before, 30 * ns_per_s},
    {"Sun Nov  6 08:49:37 1994", (nov06_s - 1) * ns_per_s, ns_per_s},
    {"Sun, 06 Nov 1994 08:49:37 GMT", (nov06_s - 1) * ns_per_s, ns_per_s},
    // Leap day and a leap second.
    {"Mon, 29 Feb 2016 00:00:00 GMT", (oct21_s)*ns_per_s,
     (1'456'704'000 - oct21_s) * ns_per_s},
    {"Wed, 21 Oct 2015 07:27:60 GMT", before, 29 * ns_per_s},
    // Too far ahead for int64 ns: clamped.
    {"Fri, 31 Dec 9999 23:59:59 GMT", 0, std::numeric_limits<int64_t>::max()},
    // Unparsable: 0.
    {"Wed, 21 Oct 2015 07:28:00 UTC", before, 0},
    {"Wed, 21 Oct 2015 07:28:00", before, 0},
    {"Wed, 21 Oct 2015 07:28:00 GMT trailing", before, 0},
    {"wed, 21 oct 2015 07:28:00 GMT", before, 0},
    {"Wed, 32 Oct 2015 07:28:00 GMT", before, 0},
    {"Sun, 29 Feb 2015 07:28:00 GMT", before, 0},
    {"Wed, 21 Oct 2015 24:00:00 GMT", before, 0},
    {"Wed, 21 Oct 2015 07:60:00 GMT", before, 0},
    {"Wed, 21 Foo 2015 07:28:00 GMT", before, 0},
    {"Wed, 1 Oct 2015 07:28:00 GMT", before, 0},
    {"2015-10-21T07:28:00Z", before, 0},
  };
  for (auto& r : rows)
    EXPECT_EQ(parse_retry_after(r.value, r.now_ns), r.expected_ns) << r.value;
}

TEST(RestCommon, ClassifiesHttpStatus) {
  constexpr int64_t now = (oct21_s - 10) * ns_per_s;
  struct row {
    long status;
    kv_list headers;
    bool failed;
    errc code;
    std::string message;
    int64_t retry_after_ns;
  };
  const row rows[] = {
    {200, {}, false, errc::provider_error, "", 0},
    {204, {}, false, errc::provider_error, "", 0},
    {299, {}, false, errc::provider_error, "", 0},
    {0, {}, true, errc::provider_error, "HTTP 0", 0},
    {101, {}, true, errc::provider_error, "HTTP 101", 0},
    {301, {{"location", "/x"}}, true, errc::provider_error, "HTTP 301", 0},
    {400, {}, true, errc::provider_error, "HTTP 400", 0},
    {401, {}, true, errc::unauthorized, "HTTP 401", 0},
    {403, {}, true, errc::unauthorized, "HTTP 403", 0},
    {404, {}, true, errc::not_found, "HTTP 404", 0},
    {418, {{"retry-after", "120"}}, true, errc::rate_limited, "HTTP 418",
     120 * ns_per_s},
    {429, {{"retry-after", "3"}}, true, errc::rate_limited, "HTTP 429",
     3 * ns_per_s},
    {429, {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}, true,
     errc::rate_limited, "HTTP 429", 10 * ns_per_s},
    {429, {}, true, errc::rate_limited, "HTTP 429", 0},
    {429, {{"retry-after", "later"}}, true, errc::rate_limited, "HTTP 429", 0},
    {503, {{"retry-after", "3"}}, true, errc::provider_error, "HTTP 503", 0},
    {500, {}, true, errc::provider_error, "HTTP 500", 0},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.status);
    http_reply reply;
    reply.status = r.status;
    reply.headers = r.headers;
    fetch_error out{errc::malformed, "untouched", 0};
    EXPECT_EQ(classify_http_status(reply, now, out), r.failed);
    if (r.failed) {
      EXPECT_EQ(out.code, r.code);
      EXPECT_EQ(out.message, r.message);
      EXPECT_EQ(out.retry_after_ns, r.retry_after_ns);
    } else {
      EXPECT_EQ(out.message, "untouched"); // left alone on success
    }
  }
}

TEST(RestCommon, RetryAfterOfAReply) {
  constexpr int64_t now = (oct21_s - 10) * ns_per_s;
  http_reply reply;
  EXPECT_EQ(retry_after_of(reply, now), 0); // absent
  reply.headers = {{"Retry-After", "7"}};
  EXPECT_EQ(retry_after_of(reply, now), 7 * ns_per_s);
  reply.headers = {{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}};
  EXPECT_EQ(retry_after_of(reply, now), 10 * ns_per_s);
  reply.headers = {{"retry-after", "soon"}};
  EXPECT_EQ(retry_after_of(reply, now), 0);
}

TEST(RestCommon, SymbolOverridesMatchTheFirstPair) {
  const kv_list overrides = {{"GOLD", "C:XAUUSD"},
                             {"PEPE-USD", "pepe"},
                             {"GOLD", "ignored"},
                             {"PEPE-EUR", "pepe"}};
  auto s = overridden_symbol(overrides, "GOLD");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(*s, "C:XAUUSD");
  EXPECT_EQ(overridden_symbol(overrides, "gold"), nullptr);
  EXPECT_EQ(overridden_symbol(overrides, "C:XAUUSD"), nullptr);
  EXPECT_EQ(overridden_symbol({}, "GOLD"), nullptr);
  auto c = overridden_canonical(overrides, "pepe");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(*c, "PEPE-USD");
  EXPECT_EQ(overridden_canonical(overrides, "GOLD"), nullptr);
  EXPECT_EQ(overridden_canonical({}, "pepe"), nullptr);
}

TEST(RestCommon, ChecksTimeBounds) {
  struct row {
    int64_t start_ns, end_ns;
    std::string error; // "" when the bounds are fine
  };
  const row rows[] = {
    {0, 0, ""},
    {5, 0, ""},
    {0, 5, ""},
    {5, 5, ""},
    {5, 6, ""},
    {-1, 0, "acme: negative time bound"},
    {0, -1, "acme: negative time bound"},
    {7, -1, "acme: negative time bound"},
    {6, 5, "acme: start_ns > end_ns"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(testing::Message() << r.start_ns << ".." << r.end_ns);
    auto ok = check_time_bounds("acme", r.start_ns, r.end_ns);
    EXPECT_EQ(static_cast<bool>(ok), r.error.empty());
    if (!ok) {
      EXPECT_EQ(ok.err().code, errc::invalid_argument);
      EXPECT_EQ(ok.err().context, r.error);
    }
  }
}

} // namespace
} // namespace tickflow
