// An equity's history on the real tickflow binary, with the providers'
// recorded payloads served at their real paths: adjusted and as-traded
// bars through the failover chain (docs/API.md "Adjusted prices"), `end`
// as a date ("Bar convention") and GET /api/v1/corporate-actions. The
// equity chain is eodhd (its bars fail with HTTP 500; its splits and
// dividends answer), finnhub (candles as traded only) and yahoo
// (split-adjusted OHLC, adjusted bars from adjclose, chart events).
// Whatever the chain does, one answer is one kind of series.

#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/eodhd/eodhd_provider.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "adapters/massive_futures/massive_futures_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/registry.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/fixture_server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/service_process.hpp"

using namespace tickflow;
using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

std::string path_of(provider p, bool adjusted) {
  fetch_request req;
  req.kind = fetch_kind::bars;
  req.instrument = "AAPL";
  req.span = interval::d1;
  req.adjusted = adjusted;
  // The paths do not depend on the range (finnhub needs one).
  req.start_ns = *parse_timestamp("2019-09-01");
  req.end_ns = *parse_timestamp("2020-11-06");
  auto out = make_rest_adapter(p, {})->build(req, credentials{"k"});
  EXPECT_TRUE(out) << to_string(p);
  return out ? out->path : std::string{};
}

std::string str(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString())
    return {};
  return v[key].GetString();
}

class EquityHistory : public service_suite<EquityHistory> {
 public:
  // The fixture server first: the service's config points at it.
  static std::vector<std::string> service_args() {
    server_ = new fixture_server;
    auto& s = *server_;
    s.add("GET", path_of(providers::eodhd, false),
          fixture_response::json(R"({"error":"upstream down"})", 500));
    s.add("GET", path_of(providers::finnhub, false),
          fixture_response::file("finnhub/rest/stock_candle_AAPL_D.docs_example.json"));
    s.add("GET", "/api/splits/AAPL.US",
          fixture_response::file("eodhd/rest/splits_AAPL.US.openapi_example.json"));
    s.add("GET", "/api/div/AAPL.US",
          fixture_response::file("eodhd/rest/div_AAPL.US.openapi_example.json"));
    s.add("GET", path_of(providers::yahoo, true),
          fixture_response::file(
            "yahoo/rest/v8_finance_chart_AAPL_1d_2020-08-31_2020-11-07_with_events.json"));
    auto config = temp_dir() + "/equity.ini";
    {
      std::ofstream out{config};
      out << "[providers]\nenabled = eodhd, finnhub, yahoo\n";
      out << "[failover]\nequity = eodhd, finnhub, yahoo\n";
      for (auto p : {"eodhd", "finnhub", "yahoo"}) {
        auto var = "TICKFLOW_TEST_KEY_" + std::string{p};
        out << "[" << p << "]\nbase-url = " << s.base_url()
            << "\ntimeout = 5s\napi-key-env = " << var << "\n";
        setenv(var.c_str(), "test-key", 1);
      }
    }
    return {"--config", config};
  }

 protected:
  static void TearDownTestSuite() {
    service_suite::TearDownTestSuite();
    delete server_;
    server_ = nullptr;
  }

  static rapidjson::Document get(const std::string& target, unsigned status = 200) {
    auto r = http_get(svc_->rest_port(), target);
    EXPECT_TRUE(r) << target;
    rapidjson::Document d;
    if (!r)
      return d;
    EXPECT_EQ(r->status, status) << target << " -> " << r->body;
    d.Parse(r->body.c_str(), r->body.size());
    EXPECT_TRUE(d.IsObject()) << r->body;
    return d;
  }

  /// Requests the fixture server saw at `path`.
  static size_t asked(const std::string& path) {
    size_t n = 0;
    for (auto& r : server_->requests())
      n += r.path == path ? 1 : 0;
    return n;
  }

  /// Every bar of `d` comes from `provider`.
  static void expect_one_series(const rapidjson::Document& d, const std::string& provider,
                                size_t count) {
    ASSERT_TRUE(d.HasMember("bars") && d["bars"].IsArray());
    ASSERT_EQ(d["bars"].Size(), count);
    for (auto& b : d["bars"].GetArray())
      EXPECT_EQ(str(b, "provider"), provider);
  }

  static inline fixture_server* server_ = nullptr;
};

// Both fixtures' days: finnhub's 2019-09-24..26, yahoo's 2020-08-31..11-06.
constexpr const char* range =
  "/api/v1/data/ohlcv?symbol=AAPL&interval=1d&start=2019-09-01&end=2020-11-06&limit=500";

} // namespace

