// Binance depth parsers and snapshot requests: the docs samples, malformed
// input, limits and weights (the replays are in binance_depth_replay_test).

#include "adapters/binance/binance_depth.hpp"
#include "adapters/binance/binance_futures_depth.hpp"

#include <gtest/gtest.h>

#include <string>

#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow::binance {
namespace {

using test::dec;
using test::read_fixture;

TEST(BinanceDepth, SpotDocsSnapshotParses) {
  auto s = parse_depth_snapshot(
    read_fixture("binance/rest/api_v3_depth.docs.json"));
  ASSERT_TRUE(s) << s.err().message();
  EXPECT_EQ(s->last_update_id, 1027024u);
  EXPECT_EQ(s->ts_event_ns, 0);
  ASSERT_EQ(s->bids.size(), 1u);
  EXPECT_EQ(s->bids[0].price, dec("4.00000000"));
  EXPECT_EQ(s->bids[0].size, dec("431"));
  ASSERT_EQ(s->asks.size(), 1u);
  EXPECT_EQ(s->asks[0].price, dec("4.000002"));
  EXPECT_EQ(s->asks[0].size, dec("12"));
}

TEST(BinanceDepth, SpotDocsUpdateParses) {
  auto u = parse_depth_update(
    read_fixture("binance/ws/raw_depthUpdate.docs.json"));
  ASSERT_TRUE(u) << u.err().message();
  EXPECT_EQ(u->symbol, "BNBBTC");
  EXPECT_EQ(u->delta.first_update_id, 157u);
  EXPECT_EQ(u->delta.last_update_id, 160u);
  EXPECT_EQ(u->delta.ts_event_ns, 1672515782136 * ns_per_ms);
  ASSERT_EQ(u->delta.bids.size(), 1u);
  EXPECT_EQ(u->delta.bids[0].price, dec("0.0024"));
  EXPECT_EQ(u->delta.bids[0].size, dec("10"));
  ASSERT_EQ(u->delta.asks.size(), 1u);
  EXPECT_EQ(u->delta.asks[0].price, dec("0.0026"));
  EXPECT_EQ(u->ts_transaction_ns, 0);
}

TEST(BinanceDepth, FuturesDocsSnapshotParses) {
  auto s = parse_futures_depth_snapshot(
    read_fixture("binance/rest/fapi_v1_depth.docs.json"));
  ASSERT_TRUE(s) << s.err().message();
  EXPECT_EQ(s->last_update_id, 1027024u);
  EXPECT_EQ(s->ts_event_ns, 1589436922972 * ns_per_ms);
  EXPECT_EQ(s->bids.size(), 1u);
  EXPECT_EQ(s->asks.size(), 1u);
}

TEST(BinanceDepth, FuturesDocsUpdateParses) {
  auto u = parse_futures_depth_update(
    read_fixture("binance/ws/fapi_raw_depthUpdate.docs.json"));
  ASSERT_TRUE(u) << u.err().message();
  EXPECT_EQ(u->symbol, "BTCUSDT");
  EXPECT_EQ(u->delta.first_update_id, 157u);
  EXPECT_EQ(u->delta.last_update_id, 160u);
  EXPECT_EQ(u->delta.prev_last_update_id, 149u);
  EXPECT_EQ(u->delta.ts_event_ns, 123456789 * ns_per_ms);
  EXPECT_EQ(u->ts_transaction_ns, 123456788 * ns_per_ms);
}

TEST(BinanceDepth, CombinedWrapperAndBigIds) {
  // The first recorded KEEPUSDT frame: ids past 2^32, "0" qty.
  const std::string frame =
    R"({"stream":"keepusdt@depth@100ms","data":{"e":"depthUpdate","E":1626992741142,"T":1626992741093,"s":"KEEPUSDT","U":600859601246,"u":600859602316,"pu":600859581808,"b":[["0.2443","3688"],["0.2445","72866"]],"a":[["0.2465","0"]]}})";
  auto u = parse_futures_depth_update(frame);
  ASSERT_TRUE(u) << u.err().message();
  EXPECT_EQ(u->delta.first_update_id, 600859601246u);
  EXPECT_EQ(u->delta.last_update_id, 600859602316u);
  EXPECT_EQ(u->delta.prev_last_update_id, 600859581808u);
  ASSERT_EQ(u->delta.asks.size(), 1u);
  EXPECT_TRUE(u->delta.asks[0].size.is_zero());
  // The spot parser reads the same frame (pu and T are extra fields).
  EXPECT_TRUE(parse_depth_update(frame));
}

struct bad_case {
  const char* name;
  const char* text;
  errc code;
  const char* context_start;
};

TEST(BinanceDepth, MalformedSnapshots) {
  const bad_case cases[] = {
    {"not JSON", "{", errc::malformed, "not JSON"},
    {"not an object", "[1]", errc::malformed, "not an object"},
    {"missing id", R"({"bids":[],"asks":[]})", errc::missing_field,
     "lastUpdateId"},
    {"id as string", R"({"lastUpdateId":"1","bids":[],"asks":[]})",
     errc::bad_number, "lastUpdateId"},
    {"negative id", R"({"lastUpdateId":-1,"bids":[],"asks":[]})",
     errc::bad_number, "lastUpdateId"},
    {"missing asks", R"({"lastUpdateId":1,"bids":[]})", errc::missing_field,
     "asks"},
    {"bids not array", R"({"lastUpdateId":1,"bids":{},"asks":[]})",
     errc::malformed, "bids"},
    {"level too short", R"({"lastUpdateId":1,"bids":[["1"]],"asks":[]})",
     errc::malformed, "bids[0]"},
    {"level not array", R"({"lastUpdateId":1,"bids":["1"],"asks":[]})",
     errc::malformed, "bids[0]"},
    {"price as number",
     R"({"lastUpdateId":1,"bids":[[1.5,"2"]],"asks":[]})", errc::bad_number,
     "bids[0][0]"},
    {"qty exponent",
     R"({"lastUpdateId":1,"bids":[],"asks":[["1","1e3"]]})",
     errc::bad_number, "asks[0][1]"},
    {"negative qty",
     R"({"lastUpdateId":1,"bids":[["1","-2"]],"asks":[]})",
     errc::out_of_range, "bids[0]"},
    {"zero price", R"({"lastUpdateId":1,"bids":[["0","2"]],"asks":[]})",
     errc::out_of_range, "bids[0]"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto s = parse_depth_snapshot(c.text);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.err().code, c.code) << s.err().message();
    EXPECT_EQ(s.err().context.rfind(c.context_start, 0), 0u)
      << s.err().context;
  }
}

TEST(BinanceDepth, HugeArraysAreRefused) {
  std::string body = R"({"lastUpdateId":1,"asks":[],"bids":[)";
  for (size_t i = 0; i <= max_depth_levels; ++i)
    body += std::string{i ? "," : ""} + R"(["1","1"])";
  body += "]}";
  auto s = parse_depth_snapshot(body);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.err().code, errc::out_of_range);
  EXPECT_EQ(s.err().context, "bids: 5001 levels, more than 5000");
}

