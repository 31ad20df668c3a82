// Stale symbols and the alert limiter: time is always a parameter.

#include "pipeline/validate/alert_limiter.hpp"
#include "pipeline/validate/validation_engine.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {
namespace {

constexpr int64_t t0 = 1'700'000'000 * ns_per_s; // 2023-11-14T22:13:20Z

trade make_trade(const char* instrument, int64_t ts,
                 provider p = providers::binance) {
  trade x;
  x.instrument = instrument;
  x.source = p;
  x.price = decimal::from_parts(100, 0);
  x.size = decimal::from_parts(1, 0);
  x.ts_event_ns = ts;
  return x;
}

std::vector<std::string> ids(const std::vector<stale_symbol>& xs) {
  std::vector<std::string> out;
  for (auto& x : xs)
    out.push_back(x.instrument);
  return out;
}

finding divergence_finding(const std::string& instrument, severity level,
                           provider suspect = providers::coingecko) {
  finding f;
  f.which = rule::divergence;
  f.level = level;
  f.action = rule_action::flag;
  f.instrument = instrument;
  f.source = providers::binance;
  f.suspect = suspect;
  f.reason = "coingecko off";
  return f;
}

finding reject_finding(provider p, const char* instrument = "BTC-USDT") {
  finding f;
  f.which = rule::positive_price;
  f.level = severity::high;
  f.action = rule_action::drop;
  f.instrument = instrument;
  f.source = p;
  f.reason = "price 0 <= 0";
  return f;
}

// -- stale symbols ------------------------------------------------------------

TEST(ValidateHealth, StaleSymbolsWithTimeAsAParameter) {
  validation_settings s;
  s.stale_symbols.default_cadence_ns = 60 * ns_per_s;
  s.stale_symbols.cadence_ns["ETH-USDT"] = 10 * ns_per_s;
  s.stale_symbols.cadence_ns["AAPL"] = 0; // never stale
  validation_engine e{s};
  for (auto id : {"BTC-USDT", "ETH-USDT", "AAPL"}) {
    auto x = make_trade(id, t0);
    e.check(x, t0);
  }
  e.watch("SOL-USDT", t0);
  e.watch("bad id", t0);
  struct row {
    int64_t now_ns;
    std::vector<std::string> want;
  };
  const row rows[] = {
    {t0, {}},
    {t0 + 10 * ns_per_s, {}}, // exactly the cadence is not late
    {t0 + 11 * ns_per_s, {"ETH-USDT"}},
    {t0 + 60 * ns_per_s, {"ETH-USDT"}},
    {t0 + 61 * ns_per_s, {"BTC-USDT", "ETH-USDT", "SOL-USDT"}},
  };

  for (auto& r : rows) {
    SCOPED_TRACE(format_iso8601(r.now_ns));
    EXPECT_EQ(ids(e.stale_symbols(r.now_ns)), r.want);
  }

  // An update clears it; the details say how late and from whom.
  auto x = make_trade("BTC-USDT", t0 + 70 * ns_per_s, providers::coingecko);
  e.check(x, t0 + 70 * ns_per_s);
  auto late = e.stale_symbols(t0 + 71 * ns_per_s);
  EXPECT_EQ(ids(late), (std::vector<std::string>{"ETH-USDT", "SOL-USDT"}));
  ASSERT_EQ(late.size(), 2u);
  EXPECT_EQ(late[0].last_source, providers::binance);
  EXPECT_EQ(late[0].last_update_ns, t0);
  EXPECT_EQ(late[0].cadence_ns, 10 * ns_per_s);
  EXPECT_EQ(late[0].silent_ns, 71 * ns_per_s);
  EXPECT_EQ(late[1].last_source, std::nullopt);
  auto f = to_finding(late[0]);
  EXPECT_EQ(f.which, rule::stale_symbol);
  EXPECT_EQ(f.level, severity::high);
  EXPECT_EQ(f.instrument, "ETH-USDT");
  EXPECT_EQ(f.reason, "no update for 71s (cadence 10s) since "
                      "2023-11-14T22:13:20Z, last from binance");
  EXPECT_EQ(to_finding(late[1]).reason,
            "no update for 71s (cadence 60s) since 2023-11-14T22:13:20Z, "
            "no accepted event yet");
}

TEST(ValidateHealth, AnInstrumentSendingOnlyGarbageGoesStale) {
  validation_engine e;
  auto bad = make_trade("BTC-USDT", t0);
  bad.price = decimal{};

  e.check(bad, t0);
  auto late = e.stale_symbols(t0 + 61 * ns_per_s);

  ASSERT_EQ(ids(late), (std::vector<std::string>{"BTC-USDT"}));
  EXPECT_EQ(late[0].last_source, std::nullopt);
  EXPECT_EQ(late[0].last_update_ns, t0);
}

TEST(ValidateHealth, StaleSymbolsOffWhenTheRuleIsOff) {
  validation_settings s;
  s.of(rule::stale_symbol).enabled = false;
  validation_engine on;
  validation_engine off{s};
  auto x = make_trade("BTC-USDT", t0);
  auto y = x;

  on.check(x, t0);
  off.check(y, t0);

  EXPECT_EQ(ids(on.stale_symbols(t0 + 3600 * ns_per_s)),
            (std::vector<std::string>{"BTC-USDT"}));
  EXPECT_TRUE(off.stale_symbols(t0 + 3600 * ns_per_s).empty());
}

TEST(ValidateHealth, DroppedEventsDoNotKeepASymbolAlive) {
  validation_engine e;
  auto good = make_trade("BTC-USDT", t0);
  auto bad = make_trade("BTC-USDT", t0 + 50 * ns_per_s);
  bad.price = decimal{};

  e.check(good, t0);
  e.check(bad, t0 + 50 * ns_per_s);

  EXPECT_EQ(ids(e.stale_symbols(t0 + 61 * ns_per_s)),
            (std::vector<std::string>{"BTC-USDT"}));
}

// -- alert limiter ------------------------------------------------------------

TEST(ValidateHealth, AlertStormEndsInOneSummary) {
  alert_settings s;
  s.max_alerts = 3;
  s.window_ns = 60 * ns_per_s;
  s.repeat_after_ns = 0;
  alert_limiter limiter{s};
  std::vector<alert> during;

  for (int i = 0; i < 10; ++i) {
    auto f = divergence_finding("I" + std::to_string(i), severity::high);
    for (auto& a : limiter.on_finding(f, t0 + i * ns_per_s))
      during.push_back(a);
  }
  auto before_end = limiter.tick(t0 + 59 * ns_per_s);
  auto at_end = limiter.tick(t0 + 60 * ns_per_s);
  auto after = limiter.tick(t0 + 120 * ns_per_s);
  auto next = limiter.on_finding(divergence_finding("I0", severity::high),
                                 t0 + 121 * ns_per_s);

  ASSERT_EQ(during.size(), 3u);
  EXPECT_EQ(during[0].kind, alert_kind::divergence);
  EXPECT_EQ(during[0].instrument, "I0");
  EXPECT_EQ(during[0].source, providers::coingecko);
  EXPECT_EQ(during[0].message, "coingecko off");
  EXPECT_EQ(during[2].instrument, "I2");
  EXPECT_TRUE(before_end.empty());
  ASSERT_EQ(at_end.size(), 1u);
  EXPECT_EQ(at_end[0].kind, alert_kind::summary);
  EXPECT_EQ(at_end[0].level, severity::high);
  EXPECT_EQ(at_end[0].count, 7u);
  EXPECT_EQ(at_end[0].message,
            "7 more alerts suppressed: divergence I3 coingecko x1, "
            "divergence I4 coingecko x1, divergence I5 coingecko x1, "
            "divergence I6 coingecko x1, divergence I7 coingecko x1 and 2 "
            "more");
  EXPECT_TRUE(after.empty()); // one summary per window
  ASSERT_EQ(next.size(), 1u); // a new window
  EXPECT_EQ(next[0].instrument, "I0");
  auto& n = limiter.totals();
  EXPECT_EQ(n.findings, 11u);
  EXPECT_EQ(n.candidates, 11u);
  EXPECT_EQ(n.emitted, 4u);
  EXPECT_EQ(n.suppressed, 7u);
  EXPECT_EQ(n.summaries, 1u);
  EXPECT_EQ(n.repeats, 0u);
}

TEST(ValidateHealth, SummaryCountsRepeatedKeys) {
  alert_settings s;
  s.max_alerts = 1;
  s.repeat_after_ns = 0;
  alert_limiter limiter{s};

  limiter.on_finding(divergence_finding("BTC-USDT", severity::high), t0);
  for (int i = 0; i < 4; ++i)
    limiter.on_finding(divergence_finding("ETH-USDT", severity::high), t0 + i);
  limiter.on_finding(divergence_finding("BTC-USDT", severity::high), t0 + 9);
  // The summary comes first, before the alert of the new window.
  auto got = limiter.on_finding(
    divergence_finding("BTC-USDT", severity::high), t0 + s.window_ns);

  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].kind, alert_kind::summary);
  EXPECT_EQ(got[0].message, "5 more alerts suppressed: divergence ETH-USDT "
                            "coingecko x4, divergence BTC-USDT coingecko x1");
  EXPECT_EQ(got[1].kind, alert_kind::divergence);
}

