// api/routes/book: the book query and body; api/book_json: the WebSocket
// book messages.

#include "api/routes/book.hpp"

#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "api/book_json.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {

constexpr int64_t s = 1'000'000'000;
constexpr int64_t t0 = 1'700'000'000 * s; // 2023-11-14T22:13:20Z

http_request request(std::vector<std::pair<std::string, std::string>> query) {
  http_request req;
  req.method = "GET";
  req.path = "/api/v1/data/book";
  req.query = std::move(query);
  return req;
}

decimal d(const char* x) { return *decimal::parse(x); }

book::book_view view() {
  book::book_view v;
  v.instrument = "BTC-USDT";
  v.update_id = 42;
  v.ts_event_ns = t0;
  v.ts_recv_ns = t0 + 5;
  v.bids = {{d("65000.5"), d("0.25")}, {d("65000"), d("1")}};
  v.asks = {{d("65001"), d("0.1")}};
  return v;
}

} // namespace

TEST(BookRoute, ParsesSymbolAndDepth) {
  auto q = std::get<book_query>(parse_book_query(request({{"symbol", "BTC/USDT"}})));
  EXPECT_EQ(q.instrument, "BTC-USDT");
  EXPECT_EQ(q.requested, "BTC/USDT");
  EXPECT_EQ(q.depth, 20u);
  q = std::get<book_query>(parse_book_query(request({{"symbol", "btcusdt"}, {"depth", "1000"}})));
  EXPECT_EQ(q.instrument, "BTC-USDT");
  EXPECT_EQ(q.depth, 1000u);
  struct row {
    std::vector<std::pair<std::string, std::string>> query;
    std::string code, field;
  };
  std::vector<row> bad = {
    {{}, "missing_parameter", "symbol"},
    {{{"symbol", "$"}}, "invalid_parameter", "symbol"},
    {{{"symbol", "A"}, {"depth", "0"}}, "invalid_parameter", "depth"},
    {{{"symbol", "A"}, {"depth", "1001"}}, "invalid_parameter", "depth"},
    {{{"symbol", "A"}, {"depth", "x"}}, "invalid_parameter", "depth"},
    {{{"symbol", "A"}, {"limit", "5"}}, "invalid_parameter", "limit"},
    {{{"symbol", "A"}, {"provider", "binance"}}, "invalid_parameter", "provider"},
  };
  for (auto& x : bad) {
    auto e = std::get<api_error>(parse_book_query(request(x.query)));
    EXPECT_EQ(e.status, 400u) << x.field;
    EXPECT_EQ(e.code, x.code) << x.field;
    EXPECT_EQ(e.field, x.field);
  }
  auto e = std::get<api_error>(parse_book_query(request({{"symbol", "A"}, {"lim\xc3\xa9", "5"}})));
  EXPECT_EQ(e.message, "unknown parameter 'lim?" "?' (book takes symbol and depth)");
}

TEST(BookRoute, RendersLevelsAsStringPairsWithProvenance) {
  provenance from{"l1", true, t0, t0 + 2 * s, {}};
  auto body = book_body(view(), 20, from);
  rapidjson::Document doc;
  ASSERT_FALSE(doc.Parse(body.c_str()).HasParseError()) << body;
  EXPECT_STREQ(doc["instrument"].GetString(), "BTC-USDT");
  EXPECT_EQ(doc["update_id"].GetUint64(), 42u);
  EXPECT_EQ(doc["ts"].GetInt64(), t0);
  EXPECT_STREQ(doc["time"].GetString(), "2023-11-14T22:13:20Z");
  EXPECT_EQ(doc["ts_recv"].GetInt64(), t0 + 5);
  EXPECT_EQ(doc["depth"].GetInt(), 20);
  ASSERT_EQ(doc["bids"].Size(), 2u);
  EXPECT_STREQ(doc["bids"][0][0].GetString(), "65000.5");
  EXPECT_STREQ(doc["bids"][0][1].GetString(), "0.25");
  EXPECT_STREQ(doc["asks"][0][0].GetString(), "65001");
  EXPECT_FALSE(doc["crossed"].GetBool());
  EXPECT_STREQ(doc["source"].GetString(), "l1");
  EXPECT_TRUE(doc.HasMember("freshness"));
  auto crossed = view();
  crossed.crossed = true;
  doc.Parse(book_body(crossed, 5, from).c_str());
  EXPECT_TRUE(doc["crossed"].GetBool());
}

TEST(BookMessages, SnapshotDeltaAndTop) {
  auto v = view();
  EXPECT_EQ(book_delta_message("book:BTC-USDT", v, {{d("65000.5"), d("0.25")}},
                               {{d("65002"), decimal{}}}),
            "{\"type\":\"book\",\"channel\":\"book:BTC-USDT\",\"instrument\":\"BTC-USDT\","
            "\"update_id\":42,\"ts\":1700000000000000000,\"time\":\"2023-11-14T22:13:20Z\","
            "\"bids\":[[\"65000.5\",\"0.25\"]],\"asks\":[[\"65002\",\"0\"]],"
            "\"crossed\":false}");
  EXPECT_EQ(book_top_message("book_top:BTC-USDT", v, false),
            "{\"type\":\"book_top\",\"channel\":\"book_top:BTC-USDT\",\"instrument\":\"BTC-USDT\","
            "\"update_id\":42,\"ts\":1700000000000000000,\"time\":\"2023-11-14T22:13:20Z\","
            "\"bid\":[\"65000.5\",\"0.25\"],\"ask\":[\"65001\",\"0.1\"],\"crossed\":false}");
  rapidjson::Document doc;
  auto snap = book_snapshot_message("book:BTC-USDT:2", v, 2);
  ASSERT_FALSE(doc.Parse(snap.c_str()).HasParseError()) << snap;
  EXPECT_STREQ(doc["type"].GetString(), "snapshot");
  EXPECT_EQ(doc["book"]["update_id"].GetUint64(), 42u);
  EXPECT_EQ(doc["book"]["bids"].Size(), 2u);
  book::book_view empty;
  empty.instrument = "ETH-USDT";
  doc.Parse(book_top_message("book_top:ETH-USDT", empty, true).c_str());
  EXPECT_TRUE(doc["bid"].IsNull());
  EXPECT_STREQ(doc["type"].GetString(), "snapshot");
}
