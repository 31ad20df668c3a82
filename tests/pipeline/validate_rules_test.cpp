// Every rule of the validation engine, switched on and off, its actions and
// the order in which the rules apply.

#include "pipeline/validate/validation_engine.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
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
  x.size = dec("0.5");
  x.trade_id = id;
  x.ts_event_ns = ts;
  x.ts_recv_ns = ts;
  return x;
}

quote make_quote(const char* bid, const char* ask, int64_t ts) {
  quote x;
  x.instrument = "ETH-USDT";
  x.source = providers::binance;
  x.bid_price = dec(bid);
  x.bid_size = dec("1");
  x.ask_price = dec(ask);
  x.ask_size = dec("2");
  x.ts_event_ns = ts;
  return x;
}

bar make_bar(const char* o, const char* h, const char* l, const char* c,
             int64_t open_ns, bool closed = true, const char* volume = "10") {
  bar x;
  x.instrument = "AAPL";
  x.source = providers::polygon;
  x.span = interval::m1;
  x.open_time_ns = open_ns;
  x.open = dec(o);
  x.high = dec(h);
  x.low = dec(l);
  x.close = dec(c);
  x.volume = dec(volume);
  x.closed = closed;
  return x;
}

using event = std::variant<trade, quote, bar>;

struct step {
  event x;
  int64_t now_ns;
};

verdict feed(validation_engine& e, step& s) {
  return std::visit([&](auto& x) { return e.check(x, s.now_ns); }, s.x);
}

uint32_t flags_of(const event& x) {
  return std::visit([](auto& ev) { return ev.flags; }, x);
}

// A calm random walk of n trades around 100 (log steps of about 0.1%), one
// per second from t0.
std::vector<step> walk(size_t n = 40) {
  std::vector<step> out;
  uint64_t seed = 42;
  double price = 100;
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    double u = static_cast<double>(seed >> 11) / 9007199254740992.0; // [0, 1)
    price *= std::exp((u - 0.5) * 0.002);
    auto cents = static_cast<int64_t>(std::llround(price * 100));
    auto ts = t0 + static_cast<int64_t>(i) * ns_per_s;
    trade x = make_trade("1", "", ts);
    x.price = decimal::from_parts(cents, 2);
    x.trade_id = std::to_string(i + 1);
    out.push_back({x, ts});
  }
  return out;
}

// walk(n), then a trade at `last` one second later.
std::vector<step> walk_then(const char* last, size_t n = 40) {
  auto out = walk(n);
  auto ts = t0 + static_cast<int64_t>(n) * ns_per_s;
  out.push_back({make_trade(last, "spike", ts), ts});
  return out;
}

// -- one rule at a time -------------------------------------------------------

struct rule_case {
  const char* name;
  rule which;
  std::function<void(validation_settings&)> tune; // may be empty
  std::vector<step> steps; // the last one breaks the rule, the others do not
  std::string reason;      // expected reason (or its start, see prefix)
  bool prefix;
  uint32_t flag;           // quality bit when the action is flag
};