TEST(ValidateHealth, RepeatsAreCountedNotAlerted) {
  alert_settings s;
  s.repeat_after_ns = 300 * ns_per_s;
  alert_limiter limiter{s};
  std::vector<size_t> alerts;

  for (int i = 0; i < 5; ++i)
    alerts.push_back(
      limiter
        .on_finding(divergence_finding("BTC-USDT", severity::high),
                    t0 + i * ns_per_s)
        .size());
  // Another suspect is another key.
  alerts.push_back(limiter
                     .on_finding(divergence_finding("BTC-USDT", severity::high,
                                                    providers::polygon),
                                 t0 + 5 * ns_per_s)
                     .size());
  limiter.tick(t0 + 400 * ns_per_s);
  alerts.push_back(
    limiter
      .on_finding(divergence_finding("BTC-USDT", severity::high),
                  t0 + 400 * ns_per_s)
      .size());

  EXPECT_EQ(alerts, (std::vector<size_t>{1, 0, 0, 0, 0, 1, 1}));
  EXPECT_EQ(limiter.totals().repeats, 4u);
  EXPECT_EQ(limiter.totals().emitted, 3u);
}

TEST(ValidateHealth, WhichFindingsCanAlert) {
  struct row {
    const char* name;
    finding f;
    size_t alerts;
  };
  auto stale = to_finding(stale_symbol{"AAPL", providers::polygon, t0,
                                       60 * ns_per_s, 90 * ns_per_s});
  auto future = reject_finding(providers::binance);
  future.which = rule::future_timestamp;
  future.action = rule_action::flag;
  const row rows[] = {
    {"high divergence", divergence_finding("BTC-USDT", severity::high), 1},
    {"low divergence", divergence_finding("BTC-USDT", severity::low), 0},
    {"stale symbol", stale, 1},
    {"other high findings", future, 0},
    {"one reject", reject_finding(providers::binance), 0},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    alert_limiter limiter;

    auto got = limiter.on_finding(r.f, t0);

    EXPECT_EQ(got.size(), r.alerts);
  }
  alert_limiter limiter;
  auto got = limiter.on_finding(stale, t0);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, alert_kind::stale_symbol);
  EXPECT_EQ(got[0].instrument, "AAPL");
  EXPECT_EQ(got[0].source, providers::polygon);
  EXPECT_EQ(got[0].message, "no update for 90s (cadence 60s) since "
                            "2023-11-14T22:13:20Z, last from polygon");
}

