#include "adapters/binance/binance_adapter.hpp"
#include "adapters/binance/binance_parse.hpp"
#include "adapters/binance/binance_request.hpp"
#include "adapters/binance/binance_symbols.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <variant>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/common/curl_client.hpp"
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

// Well after every fixture's times (2023-11-14T22:13:20Z).
constexpr int64_t recv_ns = 1'700'000'000 * ns_per_s;

std::string fixture(std::string_view name) {
  return read_fixture("binance/rest/" + std::string{name});
}

rapidjson::Document json(std::string_view text) {
  rapidjson::Document doc;
  auto ok = binance::parse_json(text, doc);
  EXPECT_TRUE(ok) << text;
  return doc;
}

// -- fixtures, field by field -------------------------------------------------

TEST(BinanceParse, KlinesFixture) {
  auto adapter = make_binance_adapter({});
  auto req = request(fetch_kind::bars, "BNB-BTC", interval::w1);
  auto out = expect_result(adapter->parse(
    req, reply_of(200, fixture("api_v3_klines.docs.json")), recv_ns));
  ASSERT_EQ(out.bars.size(), 1u);
  EXPECT_TRUE(out.prices.empty());
  EXPECT_TRUE(out.quotes.empty());
  const auto& b = out.bars[0];
  EXPECT_EQ(b.instrument, "BNB-BTC");
  EXPECT_EQ(b.provider_symbol, "BNBBTC");
  EXPECT_EQ(b.source, providers::binance);
  EXPECT_EQ(b.span, interval::w1);
  EXPECT_EQ(b.open_time_ns, 1'499'040'000'000'000'000); // 2017-07-03
  EXPECT_EQ(b.open, dec(163479, 7));                    // "0.01634790"
  EXPECT_EQ(b.high, dec(8, 1));                         // "0.80000000"
  EXPECT_EQ(b.low, dec(15758, 6));                      // "0.01575800"
  EXPECT_EQ(b.close, dec(15771, 6));                    // "0.01577100"
  EXPECT_EQ(b.volume, dec(14897611427815, 8));          // "148976.11427815"
  EXPECT_EQ(b.open.to_string(), "0.0163479");
  EXPECT_EQ(b.volume.to_string(), "148976.11427815");
  EXPECT_EQ(b.trade_count, 308u);
  EXPECT_TRUE(b.closed); // close time 1499644799999 ms < recv
  EXPECT_EQ(b.ts_recv_ns, recv_ns);
  EXPECT_EQ(b.flags, quality_none);
}

TEST(BinanceParse, KlineIsOpenUntilItsLastMillisecondPassed) {
  auto rows = json(fixture("api_v3_klines.docs.json"));
  constexpr int64_t close_ns = 1'499'644'799'999'000'000;
  struct row {
    int64_t recv;
    bool closed;
  };
  const row cases[] = {{close_ns - 1, false},
                       {close_ns, false},
                       {close_ns + ns_per_ms - 1, false},
                       {close_ns + ns_per_ms, true}};
  for (auto& c : cases) {
    auto bars = binance::parse_klines(rows, "BNB-BTC", "BNBBTC", interval::w1,
                                      c.recv);
    ASSERT_TRUE(bars);
    ASSERT_EQ(bars->size(), 1u);
    EXPECT_EQ((*bars)[0].closed, c.closed) << c.recv;
  }
}

TEST(BinanceParse, TickerPriceFixture) {
  auto adapter = make_binance_adapter({});
  auto out = expect_result(adapter->parse(
    request(fetch_kind::price, "LTC-BTC"),
    reply_of(200, fixture("api_v3_ticker_price_single.docs.json")), recv_ns));
  ASSERT_EQ(out.prices.size(), 1u);
  const auto& p = out.prices[0];
  EXPECT_EQ(p.instrument, "LTC-BTC");
  EXPECT_EQ(p.source, providers::binance);
  EXPECT_EQ(p.value, dec(4000002, 6)); // "4.00000200"
  EXPECT_EQ(p.value.to_string(), "4.000002");
  EXPECT_EQ(p.trade_id, "");
  EXPECT_EQ(p.ts_event_ns, recv_ns); // no time on the wire
  EXPECT_EQ(p.ts_recv_ns, recv_ns);
}

TEST(BinanceParse, TickerPriceListFixture) {
  binance::symbol_mapper symbols;
  auto prices = binance::parse_ticker_price_list(
    json(fixture("api_v3_ticker_price_list.docs.json")), symbols, recv_ns);
  ASSERT_TRUE(prices) << prices.err().message();
  ASSERT_EQ(prices->size(), 2u);
  EXPECT_EQ((*prices)[0].instrument, "LTC-BTC");
  EXPECT_EQ((*prices)[0].value, dec(4000002, 6)); // "4.00000200"
  EXPECT_EQ((*prices)[1].instrument, "ETH-BTC");
  EXPECT_EQ((*prices)[1].value, dec(79466, 6)); // "0.07946600"
  EXPECT_EQ((*prices)[1].value.to_string(), "0.079466");
  for (auto& p : *prices) {
    EXPECT_EQ(p.source, providers::binance);
    EXPECT_EQ(p.ts_event_ns, recv_ns);
    EXPECT_EQ(p.ts_recv_ns, recv_ns);
  }
  // Through the adapter: a list answers a price request too.
  auto adapter = make_binance_adapter({});
  auto out = expect_result(adapter->parse(
    request(fetch_kind::price, "ETH-BTC"),
    reply_of(200, fixture("api_v3_ticker_price_list.docs.json")), recv_ns));
  EXPECT_EQ(out.prices.size(), 2u);
}