std::vector<rule_case> rule_cases() {
  std::vector<rule_case> out;
  auto only_zscore = [](validation_settings& s) {
    s.of(rule::outlier_mad).enabled = false;
  };
  auto only_mad = [](validation_settings& s) {
    s.of(rule::outlier_zscore).enabled = false;
  };
  out.push_back({"instrument_id", rule::instrument_id, {},
                 {{make_trade("1", "1", t0, providers::binance, "btc"), t0}},
                 "instrument \"btc\" is not a canonical id", false, 0});
  out.push_back({"positive_price", rule::positive_price, {},
                 {{make_trade("0", "1", t0), t0}}, "price 0 <= 0", false, 0});
  {
    auto x = make_trade("1", "1", t0);
    x.size = dec("0");
    out.push_back({"positive_size", rule::positive_size, {}, {{x, t0}},
                   "size 0 <= 0", false, 0});
  }
  out.push_back({"ohlc_consistency", rule::ohlc_consistency, {},
                 {{make_bar("100", "99", "101", "100", t0),
                   t0 + 60 * ns_per_s}},
                 "low 101 > high 99", false, 0});
  out.push_back({"non_negative_volume", rule::non_negative_volume, {},
                 {{make_bar("100", "101", "99", "100", t0, true, "-2.5"),
                   t0 + 60 * ns_per_s}},
                 "volume -2.5 < 0", false, 0});
  out.push_back({"crossed_quote", rule::crossed_quote, {},
                 {{make_quote("101", "100.5", t0), t0}},
                 "bid 101 > ask 100.5", false, 0});
  out.push_back({"future_timestamp", rule::future_timestamp, {},
                 {{make_trade("1", "1", t0 + 5001 * ns_per_ms), t0}},
                 "event time 2023-11-14T22:13:25.001Z is 5001ms ahead of now "
                 "2023-11-14T22:13:20Z (max skew 5s)",
                 false, quality_future});
  out.push_back({"stale_event", rule::stale_event,
                 [](validation_settings& s) {
                   s.freshness_bound_ns = 60 * ns_per_s;
                 },
                 {{make_trade("1", "1", t0 - 61 * ns_per_s), t0}},
                 "event time 2023-11-14T22:12:19Z is 61s older than now "
                 "2023-11-14T22:13:20Z (freshness bound 60s)",
                 false, quality_stale});
  out.push_back({"duplicate trade", rule::duplicate, {},
                 {{make_trade("1", "7", t0), t0},
                  {make_trade("1", "7", t0 + 1), t0 + 1}},
                 "trade id 7 already seen from binance", false,
                 quality_duplicate});
  out.push_back({"duplicate closed bar", rule::duplicate, {},
                 {{make_bar("100", "101", "99", "100", t0, false), t0 + 1},
                  {make_bar("100", "101", "99", "100.5", t0, true),
                   t0 + 60 * ns_per_s},
                  {make_bar("100", "101", "99", "100.5", t0, true),
                   t0 + 61 * ns_per_s}},
                 "closed 1m bar opened at 2023-11-14T22:13:20Z already seen "
                 "from polygon",
                 false, quality_duplicate});
  out.push_back({"out_of_order trade", rule::out_of_order, {},
                 {{make_trade("1", "1", t0 + 2 * ns_per_s), t0 + 2 * ns_per_s},
                  {make_trade("1", "2", t0 + ns_per_s), t0 + 3 * ns_per_s}},
                 "event time 2023-11-14T22:13:21Z is 1s before the newest "
                 "2023-11-14T22:13:22Z of the binance trade series",
                 false, quality_out_of_order});
  out.push_back({"out_of_order quote", rule::out_of_order, {},
                 {{make_quote("100", "101", t0 + 5), t0 + 5},
                  {make_quote("100", "101", t0), t0 + 6}},
                 "event time 2023-11-14T22:13:20Z is 5ns before the newest "
                 "2023-11-14T22:13:20.000000005Z of the binance quote series",
                 false, quality_out_of_order});
  out.push_back({"out_of_order bar update after close", rule::out_of_order,
                 {},
                 {{make_bar("100", "101", "99", "100", t0, true),
                   t0 + 60 * ns_per_s},
                  {make_bar("100", "101", "99", "100.2", t0, false),
                   t0 + 61 * ns_per_s}},
                 "update of the 1m bar opened at 2023-11-14T22:13:20Z after it "
                 "closed",
                 false, quality_out_of_order});
  out.push_back({"outlier_zscore", rule::outlier_zscore, only_zscore,
                 walk_then("130"), "price 130 vs reference ", true,
                 quality_outlier});
  out.push_back({"outlier_mad", rule::outlier_mad, only_mad,
                 walk_then("70"), "price 70 vs reference ", true,
                 quality_outlier});
  out.push_back({"divergence", rule::divergence, {},
                 {{make_trade("100", "1", t0), t0},
                  {make_trade("103", "1", t0 + ns_per_s, providers::coingecko),
                   t0 + ns_per_s}},
                 "spread 2.96% > 1.00% across 2 providers (binance 100, "
                 "coingecko 103), median 101.5; no single provider is off",
                 false, quality_divergent});
  return out;
}

void expect_reason(const finding& f, const rule_case& c) {
  if (c.prefix)
    EXPECT_EQ(f.reason.substr(0, c.reason.size()), c.reason) << f.reason;
  else
    EXPECT_EQ(f.reason, c.reason);
}

// Runs a case; returns the verdict of its last step (the earlier ones must be
// clean) and the last event's flags.
std::pair<verdict, uint32_t> run_case(const rule_case& c,
                                      const validation_settings& s) {
  validation_engine e{s};
  auto steps = c.steps;
  for (size_t i = 0; i + 1 < steps.size(); ++i) {
    auto v = feed(e, steps[i]);
    EXPECT_TRUE(v.findings.empty())
      << "step " << i << ": " << to_string(v.findings[0].which) << ": "
      << v.findings[0].reason;
  }
  auto v = feed(e, steps.back());
  return {v, flags_of(steps.back().x)};
}