TEST_F(EquityHistory, EachKindFailsOverOnlyToProvidersOfThatKind) {
  auto finnhub = path_of(providers::finnhub, false);
  auto yahoo = path_of(providers::yahoo, true);

  // As traded (the default): eodhd fails, finnhub serves; yahoo, whose
  // bars are adjusted, is never asked.
  server_->clear_requests();
  auto raw = get(range);
  EXPECT_EQ(str(raw, "source"), "finnhub");
  ASSERT_TRUE(raw.HasMember("adjusted") && raw["adjusted"].IsFalse());
  ASSERT_TRUE(raw.HasMember("failover") && raw["failover"].IsArray());
  EXPECT_EQ(str(raw["failover"][0], "provider"), "eodhd");
  expect_one_series(raw, "finnhub", 3);
  EXPECT_EQ(asked(yahoo), 0u);

  // Adjusted, same range, after the raw series went to the cache: eodhd
  // fails, finnhub (as traded only) is passed over unasked, yahoo serves.
  server_->clear_requests();
  auto adj = get(std::string{range} + "&adjusted=true");
  EXPECT_EQ(str(adj, "source"), "yahoo");
  ASSERT_TRUE(adj.HasMember("adjusted") && adj["adjusted"].IsTrue());
  expect_one_series(adj, "yahoo", 49);
  // 2020-08-31: adjclose 125.82673645019531 (close 129.0399932861328).
  EXPECT_EQ(str(adj["bars"][0], "close"), "125.82673645019531");
  EXPECT_EQ(asked(finnhub), 0u);

  // As traded again: never the adjusted series.
  auto again = get(range);
  ASSERT_TRUE(again.HasMember("adjusted") && again["adjusted"].IsFalse());
  expect_one_series(again, "finnhub", 3);
}

TEST_F(EquityHistory, AProviderOfTheOtherKindIsRefusedByName) {
  auto d = get("/api/v1/data/ohlcv?symbol=AAPL&interval=1d&provider=finnhub&adjusted=true", 400);
  EXPECT_EQ(str(d["error"], "field"), "adjusted");
  d = get("/api/v1/data/ohlcv?symbol=AAPL&interval=1d&provider=yahoo&adjusted=false", 400);
  EXPECT_EQ(str(d["error"], "field"), "adjusted");
  // Yahoo publishes adjusted bars only: asked by name, that is its default.
  d = get("/api/v1/data/ohlcv?symbol=AAPL&interval=1d&start=2020-08-31&end=2020-09-01"
          "&provider=yahoo");
  ASSERT_TRUE(d.HasMember("adjusted") && d["adjusted"].IsTrue());
  expect_one_series(d, "yahoo", 2);
  d = get("/api/v1/data/ohlcv?symbol=AAPL&interval=1d&adjusted=maybe", 400);
  EXPECT_EQ(str(d["error"], "field"), "adjusted");
}

TEST_F(EquityHistory, EndAsADateIncludesThatDaysBar) {
  // Finnhub stamps 2019-09-26 at 04:00Z; the bar opens at 2019-09-26T00:00Z
  // and end=2019-09-26 includes it.
  auto d = get("/api/v1/data/ohlcv?symbol=AAPL&interval=1d&start=2019-09-24&end=2019-09-26"
               "&provider=finnhub");
  ASSERT_TRUE(d.HasMember("bars") && d["bars"].IsArray());
  ASSERT_EQ(d["bars"].Size(), 3u);
  EXPECT_EQ(str(d["bars"][2], "time"), "2019-09-26T00:00:00Z");
}

TEST_F(EquityHistory, CorporateActionsFromTheProvidersThatPublishThem) {
  // Down the chain: eodhd publishes both kinds (finnhub neither).
  auto d = get("/api/v1/corporate-actions?symbol=aapl&start=2012-01-01&end=2020-08-31");
  EXPECT_EQ(str(d, "instrument"), "AAPL");
  EXPECT_EQ(str(d, "requested"), "aapl");
  ASSERT_TRUE(d.HasMember("actions") && d["actions"].IsArray());
  // EODHD's splits 2000-06-21 and 2005-02-28 are before the range; 2014-06-09
  // and 2020-08-31 (the end date, included) and its two 2012 dividends in it.
  ASSERT_EQ(d["actions"].Size(), 4u);
  EXPECT_EQ(str(d["actions"][0], "type"), "dividend");
  EXPECT_EQ(str(d["actions"][0], "date"), "2012-08-09");
  EXPECT_EQ(str(d["actions"][0], "amount"), "2.6488");
  EXPECT_EQ(str(d["actions"][2], "ratio"), "7:1");
  EXPECT_EQ(str(d["actions"][3], "date"), "2020-08-31");
  EXPECT_EQ(str(d["actions"][3], "provider"), "eodhd");
  EXPECT_EQ(str(d["sources"], "splits"), "eodhd");
  EXPECT_EQ(str(d["sources"], "dividends"), "eodhd");

  // Yahoo by name: the events of its chart.
  d = get("/api/v1/corporate-actions?symbol=AAPL&start=2020-08-01&end=2020-11-30&provider=yahoo");
  ASSERT_TRUE(d.HasMember("actions") && d["actions"].IsArray());
  ASSERT_EQ(d["actions"].Size(), 2u);
  EXPECT_EQ(str(d["actions"][0], "date"), "2020-08-31");
  EXPECT_EQ(str(d["actions"][0], "ratio"), "4:1");
  EXPECT_EQ(str(d["actions"][1], "date"), "2020-11-06");
  EXPECT_EQ(str(d["actions"][1], "amount"), "0.205");
  EXPECT_EQ(str(d["actions"][1], "currency"), "USD");

  // A provider that publishes neither, by name.
  d = get("/api/v1/corporate-actions?symbol=AAPL&provider=finnhub", 400);
  d = get("/api/v1/corporate-actions", 400);
  EXPECT_EQ(str(d["error"], "field"), "symbol");
}