TEST(BinanceParse, TickerPriceListSkipsUnmappableSymbols) {
  binance::symbol_mapper symbols;
  auto prices = binance::parse_ticker_price_list(
    json(R"([{"symbol":"ABCXYZ","price":"1.0"},)"
         R"({"symbol":"BTCUSDT","price":"65000.12"}])"),
    symbols, recv_ns);
  ASSERT_TRUE(prices);
  ASSERT_EQ(prices->size(), 1u);
  EXPECT_EQ((*prices)[0].instrument, "BTC-USDT");
  EXPECT_EQ((*prices)[0].value, dec(6500012, 2));
}

TEST(BinanceParse, Ticker24hrFullFixtureAsQuote) {
  auto adapter = make_binance_adapter({});
  auto out = expect_result(adapter->parse(
    request(fetch_kind::quote, "BNB-BTC"),
    reply_of(200, fixture("api_v3_ticker_24hr_full_single.docs.json")),
    recv_ns));
  ASSERT_EQ(out.quotes.size(), 1u);
  const auto& q = out.quotes[0];
  EXPECT_EQ(q.instrument, "BNB-BTC");
  EXPECT_EQ(q.provider_symbol, "BNBBTC");
  EXPECT_EQ(q.source, providers::binance);
  EXPECT_EQ(q.bid_price, dec(4, 0));       // "4.00000000"
  EXPECT_EQ(q.bid_size, dec(100, 0));      // "100.00000000"
  EXPECT_EQ(q.ask_price, dec(4000002, 6)); // "4.00000200"
  EXPECT_EQ(q.ask_size, dec(100, 0));      // "100.00000000"
  EXPECT_EQ(q.ts_event_ns, 1'499'869'899'040'000'000); // closeTime ms
  EXPECT_EQ(q.ts_recv_ns, recv_ns);
}

TEST(BinanceParse, Ticker24hrFixturesAsPrice) {
  for (auto name : {"api_v3_ticker_24hr_full_single.docs.json",
                    "api_v3_ticker_24hr_mini_single.docs.json"}) {
    SCOPED_TRACE(name);
    auto p = binance::parse_ticker_price(json(fixture(name)), "BNB-BTC",
                                         "BNBBTC", recv_ns);
    ASSERT_TRUE(p) << p.err().message();
    EXPECT_EQ(p->instrument, "BNB-BTC");
    EXPECT_EQ(p->source, providers::binance);
    EXPECT_EQ(p->value, dec(4000002, 6)); // lastPrice "4.00000200"
    EXPECT_EQ(p->trade_id, "28460");      // lastId
    EXPECT_EQ(p->ts_event_ns, 1'499'869'899'040'000'000); // closeTime
    EXPECT_EQ(p->ts_recv_ns, recv_ns);
  }
}

TEST(BinanceParse, Ticker24hrMiniHasNoQuote) {
  auto adapter = make_binance_adapter({});
  auto e = expect_error(adapter->parse(
    request(fetch_kind::quote, "BNB-BTC"),
    reply_of(200, fixture("api_v3_ticker_24hr_mini_single.docs.json")),
    recv_ns));
  EXPECT_EQ(e.code, errc::missing_field);
  EXPECT_EQ(e.message, "/api/v3/ticker/24hr: bidPrice");
}

TEST(BinanceParse, ExchangeInfoFixture) {
  auto table = binance::parse_exchange_info(
    fixture("api_v3_exchangeInfo.docs.json"));
  ASSERT_TRUE(table) << table.err().message();
  ASSERT_EQ(table->size(), 1u);
  const auto& s = (*table)[0];
  EXPECT_EQ(s.symbol, "ETHBTC");
  EXPECT_EQ(s.status, "TRADING");
  EXPECT_EQ(s.base_asset, "ETH");
  EXPECT_EQ(s.quote_asset, "BTC");
  EXPECT_EQ(s.price_precision, 8); // quoteAssetPrecision; filters are empty
  EXPECT_EQ(s.tick_size, decimal{});
}

TEST(BinanceParse, ExchangeInfoPrecisionFromPriceFilter) {
  auto table = binance::parse_exchange_info(R"({"symbols":[
    {"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC",
     "quoteAsset":"USDT","quotePrecision":8,"quoteAssetPrecision":8,
     "filters":[{"filterType":"LOT_SIZE","minQty":"0.00001000",
                 "maxQty":"9000.00000000","stepSize":"0.00001000"},
                {"filterType":"PRICE_FILTER","minPrice":"0.01000000",
                 "maxPrice":"1000000.00000000","tickSize":"0.01000000"}]},
    {"symbol":"OLDBTC","status":"BREAK","baseAsset":"OLD",
     "quoteAsset":"BTC","quotePrecision":6,"filters":[{}]}]})");
  ASSERT_TRUE(table) << table.err().message();
  ASSERT_EQ(table->size(), 2u);
  EXPECT_EQ((*table)[0].symbol, "BTCUSDT");
  EXPECT_EQ((*table)[0].tick_size, dec(1, 2)); // "0.01000000"
  EXPECT_EQ((*table)[0].price_precision, 2);
  EXPECT_EQ((*table)[1].symbol, "OLDBTC");
  EXPECT_EQ((*table)[1].status, "BREAK");
  EXPECT_EQ((*table)[1].price_precision, 6); // older quotePrecision only
  EXPECT_EQ((*table)[1].tick_size, decimal{});
}