TEST(ValidateRules, EachRuleFiresWhenOnAndIsSilentWhenOff) {
  for (auto& c : rule_cases()) {
    SCOPED_TRACE(c.name);
    validation_settings on;
    if (c.tune)
      c.tune(on);
    auto off = on;
    off.of(c.which).enabled = false;

    auto [v_on, flags_on] = run_case(c, on);
    auto [v_off, flags_off] = run_case(c, off);

    // On: exactly this rule, with its default action.
    auto action = on.of(c.which).action;
    ASSERT_EQ(v_on.findings.size(), 1u);
    auto& f = v_on.findings[0];
    EXPECT_EQ(f.which, c.which);
    EXPECT_EQ(f.action, action);
    expect_reason(f, c);
    if (action == rule_action::drop) {
      EXPECT_EQ(v_on.action, event_action::drop);
      EXPECT_EQ(flags_on, 0u);
    } else {
      EXPECT_EQ(v_on.action, event_action::accept);
      EXPECT_EQ(flags_on, c.flag);
      EXPECT_EQ(v_on.flags, c.flag);
    }
    EXPECT_LT(v_on.score, 100);
    // Off: the same sequence goes through untouched.
    EXPECT_TRUE(v_off.findings.empty())
      << to_string(v_off.findings[0].which) << ": "
      << v_off.findings[0].reason;
    EXPECT_EQ(v_off.action, event_action::accept);
    EXPECT_EQ(flags_off, 0u);
    EXPECT_EQ(v_off.score, 100);
  }
}

TEST(ValidateRules, EveryPerEventRuleHasACase) {
  std::vector<bool> covered(rule_count, false);
  for (auto& c : rule_cases())
    covered[index_of(c.which)] = true;
  for (size_t i = 0; i < rule_count; ++i) {
    auto r = static_cast<rule>(i);
    if (r == rule::stale_symbol) // not about one event: validate_health_test
      continue;
    EXPECT_TRUE(covered[i]) << to_string(r);
  }
}

// -- actions ------------------------------------------------------------------

TEST(ValidateRules, DropFlagAndPass) {
  struct row {
    rule_action action;
    event_action want;
    uint32_t flags;
    bool quarantined;
    bool dropped;
  };
  const row rows[] = {
    {rule_action::drop, event_action::drop, 0, true, true},
    {rule_action::flag, event_action::accept, quality_future, true, false},
    {rule_action::pass, event_action::accept, 0, false, false},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{to_string(r.action)});
    validation_settings s;
    s.of(rule::future_timestamp).action = r.action;
    validation_engine e{s};
    auto x = make_trade("1", "1", t0 + 10 * ns_per_s);

    auto v = e.check(x, t0);

    EXPECT_EQ(v.action, r.want);
    ASSERT_EQ(v.findings.size(), 1u);
    EXPECT_EQ(v.findings[0].which, rule::future_timestamp);
    EXPECT_EQ(v.findings[0].action, r.action);
    EXPECT_EQ(v.findings[0].level, severity::high);
    EXPECT_EQ(x.flags, r.flags);
    EXPECT_EQ(v.score, 50); // the finding costs its weight whatever the action
    EXPECT_EQ(e.quarantined().size(), r.quarantined ? 1u : 0u);
    if (r.quarantined) {
      auto q = e.quarantined().recent(1);
      ASSERT_EQ(q.size(), 1u);
      EXPECT_EQ(q[0].dropped, r.dropped);
      EXPECT_EQ(q[0].why, rule::future_timestamp);
    }
    auto quality = e.quality_of_provider(providers::binance);
    EXPECT_EQ(quality.dropped, r.dropped ? 1u : 0u);
    EXPECT_EQ(quality.flagged, r.action == rule_action::flag ? 1u : 0u);
    EXPECT_EQ(quality.findings(rule::future_timestamp), 1u);
  }
}

TEST(ValidateRules, DroppedEventsChangeNoState) {
  validation_engine e;
  auto bad = make_trade("0", "9", t0 + 5 * ns_per_s);
  auto good = make_trade("100", "9", t0);

  auto v_bad = e.check(bad, t0 + 5 * ns_per_s);
  auto v_good = e.check(good, t0 + 6 * ns_per_s);

  EXPECT_EQ(v_bad.action, event_action::drop);
  // Neither a duplicate of the dropped id nor out of order after it.
  EXPECT_TRUE(v_good.findings.empty());
  EXPECT_EQ(v_good.action, event_action::accept);
}

// -- order of application -----------------------------------------------------

