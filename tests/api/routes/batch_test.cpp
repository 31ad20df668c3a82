// api/routes/batch: batch items as GET requests, the collector's body, and
// the prefetch body, plan and answer.

#include "api/routes/batch.hpp"

#include <gtest/gtest.h>

using namespace tickflow;
using namespace tickflow::api;

namespace {

http_request post(std::string body) {
  http_request r;
  r.method = "POST";
  r.path = "/api/v1/data/batch";
  r.body = std::move(body);
  r.remote = "127.0.0.1:9";
  r.headers.emplace_back("authorization", "Bearer k");
  return r;
}

std::string refusal(const std::variant<std::vector<batch_entry>, http_response>& v) {
  auto* r = std::get_if<http_response>(&v);
  return r ? r->body : std::string{};
}

TEST(BatchRoutes, RefusedBodies) {
  EXPECT_EQ(refusal(parse_batch(post("[1]"), 3)),
            R"({"error":{"code":"invalid_body","message":)"
            R"("expected a JSON object {\"items\":[...]}","field":"body"}})");
  EXPECT_EQ(refusal(parse_batch(post(R"({"items":{}})"), 3)),
            R"({"error":{"code":"invalid_body","message":"items must be an array",)"
            R"("field":"items"}})");
  EXPECT_EQ(refusal(parse_batch(post(R"({"items":[1,2,3,4]})"), 3)),
            R"({"error":{"code":"invalid_body","message":"items must hold 1..3 items, got 4",)"
            R"("field":"items"}})");
  EXPECT_FALSE(refusal(parse_batch(post(std::string(100000, '[')), 3)).empty());
}

TEST(BatchRoutes, ItemsBecomeRequests) {
  auto v = parse_batch(post(R"({"items":[{"symbol":"BTC-USDT"},)"
                            R"({"symbol":"X","type":"ohlcv","limit":10,"validate":true},)"
                            R"({"symbol":"Y","type":"trades"},7,)"
                            R"({"symbol":"Z","interval":[1]}]})"),
                       10);
  auto& xs = std::get<std::vector<batch_entry>>(v);
  ASSERT_EQ(xs.size(), 5u);
  auto& price = std::get<http_request>(xs[0].request);
  EXPECT_EQ(xs[0].type, "price");
  EXPECT_EQ(price.path, "/api/v1/data/price");
  EXPECT_EQ(price.target, price.path);
  EXPECT_EQ(price.remote, "127.0.0.1:9");
  ASSERT_EQ(price.headers.size(), 1u); // the caller's key goes along
  auto& ohlcv = std::get<http_request>(xs[1].request);
  EXPECT_EQ(ohlcv.path, "/api/v1/data/ohlcv");
  EXPECT_EQ(ohlcv.query, (std::vector<std::pair<std::string, std::string>>{
                           {"symbol", "X"}, {"limit", "10"}, {"validate", "true"}}));
  EXPECT_EQ(std::get<http_response>(xs[2].request).body,
            R"({"error":{"code":"invalid_parameter","message":)"
            R"("type must be price or ohlcv, got trades","field":"type"}})");
  EXPECT_EQ(xs[3].type, ""); // not an object: no label
  EXPECT_EQ(std::get<http_response>(xs[3].request).status, 400u);
  EXPECT_EQ(std::get<http_response>(xs[4].request).body,
            R"({"error":{"code":"invalid_parameter","message":)"
            R"("interval must be a string or a number","field":"interval"}})");
}

TEST(BatchRoutes, CollectorAnswersOnceEveryItemDid) {
  std::vector<batch_entry> xs(3);
  xs[0].symbol = "A";
  xs[0].type = "price";
  xs[1].symbol = "B";
  xs[1].type = "ohlcv";
  xs[2].symbol = "C";
  xs[2].type = "price";
  std::vector<http_response> got;
  auto c = batch_collector::make(xs, [&](http_response r) { got.push_back(std::move(r)); });
  auto r0 = c->item(0);
  auto r1 = c->item(1);
  {
    auto r2 = c->item(2); // dropped unanswered: 500
  }
  c.reset();
  http_response ok;
  ok.body = R"({"price":"1"})";
  r0(ok);
  EXPECT_TRUE(got.empty());
  http_response nf;
  nf.status = 404;
  nf.body = R"({"error":{"code":"no_data","message":"m"}})";
  r1(nf);
  r1(ok); // a second answer is ignored
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].status, 200u);
  EXPECT_EQ(got[0].body,
            R"({"count":3,"results":[{"index":0,"symbol":"A","type":"price","status":200,)"
            R"("data":{"price":"1"}},{"index":1,"symbol":"B","type":"ohlcv","status":404,)"
            R"("error":{"code":"no_data","message":"m"}},{"index":2,"symbol":"C",)"
            R"("type":"price","status":500,"error":{"code":"internal",)"
            R"("message":"no answer for this item"}}],"errors":2})");
}