TEST(BinanceDepth, MalformedUpdates) {
  const bad_case cases[] = {
    {"not JSON", "", errc::malformed, "not JSON"},
    {"array", "[]", errc::malformed, "not an object"},
    {"data not object", R"({"stream":"x","data":[1]})", errc::malformed,
     "data"},
    {"other event",
     R"({"e":"trade","E":1,"s":"X","U":1,"u":1,"b":[],"a":[]})",
     errc::malformed, "e: expected depthUpdate"},
    {"missing u", R"({"e":"depthUpdate","E":1,"s":"X","U":1,"b":[],"a":[]})",
     errc::missing_field, "u"},
    {"U after u",
     R"({"e":"depthUpdate","E":1,"s":"X","U":5,"u":4,"b":[],"a":[]})",
     errc::malformed, "U"},
    {"E negative",
     R"({"e":"depthUpdate","E":-1,"s":"X","U":1,"u":1,"b":[],"a":[]})",
     errc::out_of_range, "E"},
    {"E float",
     R"({"e":"depthUpdate","E":1.5,"s":"X","U":1,"u":1,"b":[],"a":[]})",
     errc::bad_number, "E"},
    {"missing b", R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":1,"a":[]})",
     errc::missing_field, "b"},
    {"bad level",
     R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":1,"b":[[null,"1"]],"a":[]})",
     errc::bad_number, "b[0][0]"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto u = parse_depth_update(std::string_view{c.text});
    ASSERT_FALSE(u);
    EXPECT_EQ(u.err().code, c.code) << u.err().message();
    EXPECT_EQ(u.err().context.rfind(c.context_start, 0), 0u)
      << u.err().context;
  }
}

TEST(BinanceDepth, FuturesNeedTheirFields) {
  const bad_case cases[] = {
    {"snapshot without E", R"({"lastUpdateId":1,"T":1,"bids":[],"asks":[]})",
     errc::missing_field, "E"},
    {"snapshot without T", R"({"lastUpdateId":1,"E":1,"bids":[],"asks":[]})",
     errc::missing_field, "T"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto s = parse_futures_depth_snapshot(c.text);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.err().code, c.code);
    EXPECT_EQ(s.err().context, c.context_start);
  }
  // The spot docs diff has neither T nor pu.
  auto u = parse_futures_depth_update(
    read_fixture("binance/ws/raw_depthUpdate.docs.json"));
  ASSERT_FALSE(u);
  EXPECT_EQ(u.err().code, errc::missing_field);
  EXPECT_EQ(u.err().context, "T");
}

struct weight_case {
  int limit;
  int spot;
  int futures;
};

TEST(BinanceDepth, WeightsPerLimit) {
  const weight_case cases[] = {
    {0, 0, 0},     {1, 5, 0},      {5, 5, 2},      {10, 5, 2},
    {20, 5, 2},    {50, 5, 2},     {100, 5, 5},    {101, 25, 0},
    {500, 25, 10}, {501, 50, 0},   {1000, 50, 20}, {1001, 250, 0},
    {5000, 250, 0}, {5001, 0, 0},  {-5, 0, 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(depth_weight(c.limit), c.spot) << c.limit;
    EXPECT_EQ(futures_depth_weight(c.limit), c.futures) << c.limit;
  }
}

TEST(BinanceDepth, SnapshotRequests) {
  auto r = build_depth_request("BTCUSDT", 5000);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->weight, 250);
  EXPECT_EQ(r->request.url("http://127.0.0.1:9"),
            "http://127.0.0.1:9/api/v3/depth?symbol=BTCUSDT&limit=5000");
  auto f = build_futures_depth_request("KEEPUSDT", 1000);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->weight, 20);
  EXPECT_EQ(f->request.url("http://127.0.0.1:9"),
            "http://127.0.0.1:9/fapi/v1/depth?symbol=KEEPUSDT&limit=1000");
  EXPECT_EQ(build_depth_request("", 5).err().code, errc::unknown_symbol);
  EXPECT_EQ(build_depth_request("X", 5001).err().code,
            errc::invalid_argument);
  EXPECT_EQ(build_futures_depth_request("X", 200).err().code,
            errc::invalid_argument);
  EXPECT_EQ(build_futures_depth_request("", 5).err().code,
            errc::unknown_symbol);
}

} // namespace
} // namespace tickflow::binance
