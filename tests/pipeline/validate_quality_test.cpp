// Quality scores, rolling quality per provider and instrument, quarantine.

#include "pipeline/validate/validation_engine.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {
namespace {

constexpr int64_t t0 = 1'700'000'000 * ns_per_s; // 2023-11-14T22:13:20Z

decimal dec(std::string_view text) {
  auto x = decimal::parse(text);
  EXPECT_TRUE(x) << text;
  return x ? *x : decimal{};
}

trade make_trade(const char* price, const char* id, int64_t ts,
                 provider p = providers::binance,
                 const char* instrument = "BTC-USDT") {
  trade x;
  x.instrument = instrument;
  x.source = p;
  x.price = dec(price);
  x.size = dec("0.25");
  x.aggressor = side::buy;
  x.trade_id = id;
  x.ts_event_ns = ts;
  x.ts_recv_ns = ts;
  return x;
}

// -- score --------------------------------------------------------------------

TEST(ValidateQuality, ScoreSubtractsRuleWeights) {
  struct row {
    const char* name;
    std::function<void(validation_settings&)> tune;
    std::vector<trade> before; // checked at t0 first
    trade x;                   // checked at t0
    std::vector<rule> findings;
    int score;
  };
  auto with_size = [](trade x, const char* size) {
    x.size = dec(size);
    return x;
  };
  const row rows[] = {
    {"clean", {}, {}, make_trade("100", "1", t0), {}, 100},
    {"future: high, weight 50", {}, {},
     make_trade("100", "1", t0 + 6 * ns_per_s), {rule::future_timestamp}, 50},
    {"stale: low, half of 20",
     [](validation_settings& s) { s.freshness_bound_ns = ns_per_s; }, {},
     make_trade("100", "1", t0 - 2 * ns_per_s), {rule::stale_event}, 90},
    {"future and duplicate (flag, low, half of 40)",
     [](validation_settings& s) {
       s.of(rule::duplicate).action = rule_action::flag;
     },
     {make_trade("100", "1", t0)}, make_trade("100", "1", t0 + 6 * ns_per_s),
     {rule::future_timestamp, rule::duplicate}, 30},
    {"odd weight: low findings round down",
     [](validation_settings& s) { s.of(rule::out_of_order).weight = 15; },
     {make_trade("100", "1", t0)}, make_trade("100", "2", t0 - 1),
     {rule::out_of_order}, 93},
    {"weight 0 reports but costs nothing",
     [](validation_settings& s) { s.of(rule::future_timestamp).weight = 0; },
     {}, make_trade("100", "1", t0 + 6 * ns_per_s), {rule::future_timestamp},
     100},
    {"clamped at 0",
     [](validation_settings& s) {
       s.of(rule::positive_price).action = rule_action::flag;
       s.of(rule::positive_size).action = rule_action::flag;
     },
     {}, with_size(make_trade("0", "1", t0), "0"),
     {rule::positive_price, rule::positive_size}, 0},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    validation_settings s;
    if (r.tune)
      r.tune(s);
    validation_engine e{s};
    for (auto x : r.before)
      e.check(x, t0);
    auto x = r.x;

    auto v = e.check(x, t0);

    std::vector<rule> got;
    for (auto& f : v.findings)
      got.push_back(f.which);
    EXPECT_EQ(got, r.findings);
    EXPECT_EQ(v.score, r.score);
  }
}

// -- rolling quality ----------------------------------------------------------

TEST(ValidateQuality, RollingQualityPerProviderAndInstrument) {
  validation_settings s;
  s.quality_alpha = 0.5;
  validation_engine e{s};
  struct step {
    trade x;
    int score;
  };
  std::vector<step> steps = {
    {make_trade("100", "1", t0), 100},
    {make_trade("100", "2", t0 + 6 * ns_per_s), 50}, // future: flagged
    {make_trade("0", "3", t0, providers::coingecko), 0}, // dropped
    {make_trade("2000", "4", t0, providers::binance, "ETH-USDT"), 100},
  };
  std::vector<int> scores;

  for (auto& st : steps)
    scores.push_back(e.check(st.x, t0).score);
  auto binance = e.quality_of_provider(providers::binance);
  auto coingecko = e.quality_of_provider(providers::coingecko);
  auto btc = e.quality_of_instrument("BTC-USDT");
  auto eth = e.quality_of_instrument("ETH-USDT");
  auto unknown = e.quality_of_instrument("SOL-USDT");
  auto nobody = e.quality_of_provider(providers::yahoo);

  EXPECT_EQ(scores, (std::vector<int>{100, 50, 0, 100}));
  // EWMA, alpha 0.5, starting from 100.
  EXPECT_DOUBLE_EQ(binance.score, 87.5); // 100, 75, 87.5
  EXPECT_DOUBLE_EQ(coingecko.score, 50); // 50
  EXPECT_DOUBLE_EQ(btc.score, 37.5);     // 100, 75, 37.5
  EXPECT_DOUBLE_EQ(eth.score, 100);
  EXPECT_DOUBLE_EQ(e.overall().score, 68.75);
  EXPECT_EQ(binance.events, 3u);
  EXPECT_EQ(binance.accepted, 3u);
  EXPECT_EQ(binance.flagged, 1u);
  EXPECT_EQ(binance.dropped, 0u);
  EXPECT_EQ(binance.findings(rule::future_timestamp), 1u);
  EXPECT_EQ(coingecko.events, 1u);
  EXPECT_EQ(coingecko.dropped, 1u);
  EXPECT_EQ(coingecko.findings(rule::positive_price), 1u);
  EXPECT_EQ(btc.events, 3u);
  EXPECT_EQ(btc.accepted, 2u);
  EXPECT_EQ(btc.flagged, 1u);
  EXPECT_EQ(btc.dropped, 1u);
  EXPECT_EQ(eth.events, 1u);
  EXPECT_EQ(unknown.events, 0u);
  EXPECT_DOUBLE_EQ(unknown.score, 100);
  EXPECT_EQ(nobody.events, 0u);
  EXPECT_EQ(e.overall().events, 4u);
}

TEST(ValidateQuality, ReportsOfShardsMerge) {
  quality_report a;
  a.score = 90;
  a.events = 3;
  a.accepted = 2;
  a.dropped = 1;
  a.by_rule[index_of(rule::duplicate)] = 1;
  quality_report b;
  b.score = 50;
  b.events = 1;
  b.accepted = 1;
  b.flagged = 1;
  b.by_rule[index_of(rule::duplicate)] = 2;
  quality_report empty;

  auto m = quality_report::merge(a, b);
  auto same = quality_report::merge(a, empty);
  auto none = quality_report::merge(empty, empty);

  EXPECT_DOUBLE_EQ(m.score, 80); // (90 * 3 + 50) / 4
  EXPECT_EQ(m.events, 4u);
  EXPECT_EQ(m.accepted, 3u);
  EXPECT_EQ(m.flagged, 1u);
  EXPECT_EQ(m.dropped, 1u);
  EXPECT_EQ(m.findings(rule::duplicate), 3u);
  EXPECT_DOUBLE_EQ(same.score, 90);
  EXPECT_DOUBLE_EQ(none.score, 100);
}

// -- quarantine ---------------------------------------------------------------

TEST(ValidateQuality, QuarantineIsBoundedAndCountsEverything) {
  validation_settings s;
  s.quarantine_capacity = 3;
  validation_engine e{s};
  auto future = t0 + 10 * ns_per_s;
  std::vector<trade> bad = {
    make_trade("0", "1", t0),                                      // drop
    make_trade("1", "2", future, providers::binance, "ETH-USDT"),   // flag
    make_trade("0", "3", t0),                                      // drop
    make_trade("1", "4", future, providers::polygon, "AAPL"),       // flag
    make_trade("1", "5", future),                                  // flag
  };

  for (auto& x : bad)
    e.check(x, t0);
  auto& q = e.quarantined();
  auto all = q.recent(10);
  auto btc = q.recent(10, "BTC-USDT");
  auto newest = q.recent(1);

  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.capacity(), 3u);
  EXPECT_EQ(q.totals().added, 5u);
  EXPECT_EQ(q.totals().evicted, 2u);
  EXPECT_EQ(q.totals().dropped, 2u);
  EXPECT_EQ(q.totals().flagged, 3u);
  EXPECT_EQ(q.totals().by_rule[index_of(rule::positive_price)], 2u);
  EXPECT_EQ(q.totals().by_rule[index_of(rule::future_timestamp)], 3u);
  std::vector<uint64_t> seqs;
  for (auto& x : all)
    seqs.push_back(x.seq);
  EXPECT_EQ(seqs, (std::vector<uint64_t>{5, 4, 3}));
  ASSERT_EQ(btc.size(), 2u);
  EXPECT_EQ(btc[0].seq, 5u);
  EXPECT_EQ(btc[1].seq, 3u);
  EXPECT_TRUE(btc[1].dropped);
  EXPECT_EQ(btc[1].why, rule::positive_price);
  EXPECT_EQ(btc[1].reason, "price 0 <= 0");
  ASSERT_EQ(newest.size(), 1u);
  EXPECT_FALSE(newest[0].dropped);
  EXPECT_EQ(newest[0].flags, quality_future);
  EXPECT_EQ(newest[0].event_time_ns, future);
  EXPECT_EQ(newest[0].seen_ns, t0);
  EXPECT_EQ(newest[0].source, providers::binance);
  EXPECT_EQ(newest[0].type, "trade");
  using fields = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(newest[0].fields, (fields{{"id", "5"},
                                      {"price", "1"},
                                      {"size", "0.25"},
                                      {"side", "buy"},
                                      {"time", "2023-11-14T22:13:30Z"}}));
  EXPECT_TRUE(q.recent(10, "SOL-USDT").empty());
  EXPECT_TRUE(q.recent(0).empty());
}

