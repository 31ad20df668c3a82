#include "adapters/finnhub/finnhub_adapter.hpp"
#include "adapters/finnhub/finnhub_parse.hpp"
#include "adapters/finnhub/finnhub_request.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/finnhub/finnhub_provider.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::dec;
using test::expect_error;
using test::expect_result;
using test::read_fixture;
using test::reply_of;
using test::request;

// After every fixture's times (2027-01-15T08:00:00Z).
constexpr int64_t recv_ns = 1'800'000'000 * ns_per_s;

std::string fixture(std::string_view name) {
  return read_fixture("finnhub/rest/" + std::string{name});
}

std::unique_ptr<rest_adapter> adapter(kv_list overrides = {}) {
  adapter_options opts;
  opts.symbol_overrides = std::move(overrides);
  return make_finnhub_adapter(opts);
}

credentials key() { return credentials{"TOK42"}; }

// -- fixtures -----------------------------------------------------------------

TEST(FinnhubParse, QuoteAapl) {
  auto a = adapter();
  auto res = expect_result(
    a->parse(request(fetch_kind::price, "AAPL"),
             reply_of(200, fixture("quote.docs_example.json")), recv_ns));
  ASSERT_EQ(res.prices.size(), 1u);
  EXPECT_TRUE(res.bars.empty());
  const auto& p = res.prices[0];
  EXPECT_EQ(p.instrument, "AAPL");
  EXPECT_EQ(p.source, providers::finnhub);
  EXPECT_EQ(p.value, dec(26174, 2)); // c 261.74
  EXPECT_EQ(p.ts_event_ns, 1'582'641'000 * ns_per_s); // t in SECONDS
  EXPECT_EQ(p.ts_recv_ns, recv_ns);
  EXPECT_TRUE(p.trade_id.empty());
}

TEST(FinnhubParse, StockCandleAapl) {
  auto a = adapter();
  auto res = expect_result(
    a->parse(request(fetch_kind::bars, "AAPL"),
             reply_of(200, fixture("stock_candle_AAPL_D.docs_example.json")),
             recv_ns));
  ASSERT_EQ(res.bars.size(), 3u);
  struct row {
    int64_t t_s; // the trading day, 00:00Z (t is its US/Eastern midnight, 04:00Z)
    decimal o, h, l, c, v;
  };
  const row rows[] = {
    {1'569'283'200, dec(22103, 2), dec(22249, 2), dec(21719, 2),
     dec(21768, 2), dec(33463820, 0)},
    {1'569'369'600, dec(21855, 2), dec(2215, 1), dec(2171402, 4),
     dec(22103, 2), dec(24018876, 0)},
    {1'569'456'000, dec(220, 0), dec(22094, 2), dec(21883, 2), dec(21989, 2),
     dec(20730608, 0)},
  };
  for (size_t i = 0; i < std::size(rows); ++i) {
    const auto& b = res.bars[i];
    const auto& r = rows[i];
    EXPECT_EQ(b.instrument, "AAPL") << i;
    EXPECT_EQ(b.provider_symbol, "AAPL") << i;
    EXPECT_EQ(b.source, providers::finnhub) << i;
    EXPECT_EQ(b.span, interval::d1) << i;
    EXPECT_EQ(b.open_time_ns, r.t_s * ns_per_s) << i;
    EXPECT_EQ(b.open, r.o) << i;
    EXPECT_EQ(b.high, r.h) << i;
    EXPECT_EQ(b.low, r.l) << i;
    EXPECT_EQ(b.close, r.c) << i;
    EXPECT_EQ(b.volume, r.v) << i;
    EXPECT_EQ(b.trade_count, 0u) << i;
    EXPECT_TRUE(b.closed) << i;
    EXPECT_EQ(b.ts_recv_ns, recv_ns) << i;
  }
}

TEST(FinnhubParse, CandlesKeepTheLastLimitBars) {
  auto req = request(fetch_kind::bars, "AAPL");
  req.limit = 2;
  auto res = expect_result(adapter()->parse(
    req, reply_of(200, fixture("stock_candle_AAPL_D.docs_example.json")),
    recv_ns));
  ASSERT_EQ(res.bars.size(), 2u);
  // 2019-09-25 and 2019-09-26, 00:00Z (docs/API.md "Bar convention").
  EXPECT_EQ(res.bars[0].open_time_ns, 1'569'369'600 * ns_per_s);
  EXPECT_EQ(res.bars[1].open_time_ns, 1'569'456'000 * ns_per_s);
}

TEST(FinnhubParse, OpenCandleIsNotClosed) {
  finnhub::parse_context ctx{"AAPL", "AAPL", interval::h1, 0,
                             1'569'297'600 * ns_per_s + 3'599 * ns_per_s};
  auto bars = finnhub::parse_candles(
    R"({"s":"ok","t":[1569297600],"o":[1],"h":[1],"l":[1],"c":[1],"v":[0]})",
    ctx);
  ASSERT_TRUE(bars) << bars.err().message();
  EXPECT_FALSE(bars->at(0).closed);
  EXPECT_TRUE(bars->at(0).volume.is_zero());
}

// -- unknown symbol, no data, error bodies ------------------------------------

TEST(FinnhubParse, UnknownSymbolAnswersZeros) {
  auto e = expect_error(adapter()->parse(
    request(fetch_kind::price, "ZZZZ"),
    reply_of(200, R"({"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,)"
                  R"("t":0})"),
    recv_ns));
  EXPECT_EQ(e.code, errc::unknown_symbol);
  EXPECT_EQ(e.message, "ZZZZ");
}

TEST(FinnhubParse, ZeroPriceWithATimeIsData) {
  auto res = expect_result(adapter()->parse(
    request(fetch_kind::price, "AAPL"),
    reply_of(200, R"({"c":0,"h":0,"l":0,"o":0,"pc":1.5,"t":1582641000,)"
                  R"("d":-1.5,"dp":-100})"),
    recv_ns));
  ASSERT_EQ(res.prices.size(), 1u);
  EXPECT_TRUE(res.prices[0].value.is_zero()); // validators judge it
}

TEST(FinnhubParse, NoDataIsNotFound) {
  const char* bodies[] = {
    R"({"s":"no_data"})",
    R"({"c":[],"h":[],"l":[],"o":[],"s":"ok","t":[],"v":[]})",
  };
  for (const char* body : bodies) {
    auto e = expect_error(adapter()->parse(request(fetch_kind::bars, "AAPL"),
                                           reply_of(200, body), recv_ns));
    EXPECT_EQ(e.code, errc::not_found) << body;
  }
}

TEST(FinnhubParse, ErrorBodies) {
  struct row {
    long status;
    const char* body;
    kv_list headers;
    errc code;
    const char* message;
    int64_t retry_after_ns;
  };
  const row rows[] = {
    {401, R"({"error":"Invalid API key."})", {}, errc::unauthorized,
     "Invalid API key.", 0},
    {403, R"({"error":"You don't have access to this resource."})", {},
     errc::unauthorized, "You don't have access to this resource.", 0},
    {429,
     R"({"error":"API limit reached. Please try again later. Remaining )"
     R"(Limit: 0"})",
     {{"retry-after", "1"}}, errc::rate_limited,
     "API limit reached. Please try again later. Remaining Limit: 0",
     ns_per_s},
    {429, "", {}, errc::rate_limited, "HTTP 429", 0},
    {200, R"({"error":"Invalid API key."})", {}, errc::unauthorized,
     "Invalid API key.", 0},
    {200, R"({"error":"You don't have access to this resource."})", {},
     errc::unauthorized, "You don't have access to this resource.", 0},
    {200, R"({"error":"API limit reached. Please try again later."})", {},
     errc::rate_limited, "API limit reached. Please try again later.", 0},
    {200, R"({"error":"Symbol not supported."})", {}, errc::provider_error,
     "Symbol not supported.", 0},
    {200, R"({"error":5})", {}, errc::provider_error, "finnhub: error body",
     0},
    {400, R"({"error":"Wrong resolution."})", {}, errc::provider_error,
     "Wrong resolution.", 0},
    {400, R"({"error":"Invalid API key."})", {}, errc::unauthorized,
     "Invalid API key.", 0},
    {500, "<html>oops</html>", {}, errc::provider_error, "HTTP 500", 0},
    {404, "", {}, errc::not_found, "HTTP 404", 0},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    for (auto kind : {fetch_kind::price, fetch_kind::bars}) {
      auto e = expect_error(a->parse(request(kind, "AAPL"),
                                     reply_of(r.status, r.body, r.headers),
                                     recv_ns));
      EXPECT_EQ(e.code, r.code) << r.status << " " << r.body;
      EXPECT_EQ(e.message, r.message) << r.status << " " << r.body;
      EXPECT_EQ(e.retry_after_ns, r.retry_after_ns) << r.body;
    }
  }
}

