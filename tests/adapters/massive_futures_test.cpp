#include "adapters/massive_futures/massive_futures_adapter.hpp"
#include "adapters/massive_futures/massive_futures_parse.hpp"
#include "adapters/massive_futures/massive_futures_request.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/massive_futures/massive_futures_provider.hpp"
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
  return read_fixture("massive_futures/rest/" + std::string{name});
}

std::unique_ptr<rest_adapter> adapter(kv_list overrides = {}) {
  adapter_options opts;
  opts.symbol_overrides = std::move(overrides);
  return make_massive_futures_adapter(opts);
}

credentials key() { return credentials{"FKEY"}; }

// -- fixtures -----------------------------------------------------------------

TEST(MassiveFuturesParse, AggsGcj5) {
  auto a = adapter();
  auto res = expect_result(
    a->parse(request(fetch_kind::bars, "GCJ5"),
             reply_of(200,
                      fixture("futures_vX_aggs_GCJ5.openapi_example.json")),
             recv_ns));
  ASSERT_EQ(res.bars.size(), 2u);
  const auto& b0 = res.bars[0];
  EXPECT_EQ(b0.instrument, "GCJ5");
  EXPECT_EQ(b0.provider_symbol, "GCJ5");
  EXPECT_EQ(b0.source, providers::massive_futures);
  EXPECT_EQ(b0.span, interval::d1);
  EXPECT_EQ(b0.open_time_ns, 1'738'627'200'000'000'000); // 2025-02-04
  EXPECT_EQ(b0.open, dec(28498, 1));   // 2849.8
  EXPECT_EQ(b0.high, dec(28771, 1));   // 2877.1
  EXPECT_EQ(b0.low, dec(28374, 1));    // 2837.4
  EXPECT_EQ(b0.close, dec(28742, 1));  // 2874.2
  EXPECT_EQ(b0.volume, dec(133072, 0));
  EXPECT_EQ(b0.trade_count, 74223u);
  EXPECT_TRUE(b0.closed);
  EXPECT_EQ(b0.ts_recv_ns, recv_ns);
  const auto& b1 = res.bars[1];
  EXPECT_EQ(b1.open_time_ns, 1'738'713'600'000'000'000); // 2025-02-05
  EXPECT_EQ(b1.open, dec(28737, 1));   // 2873.7
  EXPECT_EQ(b1.high, dec(2906, 0));    // 2906
  EXPECT_EQ(b1.low, dec(28701, 1));    // 2870.1
  EXPECT_EQ(b1.close, dec(28848, 1));  // 2884.8
  EXPECT_EQ(b1.volume, dec(155170, 0));
  EXPECT_EQ(b1.trade_count, 83673u);
  EXPECT_TRUE(b1.closed);
}

TEST(MassiveFuturesParse, TradesEsz4GiveTheNewestPrice) {
  auto a = adapter();
  auto res = expect_result(a->parse(
    request(fetch_kind::price, "ESZ4"),
    reply_of(200, fixture("futures_vX_trades_ESZ4.openapi_example.json")),
    recv_ns));
  ASSERT_EQ(res.prices.size(), 1u);
  const auto& p = res.prices[0];
  EXPECT_EQ(p.instrument, "ESZ4");
  EXPECT_EQ(p.source, providers::massive_futures);
  EXPECT_EQ(p.value, dec(6052, 0));
  EXPECT_EQ(p.trade_id, "27317882");
  EXPECT_EQ(p.ts_event_ns, 1'734'472'799'000'509'200);
  EXPECT_EQ(p.ts_recv_ns, recv_ns);
}

TEST(MassiveFuturesParse, DocumentedQuotesExampleIsRejected) {
  // The published example quotes its numbers with a stray comma
  // ("bid_price": "2660,"): not what the schema says.
  auto a = adapter();
  auto e = expect_error(a->parse(
    request(fetch_kind::quote, "GCJ5"),
    reply_of(200, fixture("futures_vX_quotes_GCJ5.openapi_example.json")),
    recv_ns));
  EXPECT_EQ(e.code, errc::malformed);
  EXPECT_EQ(e.message,
            R"(malformed: results[1].ticker: expected "GCJ5", got "GCJ5,")");
}

