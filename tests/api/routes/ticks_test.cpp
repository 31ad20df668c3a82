// api/routes/ticks: the quote and trades queries, the trades read path's
// decisions, the merge of memory, Postgres and provider trades, the bodies.

#include "api/routes/ticks.hpp"

#include <gtest/gtest.h>

#include <rapidjson/document.h>

using namespace tickflow;
using namespace tickflow::api;

namespace {

constexpr int64_t s = 1'000'000'000;
constexpr int64_t t0 = 1'700'000'000 * s; // 2023-11-14T22:13:20Z

http_request request(std::vector<std::pair<std::string, std::string>> query) {
  http_request req;
  req.method = "GET";
  req.path = "/api/v1/data/trades";
  req.query = std::move(query);
  return req;
}

trade make(int64_t ts, std::string id, provider p = provider{}) {
  trade t;
  t.instrument = "BTC-USDT";
  t.source = p;
  t.trade_id = std::move(id);
  t.price = *decimal::parse("65000.5");
  t.size = *decimal::parse("0.01");
  t.ts_event_ns = ts;
  return t;
}

std::vector<std::string> ids(const std::vector<trade>& xs) {
  std::vector<std::string> out;
  for (auto& t : xs)
    out.push_back(t.trade_id);
  return out;
}

TEST(TicksRoutes, QueriesResolveTheSymbolAndCheckTheirParameters) {
  auto q = std::get<quote_query>(parse_quote_query(request({{"symbol", "btcusdt"}})));
  EXPECT_EQ(q.instrument, "BTC-USDT");
  EXPECT_EQ(q.requested, "btcusdt");
  auto t = std::get<trades_request>(parse_trades_query(request(
    {{"symbol", "BTC/USDT"}, {"start", "2023-11-14"}, {"end", "1700006400"}, {"limit", "7"}})));
  EXPECT_EQ(t.instrument, "BTC-USDT");
  EXPECT_EQ(t.limit, 7u);
  EXPECT_EQ(t.start_ns, 1'699'920'000 * s);
  EXPECT_EQ(t.end_ns, 1'700'006'400 * s);
  auto l = lookup_of(t);
  EXPECT_EQ(l.instrument, "BTC-USDT");
  EXPECT_EQ(l.limit, 7u);
  EXPECT_EQ(std::get<trades_request>(parse_trades_query(request({{"symbol", "A"}}))).limit,
            100u);
  struct row {
    std::vector<std::pair<std::string, std::string>> query;
    std::string code, field;
  };
  std::vector<row> bad = {
    {{}, "missing_parameter", "symbol"},
    {{{"symbol", "$"}}, "invalid_parameter", "symbol"},
    {{{"symbol", "A"}, {"limit", "0"}}, "invalid_parameter", "limit"},
    {{{"symbol", "A"}, {"limit", "1001"}}, "invalid_parameter", "limit"},
    {{{"symbol", "A"}, {"start", "x"}}, "invalid_parameter", "start"},
    {{{"symbol", "A"}, {"start", "2024-01-02"}, {"end", "2024-01-01"}}, "invalid_parameter",
     "start"},
    {{{"symbol", "A"}, {"provider", "nobody"}}, "invalid_parameter", "provider"},
  };
  for (auto& x : bad) {
    auto e = std::get<api_error>(parse_trades_query(request(x.query)));
    EXPECT_EQ(e.status, 400u);
    EXPECT_EQ(e.code, x.code);
    EXPECT_EQ(e.field, x.field);
  }
  auto e = std::get<api_error>(parse_quote_query(request({})));
  EXPECT_EQ(e.field, "symbol");
}

TEST(TicksRoutes, TheTradesReadPathDecides) {
  trades_reply complete;
  complete.status = lookup_status::ok;
  complete.complete = true;
  trades_reply partial;
  partial.status = lookup_status::ok;
  partial.trades = {make(t0, "1")};
  trades_reply known_empty;
  known_empty.status = lookup_status::no_data;
  trades_reply unknown;
  struct row {
    const trades_reply* memory;
    bool storage, fetchable;
    trades_step want;
  };
  std::vector<row> rows = {
    {&complete, true, true, trades_step::answer},
    {&partial, true, true, trades_step::ask_storage},
    {&partial, false, true, trades_step::answer}, // what memory has beats nothing
    {&known_empty, false, true, trades_step::ask_provider},
    {&known_empty, false, false, trades_step::answer}, // 200, no trades
    {&unknown, false, false, trades_step::unknown},
    {&unknown, false, true, trades_step::ask_provider},
    {&unknown, true, false, trades_step::ask_storage},
  };
  for (auto& x : rows)
    EXPECT_EQ(after_memory(*x.memory, x.storage, x.fetchable), x.want);
  EXPECT_EQ(after_storage(3, lookup_status::unknown, true), trades_step::answer);
  EXPECT_EQ(after_storage(0, lookup_status::no_data, true), trades_step::ask_provider);
  EXPECT_EQ(after_storage(0, lookup_status::no_data, false), trades_step::answer);
  EXPECT_EQ(after_storage(0, lookup_status::unknown, false), trades_step::unknown);
}

TEST(TicksRoutes, MergeKeepsEachTradeOnceNewestLimitInRange) {
  provider a{1}, b{2};
  std::vector<trade> memory = {make(t0 + 3 * s, "3", a), make(t0 + 4 * s, "4", a)};
  std::vector<trade> stored = {make(t0 + 1 * s, "1", a), make(t0 + 2 * s, "2", a),
                               make(t0 + 3 * s, "3", a), // in both
                               make(t0 + 3 * s, "3", b)}; // another provider's id 3
  auto all = merge_trades(memory, stored, 0, 0, 10);
  EXPECT_EQ(ids(all), (std::vector<std::string>{"1", "2", "3", "3", "4"}));
  EXPECT_EQ(ids(merge_trades(memory, stored, 0, 0, 2)), (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(ids(merge_trades(memory, stored, t0 + 2 * s, t0 + 3 * s, 10)),
            (std::vector<std::string>{"2", "3", "3"}));
  // Without ids: the same time, price and size is the same trade.
  std::vector<trade> x = {make(t0, "", a)};
  EXPECT_EQ(merge_trades(x, x, 0, 0, 10).size(), 1u);
  auto other = make(t0, "", a);
  other.size = *decimal::parse("0.02");
  EXPECT_EQ(merge_trades(x, {other}, 0, 0, 10).size(), 2u);
}

TEST(TicksRoutes, BodiesCarryTheDataAndItsOwnTime) {
  quote q;
  q.instrument = "BTC-USDT";
  q.bid_price = *decimal::parse("65000.11");
  q.bid_size = *decimal::parse("0.5");
  q.ask_price = *decimal::parse("65000.13");
  q.ask_size = *decimal::parse("0.5");
  q.ts_event_ns = t0;
  q.ts_recv_ns = t0 + 30 * s; // received late: the age is from the event
  provenance from{"l1", true, q.ts_event_ns, t0 + 2 * s, {}, "btcusdt"};
  rapidjson::Document d;
  auto body = quote_body(q, from);
  d.Parse(body.c_str());
  ASSERT_TRUE(d.IsObject()) << body;
  EXPECT_STREQ(d["bid_price"].GetString(), "65000.11");
  EXPECT_STREQ(d["ask_size"].GetString(), "0.5");
  EXPECT_STREQ(d["as_of"].GetString(), "2023-11-14T22:13:20Z");
  EXPECT_EQ(d["age_ms"].GetInt64(), 2000);
  EXPECT_STREQ(d["freshness"].GetString(), "realtime");
  EXPECT_STREQ(d["requested"].GetString(), "btcusdt");

  std::vector<trade> ts = {make(t0, "1"), make(t0 + 90 * s, "2")};
  body = trades_body("BTC-USDT", ts, provenance{"l1+postgres", true, 0, t0 + 100 * s, {}, {}});
  d.Parse(body.c_str());
  ASSERT_TRUE(d.IsObject()) << body;
  EXPECT_EQ(d["count"].GetInt(), 2);
  EXPECT_EQ(d["trades"].Size(), 2u);
  EXPECT_STREQ(d["source"].GetString(), "l1+postgres");
  EXPECT_EQ(d["age_ms"].GetInt64(), 10'000); // from the newest trade
  EXPECT_STREQ(d["freshness"].GetString(), "near-realtime");
  body = trades_body("BTC-USDT", {}, provenance{"l1", true, 0, t0, {}, {}});
  d.Parse(body.c_str());
  EXPECT_EQ(d["count"].GetInt(), 0);
  EXPECT_TRUE(d["as_of"].IsNull()) << body;
}

} // namespace
