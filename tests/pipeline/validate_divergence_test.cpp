// Cross-provider divergence: who is off, who is flagged, within which window.

#include "pipeline/validate/validation_engine.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {
namespace {

constexpr int64_t t0 = 1'700'000'000 * ns_per_s;

decimal dec(std::string_view text) {
  auto x = decimal::parse(text);
  EXPECT_TRUE(x) << text;
  return x ? *x : decimal{};
}

trade make_trade(provider p, const char* price, int64_t ts) {
  trade x;
  x.instrument = "BTC-USDT";
  x.source = p;
  x.price = dec(price);
  x.size = dec("1");
  x.ts_event_ns = ts;
  return x;
}

quote make_quote(provider p, const char* bid, const char* ask, int64_t ts) {
  quote x;
  x.instrument = "BTC-USDT";
  x.source = p;
  x.bid_price = dec(bid);
  x.bid_size = dec("1");
  x.ask_price = dec(ask);
  x.ask_size = dec("1");
  x.ts_event_ns = ts;
  return x;
}

struct seen {
  bool flagged;
  std::optional<severity> level;
  std::optional<provider> suspect;
};

seen summary(const verdict& v, const trade& x) {
  seen out{(x.flags & quality_divergent) != 0, std::nullopt, std::nullopt};
  if (auto f = v.find(rule::divergence)) {
    out.level = f->level;
    out.suspect = f->suspect;
  }
  return out;
}

TEST(ValidateDivergence, NamesTheOddProviderOutOfThree) {
  validation_engine e;
  std::vector<trade> xs = {
    make_trade(providers::binance, "100.1", t0),
    make_trade(providers::polygon, "100", t0 + ns_per_s),
    make_trade(providers::coingecko, "105", t0 + 2 * ns_per_s),
    make_trade(providers::binance, "100.2", t0 + 3 * ns_per_s),
  };
  std::vector<verdict> vs;

  for (auto& x : xs)
    vs.push_back(e.check(x, x.ts_event_ns));

  // The first two agree (0.1% apart).
  EXPECT_TRUE(vs[0].findings.empty());
  EXPECT_TRUE(vs[1].findings.empty());
  // The odd one: high, and it is the suspect.
  auto f = vs[2].find(rule::divergence);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->level, severity::high);
  EXPECT_EQ(f->suspect, providers::coingecko);
  EXPECT_EQ(f->blamed(), providers::coingecko);
  EXPECT_EQ(f->source, providers::coingecko);
  EXPECT_EQ(f->reason,
            "coingecko 105 is 4.90% off the median 100.1 of 3 providers "
            "(binance 100.1, polygon 100, coingecko 105); spread 5.00% > "
            "1.00%");
  EXPECT_EQ(xs[2].flags, quality_divergent);
  // Every event checked while the spread lasts is flagged: a bystander's
  // finding is low and still names coingecko.
  auto g = vs[3].find(rule::divergence);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->level, severity::low);
  EXPECT_EQ(g->source, providers::binance);
  EXPECT_EQ(g->suspect, providers::coingecko);
  EXPECT_EQ(xs[3].flags, quality_divergent);
  EXPECT_EQ(e.quality_of_provider(providers::coingecko).findings(
              rule::divergence),
            1u);
  EXPECT_EQ(vs[2].score, 60); // high: full weight 40
  EXPECT_EQ(vs[3].score, 80); // low: half
}

TEST(ValidateDivergence, Table) {
  struct row {
    const char* name;
    std::vector<trade> before;
    trade x;
    seen want;
  };
  const row rows[] = {
    {"two providers: flagged, nobody named",
     {make_trade(providers::binance, "100", t0)},
     make_trade(providers::coingecko, "102", t0),
     {true, severity::low, std::nullopt}},
    {"within 1%", {make_trade(providers::binance, "100", t0)},
     make_trade(providers::coingecko, "100.99", t0), {false, {}, {}}},
    {"exactly 1% of the median is not more",
     {make_trade(providers::binance, "99.5", t0)},
     make_trade(providers::coingecko, "100.5", t0), {false, {}, {}}},
    {"the other price is outside the window",
     {make_trade(providers::binance, "100", t0)},
     make_trade(providers::coingecko, "110", t0 + 31 * ns_per_s),
     {false, {}, {}}},
    {"window edge included", {make_trade(providers::binance, "100", t0)},
     make_trade(providers::coingecko, "110", t0 + 30 * ns_per_s),
     {true, severity::low, std::nullopt}},
    {"one provider alone never diverges",
     {make_trade(providers::binance, "100", t0)},
     make_trade(providers::binance, "100.5", t0 + 1), {false, {}, {}}},
    {"three, equidistant from the median: nobody named",
     {make_trade(providers::binance, "100", t0),
      make_trade(providers::polygon, "101.2", t0)},
     make_trade(providers::coingecko, "100.6", t0),
     {true, severity::low, std::nullopt}},
    {"three, a bystander reports the suspect",
     {make_trade(providers::binance, "100", t0),
      make_trade(providers::coingecko, "90", t0)},
     make_trade(providers::polygon, "100.1", t0),
     {true, severity::low, providers::coingecko}},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    validation_engine e;
    for (auto x : r.before)
      e.check(x, x.ts_event_ns);
    auto x = r.x;

    auto v = e.check(x, x.ts_event_ns);

    auto got = summary(v, x);
    EXPECT_EQ(got.flagged, r.want.flagged);
    EXPECT_EQ(got.level, r.want.level);
    EXPECT_EQ(got.suspect, r.want.suspect);
  }
}

TEST(ValidateDivergence, QuotesCompareTheirMid) {
  validation_engine e;
  auto a = make_quote(providers::binance, "99.9", "100.1", t0); // mid 100
  auto b = make_trade(providers::coingecko, "101.5", t0);

  e.check(a, t0);
  auto v = e.check(b, t0);

  auto f = v.find(rule::divergence);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->reason,
            "spread 1.49% > 1.00% across 2 providers (binance 100, "
            "coingecko 101.5), median 100.75; no single provider is off");
}

TEST(ValidateDivergence, SettingsChangeTheVerdict) {
  struct row {
    const char* name;
    double max_spread;
    size_t min_providers;
    bool flagged;
  };
  const row rows[] = {
    {"defaults", 0.01, 2, true},
    {"wider band", 0.05, 2, false},
    {"needs three providers", 0.01, 3, false},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    validation_settings s;
    s.divergence.max_spread = r.max_spread;
    s.divergence.min_providers = r.min_providers;
    validation_engine e{s};
    auto a = make_trade(providers::binance, "100", t0);
    auto b = make_trade(providers::coingecko, "103", t0);

    e.check(a, t0);
    e.check(b, t0);

    EXPECT_EQ((b.flags & quality_divergent) != 0, r.flagged);
  }
}

TEST(ValidateDivergence, DroppedOddProviderLeavesTheMedianAlone) {
  validation_settings s;
  s.of(rule::divergence).action = rule_action::drop;
  validation_engine e{s};
  auto a = make_trade(providers::binance, "100", t0);
  auto b = make_trade(providers::polygon, "100.1", t0);
  auto odd = make_trade(providers::coingecko, "120", t0);
  auto c = make_trade(providers::binance, "100.05", t0 + 1);

  e.check(a, t0);
  e.check(b, t0);
  auto v_odd = e.check(odd, t0);
  auto v_c = e.check(c, t0);

  EXPECT_EQ(v_odd.action, event_action::drop);
  EXPECT_TRUE(v_c.findings.empty()); // the dropped price is not remembered
}

} // namespace
} // namespace tickflow
