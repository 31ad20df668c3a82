// api/routes/instruments: the catalog of configured and seen instruments,
// the search and its body; api/routes/resample: which finer bars to read.

#include "api/routes/instruments.hpp"
#include "api/routes/resample.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

using namespace tickflow;
using namespace tickflow::api;

namespace {

http_request request(std::vector<std::pair<std::string, std::string>> query) {
  http_request req;
  req.method = "GET";
  req.path = "/api/v1/instruments";
  req.query = std::move(query);
  return req;
}

std::vector<instrument_info> catalog() {
  failover_settings f;
  std::vector<configured_instrument> configured = {
    {"AAPL", {"simulator"}}, {"BTC-USDT", {"binance", "simulator"}},
    {"ETH-USDT", {"simulator"}}, {"EUR-USD", {}}};
  // BTC-USD seen (fetched once), BTC-USDT both configured and seen.
  return instrument_catalog(configured, {"BTC-USD", "BTC-USDT"}, f,
                            {"binance", "coingecko", "polygon"});
}

std::vector<std::string> ids(const std::vector<const instrument_info*>& xs) {
  std::vector<std::string> out;
  for (auto* x : xs)
    out.push_back(x->id);
  return out;
}

TEST(Instruments, CatalogMergesConfiguredAndSeen) {
  auto all = catalog();
  ASSERT_EQ(ids({&all[0], &all[1], &all[2], &all[3], &all[4]}),
            (std::vector<std::string>{"AAPL", "BTC-USD", "BTC-USDT", "ETH-USDT", "EUR-USD"}));
  auto& btc = all[2];
  EXPECT_EQ(btc.cls, asset_class::crypto);
  EXPECT_TRUE(btc.configured);
  EXPECT_TRUE(btc.seen);
  EXPECT_EQ(btc.live, (std::vector<std::string>{"binance", "simulator"}));
  // The default crypto chain narrowed to the enabled REST providers.
  EXPECT_EQ(btc.rest, (std::vector<std::string>{"binance", "coingecko", "polygon"}));
  EXPECT_FALSE(all[1].configured);
  EXPECT_TRUE(all[1].seen);
  EXPECT_EQ(all[0].cls, asset_class::equity);
  EXPECT_EQ(all[4].cls, asset_class::forex);
}

TEST(Instruments, SearchRanksTheResolvedIdFirst) {
  auto all = catalog();
  struct row {
    std::vector<std::pair<std::string, std::string>> query;
    std::vector<std::string> want;
  };
  const row rows[] = {
    {{}, {"AAPL", "BTC-USD", "BTC-USDT", "ETH-USDT", "EUR-USD"}},
    {{{"query", "BTC"}}, {"BTC-USD", "BTC-USDT"}},
    {{{"query", "btcusdt"}}, {"BTC-USDT"}},
    {{{"query", "BTC/USDT"}}, {"BTC-USDT"}},
    {{{"query", "usdt"}}, {"BTC-USDT", "ETH-USDT"}},
    // EURUSD=X resolves to EUR-USD; "USD" in it also matches the others.
    {{{"query", "EURUSD=X"}}, {"EUR-USD"}},
    {{{"query", "USD"}}, {"BTC-USD", "BTC-USDT", "ETH-USDT", "EUR-USD"}},
    {{{"query", "US"}, {"asset_class", "forex"}}, {"EUR-USD"}},
    {{{"asset_class", "crypto"}, {"provider", "simulator"}}, {"BTC-USDT", "ETH-USDT"}},
    {{{"provider", "coingecko"}, {"query", "btc"}}, {"BTC-USD", "BTC-USDT"}},
    {{{"query", "NOPE"}}, {}},
  };
  for (auto& r : rows) {
    auto q = parse_instruments_query(request(r.query));
    ASSERT_TRUE(std::holds_alternative<instruments_query>(q));
    EXPECT_EQ(ids(search_instruments(all, std::get<instruments_query>(q), shape_resolver())),
              r.want)
      << (r.query.empty() ? "" : r.query[0].second);
  }
  // The id a query resolves to comes before ids that merely contain it.
  symbol_resolver one{{"ETH-USDT"}, {}};
  auto q = std::get<instruments_query>(parse_instruments_query(request({{"query", "eth"}})));
  EXPECT_EQ(ids(search_instruments(all, q, one)), (std::vector<std::string>{"ETH-USDT"}));
}

TEST(Instruments, BadParametersAreNamed) {
  struct row {
    std::vector<std::pair<std::string, std::string>> query;
    std::string field;
  };
  const row rows[] = {
    {{{"asset_class", "bond"}}, "asset_class"},
    {{{"provider", "nope"}}, "provider"},
    {{{"limit", "0"}}, "limit"},
    {{{"limit", "1001"}}, "limit"},
  };
  for (auto& r : rows) {
    auto q = parse_instruments_query(request(r.query));
    ASSERT_TRUE(std::holds_alternative<api_error>(q)) << r.field;
    EXPECT_EQ(std::get<api_error>(q).field, r.field);
    EXPECT_EQ(std::get<api_error>(q).status, 400u);
  }
}

TEST(Instruments, BodyListsClassPairAndProviders) {
  auto all = catalog();
  auto q = std::get<instruments_query>(
    parse_instruments_query(request({{"query", "BTC"}, {"limit", "1"}})));
  auto body = instruments_body(q, search_instruments(all, q, shape_resolver()));
  rapidjson::Document d;
  d.Parse(body.c_str());
  ASSERT_TRUE(d.IsObject()) << body;
  EXPECT_STREQ(d["query"].GetString(), "BTC");
  EXPECT_TRUE(d["asset_class"].IsNull());
  EXPECT_EQ(d["count"].GetInt(), 1);
  EXPECT_EQ(d["total"].GetInt(), 2);
  auto& x = d["instruments"][0];
  EXPECT_STREQ(x["id"].GetString(), "BTC-USD");
  EXPECT_STREQ(x["asset_class"].GetString(), "crypto");
  EXPECT_STREQ(x["base"].GetString(), "BTC");
  EXPECT_STREQ(x["quote"].GetString(), "USD");
  EXPECT_FALSE(x["configured"].GetBool());
  EXPECT_TRUE(x["seen"].GetBool());
  ASSERT_EQ(x["providers"].Size(), 3u);
  EXPECT_STREQ(x["providers"][0].GetString(), "binance");
  EXPECT_EQ(x["live"].Size(), 0u);
  auto aapl = std::get<instruments_query>(parse_instruments_query(request({{"query", "AAPL"}})));
  auto b2 = instruments_body(aapl, search_instruments(all, aapl, shape_resolver()));
  EXPECT_NE(b2.find(R"("base":null,"quote":null,"providers":["simulator","polygon"])"),
            std::string::npos)
    << b2;
}

// -- reference lists ----------------------------------------------------------------

std::vector<instrument_info> with_reference() {
  failover_settings f;
  std::vector<configured_instrument> configured = {{"BTC-USDT", {"simulator"}}};
  reference_lists lists{100};
  reference_instrument btc;
  btc.symbol = "BTC-USDT";
  btc.cls = asset_class::crypto;
  btc.tick_size = decimal::from_parts(1, 2);
  btc.lot_size = decimal::from_parts(1, 3);
  reference_instrument eth = btc;
  eth.symbol = "ETH-BTC";
  eth.tick_size = {};
  eth.lot_size = {};
  lists.set("binance", {btc, eth}, shape_resolver());
  reference_instrument a;
  a.symbol = "A";
  a.cls = asset_class::equity;
  reference_instrument es;
  es.symbol = "00CN5";
  es.cls = asset_class::futures;
  es.tick_size = decimal::from_parts(25, 4);
  lists.set("polygon", {a}, shape_resolver());
  lists.set("massive_futures", {es}, shape_resolver());
  return instrument_catalog(configured, {}, f, {"binance"}, lists.merged());
}

TEST(Instruments, ReferenceListsJoinTheCatalog) {
  auto all = with_reference();
  std::vector<std::string> got;
  for (auto& x : all)
    got.push_back(x.id);
  EXPECT_EQ(got, (std::vector<std::string>{"00CN5", "A", "BTC-USDT", "ETH-BTC"}));
  auto& btc = all[2];
  EXPECT_TRUE(btc.configured);
  EXPECT_TRUE(btc.reference); // a configured one gains the list's sizes
  EXPECT_EQ(btc.tick_size.to_string(), "0.01");
  EXPECT_EQ(btc.listed, (std::vector<std::string>{"binance"}));
  EXPECT_EQ(all[0].cls, asset_class::futures); // as the list says, not by shape
  EXPECT_FALSE(all[0].configured);
  EXPECT_TRUE(all[1].rest.empty());
  struct row {
    std::vector<std::pair<std::string, std::string>> query;
    std::vector<std::string> want;
  };
  const row rows[] = {
    {{{"query", "BTC"}}, {"BTC-USDT", "ETH-BTC"}},
    {{{"query", "a"}, {"asset_class", "equity"}}, {"A"}},
    {{{"provider", "polygon"}}, {"A"}},
    {{{"provider", "binance"}}, {"BTC-USDT", "ETH-BTC"}},
    {{{"asset_class", "futures"}}, {"00CN5"}},
  };
  for (auto& r : rows) {
    auto q = std::get<instruments_query>(parse_instruments_query(request(r.query)));
    EXPECT_EQ(ids(search_instruments(all, q, shape_resolver())), r.want) << r.query[0].second;
  }
}

TEST(Instruments, BodyCarriesSizesAndReference) {
  auto all = with_reference();
  auto q = std::get<instruments_query>(parse_instruments_query(request({})));
  auto body = instruments_body(q, search_instruments(all, q, shape_resolver()));
  rapidjson::Document d;
  d.Parse(body.c_str());
  ASSERT_TRUE(d.IsObject()) << body;
  auto& xs = d["instruments"];
  ASSERT_EQ(xs.Size(), 4u);
  EXPECT_STREQ(xs[0]["tick_size"].GetString(), "0.0025");
  EXPECT_TRUE(xs[0]["lot_size"].IsNull());
  EXPECT_TRUE(xs[0]["reference"].GetBool());
  EXPECT_STREQ(xs[0]["providers"][0].GetString(), "massive_futures");
  auto& btc = xs[2];
  EXPECT_STREQ(btc["tick_size"].GetString(), "0.01");
  EXPECT_STREQ(btc["lot_size"].GetString(), "0.001");
  // Live sources, then the REST chain, then the listing providers, once each.
  ASSERT_EQ(btc["providers"].Size(), 2u);
  EXPECT_STREQ(btc["providers"][0].GetString(), "simulator");
  EXPECT_STREQ(btc["providers"][1].GetString(), "binance");
  EXPECT_TRUE(xs[3]["tick_size"].IsNull());
  // Without lists: reference false, sizes null.
  auto plain = catalog();
  auto b2 = instruments_body(q, search_instruments(plain, q, shape_resolver()));
  EXPECT_NE(b2.find(R"("seen":false,"reference":false,"tick_size":null,"lot_size":null})"),
            std::string::npos)
    << b2;
}

// -- resampling plan ----------------------------------------------------------------

TEST(Resample, PlanTriesLiveIntervalsAndOneMinute) {
  std::vector<interval> sim = {interval::s1, interval::m1};
  EXPECT_EQ(resample_plan(interval::m5, sim), (std::vector<interval>{interval::m1, interval::s1}));
  EXPECT_EQ(resample_plan(interval::h1, sim), (std::vector<interval>{interval::m1, interval::s1}));
  EXPECT_EQ(resample_plan(interval::h1, {interval::m15}),
            (std::vector<interval>{interval::m15, interval::m1}));
  EXPECT_EQ(resample_plan(interval::d1, {}), (std::vector<interval>{interval::m1}));
  // 1m is live, but in its first minute only 1s bars exist.
  EXPECT_EQ(resample_plan(interval::m1, sim), (std::vector<interval>{interval::s1}));
  EXPECT_TRUE(resample_plan(interval::s1, sim).empty());
}

TEST(Resample, FinerQueryCoversTheSameBars) {
  constexpr int64_t min = 60'000'000'000;
  ohlcv_query q;
  q.instrument = "BTC-USDT";
  q.span = interval::h1;
  q.limit = 10;
  q.validate = true;
  auto f = finer_query(q, interval::m1);
  EXPECT_EQ(f.span, interval::m1);
  EXPECT_EQ(f.limit, 660u); // 11 hours of minutes: the range may start inside one
  EXPECT_EQ(f.start_ns, 0);
  EXPECT_EQ(f.end_ns, 0);
  EXPECT_FALSE(f.validate);
  q.start_ns = 90 * min; // 01:30 -> from 01:00
  q.end_ns = 150 * min;  // 02:30 -> the 02:00 bar, whose last minute is 02:59
  f = finer_query(q, interval::m1);
  EXPECT_EQ(f.start_ns, 60 * min);
  EXPECT_EQ(f.end_ns, 179 * min);
  q.span = interval::d1;
  q.limit = 5000;
  EXPECT_EQ(finer_query(q, interval::s1).limit, max_finer_bars);
}

} // namespace
