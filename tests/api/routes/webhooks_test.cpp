// api/routes/webhooks: the gate's refusals and the counters /status and
// /metrics report.

#include "api/routes/webhooks.hpp"

#include <gtest/gtest.h>

using namespace tickflow;
using namespace tickflow::api;

namespace {

constexpr int64_t s = 1'000'000'000;
constexpr int64_t now = 1'700'000'000 * s;

http_request signed_request(const std::string& secret, const std::string& body,
                            std::string ts = "1700000000") {
  http_request r;
  r.method = "POST";
  r.path = "/webhooks/test";
  r.body = body;
  r.headers.emplace_back(webhook_timestamp_header, ts);
  r.headers.emplace_back(webhook_signature_header, webhook_signature(secret, ts, body));
  return r;
}

TEST(WebhookGate, OffWithoutASecret) {
  webhook_gate g;
  auto no = g.check("binance", signed_request("x", "{}"), now, 100);
  ASSERT_TRUE(no);
  EXPECT_EQ(no->status, 404u);
  EXPECT_EQ(no->body, R"({"error":{"code":"webhook_disabled","message":)"
                      R"("the binance webhook is off: no secret is configured"}})");
  EXPECT_EQ((g.counts.results[{"binance", "disabled"}]), 1u);
}

TEST(WebhookGate, ChecksSignaturesAndCounts) {
  webhook_gate g;
  g.verifier.emplace(300 * s, 100);
  g.secrets["test"] = "k";
  auto req = signed_request("k", "{\"events\":[]}");
  EXPECT_FALSE(g.check("test", req, now, 100));
  auto again = g.check("test", req, now, 100);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 401u);
  EXPECT_EQ(again->body, R"({"error":{"code":"replayed","message":)"
                         R"("this request was already accepted","field":"X-Tickflow-Signature"}})");
  auto forged = signed_request("wrong", "{}");
  EXPECT_EQ(g.check("test", forged, now, 100)->body,
            R"({"error":{"code":"bad_signature","message":"the signature does not match",)"
            R"("field":"X-Tickflow-Signature"}})");
  auto old = signed_request("k", "{}", "1600000000");
  EXPECT_EQ(g.check("test", old, now, 100)->status, 401u);
  auto big = signed_request("k", std::string(200, ' '));
  auto too_large = g.check("test", big, now, 100);
  EXPECT_EQ(too_large->status, 413u);
  EXPECT_EQ(too_large->body, R"({"error":{"code":"body_too_large","message":)"
                             R"("webhook body exceeds 100 bytes"}})");
  http_request bare;
  bare.method = "POST";
  EXPECT_EQ(g.check("test", bare, now, 100)->body,
            R"({"error":{"code":"missing_signature","message":)"
            R"("send X-Tickflow-Timestamp and X-Tickflow-Signature"}})");
  EXPECT_EQ((g.counts.results[{"test", "replayed"}]), 1u);
  EXPECT_EQ((g.counts.results[{"test", "bad_signature"}]), 1u);
  EXPECT_EQ((g.counts.results[{"test", "stale_timestamp"}]), 1u);
  EXPECT_EQ((g.counts.results[{"test", "too_large"}]), 1u);
  EXPECT_EQ((g.counts.results[{"test", "missing_signature"}]), 1u);
  EXPECT_EQ(g.counts.results.count({"test", "ok"}), 0u); // passing is not an outcome yet
}

TEST(WebhookGate, BodiesAndTheirCounts) {
  webhook_gate g;
  auto bad = g.refuse_body("polygon", "events[0].price: bad number");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.body, R"({"error":{"code":"bad_body","message":"events[0].price: bad number",)"
                      R"("field":"body"}})");
  event_batch b;
  b.trades.resize(2);
  b.bars.resize(1);
  auto ok = g.accept("polygon", b);
  EXPECT_EQ(ok.status, 202u);
  EXPECT_EQ(ok.body, R"({"accepted":3,"trades":2,"quotes":0,"bars":1})");
  g.accept("polygon", event_batch{});
  EXPECT_EQ((g.counts.results[{"polygon", "accepted"}]), 2u);
  EXPECT_EQ((g.counts.results[{"polygon", "bad_body"}]), 1u);
  EXPECT_EQ(g.counts.events["polygon"], 3u);
  EXPECT_EQ(webhook_pipeline_down().status, 503u);
}

} // namespace
