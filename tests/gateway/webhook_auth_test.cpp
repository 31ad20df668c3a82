// api/webhook_auth (signatures, window, replays, body limit) and
// api/webhook_events (the canonical JSON events of /webhooks/test).

#include <gtest/gtest.h>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/simulator/simulator_provider.hpp"
#include "api/digest.hpp"
#include "api/webhook_auth.hpp"
#include "api/webhook_events.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {

constexpr int64_t s = 1'000'000'000;
constexpr int64_t now = 1'700'000'000 * s;
const std::string secret = "whsec-test";
const std::string body = R"({"events":[]})";

struct signed_request {
  std::string ts;
  std::string sig;
};

signed_request sign(int64_t at_s, const std::string& text = body,
                    const std::string& key = secret) {
  auto ts = std::to_string(at_s);
  return {ts, webhook_signature(key, ts, text)};
}

} // namespace

TEST(WebhookSignature, IsHmacSha256OfTimestampDotBody) {
  auto sig = webhook_signature("k", "1700000000", "{}");
  EXPECT_EQ(sig, "sha256=" + to_hex(hmac_sha256("k", "1700000000.{}")));
}

TEST(WebhookVerifier, AcceptsAGoodSignatureOnce) {
  webhook_verifier v{300 * s, 1024};
  auto r = sign(now / s);
  EXPECT_EQ(v.verify(secret, &r.ts, &r.sig, body, now), webhook_verdict::ok);
  EXPECT_EQ(v.verify(secret, &r.ts, &r.sig, body, now + s), webhook_verdict::replayed);
  EXPECT_EQ(v.remembered(), 1u);
}

TEST(WebhookVerifier, RefusesWrongSecretBodyTimestampOrFormat) {
  webhook_verifier v{300 * s, 1024};
  auto r = sign(now / s);
  auto other = sign(now / s, body, "another-secret");
  EXPECT_EQ(v.verify(secret, &other.ts, &other.sig, body, now), webhook_verdict::bad_signature);
  EXPECT_EQ(v.verify(secret, &r.ts, &r.sig, body + " ", now), webhook_verdict::bad_signature);
  std::string shifted = std::to_string(now / s + 1);
  EXPECT_EQ(v.verify(secret, &shifted, &r.sig, body, now), webhook_verdict::bad_signature);
  std::string no_prefix = r.sig.substr(7);
  EXPECT_EQ(v.verify(secret, &r.ts, &no_prefix, body, now), webhook_verdict::bad_signature);
  std::string short_hex = "sha256=abcd";
  EXPECT_EQ(v.verify(secret, &r.ts, &short_hex, body, now), webhook_verdict::bad_signature);
  EXPECT_EQ(v.verify(secret, nullptr, &r.sig, body, now), webhook_verdict::missing_signature);
  EXPECT_EQ(v.verify(secret, &r.ts, nullptr, body, now), webhook_verdict::missing_signature);
  for (std::string ts : {"", "12a", "-5", "1.5", "99999999999"})
    EXPECT_EQ(v.verify(secret, &ts, &r.sig, body, now), webhook_verdict::bad_timestamp) << ts;
  EXPECT_EQ(v.remembered(), 0u); // nothing refused was remembered
}

TEST(WebhookVerifier, TheTimestampWindowWorksBothWays) {
  webhook_verifier v{300 * s, 1024};
  auto old = sign(now / s - 301);
  auto ahead = sign(now / s + 301);
  auto edge = sign(now / s - 300);
  EXPECT_EQ(v.verify(secret, &old.ts, &old.sig, body, now), webhook_verdict::stale);
  EXPECT_EQ(v.verify(secret, &ahead.ts, &ahead.sig, body, now), webhook_verdict::stale);
  EXPECT_EQ(v.verify(secret, &edge.ts, &edge.sig, body, now), webhook_verdict::ok);
}

TEST(WebhookVerifier, ForgetsSignaturesOnceTheWindowMadeThemStale) {
  webhook_verifier v{60 * s, 1024};
  auto r = sign(now / s);
  EXPECT_EQ(v.verify(secret, &r.ts, &r.sig, body, now), webhook_verdict::ok);
  auto later = sign(now / s + 61, "{\"x\":1}");
  EXPECT_EQ(v.verify(secret, &later.ts, &later.sig, "{\"x\":1}", now + 61 * s),
            webhook_verdict::ok);
  EXPECT_EQ(v.remembered(), 1u); // the first one left the window
  // Replaying the first now fails on its timestamp.
  EXPECT_EQ(v.verify(secret, &r.ts, &r.sig, body, now + 61 * s), webhook_verdict::stale);
}

