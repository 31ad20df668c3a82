// End to end over REST providers: the real tickflow binary, configured with
// every REST provider's base URL pointing at one loopback fixture server that
// serves the recorded payloads at the providers' real paths, so the real
// libcurl path runs. Expected values are written by hand from the fixtures.

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/coinmarketcap/coinmarketcap_provider.hpp"
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

using namespace tickflow;
using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* polygon_key = "s3cr3t-polygon-key-for-tests";

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

/// The path the provider's adapter asks for (the adapters' own tests pin
/// these paths to the providers' documentation).
std::string path_of(provider p, const fetch_request& req) {
  auto a = make_rest_adapter(p, {});
  credentials cred{"k"};
  auto out = a->build(req, cred);
  EXPECT_TRUE(out) << to_string(p) << ": " << out.err().message();
  return out ? out->path : std::string{};
}

fetch_request price_of(std::string instrument) {
  fetch_request r;
  r.kind = fetch_kind::price;
  r.instrument = std::move(instrument);
  return r;
}

fetch_request bars_of(std::string instrument, const char* start, const char* end,
                      size_t limit = 100) {
  fetch_request r;
  r.kind = fetch_kind::bars;
  r.instrument = std::move(instrument);
  r.span = interval::d1;
  r.start_ns = *parse_timestamp(start);
  r.end_ns = *parse_timestamp(end);
  r.limit = limit;
  return r;
}