// -- failure modes ------------------------------------------------------------

TEST(BinanceParse, ErrorBodies) {
  constexpr int64_t now = 1'445'412'480 * ns_per_s;
  struct row {
    const char* name;
    long status;
    std::string body;
    kv_list headers;
    errc code;
    std::string message;
    int64_t retry_after_ns;
  };
  const row rows[] = {
    {"-1121 fixture", 400, fixture("error_-1121_invalid_symbol.docs.json"),
     {}, errc::unknown_symbol, "Invalid symbol. (code -1121)", 0},
    {"-1121 with HTTP 200", 200, R"({"code":-1121,"msg":"Invalid symbol."})",
     {}, errc::unknown_symbol, "Invalid symbol. (code -1121)", 0},
    {"-1003 with Retry-After", 429,
     R"({"code":-1003,"msg":"Too much request weight used."})",
     {{"retry-after", "30"}}, errc::rate_limited,
     "Too much request weight used. (code -1003)", 30 * ns_per_s},
    {"-1003 without Retry-After", 418,
     R"({"code":-1003,"msg":"Way too much request weight used; IP banned."})",
     {}, errc::rate_limited,
     "Way too much request weight used; IP banned. (code -1003)", 0},
    {"-2014", 401, R"({"code":-2014,"msg":"API-key format invalid."})", {},
     errc::unauthorized, "API-key format invalid. (code -2014)", 0},
    {"-2015", 401,
     R"({"code":-2015,)"
     R"("msg":"Invalid API-key, IP, or permissions for action."})",
     {}, errc::unauthorized,
     "Invalid API-key, IP, or permissions for action. (code -2015)", 0},
    {"-1100 other", 400,
     R"({"code":-1100,)"
     R"("msg":"Illegal characters found in parameter 'symbol'."})",
     {}, errc::provider_error,
     "Illegal characters found in parameter 'symbol'. (code -1100)", 0},
    {"other code with HTTP 429", 429, R"({"code":-1015,"msg":"Too many."})",
     {{"retry-after", "Wed, 21 Oct 2015 07:28:05 GMT"}}, errc::rate_limited,
     "Too many. (code -1015)", 5 * ns_per_s},
    {"429 empty body", 429, "", {{"retry-after", "12"}}, errc::rate_limited,
     "HTTP 429", 12 * ns_per_s},
    {"418 html body", 418, "<html>banned</html>", {{"retry-after", "120"}},
     errc::rate_limited, "HTTP 418", 120 * ns_per_s},
    {"403 WAF", 403, "<html>forbidden</html>", {}, errc::unauthorized,
     "HTTP 403", 0},
    {"404", 404, "", {}, errc::not_found, "HTTP 404", 0},
    {"500", 500, "oops", {}, errc::provider_error, "HTTP 500", 0},
    {"503 JSON without code", 503, R"({"error":"maintenance"})", {},
     errc::provider_error, "HTTP 503", 0},
    {"code not an integer", 400, R"({"code":"-1121","msg":"x"})", {},
     errc::provider_error, "HTTP 400", 0},
  };
  auto adapter = make_binance_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    for (auto kind : {fetch_kind::price, fetch_kind::quote, fetch_kind::bars}) {
      auto reply = reply_of(r.status, r.body, r.headers);
      auto e = expect_error(adapter->parse(request(kind, "BTC-USDT"), reply,
                                           now));
      EXPECT_EQ(e.code, r.code) << to_string(e.code);
      EXPECT_EQ(e.message, r.message);
      EXPECT_EQ(e.retry_after_ns, r.retry_after_ns);
    }
  }
}

TEST(BinanceParse, GarbageIsMalformed) {
  struct row {
    const char* body;
    fetch_kind kind;
    errc code;
    std::string message_prefix;
  };
  const row rows[] = {
    {"", fetch_kind::price, errc::malformed,
     "/api/v3/ticker/price: not JSON: "},
    {"not json", fetch_kind::price, errc::malformed,
     "/api/v3/ticker/price: not JSON: "},
    {R"({"symbol":"BTCUSDT","price":"1")", fetch_kind::price,
     errc::malformed, "/api/v3/ticker/price: not JSON: "},
    {"<html></html>", fetch_kind::bars, errc::malformed,
     "/api/v3/klines: not JSON: "},
    {"[[1,2", fetch_kind::bars, errc::malformed, "/api/v3/klines: not JSON: "},
    {"null", fetch_kind::price, errc::malformed,
     "/api/v3/ticker/price: not an object"},
    {"42", fetch_kind::quote, errc::malformed,
     "/api/v3/ticker/24hr: not an object"},
    {"{}", fetch_kind::bars, errc::malformed,
     "/api/v3/klines: klines: expected an array"},
    {R"("text")", fetch_kind::bars, errc::malformed,
     "/api/v3/klines: klines: expected an array"},
  };
  auto adapter = make_binance_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.body);
    auto e = expect_error(
      adapter->parse(request(r.kind, "BTC-USDT"), reply_of(200, r.body),
                     recv_ns));
    EXPECT_EQ(e.code, r.code);
    EXPECT_EQ(e.message.substr(0, r.message_prefix.size()), r.message_prefix)
      << e.message;
  }
}