TEST(WebhookVerifier, BodyLimitAndAFullReplayMemory) {
  webhook_verifier v{300 * s, 16, 1};
  std::string big(17, 'x');
  auto r = sign(now / s, big);
  EXPECT_EQ(v.verify(secret, &r.ts, &r.sig, big, now), webhook_verdict::too_large);
  auto a = sign(now / s, "a");
  auto b = sign(now / s, "b");
  EXPECT_EQ(v.verify(secret, &a.ts, &a.sig, "a", now), webhook_verdict::ok);
  EXPECT_EQ(v.verify(secret, &b.ts, &b.sig, "b", now), webhook_verdict::busy);
}

TEST(CanonicalEvents, ParsesTradesQuotesAndBars) {
  auto r = parse_canonical_events(
    R"({"events":[
      {"type":"trade","instrument":"TEST-USD","price":"101.25","size":"0.5","side":"buy",
       "trade_id":"t-1","ts":"2025-01-02T03:04:05.123Z"},
      {"type":"quote","instrument":"TEST-USD","provider":"binance","bid":"101.20",
       "bid_size":"3","ask":"101.30","ask_size":"2","ts":1735787045123000000},
      {"type":"bar","instrument":"TEST-USD","interval":"1m","open_time":1735787040,
       "open":"101","high":"102","low":"100.5","close":"101.25","volume":"12.5",
       "trades":7,"closed":false}]})",
    42, 10);
  ASSERT_TRUE(r.ok()) << r.err().context;
  ASSERT_EQ(r->trades.size(), 1u);
  auto& t = r->trades[0];
  EXPECT_EQ(t.instrument, "TEST-USD");
  EXPECT_EQ(t.source, providers::simulator);
  EXPECT_EQ(t.price, *decimal::parse("101.25"));
  EXPECT_EQ(t.aggressor, side::buy);
  EXPECT_EQ(t.trade_id, "t-1");
  EXPECT_EQ(t.ts_event_ns, 1735787045123000000);
  EXPECT_EQ(t.ts_recv_ns, 42);
  ASSERT_EQ(r->quotes.size(), 1u);
  EXPECT_EQ(r->quotes[0].source, providers::binance);
  EXPECT_EQ(r->quotes[0].ask_price, *decimal::parse("101.30"));
  ASSERT_EQ(r->bars.size(), 1u);
  auto& b = r->bars[0];
  EXPECT_EQ(b.span, interval::m1);
  EXPECT_EQ(b.open_time_ns, 1735787040 * s);
  EXPECT_EQ(b.trade_count, 7u);
  EXPECT_FALSE(b.closed);
}

TEST(CanonicalEvents, EachMistakeNamesTheField) {
  struct bad_case {
    std::string body;
    errc code;
    std::string context;
  };
  auto trade = [](const std::string& fields) {
    return R"({"events":[{"type":"trade","instrument":"X-USD","price":"1","size":"1","ts":1700000000)"
           + fields + "}]}";
  };
  for (auto& c : std::vector<bad_case>{
         {"not json", errc::malformed, "body: expected a JSON object {\"events\":[...]}"},
         {"[]", errc::malformed, "body: expected a JSON object {\"events\":[...]}"},
         {R"({"events":{}})", errc::malformed, "events: expected an array"},
         {R"({"events":[]})", errc::out_of_range, "events: expected 1..10 events, got 0"},
         {R"({"events":[1]})", errc::malformed, "events[0]: expected an object"},
         {R"({"events":[{"type":"tick"}]})", errc::malformed,
          "events[0].type: must be trade, quote or bar"},
         {R"({"events":[{"instrument":"X"}]})", errc::missing_field, "events[0].type"},
         {R"({"events":[{"type":"trade","instrument":"X-USD","price":1.5,"size":"1","ts":1}]})",
          errc::bad_number, "events[0].price: expected a decimal string such as \"101.25\""},
         {R"({"events":[{"type":"trade","instrument":"x-usd","price":"1","size":"1","ts":1}]})",
          errc::invalid_argument, "events[0].instrument: not a canonical id: x-usd"},
         {trade(R"(,"provider":"nasdaq")"), errc::invalid_argument,
          "events[0].provider: unknown provider nasdaq"},
         {trade(R"(,"side":"up")"), errc::invalid_argument,
          "events[0].side: must be buy, sell or unknown"},
         {R"({"events":[{"type":"trade","instrument":"X-USD","price":"1","size":"1","ts":"soon"}]})",
          errc::invalid_argument, "events[0].ts: not a timestamp: soon"},
         {R"({"events":[{"type":"trade","instrument":"X-USD","price":"1","ts":1}]})",
          errc::missing_field, "events[0].size"},
       }) {
    auto r = parse_canonical_events(c.body, 0, 10);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.err().code, c.code) << c.body;
    EXPECT_EQ(r.err().context, c.context) << c.body;
  }
}

TEST(CanonicalEvents, RefusesMoreEventsThanAllowed) {
  std::string one = R"({"type":"trade","instrument":"X-USD","price":"1","size":"1","ts":1700000000})";
  auto r = parse_canonical_events("{\"events\":[" + one + "," + one + "]}", 0, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().code, errc::out_of_range);
}