class RestProviders : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new fixture_server;
    auto& s = *server_;
    auto add = [&](provider p, const fetch_request& req, const char* file,
                   header_list query = {}) {
      s.add("GET", path_of(p, req), fixture_response::file(file), std::move(query));
    };
    add(providers::binance, price_of("LTC-BTC"),
        "binance/rest/api_v3_ticker_price_single.docs.json");
    add(providers::binance, bars_of("LTC-BTC", "2017-07-03", "2017-07-04"),
        "binance/rest/api_v3_klines.docs.json");
    add(providers::polygon, price_of("AAPL"), "polygon/rest/v2_last_trade_AAPL.example.json");
    // end=2020-01-10 is the whole date (docs/API.md "Bar convention").
    add(providers::polygon, bars_of("AAPL", "2020-01-01", "2020-01-10T23:59:59.999999999Z"),
        "polygon/rest/v2_aggs_ticker_AAPL_range_1_day.example.json");
    add(providers::coingecko, price_of("BTC-USD"), "coingecko/rest/simple_price.example.json");
    add(providers::coinmarketcap, price_of("BTC-USD"),
        "coinmarketcap/rest/v1_cryptocurrency_quotes_latest_symbol_BTC.documented.json");
    add(providers::alpha_vantage, price_of("AZN.LON"),
        "alpha_vantage/rest/global_quote_AZN.LON_2022-06-01.json",
        {{"function", "GLOBAL_QUOTE"}});
    add(providers::eodhd, bars_of("AAPL", "2022-01-03", "2022-01-04"),
        "eodhd/rest/eod_AAPL.US.openapi_example.json");
    add(providers::finnhub, price_of("AAPL"), "finnhub/rest/quote.docs_example.json",
        {{"symbol", "AAPL"}});
    add(providers::yahoo, bars_of("QQQ", "2020-01-01", "2020-01-03"),
        "yahoo/rest/v8_finance_chart_QQQ_1d_2020-01-01_2020-01-03.json");
    add(providers::massive_futures, bars_of("GCJ5", "2025-02-04", "2025-02-06"),
        "massive_futures/rest/futures_vX_aggs_GCJ5.openapi_example.json");
    // Bars that break OHLC consistency (high below low), for validation.
    s.add("GET", path_of(providers::eodhd, bars_of("BADBARS", "2022-01-03", "2022-01-05")),
          fixture_response::json(
            R"([{"date":"2022-01-03","open":10,"high":9,"low":11,"close":10,"adjusted_close":10,"volume":100},)"
            R"({"date":"2022-01-04","open":10,"high":12,"low":9,"close":11,"adjusted_close":11,"volume":100},)"
            R"({"date":"2022-01-05","open":11,"high":10.5,"low":11.5,"close":11,"adjusted_close":11,"volume":100}])"));
    // The alert receiver.
    s.add("POST", "/alerts", fixture_response::json(R"({"ok":true})"));
    // A provider that answers garbage for one symbol.
    s.add("GET", path_of(providers::finnhub, price_of("BAD1")),
          fixture_response::json("{\"c\": 12.5, \"t\": [oops"), {{"symbol", "BAD1"}});

    dir_ = temp_dir();
    auto config = dir_ + "/rest.ini";
    {
      std::ofstream out{config};
      out << "[alerts]\nurls = " << s.base_url() << "/alerts\nburst-rejects = 1\n"
             "burst-window = 60s\n";
      out << "[providers]\nenabled = binance, polygon, coingecko, coinmarketcap,"
             " alpha_vantage, eodhd, finnhub, yahoo, massive_futures\n";
      for (auto p : {"binance", "polygon", "coingecko", "coinmarketcap",
                     "alpha_vantage", "eodhd", "finnhub", "yahoo", "massive_futures"}) {
        // Every provider gets a key of its own from the environment.
        auto var = "TICKFLOW_TEST_KEY_" + std::string{p};
        out << "[" << p << "]\nbase-url = " << s.base_url()
            << "\ntimeout = 5s\napi-key-env = " << var << "\n";
        setenv(var.c_str(), std::string{p} == "polygon" ? polygon_key
                              : (std::string{"s3cr3t-key-of-"} + p).c_str(), 1);
      }
    }
    rest_port_ = free_port();
    proc_ = new child_process(TICKFLOW_BINARY,
                              {"--config", config, "--port", std::to_string(rest_port_),
                               "--ws-port", std::to_string(free_port())},
                              dir_ + "/tickflow.log");
    for (int i = 0; i < 250; ++i) {
      if (auto r = http_get(rest_port_, "/live"); r && r->status == 200)
        return;
      std::this_thread::sleep_for(20ms);
    }
  }

  static void TearDownTestSuite() {
    delete proc_;
    proc_ = nullptr;
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(proc_ && proc_->running()) << (proc_ ? proc_->output() : "");
  }

  /// GET target; the JSON body, after checking the status.
  static rapidjson::Document get(const std::string& target, unsigned status = 200) {
    auto r = http_get(rest_port_, target);
    EXPECT_TRUE(r) << target;
    if (!r)
      return {};
    EXPECT_EQ(r->status, status) << target << " -> " << r->body;
    EXPECT_EQ(r->body.find("s3cr3t"), std::string::npos) << r->body;
    auto d = parse(r->body);
    EXPECT_TRUE(d.IsObject()) << r->body;
    return d;
  }

  static inline fixture_server* server_ = nullptr;
  static inline child_process* proc_ = nullptr;
  static inline std::string dir_;
  static inline uint16_t rest_port_ = 0;
};

} // namespace

TEST_F(RestProviders, PricesComeFromEachProvider) {
  struct row {
    std::string target;
    std::string provider;
    std::string price;
  } rows[] = {
    {"/api/v1/data/price?symbol=LTC-BTC&provider=binance", "binance", "4.000002"},
    {"/api/v1/data/price?symbol=AAPL&provider=polygon", "polygon", "129.8473"},
    {"/api/v1/data/price?symbol=BTC-USD&provider=coingecko", "coingecko", "67187.3358936566"},
    {"/api/v1/data/price?symbol=BTC-USD&provider=coinmarketcap", "coinmarketcap", "6602.60701122"},
    {"/api/v1/data/price?symbol=AZN.LON&provider=alpha_vantage", "alpha_vantage", "10442"},
    {"/api/v1/data/price?symbol=AAPL&provider=finnhub", "finnhub", "261.74"},
  };
  for (auto& r : rows) {
    auto d = get(r.target);
    EXPECT_EQ(str(d, "price"), r.price) << r.target;
    EXPECT_EQ(str(d, "source"), r.provider) << r.target;
    EXPECT_TRUE(d.HasMember("cached") && d["cached"].IsFalse()) << r.target;
  }
}

