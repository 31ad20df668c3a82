#include "adapters/eodhd/eodhd_adapter.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "adapters/eodhd/eodhd_provider.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::bars_of;
using test::dec;
using test::expect_error;
using test::expect_result;
using test::reply_of;

// tests/fixtures/eodhd/rest/<file>
std::string rest_fixture(std::string_view file) {
  return test::read_fixture("eodhd/rest/" + std::string{file});
}

constexpr int64_t recv_ns = 1'704'250'000 * ns_per_s; // 2024-01-03T02:46:40Z

// -- fixtures -----------------------------------------------------------------

TEST(Eodhd, ParsesTheEodFixtures) {
  struct row {
    int64_t open_s;
    std::string_view o, h, l, c, v;
  };
  struct fixture {
    const char* file;
    std::vector<row> rows;
  };
  const fixture fixtures[] = {
    {"eod_AAPL.US.openapi_example.json",
     {{1'641'168'000, "177.83", "182.88", "177.71", "182.01", "104487900"},
      {1'641'254'400, "182.63", "182.94", "179.12", "179.7", "99310400"}}},
    {"eod_AAPL.US_2024-01-02.examples_md.json",
     {{1'704'153'600, "187.15", "188.44", "183.89", "185.64", "82488300"},
      {1'704'240'000, "184.22", "185.88", "183.43", "184.25", "58414400"}}},
  };
  auto adapter = make_eodhd_adapter({});
  for (auto& f : fixtures) {
    SCOPED_TRACE(f.file);
    auto r = expect_result(adapter->parse(bars_of("AAPL", interval::d1),
                                          reply_of(200, rest_fixture(f.file)),
                                          recv_ns));
    ASSERT_EQ(r.bars.size(), f.rows.size());
    for (size_t i = 0; i < f.rows.size(); ++i) {
      SCOPED_TRACE(i);
      auto& b = r.bars[i];
      EXPECT_EQ(b.instrument, "AAPL");
      EXPECT_EQ(b.provider_symbol, "AAPL.US");
      EXPECT_EQ(b.source, providers::eodhd);
      EXPECT_EQ(b.span, interval::d1);
      EXPECT_EQ(b.open_time_ns, f.rows[i].open_s * ns_per_s);
      EXPECT_EQ(b.open, dec(f.rows[i].o));
      EXPECT_EQ(b.high, dec(f.rows[i].h));
      EXPECT_EQ(b.low, dec(f.rows[i].l));
      EXPECT_EQ(b.close, dec(f.rows[i].c)); // traded, not adjusted_close
      EXPECT_EQ(b.volume, dec(f.rows[i].v));
      EXPECT_EQ(b.trade_count, 0u);
      EXPECT_EQ(b.ts_recv_ns, recv_ns);
    }
    EXPECT_TRUE(r.prices.empty());
  }
  // 2024-01-03 closes at 2024-01-04T00:00Z, after recv_ns.
  auto r = expect_result(adapter->parse(
    bars_of("AAPL", interval::d1),
    reply_of(200, rest_fixture("eod_AAPL.US_2024-01-02.examples_md.json")),
    recv_ns));
  ASSERT_EQ(r.bars.size(), 2u);
  EXPECT_TRUE(r.bars[0].closed);
  EXPECT_FALSE(r.bars[1].closed);
}

TEST(Eodhd, FloorsWeeklyAndMonthlyBarsToTheirStart) {
  const std::string body =
    R"j([{"date":"2024-01-05","open":1,"high":2,"low":0.5,"close":1.5,)j"
    R"j("adjusted_close":1.5,"volume":10},)j"
    R"j({"date":"2024-01-12","open":1,"high":2,"low":0.5,"close":1.5,)j"
    R"j("adjusted_close":1.5,"volume":1.2e3}])j";
  auto adapter = make_eodhd_adapter({});
  auto w = expect_result(adapter->parse(bars_of("AAPL", interval::w1),
                                        reply_of(200, body), recv_ns));
  ASSERT_EQ(w.bars.size(), 2u);
  EXPECT_EQ(format_iso8601(w.bars[0].open_time_ns), "2024-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(w.bars[1].open_time_ns), "2024-01-08T00:00:00Z");
  EXPECT_EQ(w.bars[1].volume, dec("1200"));
  const std::string monthly =
    R"j([{"date":"2023-12-29","open":1,"high":2,"low":0.5,"close":1.5,)j"
    R"j("volume":10}])j";
  auto m = expect_result(adapter->parse(bars_of("AAPL", interval::mo1),
                                        reply_of(200, monthly), recv_ns));
  ASSERT_EQ(m.bars.size(), 1u);
  EXPECT_EQ(m.bars[0].open_time_ns, 1'701'388'800 * ns_per_s); // 2023-12-01
  EXPECT_EQ(m.bars[0].span, interval::mo1);
}

// -- requests -----------------------------------------------------------------

TEST(Eodhd, BuildsEodRequests) {
  struct row {
    const char* name;
    fetch_request req;
    std::string_view path;
    kv_list query;
  };
  auto ranged = bars_of("AAPL", interval::d1);
  ranged.start_ns = 1'704'067'200 * ns_per_s;                   // 2024-01-01
  ranged.end_ns = (1'704'067'200 + 30 * 86'400 + 3600) * ns_per_s; // 01-31
  auto from_only = bars_of("BRK.B", interval::w1);
  from_only.start_ns = 1'640'995'200 * ns_per_s + 1; // 2022-01-01, +1 ns
  const row rows[] = {
    {"daily", bars_of("AAPL", interval::d1), "/api/eod/AAPL.US",
     {{"api_token", "T"}, {"fmt", "json"}, {"period", "d"}}},
    {"daily range", ranged, "/api/eod/AAPL.US",
     {{"api_token", "T"},
      {"fmt", "json"},
      {"from", "2024-01-01"},
      {"to", "2024-01-31"},
      {"period", "d"}}},
    {"weekly from", from_only, "/api/eod/BRK-B.US",
     {{"api_token", "T"}, {"fmt", "json"}, {"from", "2022-01-01"},
      {"period", "w"}}},
    {"monthly forex", bars_of("EUR-USD", interval::mo1),
     "/api/eod/EURUSD.FOREX",
     {{"api_token", "T"}, {"fmt", "json"}, {"period", "m"}}},
    {"crypto", bars_of("BTC-USD", interval::d1), "/api/eod/BTC-USD.CC",
     {{"api_token", "T"}, {"fmt", "json"}, {"period", "d"}}},
  };
  auto adapter = make_eodhd_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto out = adapter->build(r.req, credentials{"T"});
    ASSERT_TRUE(out) << out.err().message();
    EXPECT_EQ(out->method, "GET");
    EXPECT_EQ(out->path, r.path);
    EXPECT_EQ(out->query, r.query);
    EXPECT_TRUE(out->headers.empty());
    EXPECT_EQ(out->secrets, std::vector<std::string>{"T"});
  }
}

TEST(Eodhd, RejectsRequestsItCannotServe) {
  struct row {
    const char* name;
    fetch_request req;
    credentials cred;
    errc code;
  };
  auto price = bars_of("AAPL", interval::d1);
  price.kind = fetch_kind::price;
  const row rows[] = {
    {"no token", bars_of("AAPL", interval::d1), {}, errc::unauthorized},
    {"price", price, {"T"}, errc::invalid_argument},
    {"1h", bars_of("AAPL", interval::h1), {"T"}, errc::invalid_argument},
    {"3d", bars_of("AAPL", interval::d3), {"T"}, errc::invalid_argument},
    {"not canonical", bars_of("aapl", interval::d1), {"T"},
     errc::unknown_symbol},
    {"empty", bars_of("", interval::d1), {"T"}, errc::unknown_symbol},
  };
  auto adapter = make_eodhd_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto out = adapter->build(r.req, r.cred);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.err().code, r.code);
  }
}

// -- errors -------------------------------------------------------------------

// The recorded 429 is a status line and headers: turn it into a reply.
http_reply reply_from_http_text(std::string_view text) {
  http_reply out;
  auto line_end = text.find('\n');
  auto status_line = text.substr(0, line_end);
  out.status = std::stol(std::string{status_line.substr(9, 3)});
  text.remove_prefix(line_end + 1);
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string name{line.substr(0, colon)};
      for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
      out.headers.emplace_back(std::move(name), std::string{value});
    }
    if (end == std::string_view::npos)
      break;
    text.remove_prefix(end + 1);
  }
  return out;
}

TEST(Eodhd, MapsErrorReplies) {
  struct row {
    const char* name;
    http_reply reply;
    errc code;
    std::string_view message; // prefix
    int64_t retry_after_ns;
  };
  const row rows[] = {
    {"recorded 429",
     reply_from_http_text(
       rest_fixture("rate_limit_429.examples_md.http.txt")),
     errc::rate_limited, "", 60 * ns_per_s},
    {"ticker not found",
     reply_of(404, rest_fixture("error_404_ticker_not_found.documented.txt")),
     errc::unknown_symbol, "Ticker Not Found.", 0},
    {"other 404", reply_of(404, "<html>Not Found</html>"), errc::not_found,
     "", 0},
    {"401 text",
     reply_of(401, rest_fixture("error_401_unauthenticated.documented.txt")),
     errc::unauthorized, "", 0},
    {"401 json", reply_of(401, R"j({"message":"Unauthenticated"})j"),
     errc::unauthorized, "", 0},
    {"403", reply_of(403, "Forbidden"), errc::unauthorized, "", 0},
    {"500", reply_of(500, "oops"), errc::provider_error, "HTTP 500", 0},
  };
  auto adapter = make_eodhd_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto e = expect_error(
      adapter->parse(bars_of("AAPL", interval::d1), r.reply, recv_ns));
    EXPECT_EQ(e.code, r.code) << e.message;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u) << e.message;
    EXPECT_EQ(e.retry_after_ns, r.retry_after_ns);
  }
}

TEST(Eodhd, RejectsMalformedBodies) {
  struct row {
    const char* name;
    std::string body;
    errc code;
    std::string_view message; // prefix
  };
  const row rows[] = {
    {"bare number (filter=last_close)",
     rest_fixture("eod_filter_last_close.openapi_example.json"),
     errc::malformed, "eod: expected an array of bars"},
    {"object", "{}", errc::malformed, "eod: expected an array of bars"},
    {"csv", "Date,Open,High,Low,Close,Adjusted_close,Volume\n",
     errc::malformed, ""},
    {"row not an object", "[1]", errc::malformed, "eod[0]: not an object"},
    {"no date", R"j([{"open":1,"high":1,"low":1,"close":1,"volume":1}])j",
     errc::missing_field, "eod[0].date"},
    {"no close", R"j([{"date":"2024-01-02","open":1,"high":1,"low":1,)j"
                 R"j("volume":1}])j",
     errc::missing_field, "eod[0].close"},
    {"null volume",
     R"j([{"date":"2024-01-02","open":1,"high":1,"low":1,"close":1,)j"
     R"j("volume":null}])j",
     errc::bad_number, "eod[0].volume: expected a number"},
    {"text price",
     R"j([{"date":"2024-01-02","open":"x","high":1,"low":1,"close":1,)j"
     R"j("volume":1}])j",
     errc::bad_number, "eod[0].open: not a JSON number"},
    {"numeric date",
     R"j([{"date":20240102,"open":1,"high":1,"low":1,"close":1,"volume":1}])j",
     errc::malformed, "eod[0].date: expected"},
    {"bad date",
     R"j([{"date":"2024-13-02","open":1,"high":1,"low":1,"close":1,)j"
     R"j("volume":1}])j",
     errc::malformed, "eod[0].date: "},
    {"duplicate date",
     R"j([{"date":"2024-01-02","open":1,"high":1,"low":1,"close":1,)j"
     R"j("volume":1},)j"
     R"j({"date":"2024-01-02","open":1,"high":1,"low":1,"close":1,)j"
     R"j("volume":1}])j",
     errc::malformed, "eod: two bars open at 2024-01-02T00:00:00Z"},
  };
  auto adapter = make_eodhd_adapter({});
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    auto e = expect_error(adapter->parse(bars_of("AAPL", interval::d1),
                                         reply_of(200, r.body), recv_ns));
    EXPECT_EQ(e.code, r.code) << e.message;
    EXPECT_EQ(e.message.rfind(r.message, 0), 0u) << e.message;
  }
}

TEST(Eodhd, KeepsTheNewestLimitBars) {
  auto req = bars_of("AAPL", interval::d1);
  req.limit = 1;
  auto r = expect_result(make_eodhd_adapter({})->parse(
    req, reply_of(200, rest_fixture("eod_AAPL.US.openapi_example.json")),
    recv_ns));
  ASSERT_EQ(r.bars.size(), 1u);
  EXPECT_EQ(r.bars[0].close, dec("179.7"));
}

// -- symbols ------------------------------------------------------------------

TEST(Eodhd, MapsSymbolsBothWays) {
  adapter_options options;
  options.symbol_overrides = {{"SAP", "SAP.XETRA"}, {"VOD", "VOD.LSE"}};
  auto adapter = make_eodhd_adapter(options);
  struct row {
    std::string_view canonical;
    std::string_view provider_symbol;
  };
  const row both_ways[] = {
    {"AAPL", "AAPL.US"},         {"BRK.B", "BRK-B.US"},
    {"EUR-USD", "EURUSD.FOREX"}, {"BTC-USD", "BTC-USD.CC"},
    {"ETH-BTC", "ETH-BTC.CC"},   {"SAP", "SAP.XETRA"},
    {"VOD", "VOD.LSE"},
  };
  for (auto& r : both_ways) {
    SCOPED_TRACE(std::string{r.canonical});
    EXPECT_EQ(adapter->to_provider_symbol(r.canonical), r.provider_symbol);
    EXPECT_EQ(adapter->to_canonical(r.provider_symbol), r.canonical);
  }
  for (auto bad : {"aapl", "", "^GSPC"})
    EXPECT_EQ(adapter->to_provider_symbol(bad), "") << bad;
  for (auto bad : {"AAPL", "BMW.XETRA", "EURUSDX.FOREX", "BTCUSD.FOREX",
                   "EUR-USD.CC", "aapl.US", ".US", ""})
    EXPECT_EQ(adapter->to_canonical(bad), "") << bad;
}

TEST(Eodhd, DescribesItself) {
  auto adapter = make_eodhd_adapter({});
  auto& info = adapter->info();
  EXPECT_EQ(info.id, providers::eodhd);
  EXPECT_EQ(info.asset_classes,
            (std::vector<asset_class>{asset_class::equity, asset_class::forex,
                                      asset_class::crypto}));
  EXPECT_EQ(info.data_types, (std::vector<fetch_kind>{fetch_kind::bars, fetch_kind::splits,
                                                       fetch_kind::dividends}));
  EXPECT_EQ(info.intervals,
            (std::vector<interval>{interval::d1, interval::w1, interval::mo1}));
  EXPECT_TRUE(info.needs_key);
}

} // namespace
} // namespace tickflow