// -- garbage, wrong types, missing fields -------------------------------------

TEST(FinnhubParse, GarbageIsMalformed) {
  const char* bodies[] = {"", "{", "[]", "\"ok\"", "null",
                          R"({"c":1} {"c":2})"};
  auto a = adapter();
  for (const char* body : bodies) {
    for (auto kind : {fetch_kind::price, fetch_kind::bars}) {
      auto e = expect_error(
        a->parse(request(kind, "AAPL"), reply_of(200, body), recv_ns));
      EXPECT_EQ(e.code, errc::malformed) << body;
    }
  }
}

TEST(FinnhubParse, QuoteFieldProblems) {
  struct row {
    const char* body;
    const char* message;
  };
  const row rows[] = {
    {R"({"h":1,"l":1,"o":1,"pc":1,"t":1})", "missing_field: c"},
    {R"({"c":1,"h":1,"l":1,"o":1,"t":1})", "missing_field: pc"},
    {R"({"c":1,"h":1,"l":1,"o":1,"pc":1})", "missing_field: t"},
    {R"({"c":"261.74","h":1,"l":1,"o":1,"pc":1,"t":1})",
     "malformed: c: expected a number, got a string"},
    {R"({"c":null,"h":1,"l":1,"o":1,"pc":1,"t":1})",
     "malformed: c: expected a number, got null"},
    {R"({"c":1,"h":[1],"l":1,"o":1,"pc":1,"t":1})",
     "malformed: h: expected a number, got an array"},
    {R"({"c":1,"h":1,"l":1,"o":1,"pc":1,"t":1582641000.5})",
     "bad_number: t: "},
    {R"({"c":1,"h":1,"l":1,"o":1,"pc":1,"t":-1})",
     "out_of_range: t: timestamp out of range"},
    {R"({"c":1,"h":1,"l":1,"o":1,"pc":1,"t":99999999999999999})",
     "out_of_range: t: timestamp out of range"},
    {R"({"c":1.0000000000000000001,"h":1,"l":1,"o":1,"pc":1,"t":1})",
     "bad_number: c: "}, // 20 significant digits: no exact decimal
    // RapidJSON refuses numbers beyond the double range while parsing, even
    // when it keeps their text.
    {R"({"c":1e400,"h":1,"l":1,"o":1,"pc":1,"t":1})",
     "malformed: offset 5: Number too big to be stored in double."},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto e = expect_error(a->parse(request(fetch_kind::price, "AAPL"),
                                   reply_of(200, r.body), recv_ns));
    EXPECT_EQ(e.code, errc::malformed) << r.body;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u)
      << r.body << " -> " << e.message;
  }
}

