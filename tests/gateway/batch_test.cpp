// POST /api/v1/data/batch and POST /api/v1/prefetch on the real binary.

#include <string>

#include <gtest/gtest.h>

#include "tests/gateway/gateway_harness.hpp"

using namespace tickflow::test;

namespace {

class Batch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_options o;
    o.sections = "[limits]\nmax-batch-items = 5\n";
    svc_ = new service{o};
    // Wait for live data, so price items can succeed.
    eventually([] {
      auto r = svc_->get("/api/v1/data/price?symbol=BTC-USDT");
      return r && r->status == 200;
    });
  }
  static void TearDownTestSuite() {
    delete svc_;
    svc_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(svc_->running()) << svc_->output();
  }
  static inline service* svc_ = nullptr;
};

} // namespace

TEST_F(Batch, MixedItemsGetAResultOrAnErrorEach) {
  auto r = svc_->call("POST", "/api/v1/data/batch",
                      R"({"items":[
                        {"symbol":"BTC-USDT","type":"price"},
                        {"symbol":"NOPE-USD","type":"price"},
                        {"symbol":"ETH-USDT","type":"ohlcv","interval":"1s","limit":3},
                        {"symbol":"BTC-USDT","type":"trades"},
                        {"type":"price"}]})");
  ASSERT_TRUE(r) << r.err().message();
  ASSERT_EQ(r->status, 200u) << r->body;
  auto d = parse_json(r->body);
  ASSERT_TRUE(d.IsObject()) << r->body;
  EXPECT_EQ(d["count"].GetInt(), 5);
  EXPECT_EQ(d["errors"].GetInt(), 3);
  auto& xs = d["results"];
  ASSERT_EQ(xs.Size(), 5u);
  for (rapidjson::SizeType i = 0; i < xs.Size(); ++i)
    EXPECT_EQ(xs[i]["index"].GetUint(), i);
  EXPECT_EQ(xs[0]["status"].GetInt(), 200);
  EXPECT_EQ(str_of(xs[0]["data"], "instrument"), "BTC-USDT");
  EXPECT_EQ(str_of(xs[0]["data"], "source"), "l1");
  EXPECT_EQ(xs[1]["status"].GetInt(), 404);
  EXPECT_EQ(str_of(xs[1]["error"], "code"), "unknown_symbol");
  EXPECT_EQ(xs[2]["status"].GetInt(), 200);
  EXPECT_EQ(str_of(xs[2]["data"], "interval"), "1s");
  EXPECT_LE(xs[2]["data"]["bars"].Size(), 3u);
  EXPECT_EQ(xs[3]["status"].GetInt(), 400);
  EXPECT_EQ(str_of(xs[3]["error"], "field"), "type");
  EXPECT_EQ(xs[4]["status"].GetInt(), 400);
  EXPECT_EQ(str_of(xs[4]["error"], "field"), "symbol");
}

TEST_F(Batch, ABadBodyIsOneError) {
  struct bad_case {
    std::string body;
    std::string field;
  };
  for (auto& c : std::vector<bad_case>{
         {"nope", "body"},
         {"[]", "body"},
         {R"({"items":{}})", "items"},
         {R"({"items":[]})", "items"},
         {R"({"items":[{},{},{},{},{},{}]})", "items"}, // over max-batch-items (5)
       }) {
    auto r = svc_->call("POST", "/api/v1/data/batch", c.body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400u) << c.body;
    auto d = parse_json(r->body);
    EXPECT_EQ(str_of(d["error"], "code"), "invalid_body") << c.body;
    EXPECT_EQ(str_of(d["error"], "field"), c.field) << c.body;
  }
}

TEST_F(Batch, PrefetchSaysWhatItQueued) {
  auto r = svc_->call("POST", "/api/v1/prefetch",
                      R"({"symbols":["btc-usdt","ZZZ-USD","bad id"],"types":["price","ohlcv"]})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202u) << r->body;
  auto d = parse_json(r->body);
  // Only the simulator is enabled: nothing to fetch from a REST provider.
  EXPECT_EQ(d["queued"].GetInt(), 0);
  auto& xs = d["items"];
  ASSERT_EQ(xs.Size(), 6u);
  EXPECT_EQ(str_of(xs[0], "symbol"), "BTC-USDT");
  EXPECT_EQ(str_of(xs[0], "type"), "price");
  EXPECT_EQ(str_of(xs[0], "status"), "live");
  EXPECT_EQ(str_of(xs[1], "type"), "ohlcv");
  EXPECT_EQ(str_of(xs[2], "status"), "skipped");
  EXPECT_EQ(str_of(xs[4], "status"), "invalid");
}

TEST_F(Batch, PrefetchRefusesABadBody) {
  for (std::string body : {"{}", R"({"symbols":"BTC-USDT"})", R"({"symbols":[]})",
                           R"({"symbols":["A","B","C","D","E","F"]})",
                           R"({"symbols":["BTC-USDT"],"types":["quotes"]})",
                           R"({"symbols":["BTC-USDT"],"interval":"7m"})",
                           R"({"symbols":["BTC-USDT"],"limit":0})"}) {
    auto r = svc_->call("POST", "/api/v1/prefetch", body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400u) << body;
    EXPECT_EQ(error_code(r->body), "invalid_body") << body;
  }
}