TEST(BinanceParse, TickerPriceFailures) {
  struct row {
    const char* body;
    errc code;
    std::string context;
  };
  const row rows[] = {
    {R"({"price":"1.5"})", errc::missing_field, "symbol"},
    {R"({"symbol":7,"price":"1.5"})", errc::malformed,
     "symbol: expected a string"},
    {R"({"symbol":"ETHUSDT","price":"1.5"})", errc::malformed,
     "symbol: expected BTCUSDT, got ETHUSDT"},
    {R"({"symbol":"BTCUSDT"})", errc::missing_field, "lastPrice"},
    {R"({"symbol":"BTCUSDT","price":1.5})", errc::bad_number,
     "price: expected a decimal string"},
    {R"({"symbol":"BTCUSDT","price":"1e-3"})", errc::bad_number, "price: "},
    {R"({"symbol":"BTCUSDT","price":""})", errc::bad_number, "price: "},
    {R"({"symbol":"BTCUSDT","lastPrice":"1","closeTime":"1","lastId":1})",
     errc::bad_number, "closeTime: expected an int64"},
    {R"({"symbol":"BTCUSDT","lastPrice":"1","closeTime":-1,"lastId":1})",
     errc::bad_number, "closeTime: out of range: -1"},
    {R"({"symbol":"BTCUSDT","lastPrice":"1","closeTime":1})",
     errc::missing_field, "lastId"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.body);
    auto p = binance::parse_ticker_price(json(r.body), "BTC-USDT", "BTCUSDT",
                                         recv_ns);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.err().code, r.code);
    EXPECT_EQ(p.err().context.substr(0, r.context.size()), r.context)
      << p.err().context;
  }
}

TEST(BinanceParse, TickerPriceWithoutATradeHasNoTradeId) {
  auto p = binance::parse_ticker_price(
    json(R"({"symbol":"BTCUSDT","lastPrice":"0.00000000",)"
         R"("closeTime":1499869899040,"lastId":-1})"),
    "BTC-USDT", "BTCUSDT", recv_ns);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->trade_id, "");
  EXPECT_EQ(p->value, decimal{});
}

TEST(BinanceParse, TickerPriceListFailures) {
  struct row {
    const char* body;
    errc code;
    std::string context;
  };
  const row rows[] = {
    {R"({"symbol":"BTCUSDT","price":"1"})", errc::malformed,
     "expected an array"},
    {R"([{"symbol":"BTCUSDT","price":"1"},7])", errc::malformed,
     "[1]: not an object"},
    {R"([{"symbol":"BTCUSDT"}])", errc::missing_field, "[0].price"},
    {R"([{"symbol":"BTCUSDT","price":"x"}])", errc::bad_number, "[0].price: "},
  };
  binance::symbol_mapper symbols;
  for (auto& r : rows) {
    SCOPED_TRACE(r.body);
    auto p = binance::parse_ticker_price_list(json(r.body), symbols, recv_ns);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.err().code, r.code);
    EXPECT_EQ(p.err().context.substr(0, r.context.size()), r.context)
      << p.err().context;
  }
}

TEST(BinanceParse, Ticker24hrQuoteFailures) {
  struct row {
    const char* body;
    errc code;
    std::string context;
  };
  const row rows[] = {
    {R"({"symbol":"BTCUSDT","bidPrice":"1","bidQty":"1","askPrice":"2",)"
     R"("askQty":"1"})",
     errc::missing_field, "closeTime"},
    {R"({"symbol":"BTCUSDT","bidPrice":"1","bidQty":1,"askPrice":"2",)"
     R"("askQty":"1","closeTime":1})",
     errc::bad_number, "bidQty: expected a decimal string"},
    {R"({"symbol":"BTCUSDT","bidPrice":"1","bidQty":"1","askPrice":"2",)"
     R"("askQty":"1","closeTime":99999999999999999})",
     errc::bad_number, "closeTime: out of range"},
    {R"({"symbol":"BNBBTC","bidPrice":"1","bidQty":"1","askPrice":"2",)"
     R"("askQty":"1","closeTime":1})",
     errc::malformed, "symbol: expected BTCUSDT, got BNBBTC"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.body);
    auto q = binance::parse_ticker_24hr_quote(json(r.body), "BTC-USDT",
                                              "BTCUSDT", recv_ns);
    ASSERT_FALSE(q);
    EXPECT_EQ(q.err().code, r.code);
    EXPECT_EQ(q.err().context.substr(0, r.context.size()), r.context)
      << q.err().context;
  }
}