TEST(MassiveFuturesParse, QuotesGcj5SkipOneSidedQuotes) {
  auto a = adapter();
  auto res = expect_result(a->parse(
    request(fetch_kind::quote, "GCJ5"),
    reply_of(200,
             fixture("futures_vX_quotes_GCJ5.openapi_example.corrected.json")),
    recv_ns));
  ASSERT_EQ(res.quotes.size(), 1u);
  const auto& q = res.quotes[0]; // results[1]: results[0] has no ask
  EXPECT_EQ(q.instrument, "GCJ5");
  EXPECT_EQ(q.provider_symbol, "GCJ5");
  EXPECT_EQ(q.source, providers::massive_futures);
  EXPECT_EQ(q.bid_price, dec(26847, 1)); // 2684.7
  EXPECT_EQ(q.bid_size, dec(1, 0));
  EXPECT_EQ(q.ask_price, dec(26859, 1)); // 2685.9
  EXPECT_EQ(q.ask_size, dec(1, 0));
  EXPECT_EQ(q.ts_event_ns, 1'734'472'755'134'391'800);
  EXPECT_EQ(q.ts_recv_ns, recv_ns);
}

TEST(MassiveFuturesParse, Contracts) {
  auto page = massive_futures::parse_contracts(
    fixture("futures_vX_contracts.openapi_example.json"));
  ASSERT_TRUE(page) << page.err().message();
  ASSERT_EQ(page->items.size(), 1u);
  const auto& c = page->items[0];
  EXPECT_EQ(c.ticker, "00CN5");
  EXPECT_EQ(c.product_code, "00C");
  EXPECT_EQ(c.name, "00CN5 Future");
  EXPECT_EQ(c.trading_venue, "XCBT");
  EXPECT_EQ(c.type, "single");
  EXPECT_TRUE(c.active);
  EXPECT_EQ(c.date, "2025-02-26");
  EXPECT_EQ(c.first_trade_date, "2025-01-15");
  EXPECT_EQ(c.last_trade_date, "2025-07-14");
  EXPECT_EQ(c.settlement_date, "2025-07-14");
  EXPECT_EQ(c.days_to_maturity, 138);
  EXPECT_EQ(c.trade_tick_size, dec(25, 4)); // 0.0025
  // The fixture's own host; the path and the cursor are checked exactly.
  ASSERT_NE(page->next_url.find("/futures/"), std::string::npos);
  EXPECT_EQ(page->next_url.substr(page->next_url.find("/futures/")),
            "/futures/vX/contracts?cursor="
            "YWN0aXZlPXRydWUmZGF0ZT0yMDIxLTA0LTI1JmxpbWl0PTEmb3JkZXI9YXNjJnBh"
            "Z2VfbWFya2VyPUElN0M5YWRjMjY0ZTgyM2E1ZjBiOGUyNDc5YmZiOGE1YmYwNDVk"
            "YzU0YjgwMDcyMWE2YmI1ZjBjMjQwMjU4MjFmNGZiJnNvcnQ9dGlja2Vy");
}

TEST(MassiveFuturesParse, Products) {
  auto page = massive_futures::parse_products(
    fixture("futures_vX_products.openapi_example.json"));
  ASSERT_TRUE(page) << page.err().message();
  ASSERT_EQ(page->items.size(), 1u);
  const auto& p = page->items[0];
  EXPECT_EQ(p.product_code, "EBE");
  EXPECT_EQ(p.name, "1% Fuel Oil Barges FOB Rdam (Platts) vs. 1% Fuel Oil "
                    "Cargoes FOB NWE (Platts) BALMO Futures");
  EXPECT_EQ(p.trading_venue, "XNYM");
  EXPECT_EQ(p.type, "single");
  EXPECT_EQ(p.asset_class_name, "commodity");
  EXPECT_EQ(p.asset_sub_class, "energy");
  EXPECT_EQ(p.sector, "refined_products");
  EXPECT_EQ(p.sub_sector, "european");
  EXPECT_EQ(p.settlement_currency_code, "USD");
  EXPECT_EQ(p.trade_currency_code, "USD");
  EXPECT_EQ(p.price_quotation, "U.S. dollars and cents per metric ton");
  EXPECT_EQ(p.unit_of_measure, "MTONS");
  EXPECT_EQ(p.unit_of_measure_qty, dec(1000, 0));
  // The fixture's own host; the path and the cursor are checked exactly.
  ASSERT_NE(page->next_url.find("/futures/"), std::string::npos);
  EXPECT_EQ(page->next_url.substr(page->next_url.find("/futures/")),
            "/futures/vX/products?cursor="
            "YXA9MTAwJmFzPSZhc19vZj0yMDI1LTA3LTA3JmxpbWl0PTEwMCZzb3J0PW5hbWUu"
            "YXNj");
}