TEST(FinnhubParse, CandleFieldProblems) {
  struct row {
    const char* body;
    const char* message;
  };
  const row rows[] = {
    {R"({"t":[1],"o":[1],"h":[1],"l":[1],"c":[1],"v":[1]})",
     "missing_field: s"},
    {R"({"s":"error"})",
     R"(malformed: s: expected "ok" or "no_data", got "error")"},
    {R"({"s":1})", "malformed: s: expected a string, got a number"},
    {R"({"s":"ok","o":[1],"h":[1],"l":[1],"c":[1],"v":[1]})",
     "missing_field: t"},
    {R"({"s":"ok","t":[1],"o":[1],"h":[1],"l":[1],"c":[1]})",
     "missing_field: v"},
    {R"({"s":"ok","t":[1,2],"o":[1,2],"h":[1,2],"l":[1,2],"c":[1],)"
     R"("v":[1,2]})",
     "malformed: c: 1 values for 2 timestamps"},
    {R"({"s":"ok","t":[1],"o":[1],"h":[1],"l":[1],"c":7,"v":[1]})",
     "malformed: c: expected an array, got a number"},
    {R"({"s":"ok","t":[1],"o":["1"],"h":[1],"l":[1],"c":[1],"v":[1]})",
     "malformed: o[0]: expected a number, got a string"},
    {R"({"s":"ok","t":[1,2],"o":[1,2],"h":[1,2],"l":[1,null],"c":[1,2],)"
     R"("v":[1,2]})",
     "malformed: l[1]: expected a number, got null"},
    {R"({"s":"ok","t":[1.5],"o":[1],"h":[1],"l":[1],"c":[1],"v":[1]})",
     "bad_number: t[0]: "},
    {R"({"s":"ok","t":[-60],"o":[1],"h":[1],"l":[1],"c":[1],"v":[1]})",
     "out_of_range: t[0]: timestamp out of range"},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto e = expect_error(a->parse(request(fetch_kind::bars, "AAPL"),
                                   reply_of(200, r.body), recv_ns));
    EXPECT_EQ(e.code, errc::malformed) << r.body;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u)
      << r.body << " -> " << e.message;
  }
}

