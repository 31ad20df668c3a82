// End to end, issue 21: on the embedded default (the simulator only), the
// quote and trades routes answer for BTC-USDT however it is written.

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/service_process.hpp"

using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  return d;
}

std::string str(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString())
    return {};
  return v[key].GetString();
}

/// The service on the embedded default, started once for this suite.
class Ticks : public service_suite<Ticks> {
 protected:
  static std::optional<http_reply> get_200(const std::string& target, int tries = 100) {
    return get_until_200(svc_->rest_port(), target, tries);
  }
};

} // namespace

TEST_F(Ticks, QuoteAnswersForEverySpelling) {
  for (std::string asked : {"BTC-USDT", "btcusdt"}) {
    auto r = get_200("/api/v1/data/quote?symbol=" + asked);
    ASSERT_TRUE(r) << asked;
    ASSERT_EQ(r->status, 200u) << asked << ": " << r->body;
    auto d = parse(r->body);
    ASSERT_TRUE(d.IsObject()) << r->body;
    EXPECT_EQ(str(d, "instrument"), "BTC-USDT") << r->body;
    EXPECT_EQ(str(d, "requested"), asked);
    EXPECT_EQ(str(d, "source"), "l1");
    EXPECT_EQ(str(d, "provider"), "simulator") << r->body;
    for (auto key : {"bid_price", "bid_size", "ask_price", "ask_size", "time", "as_of"})
      EXPECT_FALSE(str(d, key).empty()) << key << ": " << r->body;
    EXPECT_EQ(str(d, "time"), str(d, "as_of")) << r->body; // the quote's own time
    ASSERT_TRUE(d.HasMember("age_ms") && d["age_ms"].IsInt64()) << r->body;
    EXPECT_LT(d["age_ms"].GetInt64(), 60'000) << r->body;
  }
  // Nothing known at all: 404 unknown_symbol.
  auto none = http_get(svc_->rest_port(), "/api/v1/data/quote?symbol=NOPE-USDT");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404u) << none->body;
  EXPECT_NE(none->body.find("unknown_symbol"), std::string::npos) << none->body;
}

TEST_F(Ticks, TradesAnswerFromMemory) {
  std::optional<http_reply> r;
  for (int i = 0; i < 100; ++i) {
    auto got = http_get(svc_->rest_port(), "/api/v1/data/trades?symbol=btcusdt&limit=5");
    ASSERT_TRUE(got);
    r = *got;
    if (r->status == 200 && parse(r->body)["count"].GetInt() == 5)
      break;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(r->status, 200u) << r->body;
  auto d = parse(r->body);
  EXPECT_EQ(str(d, "instrument"), "BTC-USDT");
  EXPECT_EQ(str(d, "requested"), "btcusdt");
  EXPECT_EQ(str(d, "source"), "l1");
  ASSERT_EQ(d["count"].GetInt(), 5) << r->body;
  ASSERT_TRUE(d["trades"].IsArray() && d["trades"].Size() == 5u) << r->body;
  // Oldest first; the answer's as_of is the newest trade's time.
  auto& t = d["trades"];
  for (rapidjson::SizeType i = 1; i < t.Size(); ++i)
    EXPECT_LE(t[i - 1]["ts"].GetInt64(), t[i]["ts"].GetInt64()) << r->body;
  EXPECT_EQ(str(t[4], "time"), str(d, "as_of")) << r->body;
  EXPECT_EQ(str(t[0], "instrument"), "BTC-USDT");
  // Unknown: 404 unknown_symbol; a bad limit: 400.
  auto none = http_get(svc_->rest_port(), "/api/v1/data/trades?symbol=NOPE-USDT");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404u) << none->body;
  EXPECT_NE(none->body.find("unknown_symbol"), std::string::npos) << none->body;
  auto bad = http_get(svc_->rest_port(), "/api/v1/data/trades?symbol=BTC-USDT&limit=0");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400u) << bad->body;
}