TEST(ValidateRules, RulesApplyInEnumOrderAndTheFirstDropStops) {
  struct row {
    const char* name;
    rule_action price;     // positive_price
    rule_action duplicate; // duplicate
    std::vector<rule> want;
    event_action action;
    uint32_t flags;
  };
  const row rows[] = {
    {"all flag", rule_action::flag, rule_action::flag,
     {rule::positive_price, rule::future_timestamp, rule::duplicate},
     event_action::accept, quality_future | quality_duplicate},
    {"price drops first", rule_action::drop, rule_action::flag,
     {rule::positive_price}, event_action::drop, 0},
    {"duplicate drops after future flagged", rule_action::flag,
     rule_action::drop,
     {rule::positive_price, rule::future_timestamp, rule::duplicate},
     event_action::drop, quality_future},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    validation_settings s;
    s.of(rule::positive_price).action = r.price;
    s.of(rule::duplicate).action = r.duplicate;
    validation_engine e{s};
    auto first = make_trade("100", "7", t0);
    // Zero price, 50 s ahead of now, same id as the first.
    auto x = make_trade("0", "7", t0 + 60 * ns_per_s);

    e.check(first, t0 + 10 * ns_per_s);
    auto v = e.check(x, t0 + 10 * ns_per_s);

    std::vector<rule> got;
    for (auto& f : v.findings)
      got.push_back(f.which);
    EXPECT_EQ(got, r.want);
    EXPECT_EQ(v.action, r.action);
    EXPECT_EQ(x.flags, r.flags);
  }
}

TEST(ValidateRules, SanityFindingsKeepStatisticsOut) {
  // A flagged zero price neither breaks the outlier rules nor becomes the
  // reference of the next return.
  validation_settings s;
  s.of(rule::positive_price).action = rule_action::flag;
  validation_engine e{s};
  auto steps = walk();
  for (auto& st : steps)
    feed(e, st);
  auto zero = make_trade("0", "z", t0 + 100 * ns_per_s);
  auto next = std::get<trade>(steps.back().x); // the reference price
  next.trade_id = "n";
  next.ts_event_ns = t0 + 101 * ns_per_s;

  auto v_zero = e.check(zero, t0 + 100 * ns_per_s);
  auto v_next = e.check(next, t0 + 101 * ns_per_s);

  ASSERT_EQ(v_zero.findings.size(), 1u);
  EXPECT_EQ(v_zero.findings[0].which, rule::positive_price);
  EXPECT_EQ(v_zero.action, event_action::accept);
  EXPECT_TRUE(v_next.findings.empty());
}

TEST(ValidateRules, BackfilledEventsAreNotLateOrStale) {
  validation_settings s;
  s.freshness_bound_ns = 60 * ns_per_s;
  validation_engine e{s};
  auto live = make_trade("100", "2", t0);
  auto old = make_trade("100", "1", t0 - 3600 * ns_per_s);
  old.flags = quality_backfilled;
  auto again = make_trade("100", "1", t0 - 3600 * ns_per_s);
  again.flags = quality_backfilled;

  auto v_live = e.check(live, t0);
  auto v_old = e.check(old, t0 + 1);
  auto v_again = e.check(again, t0 + 2);

  EXPECT_TRUE(v_live.findings.empty());
  EXPECT_TRUE(v_old.findings.empty());
  ASSERT_EQ(v_again.findings.size(), 1u); // still a duplicate
  EXPECT_EQ(v_again.findings[0].which, rule::duplicate);
}

TEST(ValidateRules, OpenBarUpdatesAreNotDuplicates) {
  validation_engine e;
  std::vector<bar> bars = {
    make_bar("100", "100.5", "99.5", "100", t0, false),
    make_bar("100", "100.8", "99.5", "100.7", t0, false),
    make_bar("100", "100.8", "99.5", "100.6", t0, true),
    make_bar("100.6", "100.6", "100.6", "100.6", t0 + 60 * ns_per_s, false),
  };
  std::vector<size_t> findings;

  for (auto& b : bars)
    findings.push_back(e.check(b, b.open_time_ns + 30 * ns_per_s)
                         .findings.size());

  EXPECT_EQ(findings, (std::vector<size_t>{0, 0, 0, 0}));
}

TEST(ValidateRules, OutliersRebaseAfterAJump) {
  // A real jump: flagged rebase_after times, then the new level is normal.
  validation_settings s;
  s.outliers.rebase_after = 3;
  validation_engine e{s};
  auto steps = walk();
  for (auto& st : steps)
    feed(e, st);
  std::vector<bool> flagged;

  for (int i = 0; i < 5; ++i) {
    auto ts = t0 + (100 + i) * ns_per_s;
    auto x = make_trade("150", "", ts);
    x.trade_id = "j" + std::to_string(i);
    flagged.push_back((e.check(x, ts).flags & quality_outlier) != 0);
  }

  EXPECT_EQ(flagged, (std::vector<bool>{true, true, true, false, false}));
}