TEST(BinanceParse, KlinesFailures) {
  // A valid row with field `j` replaced by `value`.
  auto row_with = [](size_t j, std::string value) {
    std::vector<std::string> f = {
      "1499040000000", R"("0.01634790")", R"("0.80000000")",
      R"("0.01575800")", R"("0.01577100")", R"("148976.11427815")",
      "1499644799999", R"("2434.19055334")", "308", R"("1756.87402397")",
      R"("28.46694368")", R"("0")"};
    f[j] = std::move(value);
    std::string out = "[";
    for (size_t i = 0; i < f.size(); ++i)
      out += (i ? "," : "") + f[i];
    return out + "]";
  };
  struct row {
    std::string body;
    errc code;
    std::string context;
  };
  const row rows[] = {
    {"[" + row_with(0, R"("1499040000000")") + "]", errc::bad_number,
     "klines[0][0]: expected an integer ms time"},
    {"[" + row_with(0, "-1") + "]", errc::bad_number,
     "klines[0][0]: time out of range: -1"},
    {"[" + row_with(0, "1.5") + "]", errc::bad_number,
     "klines[0][0]: expected an integer ms time"},
    {"[" + row_with(1, "0.0163479") + "]", errc::bad_number,
     "klines[0][1]: expected a decimal string"},
    {"[" + row_with(2, R"("abc")") + "]", errc::bad_number, "klines[0][2]: "},
    {"[" + row_with(3, R"("1e5")") + "]", errc::bad_number, "klines[0][3]: "},
    {"[" + row_with(4, "null") + "]", errc::bad_number,
     "klines[0][4]: expected a decimal string"},
    {"[" + row_with(5, R"("")") + "]", errc::bad_number, "klines[0][5]: "},
    {"[" + row_with(6, "9999999999999999") + "]", errc::bad_number,
     "klines[0][6]: time out of range"},
    {"[" + row_with(8, "-3") + "]", errc::bad_number,
     "klines[0][8]: expected a non-negative integer"},
    {"[" + row_with(0, "1") + "," + row_with(1, "2") + "]", errc::bad_number,
     "klines[1][1]: expected a decimal string"},
    {R"([[1499040000000,"1","1","1","1","1",1499644799999,"1"]])",
     errc::malformed, "klines[0]: expected an array of 9+ fields"},
    {R"([{"t":1}])", errc::malformed,
     "klines[0]: expected an array of 9+ fields"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.body);
    auto bars = binance::parse_klines(json(r.body), "BTC-USDT", "BTCUSDT",
                                      interval::m1, recv_ns);
    ASSERT_FALSE(bars);
    EXPECT_EQ(bars.err().code, r.code);
    EXPECT_EQ(bars.err().context.substr(0, r.context.size()), r.context)
      << bars.err().context;
  }
  // The 9-field minimum (no unused tail) parses.
  auto short_row = binance::parse_klines(
    json(R"([[1499040000000,"1","2","0.5","1.5","10",1499040059999,"1",3]])"),
    "BTC-USDT", "BTCUSDT", interval::m1, recv_ns);
  ASSERT_TRUE(short_row);
  EXPECT_EQ((*short_row)[0].trade_count, 3u);
}

TEST(BinanceParse, NoBarsIsNotFound) {
  auto adapter = make_binance_adapter({});
  auto e = expect_error(adapter->parse(
    request(fetch_kind::bars, "BTC-USDT", interval::h1), reply_of(200, "[]"),
    recv_ns));
  EXPECT_EQ(e.code, errc::not_found);
  EXPECT_EQ(e.message, "no 1h bars for BTC-USDT in the range");
  auto none = expect_error(adapter->parse(
    request(fetch_kind::price, "BTC-USDT"), reply_of(200, "[]"), recv_ns));
  EXPECT_EQ(none.code, errc::not_found);
}

TEST(BinanceParse, ExchangeInfoFailures) {
  struct row {
    const char* body;
    errc code;
    std::string context;
  };
  const row rows[] = {
    {"", errc::malformed, "not JSON: "},
    {"[]", errc::malformed, "not an object"},
    {R"({"code":-1121,"msg":"Invalid symbol."})", errc::missing_field,
     "symbols"},
    {R"({"symbols":{}})", errc::malformed, "symbols: expected an array"},
    {R"({"symbols":[1]})", errc::malformed, "symbols[0]: not an object"},
    {R"({"symbols":[{"symbol":"ETHBTC","status":"TRADING","quoteAsset":"BTC",)"
     R"("quotePrecision":8}]})",
     errc::missing_field, "symbols[0].baseAsset"},
    {R"({"symbols":[{"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH",)"
     R"("quoteAsset":"BTC"}]})",
     errc::missing_field, "symbols[0].quotePrecision"},
    {R"({"symbols":[{"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH",)"
     R"("quoteAsset":"BTC","quoteAssetPrecision":"8"}]})",
     errc::bad_number, "symbols[0].quoteAssetPrecision: expected an int64"},
    {R"({"symbols":[{"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH",)"
     R"("quoteAsset":"BTC","quoteAssetPrecision":19}]})",
     errc::bad_number, "symbols[0].quoteAssetPrecision: out of range: 19"},
    {R"({"symbols":[{"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH",)"
     R"("quoteAsset":"BTC","quoteAssetPrecision":8,"filters":{}}]})",
     errc::malformed, "symbols[0].filters: expected an array"},
    {R"({"symbols":[{"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH",)"
     R"("quoteAsset":"BTC","quoteAssetPrecision":8,"filters":[)"
     R"({"filterType":"PRICE_FILTER","tickSize":0.01}]}]})",
     errc::bad_number,
     "symbols[0].filters.tickSize: expected a decimal string"},
    {R"({"symbols":[{"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH",)"
     R"("quoteAsset":"BTC","quoteAssetPrecision":8,"filters":[)"
     R"({"filterType":"PRICE_FILTER","tickSize":"-0.01"}]}]})",
     errc::bad_number, "symbols[0].filters.tickSize: negative"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.body);
    auto t = binance::parse_exchange_info(r.body);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.err().code, r.code);
    EXPECT_EQ(t.err().context.substr(0, r.context.size()), r.context)
      << t.err().context;
  }
}