TEST(ValidateHealth, RejectBurst) {
  alert_settings s;
  s.burst_rejects = 3;
  s.burst_window_ns = 10 * ns_per_s;
  struct row {
    const char* name;
    std::vector<int64_t> at_s; // reject times, seconds after t0
    std::vector<size_t> alerts;
  };
  const row rows[] = {
    {"four within 10s", {0, 1, 2, 3}, {0, 0, 0, 1}},
    {"spread out", {0, 4, 8, 12, 16}, {0, 0, 0, 0, 0}},
    {"memory restarts after a burst",
     {0, 1, 2, 3, 4, 5, 6},
     {0, 0, 0, 1, 0, 0, 0}},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.name);
    alert_limiter limiter{s};
    std::vector<size_t> got;
    std::vector<alert> all;

    for (auto t : r.at_s) {
      auto out = limiter.on_finding(reject_finding(providers::binance),
                                    t0 + t * ns_per_s);
      got.push_back(out.size());
      all.insert(all.end(), out.begin(), out.end());
    }

    EXPECT_EQ(got, r.alerts);
    for (auto& a : all) {
      EXPECT_EQ(a.kind, alert_kind::reject_burst);
      EXPECT_EQ(a.source, providers::binance);
      EXPECT_EQ(a.count, 4u);
      EXPECT_EQ(a.message, "binance: 4 rejects within 10s (limit 3), last "
                           "positive_price on BTC-USDT: price 0 <= 0");
    }
  }
  // Rejects of other providers do not add up.
  alert_limiter limiter{s};
  size_t alerts = 0;
  for (int i = 0; i < 4; ++i)
    alerts += limiter
                .on_finding(reject_finding(i % 2 ? providers::binance
                                                 : providers::polygon),
                            t0 + i)
                .size();
  EXPECT_EQ(alerts, 0u);
}

TEST(ValidateHealth, EngineFindingsFeedTheLimiter) {
  // End to end: coingecko drifts off, its own event raises one alert.
  validation_engine e;
  alert_limiter limiter{e.settings().alerts};
  std::vector<alert> alerts;
  auto send = [&](provider p, int64_t price, int64_t ts) {
    auto x = make_trade("BTC-USDT", ts, p);
    x.price = decimal::from_parts(price, 0);
    for (auto& f : e.check(x, ts).findings)
      for (auto& a : limiter.on_finding(f, ts))
        alerts.push_back(a);
  };

  send(providers::binance, 100, t0);
  send(providers::polygon, 100, t0 + 1);
  send(providers::coingecko, 110, t0 + 2);
  send(providers::binance, 100, t0 + 3);
  send(providers::coingecko, 111, t0 + 4);

  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, alert_kind::divergence);
  EXPECT_EQ(alerts[0].source, providers::coingecko);
  EXPECT_EQ(alerts[0].instrument, "BTC-USDT");
  EXPECT_EQ(limiter.totals().repeats, 1u);
}

} // namespace
} // namespace tickflow