TEST_F(RestProviders, BarsComeFromEachProvider) {
  struct row {
    std::string target;
    std::string provider;
    size_t count;
    std::string first_open, first_close, first_volume;
  } rows[] = {
    {"/api/v1/data/ohlcv?symbol=LTC-BTC&interval=1d&start=2017-07-03&end=2017-07-04&provider=binance",
     "binance", 1, "0.0163479", "0.015771", "148976.11427815"},
    {"/api/v1/data/ohlcv?symbol=AAPL&interval=1d&start=2020-01-01&end=2020-01-10&provider=polygon",
     "polygon", 2, "74.06", "75.0875", "135647456"},
    {"/api/v1/data/ohlcv?symbol=AAPL&interval=1d&start=2022-01-03&end=2022-01-04&provider=eodhd",
     "eodhd", 2, "177.83", "182.01", "104487900"},
    // Yahoo's bars are adjusted (its OHLC are split-adjusted already): open
    // 214.39999389648438 scaled by adjclose 209.6380615234375 / close
    // 216.16000366210938 (docs/API.md "Adjusted prices").
    {"/api/v1/data/ohlcv?symbol=QQQ&interval=1d&start=2020-01-01&end=2020-01-03&provider=yahoo",
     "yahoo", 1, "207.93115446719646", "209.6380615234375", ""},
    {"/api/v1/data/ohlcv?symbol=GCJ5&interval=1d&start=2025-02-04&end=2025-02-06&provider=massive_futures",
     "massive_futures", 2, "2849.8", "2874.2", "133072"},
  };
  for (auto& r : rows) {
    auto d = get(r.target);
    EXPECT_EQ(str(d, "source"), r.provider) << r.target;
    ASSERT_TRUE(d.HasMember("bars") && d["bars"].IsArray()) << r.target;
    ASSERT_EQ(d["bars"].Size(), r.count) << r.target;
    auto& b = d["bars"][0];
    EXPECT_EQ(str(b, "open"), r.first_open) << r.target;
    EXPECT_EQ(str(b, "close"), r.first_close) << r.target;
    if (!r.first_volume.empty()) {
      EXPECT_EQ(str(b, "volume"), r.first_volume) << r.target;
    }
    EXPECT_EQ(str(b, "provider"), r.provider) << r.target;
  }
}

TEST_F(RestProviders, WithoutProviderTheFirstThatServesAnswers) {
  auto d = get("/api/v1/data/price?symbol=LTC-BTC");
  EXPECT_EQ(str(d, "source"), "binance");
  EXPECT_EQ(str(d, "price"), "4.000002");
}

TEST_F(RestProviders, MalformedBodyIs502NamingTheProviderAndServiceGoesOn) {
  auto d = get("/api/v1/data/price?symbol=BAD1&provider=finnhub", 502);
  ASSERT_TRUE(d.HasMember("error"));
  EXPECT_EQ(str(d["error"], "code"), "provider_malformed");
  EXPECT_NE(str(d["error"], "message").find("finnhub"), std::string::npos)
    << str(d["error"], "message");
  // Still serving, the same provider included.
  EXPECT_EQ(str(get("/api/v1/data/price?symbol=AAPL&provider=finnhub"), "price"), "261.74");
  EXPECT_EQ(get("/health").HasMember("status"), true);
}

TEST_F(RestProviders, ProviderParameterErrors) {
  auto d = get("/api/v1/data/price?symbol=AAPL&provider=nope", 400);
  EXPECT_EQ(str(d["error"], "field"), "provider");
  d = get("/api/v1/data/price?symbol=AAPL&provider=simulator", 400);
  EXPECT_EQ(str(d["error"], "field"), "provider"); // not enabled here
}