// -- requests -----------------------------------------------------------------

TEST(BinanceRequest, ExactPathsAndQueries) {
  auto adapter = make_binance_adapter({});
  struct row {
    const char* name;
    fetch_request req;
    std::string url;
  };
  auto bars = [](interval span, int64_t start, int64_t end, size_t limit) {
    auto r = request(fetch_kind::bars, "BTC-USDT", span);
    r.start_ns = start;
    r.end_ns = end;
    r.limit = limit;
    return r;
  };
  const row rows[] = {
    {"price", request(fetch_kind::price, "BTC-USDT"),
     "http://127.0.0.1:9/api/v3/ticker/price?symbol=BTCUSDT"},
    {"quote", request(fetch_kind::quote, "ETH-BTC"),
     "http://127.0.0.1:9/api/v3/ticker/24hr?symbol=ETHBTC"},
    {"bars, defaults", bars(interval::m1, 0, 0, 0),
     "http://127.0.0.1:9/api/v3/klines?symbol=BTCUSDT&interval=1m"},
    {"bars, bounds floored to ms",
     bars(interval::h1, 1'499'040'000'000'999'999, 1'499'644'799'999'000'001,
          1000),
     "http://127.0.0.1:9/api/v3/klines?symbol=BTCUSDT&interval=1h"
     "&startTime=1499040000000&endTime=1499644799999&limit=1000"},
    {"bars, start only", bars(interval::d1, 1'000'000, 0, 5),
     "http://127.0.0.1:9/api/v3/klines?symbol=BTCUSDT&interval=1d&startTime=1"
     "&limit=5"},
    {"bars, end only", bars(interval::mo1, 0, 2'000'000, 0),
     "http://127.0.0.1:9/api/v3/klines?symbol=BTCUSDT&interval=1M&endTime=2"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto out = adapter->build(r.req, {});
    ASSERT_TRUE(out) << out.err().message();
    EXPECT_EQ(out->method, "GET");
    EXPECT_EQ(out->url("http://127.0.0.1:9"), r.url);
    EXPECT_TRUE(out->headers.empty());
    EXPECT_TRUE(out->secrets.empty());
  }
}

TEST(BinanceRequest, EveryIntervalByItsBinanceName) {
  auto adapter = make_binance_adapter({});
  struct row {
    interval span;
    const char* name;
  };
  const row rows[] = {
    {interval::s1, "1s"},   {interval::m1, "1m"},  {interval::m3, "3m"},
    {interval::m5, "5m"},   {interval::m15, "15m"}, {interval::m30, "30m"},
    {interval::h1, "1h"},   {interval::h2, "2h"},  {interval::h4, "4h"},
    {interval::h6, "6h"},   {interval::h8, "8h"},  {interval::h12, "12h"},
    {interval::d1, "1d"},   {interval::d3, "3d"},  {interval::w1, "1w"},
    {interval::mo1, "1M"},
  };
  ASSERT_EQ(adapter->info().intervals.size(), std::size(rows));
  for (size_t i = 0; i < std::size(rows); ++i) {
    EXPECT_EQ(adapter->info().intervals[i], rows[i].span);
    auto out = adapter->build(
      request(fetch_kind::bars, "BTC-USDT", rows[i].span), {});
    ASSERT_TRUE(out);
    EXPECT_EQ(out->url(""), std::string{"/api/v3/klines?symbol=BTCUSDT"}
                              + "&interval=" + rows[i].name);
  }
}

TEST(BinanceRequest, RejectsWhatBinanceCannotServe) {
  auto adapter = make_binance_adapter({});
  struct row {
    const char* name;
    fetch_request req;
    errc code;
    std::string context;
  };
  auto bars = [](int64_t start, int64_t end, size_t limit) {
    auto r = request(fetch_kind::bars, "BTC-USDT", interval::m1);
    r.start_ns = start;
    r.end_ns = end;
    r.limit = limit;
    return r;
  };
  const row rows[] = {
    {"equity", request(fetch_kind::price, "AAPL"), errc::unknown_symbol,
     "AAPL"},
    {"unknown quote", request(fetch_kind::price, "BTC-XYZ"),
     errc::unknown_symbol, "BTC-XYZ"},
    {"lowercase", request(fetch_kind::quote, "btc-usdt"),
     errc::unknown_symbol, "btc-usdt"},
    {"limit above 1000", bars(0, 0, 1001), errc::invalid_argument,
     "limit 1001 above 1000"},
    {"start after end", bars(2 * ns_per_s, ns_per_s, 0),
     errc::invalid_argument, "start after end"},
    {"negative start", bars(-1, 0, 0), errc::invalid_argument,
     "negative time bound"},
    {"negative end", bars(0, -1, 0), errc::invalid_argument,
     "negative time bound"},
    {"unknown kind", request(static_cast<fetch_kind>(99), "BTC-USDT"),
     errc::invalid_argument, "unsupported kind unknown"},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto out = adapter->build(r.req, {});
    ASSERT_FALSE(out);
    EXPECT_EQ(out.err().code, r.code);
    EXPECT_EQ(out.err().context, r.context);
  }
}

TEST(BinanceRequest, SendsAConfiguredKeyAsAHeaderOnly) {
  auto adapter = make_binance_adapter({});
  credentials cred{"k3y-Secret"};
  for (auto kind : {fetch_kind::price, fetch_kind::quote, fetch_kind::bars}) {
    auto out = adapter->build(request(kind, "BTC-USDT"), cred);
    ASSERT_TRUE(out);
    ASSERT_EQ(out->headers.size(), 1u);
    EXPECT_EQ(out->headers[0].first, "X-MBX-APIKEY");
    EXPECT_EQ(out->headers[0].second, "k3y-Secret");
    ASSERT_EQ(out->secrets.size(), 1u);
    EXPECT_EQ(out->secrets[0], "k3y-Secret");
    EXPECT_EQ(out->url("http://127.0.0.1:9").find("k3y"), std::string::npos);
  }
  auto info = binance::build_exchange_info_request(cred);
  EXPECT_EQ(info.url("http://127.0.0.1:9"), "http://127.0.0.1:9/api/v3/exchangeInfo");
  EXPECT_EQ(info.headers.size(), 1u);
  EXPECT_EQ(info.secrets.size(), 1u);
}

// -- symbols ------------------------------------------------------------------

TEST(BinanceSymbols, MapsBothWaysByShape) {
  auto adapter = make_binance_adapter({});
  struct row {
    const char* canonical;
    const char* symbol;
  };
  const row rows[] = {
    {"BTC-USDT", "BTCUSDT"},   {"ETH-BTC", "ETHBTC"},
    {"LTC-BTC", "LTCBTC"},     {"BNB-BTC", "BNBBTC"},
    {"BNB-FDUSD", "BNBFDUSD"}, {"BTC-TUSD", "BTCTUSD"},
    {"BTC-USDC", "BTCUSDC"},   {"ETH-EUR", "ETHEUR"},
    {"BTC-EURI", "BTCEURI"},   {"USDT-TRY", "USDTTRY"},
    {"BTC-BRL", "BTCBRL"},     {"ETH-GBP", "ETHGBP"},
    {"SHIB-DOGE", "SHIBDOGE"}, {"1INCH-BUSD", "1INCHBUSD"},
    {"WBETH-ETH", "WBETHETH"}, {"DOGE-USDT", "DOGEUSDT"},
  };
  for (auto& r : rows) {
    EXPECT_EQ(adapter->to_provider_symbol(r.canonical), r.symbol);
    EXPECT_EQ(adapter->to_canonical(r.symbol), r.canonical);
  }
}

TEST(BinanceSymbols, UnknownMapsToEmpty) {
  auto adapter = make_binance_adapter({});
  for (auto canonical : {"", "AAPL", "BTCUSDT", "btc-usdt", "BTC-usdt",
                         "BTC-XYZ", "BTC-", "-USDT", "BTC-USD-PERP",
                         "BRK.B-USDT", "^GSPC"})
    EXPECT_EQ(adapter->to_provider_symbol(canonical), "") << canonical;
  for (auto symbol : {"", "USDT", "BTC", "btcusdt", "BTCXYZ", "BTC-USDT",
                      "BTC/USDT", "BTCUSD"})
    EXPECT_EQ(adapter->to_canonical(symbol), "") << symbol;
}

TEST(BinanceSymbols, OverridesComeFirst) {
  adapter_options opts;
  opts.symbol_overrides = {{"BTC-USD", "BTCUSDT"}, {"PEPE-USD", "PEPEUSDT"}};
  auto adapter = make_binance_adapter(opts);
  EXPECT_EQ(adapter->to_provider_symbol("BTC-USD"), "BTCUSDT");
  EXPECT_EQ(adapter->to_canonical("BTCUSDT"), "BTC-USD");
  EXPECT_EQ(adapter->to_provider_symbol("PEPE-USD"), "PEPEUSDT");
  EXPECT_EQ(adapter->to_canonical("PEPEUSDT"), "PEPE-USD");
  // The shape still maps everything else.
  EXPECT_EQ(adapter->to_provider_symbol("ETH-USDT"), "ETHUSDT");
  EXPECT_EQ(adapter->to_canonical("ETHUSDT"), "ETH-USDT");
  // The request and the parse use the override.
  auto req = request(fetch_kind::price, "BTC-USD");
  auto out = adapter->build(req, {});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->url(""), "/api/v3/ticker/price?symbol=BTCUSDT");
  auto parsed = expect_result(adapter->parse(
    req, reply_of(200, R"({"symbol":"BTCUSDT","price":"65000.12"})"),
    recv_ns));
  ASSERT_EQ(parsed.prices.size(), 1u);
  EXPECT_EQ(parsed.prices[0].instrument, "BTC-USD");
}