// -- replies without data, error bodies ---------------------------------------

TEST(MassiveFuturesParse, NoDataIsNotFound) {
  struct row {
    fetch_kind kind;
    const char* body;
  };
  const row rows[] = {
    {fetch_kind::bars, R"({"status":"OK","results":[]})"},
    {fetch_kind::bars, R"({"status":"OK"})"},
    {fetch_kind::price, R"({"status":"OK","results":[],"request_id":"x"})"},
    {fetch_kind::price, R"({"status":"OK","results":null})"},
    {fetch_kind::quote, R"({"status":"OK","results":[]})"},
    {fetch_kind::quote,
     R"({"status":"OK","results":[{"ticker":"GCJ5","bid_price":1,)"
     R"("bid_size":1,"timestamp":5},{"ticker":"GCJ5","ask_price":2,)"
     R"("ask_size":1,"timestamp":4}]})"},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto e = expect_error(
      a->parse(request(r.kind, "GCJ5"), reply_of(200, r.body), recv_ns));
    EXPECT_EQ(e.code, errc::not_found) << r.body;
  }
}

TEST(MassiveFuturesParse, ErrorBodies) {
  struct row {
    long status;
    const char* body;
    kv_list headers;
    errc code;
    const char* message;
    int64_t retry_after_ns;
  };
  const row rows[] = {
    {401, R"({"status":"ERROR","request_id":"x","error":"Unknown API Key"})",
     {}, errc::unauthorized, "Unknown API Key", 0},
    {403,
     R"({"status":"NOT_AUTHORIZED","request_id":"x","message":"You are not )"
     R"(entitled to this data."})",
     {}, errc::unauthorized, "You are not entitled to this data.", 0},
    {429, R"({"status":"ERROR","error":"too many"})", {{"retry-after", "30"}},
     errc::rate_limited, "too many", 30 * ns_per_s},
    {400,
     R"({"status":"ERROR","request_id":"x","error":"Bad Request - )"
     R"(resolution value is not allowed."})",
     {}, errc::provider_error,
     "Bad Request - resolution value is not allowed.", 0},
    {404, "", {}, errc::not_found, "HTTP 404", 0},
    {503, "<html></html>", {}, errc::provider_error, "HTTP 503", 0},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto e = expect_error(a->parse(request(fetch_kind::bars, "GCJ5"),
                                   reply_of(r.status, r.body, r.headers),
                                   recv_ns));
    EXPECT_EQ(e.code, r.code) << r.body;
    EXPECT_EQ(e.message, r.message) << r.body;
    EXPECT_EQ(e.retry_after_ns, r.retry_after_ns) << r.body;
  }
}

// -- garbage, wrong types, missing fields -------------------------------------

TEST(MassiveFuturesParse, GarbageIsMalformed) {
  const char* bodies[] = {"", "<html>", R"({"results":[)", "[]", "true",
                          R"({"results":"none"})"};
  auto a = adapter();
  for (const char* body : bodies) {
    for (auto kind : {fetch_kind::bars, fetch_kind::price, fetch_kind::quote}) {
      auto e = expect_error(
        a->parse(request(kind, "GCJ5"), reply_of(200, body), recv_ns));
      EXPECT_EQ(e.code, errc::malformed) << body;
    }
  }
}