TEST(PrefetchRoutes, Body) {
  auto bad = [](const std::string& body) {
    auto v = parse_prefetch(body, 2);
    auto* r = std::get_if<http_response>(&v);
    return r ? r->body : std::string{};
  };
  EXPECT_NE(bad("{").find("expected a JSON object"), std::string::npos);
  EXPECT_NE(bad(R"({"symbols":["a","b","c"]})").find("symbols must hold 1..2 symbols, got 3"),
            std::string::npos);
  EXPECT_NE(bad(R"({"symbols":["a"],"types":[]})").find("types must be a non-empty array"),
            std::string::npos);
  EXPECT_NE(bad(R"({"symbols":["a"],"types":["bars"]})").find("types holds price and/or ohlcv"),
            std::string::npos);
  EXPECT_NE(bad(R"({"symbols":["a"],"interval":"7x"})").find("interval must be an interval"),
            std::string::npos);
  EXPECT_NE(bad(R"({"symbols":["a"],"limit":0})").find("limit must be an integer in 1..5000"),
            std::string::npos);
  auto v = parse_prefetch(
    R"({"symbols":["btc-usdt",5],"types":["ohlcv","price","ohlcv"],"interval":"5m","limit":7})",
    2);
  auto& req = std::get<prefetch_request>(v);
  EXPECT_EQ(req.symbols, (std::vector<std::string>{"BTC-USDT", ""}));
  EXPECT_EQ(req.types, (std::vector<std::string>{"ohlcv", "price"}));
  EXPECT_EQ(req.span, interval::m5);
  EXPECT_EQ(req.limit, 7u);
}

TEST(PrefetchRoutes, PlanAndAnswer) {
  topology topo;
  topo.providers = {"simulator", "binance"};
  simulated_symbol sim;
  sim.instrument = "BTC-USDT";
  topo.simulator.symbols = {sim};
  prefetch_request req;
  req.symbols = {"BTC-USDT", "AAPL", "ETH-USD", ""};
  auto items = plan_prefetch(req, topo, [](const std::string& id) { return id == "ETH-USD"; });
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].status, "live");
  EXPECT_EQ(items[1].status, "skipped");
  EXPECT_EQ(items[2].status, "queued");
  EXPECT_EQ(items[3].status, "invalid");
  auto r = prefetch_body(items);
  EXPECT_EQ(r.status, 202u);
  EXPECT_EQ(r.body,
            R"({"queued":1,"items":[{"symbol":"BTC-USDT","type":"price","status":"live",)"
            R"("reason":"streamed by the simulator"},{"symbol":"AAPL","type":"price",)"
            R"("status":"skipped","reason":"no enabled REST provider serves it"},)"
            R"({"symbol":"ETH-USD","type":"price","status":"queued"},{"symbol":"",)"
            R"("type":"price","status":"invalid","reason":"not a canonical instrument id"}]})");
  topo.providers = {"binance"}; // without the simulator nothing is live
  EXPECT_EQ(plan_prefetch(req, topo, [](const std::string&) { return true; })[0].status,
            "queued");
}

} // namespace

TEST(BatchRoutes, CollectorPastItsByteBoundAnswers413AndKeepsNothing) {
  std::vector<batch_entry> xs(3);
  for (auto& x : xs) {
    x.symbol = "A";
    x.type = "ohlcv";
  }
  std::vector<http_response> got;
  // Room for two small answers' envelopes and bodies, not for a third.
  auto c = batch_collector::make(
    xs, [&](http_response r) { got.push_back(std::move(r)); }, 400);
  http_response big;
  big.body = "{\"bars\":\"" + std::string(60, 'x') + "\"}";
  c->item(0)(big);
  c->item(1)(big);
  EXPECT_TRUE(got.empty());
  c->item(2)(big);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].status, 413u);
  EXPECT_NE(got[0].body.find("\"code\":\"response_too_large\""), std::string::npos);
  EXPECT_NE(got[0].body.find("400 bytes"), std::string::npos);
}

TEST(BatchRoutes, CollectorWithinItsBoundAnswersEveryItem) {
  std::vector<batch_entry> xs(2);
  xs[0].symbol = "A";
  xs[0].type = "price";
  xs[1].symbol = "B";
  xs[1].type = "price";
  std::vector<http_response> got;
  auto c = batch_collector::make(
    xs, [&](http_response r) { got.push_back(std::move(r)); }, 400);
  http_response ok;
  ok.body = R"({"price":"1"})";
  c->item(0)(ok);
  c->item(1)(ok);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].status, 200u);
  EXPECT_EQ(got[0].body,
            R"({"count":2,"results":[{"index":0,"symbol":"A","type":"price","status":200,)"
            R"("data":{"price":"1"}},{"index":1,"symbol":"B","type":"price","status":200,)"
            R"("data":{"price":"1"}}],"errors":0})");
}