// -- request builders ---------------------------------------------------------

TEST(FinnhubRequest, BuildsEachKind) {
  struct row {
    fetch_request req;
    std::string path;
    kv_list query;
  };
  auto bars = [](interval iv, int64_t start, int64_t end, size_t limit) {
    auto r = request(fetch_kind::bars, "AAPL", iv);
    r.start_ns = start;
    r.end_ns = end;
    r.limit = limit;
    return r;
  };
  constexpr int64_t t0 = 1'569'297'600 * ns_per_s;
  constexpr int64_t t2 = 1'569'470'400 * ns_per_s;
  const row rows[] = {
    {request(fetch_kind::price, "AAPL"), "/api/v1/quote",
     {{"symbol", "AAPL"}}},
    {bars(interval::d1, t0, t2, 0), "/api/v1/stock/candle",
     {{"symbol", "AAPL"}, {"resolution", "D"}, {"from", "1569297600"},
      {"to", "1569470400"}}},
    {bars(interval::m5, t0 + 999'999'999, 0, 0), "/api/v1/stock/candle",
     {{"symbol", "AAPL"}, {"resolution", "5"}, {"from", "1569297600"},
      {"to", "4102444800"}}},
    // No start: from = end - limit * span (10 days).
    {bars(interval::d1, 0, t2, 10), "/api/v1/stock/candle",
     {{"symbol", "AAPL"}, {"resolution", "D"}, {"from", "1568606400"},
      {"to", "1569470400"}}},
    // Months count 31 days here.
    {bars(interval::mo1, 0, t2, 2), "/api/v1/stock/candle",
     {{"symbol", "AAPL"}, {"resolution", "M"}, {"from", "1564113600"},
      {"to", "1569470400"}}},
    {bars(interval::h1, 0, t2, 1'000'000'000), "/api/v1/stock/candle",
     {{"symbol", "AAPL"}, {"resolution", "60"}, {"from", "0"},
      {"to", "1569470400"}}},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto out = a->build(r.req, key());
    ASSERT_TRUE(out) << r.path << ": " << out.err().message();
    EXPECT_EQ(out->method, "GET");
    EXPECT_EQ(out->path, r.path);
    EXPECT_EQ(out->query, r.query);
    EXPECT_EQ(out->headers, (kv_list{{"X-Finnhub-Token", "TOK42"}}));
    EXPECT_EQ(out->secrets, std::vector<std::string>{"TOK42"});
  }
}

TEST(FinnhubRequest, TokenNeverAppearsInTheUrl) {
  auto out = adapter()->build(request(fetch_kind::price, "AAPL"), key());
  ASSERT_TRUE(out);
  auto url = out->url("http://127.0.0.1:9");
  EXPECT_EQ(url.find("TOK42"), std::string::npos) << url;
  EXPECT_EQ(url, "http://127.0.0.1:9/api/v1/quote?symbol=AAPL");
}

TEST(FinnhubRequest, MapsResolutions) {
  struct row {
    interval iv;
    const char* resolution; // nullptr: not offered
  };
  const row rows[] = {
    {interval::s1, nullptr}, {interval::m1, "1"},     {interval::m3, nullptr},
    {interval::m5, "5"},     {interval::m15, "15"},   {interval::m30, "30"},
    {interval::h1, "60"},    {interval::h2, nullptr}, {interval::h4, nullptr},
    {interval::h6, nullptr}, {interval::h8, nullptr}, {interval::h12, nullptr},
    {interval::d1, "D"},     {interval::d3, nullptr}, {interval::w1, "W"},
    {interval::mo1, "M"},
  };
  auto a = adapter();
  size_t offered = 0;
  for (const auto& r : rows) {
    auto req = request(fetch_kind::bars, "AAPL", r.iv);
    req.start_ns = ns_per_s;
    auto out = a->build(req, key());
    if (r.resolution == nullptr) {
      ASSERT_FALSE(out) << to_string(r.iv);
      EXPECT_EQ(out.err().code, errc::invalid_argument);
      continue;
    }
    ++offered;
    ASSERT_TRUE(out) << to_string(r.iv);
    EXPECT_EQ(out->query[1],
              (kv_list::value_type{"resolution", r.resolution}));
  }
  EXPECT_EQ(a->info().intervals.size(), offered);
}

TEST(FinnhubRequest, RefusesBadRequests) {
  struct row {
    const char* name;
    fetch_request req;
    credentials cred;
    errc code;
  };
  auto bars = [](int64_t start, int64_t end, size_t limit) {
    auto r = request(fetch_kind::bars, "AAPL");
    r.start_ns = start;
    r.end_ns = end;
    r.limit = limit;
    return r;
  };
  const row rows[] = {
    {"crypto pair", request(fetch_kind::price, "BTC-USD"), key(),
     errc::unknown_symbol},
    {"forex pair", request(fetch_kind::price, "EUR-USD"), key(),
     errc::unknown_symbol},
    {"index", request(fetch_kind::price, "^GSPC"), key(),
     errc::unknown_symbol},
    {"provider form", request(fetch_kind::price, "BINANCE:BTCUSDT"), key(),
     errc::unknown_symbol},
    {"quote kind", request(fetch_kind::quote, "AAPL"), key(),
     errc::invalid_argument},
    {"no range", bars(0, 0, 0), key(), errc::invalid_argument},
    {"no start, no limit", bars(0, ns_per_s, 0), key(),
     errc::invalid_argument},
    {"no start, no end", bars(0, 0, 5), key(), errc::invalid_argument},
    {"start after end", bars(2 * ns_per_s, ns_per_s, 0), key(),
     errc::invalid_argument},
    {"negative", bars(-ns_per_s, 0, 0), key(), errc::invalid_argument},
    {"no key", request(fetch_kind::price, "AAPL"), credentials{},
     errc::unauthorized},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto out = a->build(r.req, r.cred);
    ASSERT_FALSE(out) << r.name;
    EXPECT_EQ(out.err().code, r.code) << r.name;
  }
}

// -- symbols ------------------------------------------------------------------

TEST(FinnhubSymbols, EquitiesAsIsAndOverridesBothWays) {
  auto a = adapter();
  for (const char* s : {"AAPL", "BRK.B", "MSFT"}) {
    EXPECT_EQ(a->to_provider_symbol(s), s);
    EXPECT_EQ(a->to_canonical(s), s);
  }
  for (const char* s : {"BTC-USD", "EUR-USD", "^GSPC", "aapl", ""})
    EXPECT_EQ(a->to_provider_symbol(s), "") << s;
  for (const char* s : {"BINANCE:BTCUSDT", "OANDA:EUR_USD", "aapl", ""})
    EXPECT_EQ(a->to_canonical(s), "") << s;
  auto b = adapter({{"BTC-USDT", "BINANCE:BTCUSDT"}, {"AAPL", "AAPL.US"}});
  EXPECT_EQ(b->to_provider_symbol("BTC-USDT"), "BINANCE:BTCUSDT");
  EXPECT_EQ(b->to_canonical("BINANCE:BTCUSDT"), "BTC-USDT");
  EXPECT_EQ(b->to_provider_symbol("AAPL"), "AAPL.US"); // override wins
  EXPECT_EQ(b->to_canonical("AAPL.US"), "AAPL");
  EXPECT_EQ(b->to_provider_symbol("MSFT"), "MSFT");
  auto out = b->build(request(fetch_kind::price, "BTC-USDT"), key());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->query, (kv_list{{"symbol", "BINANCE:BTCUSDT"}}));
  auto res = expect_result(b->parse(
    request(fetch_kind::price, "BTC-USDT"),
    reply_of(200, R"({"c":65000.12,"h":1,"l":1,"o":1,"pc":1,"t":1700000000})"),
    recv_ns));
  ASSERT_EQ(res.prices.size(), 1u);
  EXPECT_EQ(res.prices[0].instrument, "BTC-USDT");
  EXPECT_EQ(res.prices[0].value, dec(6500012, 2));
}

TEST(FinnhubAdapter, Info) {
  auto a = adapter();
  const auto& i = a->info();
  EXPECT_EQ(i.id, providers::finnhub);
  EXPECT_TRUE(i.needs_key);
  EXPECT_EQ(i.asset_classes, std::vector<asset_class>{asset_class::equity});
  EXPECT_EQ(i.data_types,
            (std::vector<fetch_kind>{fetch_kind::price, fetch_kind::bars,
                                     fetch_kind::profile, fetch_kind::news}));
}

} // namespace
} // namespace tickflow