TEST(MassiveFuturesParse, FieldProblems) {
  constexpr const char* bar_ok =
    R"("high":2,"low":1,"close":2,"volume":3,"transactions":1)";
  struct row {
    fetch_kind kind;
    std::string body;
    const char* message;
  };
  auto one = [](std::string fields) {
    return R"({"status":"OK","results":[{)" + fields + "}]}";
  };
  const row rows[] = {
    {fetch_kind::bars, one(std::string{R"("open":1,)"} + bar_ok),
     "missing_field: results[0].window_start"},
    {fetch_kind::bars,
     one(std::string{R"("window_start":1,"open":"1",)"} + bar_ok),
     "malformed: results[0].open: expected a number, got a string"},
    {fetch_kind::bars,
     one(std::string{R"("window_start":-5,"open":1,)"} + bar_ok),
     "out_of_range: results[0].window_start: timestamp out of range"},
    {fetch_kind::bars,
     one(std::string{R"("ticker":"ESZ4","window_start":1,"open":1,)"}
         + bar_ok),
     R"(malformed: results[0].ticker: expected "GCJ5", got "ESZ4")"},
    {fetch_kind::bars,
     one(R"("window_start":1,"open":1,"high":2,"low":1,"close":2)"),
     "missing_field: results[0].volume"},
    {fetch_kind::bars,
     one(R"("window_start":1,"open":1,"high":2,"low":1,"close":2,)"
         R"("volume":1,"transactions":1.5)"),
     "bad_number: results[0].transactions: "},
    {fetch_kind::price, one(R"("ticker":"GCJ5","timestamp":1)"),
     "missing_field: results[0].price"},
    {fetch_kind::price, one(R"("price":{},"timestamp":1)"),
     "malformed: results[0].price: expected a number, got an object"},
    {fetch_kind::price, one(R"("price":1,"timestamp":"1")"),
     "malformed: results[0].timestamp: expected a number, got a string"},
    {fetch_kind::price, one(R"("price":1,"timestamp":1,"sequence_number":"7")"),
     "malformed: results[0].sequence_number: expected a number, got a "
     "string"},
    {fetch_kind::quote,
     one(R"("bid_price":1,"ask_price":2,"ask_size":1,"timestamp":1)"),
     "missing_field: results[0].bid_size"},
    {fetch_kind::quote,
     one(R"("bid_price":1,"bid_size":1,"ask_price":2,"ask_size":1)"),
     "missing_field: results[0].timestamp"},
    {fetch_kind::quote,
     one(R"("bid_price":1,"bid_size":1,"ask_price":true,"ask_size":1,)"
         R"("timestamp":1)"),
     "malformed: results[0].ask_price: expected a number, got a boolean"},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto e = expect_error(
      a->parse(request(r.kind, "GCJ5"), reply_of(200, r.body), recv_ns));
    EXPECT_EQ(e.code, errc::malformed) << r.body;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u)
      << r.body << " -> " << e.message;
  }
}

TEST(MassiveFuturesParse, ReferenceListProblems) {
  struct row {
    bool contracts; // else products
    const char* body;
    errc code;
    const char* context;
  };
  const row rows[] = {
    {true, R"({"status":"OK"})", errc::missing_field, "results"},
    {true, R"({"results":[{"active":true}]})", errc::missing_field,
     "results[0].ticker"},
    {true, R"({"results":[{"ticker":"ESZ4"}]})", errc::missing_field,
     "results[0].active"},
    {true, R"({"results":[{"ticker":"ESZ4","active":"yes"}]})",
     errc::malformed, "results[0].active: expected a boolean, got a string"},
    {true, R"({"results":[{"ticker":"","active":true}]})", errc::malformed,
     "results[0].ticker: empty"},
    {true, R"({"results":[{"ticker":"ESZ4","active":true,)"
           R"("trade_tick_size":"0.25"}]})",
     errc::malformed,
     "results[0].trade_tick_size: expected a number, got a string"},
    {true, R"({"results":[{"ticker":"ESZ4","active":true,"name":5}]})",
     errc::malformed, "results[0].name: expected a string, got a number"},
    {false, R"({"results":[{"name":"E-mini"}]})", errc::missing_field,
     "results[0].product_code"},
    {false, R"({"results":[{"product_code":"ES","unit_of_measure_qty":"50"}]})",
     errc::malformed,
     "results[0].unit_of_measure_qty: expected a number, got a string"},
    {false, R"({"results":{}})", errc::malformed,
     "results: expected an array, got an object"},
    {false, "nope", errc::malformed, "offset "},
  };
  for (const auto& r : rows) {
    auto err = r.contracts ? massive_futures::parse_contracts(r.body).err()
                           : massive_futures::parse_products(r.body).err();
    EXPECT_EQ(err.code, r.code) << r.body;
    if (std::string_view{r.context} == "offset ") // RapidJSON's words
      EXPECT_EQ(err.context.rfind(r.context, 0), 0u) << err.context;
    else
      EXPECT_EQ(err.context, r.context) << r.body;
  }
}