TEST_F(RestProviders, KeyIsSentButNeverShown) {
  get("/api/v1/data/price?symbol=AAPL&provider=polygon");
  bool sent = false;
  for (auto& r : server_->requests())
    if (r.path.rfind("/v2/", 0) == 0)
      if (auto* k = r.param("apiKey"))
        sent = sent || *k == polygon_key;
  EXPECT_TRUE(sent) << "polygon never received the key";
  auto providers = get("/api/v1/data/providers");
  auto log = proc_->output();
  EXPECT_EQ(log.find(polygon_key), std::string::npos);
  EXPECT_EQ(log.find("s3cr3t"), std::string::npos) << log;
}

TEST_F(RestProviders, ProvidersListsEveryProviderWithHealth) {
  get("/api/v1/data/price?symbol=LTC-BTC&provider=binance");
  auto d = get("/api/v1/data/providers");
  ASSERT_TRUE(d.HasMember("providers") && d["providers"].IsArray());
  EXPECT_EQ(d["providers"].Size(), 11u); // the simulator and ten REST providers
  bool saw_binance = false, saw_polygon = false;
  for (auto& p : d["providers"].GetArray()) {
    auto name = str(p, "name");
    EXPECT_TRUE(p["asset_classes"].IsArray()) << name;
    EXPECT_TRUE(p["data_types"].IsArray()) << name;
    if (name == "binance") {
      saw_binance = true;
      EXPECT_TRUE(p["enabled"].IsTrue());
      ASSERT_TRUE(p["health"].IsObject());
      EXPECT_GE(p["health"]["requests"].GetInt(), 1);
      EXPECT_EQ(str(p["health"], "status"), "ok");
    }
    if (name == "polygon") {
      saw_polygon = true;
      EXPECT_TRUE(p["key_configured"].IsTrue());
    }
    if (name == "simulator") {
      EXPECT_TRUE(p["enabled"].IsFalse());
    }
  }
  EXPECT_TRUE(saw_binance && saw_polygon);
}

TEST_F(RestProviders, BadBarsAreFlaggedQuarantinedAndAlerted) {
  // validate=true shows each bar's findings.
  auto d = get("/api/v1/data/ohlcv?symbol=BADBARS&interval=1d&start=2022-01-03"
               "&end=2022-01-05&provider=eodhd&validate=true");
  ASSERT_TRUE(d.HasMember("bars") && d["bars"].Size() == 3u);
  auto& bad = d["bars"][0]["findings"];
  ASSERT_TRUE(bad.IsArray() && bad.Size() >= 1u);
  EXPECT_EQ(str(bad[0], "rule"), "ohlc_consistency");
  EXPECT_EQ(d["bars"][1]["findings"].Size(), 0u);
  // The fetched bars went through the validators: two are quarantined.
  size_t quarantined = 0;
  for (int i = 0; i < 100 && quarantined < 2; ++i) {
    auto q = get("/api/v1/data/quarantine?symbol=BADBARS");
    quarantined = q["events"].Size();
    if (quarantined < 2)
      std::this_thread::sleep_for(20ms);
    else
      EXPECT_EQ(str(q["events"][0], "rule"), "ohlc_consistency");
  }
  EXPECT_EQ(quarantined, 2u);
  // Two drops from one provider over burst-rejects = 1: an alert is POSTed.
  bool alerted = false;
  for (int i = 0; i < 150 && !alerted; ++i) {
    for (auto& r : server_->requests())
      if (r.method == "POST" && r.path == "/alerts"
          && r.body.find("\"kind\":\"reject_burst\"") != std::string::npos)
        alerted = true;
    if (!alerted)
      std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(alerted) << proc_->output();
  // Quality reflects the drops, per provider.
  auto q = get("/api/v1/data/quality?symbol=BADBARS");
  EXPECT_EQ(str(q, "subject"), "BADBARS");
  EXPECT_EQ(q["quality"]["dropped"].GetInt(), 2);
  bool eodhd = false;
  for (auto& p : q["providers"].GetArray())
    eodhd = eodhd || str(p, "provider") == "eodhd";
  EXPECT_TRUE(eodhd);
}