TEST(ValidateQuality, QuarantineRendersQuotesAndBars) {
  quote qx;
  qx.instrument = "ETH-USDT";
  qx.source = providers::binance;
  qx.bid_price = dec("2000.5");
  qx.bid_size = dec("1.5");
  qx.ask_price = dec("2000.1");
  qx.ask_size = dec("0");
  qx.ts_event_ns = t0;
  bar bx;
  bx.instrument = "AAPL";
  bx.source = providers::polygon;
  bx.span = interval::h1;
  bx.open_time_ns = t0;
  bx.open = dec("190.1");
  bx.high = dec("189");
  bx.low = dec("189.5");
  bx.close = dec("190");
  bx.volume = dec("1200");
  bx.closed = true;
  validation_engine e;

  e.check(qx, t0);
  e.check(bx, t0 + 3600 * ns_per_s);
  auto got = e.quarantined().recent(2);

  using fields = std::vector<std::pair<std::string, std::string>>;
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].type, "bar");
  EXPECT_EQ(got[0].why, rule::ohlc_consistency);
  EXPECT_EQ(got[0].reason, "low 189.5 > high 189");
  EXPECT_EQ(got[0].fields, (fields{{"interval", "1h"},
                                   {"open_time", "2023-11-14T22:13:20Z"},
                                   {"open", "190.1"},
                                   {"high", "189"},
                                   {"low", "189.5"},
                                   {"close", "190"},
                                   {"volume", "1200"},
                                   {"closed", "true"}}));
  EXPECT_EQ(got[1].type, "quote");
  EXPECT_EQ(got[1].why, rule::crossed_quote);
  EXPECT_EQ(got[1].fields, (fields{{"bid", "2000.5"},
                                   {"bid_size", "1.5"},
                                   {"ask", "2000.1"},
                                   {"ask_size", "0"},
                                   {"time", "2023-11-14T22:13:20Z"}}));
}

TEST(ValidateQuality, QuarantineRingWrapsInOrder) {
  quarantine q{2};
  for (int i = 0; i < 7; ++i) {
    quarantined_event x;
    x.why = i % 2 == 0 ? rule::duplicate : rule::outlier_mad;
    x.dropped = i % 2 == 0;
    x.instrument = "BTC-USDT";
    q.add(x);
  }

  auto got = q.recent(5);

  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].seq, 7u);
  EXPECT_EQ(got[1].seq, 6u);
  EXPECT_EQ(q.totals().added, 7u);
  EXPECT_EQ(q.totals().evicted, 5u);
  EXPECT_EQ(q.totals().dropped, 4u);
  EXPECT_EQ(q.totals().flagged, 3u);
  EXPECT_EQ(q.totals().by_rule[index_of(rule::duplicate)], 4u);
  EXPECT_EQ(q.totals().by_rule[index_of(rule::outlier_mad)], 3u);
}

} // namespace
} // namespace tickflow