TEST(ValidateRules, NonCanonicalInstrumentsGetNoState) {
  validation_settings s;
  s.of(rule::instrument_id).action = rule_action::flag;
  validation_engine e{s};
  auto a = make_trade("1", "1", t0, providers::binance, "btc");
  auto b = make_trade("1", "1", t0, providers::binance, "btc");

  e.check(a, t0);
  auto v = e.check(b, t0);

  ASSERT_EQ(v.findings.size(), 1u); // no duplicate: nothing is remembered
  EXPECT_EQ(v.findings[0].which, rule::instrument_id);
  EXPECT_EQ(e.instruments(), 0u);
}

TEST(ValidateRules, BatchesLoseOnlyTheirDroppedEvents) {
  validation_engine e;
  event_batch b;
  b.trades = {make_trade("100", "1", t0), make_trade("0", "2", t0),
              make_trade("100", "3", t0 + 10 * ns_per_s),
              make_trade("100", "4", t0)};
  b.quotes = {make_quote("101", "100", t0), make_quote("100", "101", t0)};
  b.bars = {make_bar("100", "101", "99", "100", t0 - 60 * ns_per_s)};

  auto v = e.check(b, t0);

  std::vector<std::string> ids;
  for (auto& x : b.trades)
    ids.push_back(x.trade_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "3", "4"}));
  EXPECT_EQ(b.trades[1].flags, quality_future);
  ASSERT_EQ(b.quotes.size(), 1u);
  EXPECT_EQ(b.quotes[0].bid_price, dec("100"));
  EXPECT_EQ(b.bars.size(), 1u);
  EXPECT_EQ(v.accepted, 5u);
  EXPECT_EQ(v.flagged, 1u);
  EXPECT_EQ(v.dropped, 2u);
  std::vector<rule> rules;
  for (auto& f : v.findings)
    rules.push_back(f.which);
  EXPECT_EQ(rules, (std::vector<rule>{rule::positive_price,
                                      rule::future_timestamp,
                                      rule::crossed_quote}));
}

// -- names and settings -------------------------------------------------------

TEST(ValidateRules, NamesRoundTrip) {
  for (size_t i = 0; i < rule_count; ++i) {
    auto r = static_cast<rule>(i);
    EXPECT_EQ(rule_from_string(to_string(r)), r);
  }
  EXPECT_EQ(to_string(rule::outlier_mad), "outlier_mad");
  EXPECT_EQ(rule_from_string("nope"), std::nullopt);
  for (auto a : {rule_action::drop, rule_action::flag, rule_action::pass})
    EXPECT_EQ(rule_action_from_string(to_string(a)), a);
  EXPECT_EQ(rule_action_from_string("keep"), std::nullopt);
}

TEST(ValidateRules, CheckAllReportsOnePerRule) {
  bar x = make_bar("0", "-1", "5", "4", t0, true, "-1");
  std::vector<rejection> out;

  check_all(x, out);

  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].why, rule::positive_price);
  EXPECT_EQ(out[0].reason, "open 0 <= 0");
  EXPECT_EQ(out[1].why, rule::ohlc_consistency);
  EXPECT_EQ(out[1].reason, "low 5 > high -1");
  EXPECT_EQ(out[2].why, rule::non_negative_volume);
  EXPECT_EQ(check(x)->why, rule::positive_price);
}

TEST(ValidateRules, SettingsValidation) {
  struct row {
    const char* name;
    std::function<void(validation_settings&)> change;
    bool ok;
  };
  const row rows[] = {
    {"defaults", [](validation_settings&) {}, true},
    {"weight",
     [](validation_settings& s) { s.of(rule::duplicate).weight = 101; },
     false},
    {"zscore min", [](validation_settings& s) { s.zscore.min_samples = 300; },
     false},
    {"mad threshold", [](validation_settings& s) { s.mad.threshold = 0; },
     false},
    {"alpha", [](validation_settings& s) { s.quality_alpha = 0; }, false},
    {"quarantine", [](validation_settings& s) { s.quarantine_capacity = 0; },
     false},
    {"cadence",
     [](validation_settings& s) { s.stale_symbols.cadence_ns["AAPL"] = -1; },
     false},
    {"providers",
     [](validation_settings& s) { s.divergence.min_providers = 1; }, false},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    validation_settings s;
    r.change(s);

    auto got = validate(s);

    EXPECT_EQ(got.ok(), r.ok);
    if (!got.ok()) {
      EXPECT_EQ(got.err().code, errc::config_invalid);
    }
  }
}

} // namespace
} // namespace tickflow