TEST(BinanceSymbols, ALoadedTableDecides) {
  auto table = binance::parse_exchange_info(
    fixture("api_v3_exchangeInfo.docs.json"));
  ASSERT_TRUE(table);
  adapter_options opts;
  opts.symbol_overrides = {{"PEPE-USD", "PEPEUSDT"}};
  auto adapter = make_binance_adapter(opts, *table);
  EXPECT_EQ(adapter->to_provider_symbol("ETH-BTC"), "ETHBTC");
  EXPECT_EQ(adapter->to_canonical("ETHBTC"), "ETH-BTC");
  // Not in the table: unknown, though the shape would map it.
  EXPECT_EQ(adapter->to_provider_symbol("BTC-USDT"), "");
  EXPECT_EQ(adapter->to_canonical("BTCUSDT"), "");
  // Overrides still come first.
  EXPECT_EQ(adapter->to_provider_symbol("PEPE-USD"), "PEPEUSDT");
  auto out = adapter->build(request(fetch_kind::price, "BTC-USDT"), {});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.err().code, errc::unknown_symbol);
  // A table with an asset name outside the quote list.
  binance_symbol_info odd;
  odd.symbol = "ABCXYZ";
  odd.base_asset = "ABC";
  odd.quote_asset = "XYZ";
  auto odd_adapter = make_binance_adapter({}, {odd});
  EXPECT_EQ(odd_adapter->to_provider_symbol("ABC-XYZ"), "ABCXYZ");
  EXPECT_EQ(odd_adapter->to_canonical("ABCXYZ"), "ABC-XYZ");
}