TEST(MassiveFuturesParse, ReferenceListsAllowEmptyPagesAndNulls) {
  auto c = massive_futures::parse_contracts(
    R"({"status":"OK","results":[]})");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->items.empty());
  EXPECT_TRUE(c->next_url.empty());
  auto p = massive_futures::parse_products(
    R"({"results":[{"product_code":"ES","name":null}],"next_url":null})");
  ASSERT_TRUE(p) << p.err().message();
  ASSERT_EQ(p->items.size(), 1u);
  EXPECT_EQ(p->items[0].product_code, "ES");
  EXPECT_TRUE(p->items[0].name.empty());
  EXPECT_TRUE(p->items[0].unit_of_measure_qty.is_zero());
}

// -- request builders ---------------------------------------------------------

TEST(MassiveFuturesRequest, BuildsEachKind) {
  struct row {
    fetch_request req;
    std::string path;
    kv_list query;
  };
  auto bars = [](std::string id, interval iv, int64_t start, int64_t end,
                 size_t limit) {
    auto r = request(fetch_kind::bars, std::move(id), iv);
    r.start_ns = start;
    r.end_ns = end;
    r.limit = limit;
    return r;
  };
  const row rows[] = {
    {bars("GCJ5", interval::d1, 1'738'627'200'000'000'000,
          1'738'713'600'000'000'000, 2),
     "/futures/vX/aggs/GCJ5",
     {{"resolution", "1day"},
      {"window_start.gte", "1738627200000000000"},
      {"window_start.lte", "1738713600000000000"},
      {"limit", "2"},
      {"sort", "window_start.asc"},
      {"apiKey", "FKEY"}}},
    {bars("ESZ4", interval::m1, 0, 0, 0), "/futures/vX/aggs/ESZ4",
     {{"resolution", "1min"}, {"sort", "window_start.desc"},
      {"apiKey", "FKEY"}}},
    {bars("ESZ4", interval::h1, 0, 1'000, 500), "/futures/vX/aggs/ESZ4",
     {{"resolution", "1hour"}, {"window_start.lte", "1000"},
      {"limit", "500"}, {"sort", "window_start.desc"}, {"apiKey", "FKEY"}}},
    {request(fetch_kind::price, "ESZ4"), "/futures/vX/trades/ESZ4",
     {{"limit", "1"}, {"sort", "timestamp.desc"}, {"apiKey", "FKEY"}}},
    {request(fetch_kind::quote, "GCJ5"), "/futures/vX/quotes/GCJ5",
     {{"limit", "10"}, {"sort", "timestamp.desc"}, {"apiKey", "FKEY"}}},
  };
  auto a = adapter();
  for (const auto& r : rows) {
    auto out = a->build(r.req, key());
    ASSERT_TRUE(out) << r.path << ": " << out.err().message();
    EXPECT_EQ(out->method, "GET");
    EXPECT_EQ(out->path, r.path);
    EXPECT_EQ(out->query, r.query) << r.path;
    EXPECT_TRUE(out->headers.empty());
    EXPECT_EQ(out->secrets, std::vector<std::string>{"FKEY"});
  }
}

TEST(MassiveFuturesRequest, PathPrefixCanBeChanged) {
  adapter_options opts;
  auto a = make_massive_futures_adapter(opts, "/futures/v1");
  auto out = a->build(request(fetch_kind::bars, "GCJ5"), key());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->path, "/futures/v1/aggs/GCJ5");
  out = a->build(request(fetch_kind::price, "GCJ5"), key());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->path, "/futures/v1/trades/GCJ5");
}

TEST(MassiveFuturesRequest, ReferenceListRequests) {
  namespace mf = massive_futures;
  auto c = mf::contracts_request(mf::default_path_prefix, "ES", 100, "FKEY");
  EXPECT_EQ(c.path, "/futures/vX/contracts");
  EXPECT_EQ(c.query, (kv_list{{"product_code", "ES"},
                              {"limit", "100"},
                              {"apiKey", "FKEY"}}));
  EXPECT_EQ(c.secrets, std::vector<std::string>{"FKEY"});
  c = mf::contracts_request(mf::default_path_prefix, "", 0, "FKEY");
  EXPECT_EQ(c.query, (kv_list{{"apiKey", "FKEY"}}));
  auto p = mf::products_request(mf::default_path_prefix, 0, "FKEY");
  EXPECT_EQ(p.path, "/futures/vX/products");
  EXPECT_EQ(p.query, (kv_list{{"apiKey", "FKEY"}}));
  p = mf::products_request("/futures/v1", 25, "FKEY");
  EXPECT_EQ(p.path, "/futures/v1/products");
  EXPECT_EQ(p.query, (kv_list{{"limit", "25"}, {"apiKey", "FKEY"}}));
}

