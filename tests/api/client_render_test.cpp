// The operator client's pure parts: argument parsing and rendering.

#include <gtest/gtest.h>

#include "api/client/client_args.hpp"
#include "api/client/client_render.hpp"

using namespace tickflow;
using namespace tickflow::client;

TEST(ClientArgs, ParsesOhlcvWithOptions) {
  auto c = parse_command("ohlcv", {"BTC-USDT", "--interval", "1s", "--limit=5", "--csv",
                                   "--url", "http://127.0.0.1:9/"});
  ASSERT_TRUE(c) << c.err().context;
  EXPECT_EQ(c->kind, command_kind::ohlcv);
  EXPECT_EQ(c->interval, "1s");
  EXPECT_EQ(c->limit, 5u);
  EXPECT_TRUE(c->csv);
  EXPECT_EQ(c->url, "http://127.0.0.1:9"); // trailing slash dropped
  EXPECT_EQ(target_of(*c, "BTC-USDT"),
            "/api/v1/data/ohlcv?symbol=BTC-USDT&interval=1s&limit=5");
}

TEST(ClientArgs, EncodesSymbolsInTargets) {
  auto c = parse_command("price", {"EURUSD=X", "--provider", "yahoo"});
  ASSERT_TRUE(c);
  EXPECT_EQ(target_of(*c, "EURUSD=X"),
            "/api/v1/data/price?symbol=EURUSD%3DX&provider=yahoo");
}

TEST(ClientArgs, RejectsBadUsage) {
  EXPECT_FALSE(parse_command("price", {}));                       // no symbol
  EXPECT_FALSE(parse_command("ohlcv", {"A", "B"}));               // two symbols
  EXPECT_FALSE(parse_command("stats", {"extra"}));                // no args
  EXPECT_FALSE(parse_command("price", {"A", "--limit", "0"}));    // not positive
  EXPECT_FALSE(parse_command("price", {"A", "--limit", "x"}));
  EXPECT_FALSE(parse_command("price", {"A", "--bogus", "1"}));
  EXPECT_FALSE(parse_command("price", {"A", "--csv"}));           // ohlcv only
  EXPECT_FALSE(parse_command("subscribe", {"--count", "3"}));     // no channel
  EXPECT_FALSE(parse_command("price", {"A", "--url"}));           // missing value
  auto e = parse_command("nope", {});
  ASSERT_FALSE(e);
  EXPECT_NE(e.err().context.find("unknown command"), std::string::npos);
}

TEST(ClientArgs, KnowsItsCommands) {
  for (auto w : {"price", "ohlcv", "providers", "stats", "jobs", "subscribe"})
    EXPECT_TRUE(is_command(w)) << w;
  EXPECT_FALSE(is_command("--config"));
  EXPECT_FALSE(is_command("run"));
}

TEST(ClientRender, TableAlignsColumns) {
  auto t = format_table({{"A", "LONG HEADER"}, {"wide cell", "x"}});
  EXPECT_EQ(t, "A          LONG HEADER\nwide cell  x\n");
}

TEST(ClientRender, CsvQuotesWhatNeedsIt) {
  auto t = format_csv({{"a", "b,c"}, {"say \"hi\"", "line\nbreak"}});
  EXPECT_EQ(t, "a,\"b,c\"\r\n\"say \"\"hi\"\"\",\"line\nbreak\"\r\n");
}

TEST(ClientRender, OhlcvRowsFromABody) {
  auto rows = ohlcv_rows(
    R"({"instrument":"BTC-USDT","interval":"1m","count":1,"bars":[{"time":"2026-11-21T11:15:00Z",)"
    R"("open":"1.5","high":"2","low":"1","close":"1.75","volume":"10.001","trades":3,"closed":true}]})");
  ASSERT_TRUE(rows) << rows.err().context;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0][0], "TIME");
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"2026-11-21T11:15:00Z", "1.5", "2", "1",
                                                 "1.75", "10.001", "3", "yes"}));
  EXPECT_FALSE(ohlcv_rows("not json"));
  EXPECT_FALSE(ohlcv_rows(R"({"bars":{}})"));
}

TEST(ClientRender, PriceRowsShowErrorsPerSymbol) {
  auto rows = price_rows({R"({"instrument":"AAPL","price":"190.01","time":"t","source":"l1","freshness":"realtime"})",
                          R"({"error":{"code":"unknown_symbol","message":"unknown symbol X"}})"});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1][1], "190.01");
  EXPECT_EQ((*rows)[2][1], "error: unknown symbol X");
}

TEST(ClientRender, ProvidersAndJobsTolerateMissingFields) {
  auto p = providers_rows(
    R"({"providers":[{"name":"binance","enabled":true,"health":{"status":"ok","requests":4,"failures":1,)"
    R"("last_error":{"at":"t","message":"boom"}}},{"name":"yahoo","enabled":false,"health":null}]})");
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)[1], (std::vector<std::string>{"binance", "yes", "ok", "4", "1", "boom"}));
  EXPECT_EQ((*p)[2], (std::vector<std::string>{"yahoo", "no", "-", "-", "-", "-"}));
  auto j = jobs_rows(R"({"jobs":[{"name":"refresh-crypto"}]})");
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)[1], (std::vector<std::string>{"refresh-crypto", "-", "-", "-", "-"}));
}

TEST(ClientRender, ErrorMessageAndPrettyJson) {
  EXPECT_EQ(error_message(R"({"error":{"code":"x","message":"m"}})"), "m");
  EXPECT_EQ(error_message("plain"), "plain");
  EXPECT_EQ(pretty_json(R"({"a":1})"), "{\n  \"a\": 1\n}\n");
  EXPECT_EQ(pretty_json("oops"), "oops");
}