TEST(BinanceAdapter, Info) {
  auto adapter = make_binance_adapter({});
  const auto& info = adapter->info();
  EXPECT_EQ(info.id, providers::binance);
  ASSERT_EQ(info.asset_classes.size(), 1u);
  EXPECT_EQ(info.asset_classes[0], asset_class::crypto);
  EXPECT_EQ(info.data_types, (std::vector<fetch_kind>{
                               fetch_kind::price, fetch_kind::bars,
                               fetch_kind::quote}));
  EXPECT_EQ(info.intervals.size(), 16u);
  EXPECT_FALSE(info.needs_key);
}

// -- over HTTP ----------------------------------------------------------------

TEST(BinanceAdapter, EndToEndOverLoopback) {
  test::fixture_server srv;
  srv.add("GET", "/api/v3/klines",
          test::fixture_response::file("binance/rest/api_v3_klines.docs.json"),
          {{"symbol", "BNBBTC"}, {"interval", "1w"}});
  srv.add("GET", "/api/v3/ticker/price",
          test::fixture_response::file(
            "binance/rest/error_-1121_invalid_symbol.docs.json", 400));
  auto adapter = make_binance_adapter({});
  credentials cred{"loopback-key"};
  curl_client client;
  // Bars.
  auto req = request(fetch_kind::bars, "BNB-BTC", interval::w1);
  req.start_ns = 1'499'040'000'000'000'000;
  auto out = adapter->build(req, cred);
  ASSERT_TRUE(out);
  auto got = client.perform(*out, srv.base_url());
  ASSERT_TRUE(std::holds_alternative<http_reply>(got));
  auto bars = expect_result(
    adapter->parse(req, std::get<http_reply>(got), recv_ns));
  ASSERT_EQ(bars.bars.size(), 1u);
  EXPECT_EQ(bars.bars[0].close, dec(15771, 6));
  // An unknown symbol.
  auto bad = request(fetch_kind::price, "DOGE-BTC");
  auto bad_out = adapter->build(bad, cred);
  ASSERT_TRUE(bad_out);
  auto bad_got = client.perform(*bad_out, srv.base_url());
  ASSERT_TRUE(std::holds_alternative<http_reply>(bad_got));
  auto e = expect_error(
    adapter->parse(bad, std::get<http_reply>(bad_got), recv_ns));
  EXPECT_EQ(e.code, errc::unknown_symbol);
  // What went over the wire.
  auto seen = srv.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].target, "/api/v3/klines?symbol=BNBBTC&interval=1w"
                            "&startTime=1499040000000");
  EXPECT_EQ(seen[1].target, "/api/v3/ticker/price?symbol=DOGEBTC");
  for (auto& r : seen) {
    ASSERT_NE(r.header("x-mbx-apikey"), nullptr);
    EXPECT_EQ(*r.header("x-mbx-apikey"), "loopback-key");
  }
  EXPECT_EQ(srv.connection_count(), 1u);
}

} // namespace
} // namespace tickflow