TEST(MassiveFuturesRequest, MapsIntervals) {
  struct row {
    interval iv;
    const char* resolution; // nullptr: not offered
  };
  const row rows[] = {
    {interval::s1, "1sec"},   {interval::m1, "1min"},
    {interval::m3, nullptr},  {interval::m5, "5min"},
    {interval::m15, "15min"}, {interval::m30, "30min"},
    {interval::h1, "1hour"},  {interval::h2, nullptr},
    {interval::h4, "4hour"},  {interval::h6, nullptr},
    {interval::h8, nullptr},  {interval::h12, nullptr},
    {interval::d1, "1day"},   {interval::d3, nullptr},
    {interval::w1, "1week"},  {interval::mo1, "1month"},
  };
  auto a = adapter();
  size_t offered = 0;
  for (const auto& r : rows) {
    auto out = a->build(request(fetch_kind::bars, "ESZ4", r.iv), key());
    if (r.resolution == nullptr) {
      ASSERT_FALSE(out) << to_string(r.iv);
      EXPECT_EQ(out.err().code, errc::invalid_argument);
      continue;
    }
    ++offered;
    ASSERT_TRUE(out) << to_string(r.iv);
    EXPECT_EQ(out->query.front(), (kv_list::value_type{"resolution",
                                                       r.resolution}));
  }
  EXPECT_EQ(a->info().intervals.size(), offered);
}

TEST(MassiveFuturesRequest, RefusesBadRequests) {
  struct row {
    const char* name;
    fetch_request req;
    credentials cred;
    errc code;
  };
  auto bars = [](int64_t start, int64_t end, size_t limit) {
    auto r = request(fetch_kind::bars, "ESZ4");
    r.start_ns = start;
    r.end_ns = end;
    r.limit = limit;
    return r;
  };
  const row rows[] = {
    {"lowercase", request(fetch_kind::price, "esz4"), key(),
     errc::unknown_symbol},
    {"empty", request(fetch_kind::price, ""), key(), errc::unknown_symbol},
    {"start after end", bars(5, 4, 0), key(), errc::invalid_argument},
    {"negative end", bars(0, -4, 0), key(), errc::invalid_argument},
    {"limit too big", bars(0, 0, 50'001), key(), errc::invalid_argument},
    {"no key", request(fetch_kind::quote, "ESZ4"), credentials{},
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

TEST(MassiveFuturesSymbols, ContractTickerBothWaysAndOverrides) {
  auto a = adapter();
  for (const char* t : {"ESZ4", "GCJ5", "00CN5", "ESZ24"}) {
    EXPECT_EQ(a->to_provider_symbol(t), t);
    EXPECT_EQ(a->to_canonical(t), t);
  }
  for (const char* t : {"esz4", "", " ESZ4"}) {
    EXPECT_EQ(a->to_provider_symbol(t), "") << t;
    EXPECT_EQ(a->to_canonical(t), "") << t;
  }
  auto b = adapter({{"ES-FRONT", "ESZ4"}});
  EXPECT_EQ(b->to_provider_symbol("ES-FRONT"), "ESZ4");
  EXPECT_EQ(b->to_canonical("ESZ4"), "ES-FRONT");
  EXPECT_EQ(b->to_canonical("ESH5"), "ESH5");
  auto out = b->build(request(fetch_kind::price, "ES-FRONT"), key());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->path, "/futures/vX/trades/ESZ4");
  auto res = expect_result(b->parse(
    request(fetch_kind::price, "ES-FRONT"),
    reply_of(200, fixture("futures_vX_trades_ESZ4.openapi_example.json")),
    recv_ns));
  ASSERT_EQ(res.prices.size(), 1u);
  EXPECT_EQ(res.prices[0].instrument, "ES-FRONT");
}

TEST(MassiveFuturesAdapter, Info) {
  auto a = adapter();
  const auto& i = a->info();
  EXPECT_EQ(i.id, providers::massive_futures);
  EXPECT_TRUE(i.needs_key);
  EXPECT_EQ(i.asset_classes, std::vector<asset_class>{asset_class::futures});
  EXPECT_EQ(i.data_types,
            (std::vector<fetch_kind>{fetch_kind::price, fetch_kind::bars,
                                     fetch_kind::quote}));
}

} // namespace
} // namespace tickflow
