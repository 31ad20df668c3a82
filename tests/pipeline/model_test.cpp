#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/coingecko/coingecko_provider.hpp"
#include "adapters/coinmarketcap/coinmarketcap_provider.hpp"
#include "adapters/eodhd/eodhd_provider.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "adapters/massive_futures/massive_futures_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/replay/replay_provider.hpp"
#include "adapters/simulator/simulator_provider.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"
#include "pipeline/model/interval.hpp"
#include "pipeline/model/provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {
namespace {

// -- errc and error -----------------------------------------------------------

TEST(Errc, NamesMatchTheEnumIdentifiers) {
  const std::vector<std::pair<errc, const char*>> cases = {
    {errc::malformed, "malformed"},
    {errc::missing_field, "missing_field"},
    {errc::bad_number, "bad_number"},
    {errc::out_of_range, "out_of_range"},
    {errc::invalid_argument, "invalid_argument"},
    {errc::unknown_symbol, "unknown_symbol"},
    {errc::not_found, "not_found"},
    {errc::stale, "stale"},
    {errc::rate_limited, "rate_limited"},
    {errc::unauthorized, "unauthorized"},
    {errc::provider_error, "provider_error"},
    {errc::unavailable, "unavailable"},
    {errc::config_invalid, "config_invalid"},
  };
  for (const auto& [code, name] : cases)
    EXPECT_EQ(to_string(code), name);
  EXPECT_EQ(static_cast<int>(errc::malformed), 1);
  EXPECT_EQ(static_cast<int>(errc::config_invalid), 13);
  EXPECT_EQ(to_string(static_cast<errc>(0)), "unknown_error");
  EXPECT_EQ(to_string(static_cast<errc>(200)), "unknown_error");
}

TEST(Error, MessageIsCodeColonContext) {
  EXPECT_EQ((error{errc::missing_field, "p"}).message(), "missing_field: p");
  EXPECT_EQ((error{errc::stale, ""}).message(), "stale");
  EXPECT_EQ((error{errc::bad_number, "exponent form not supported: \"1e3\""})
              .message(),
            "bad_number: exponent form not supported: \"1e3\"");
  EXPECT_EQ(error{}.message(), "malformed");
}

TEST(Result, HoldsAValueOrAnError) {
  result<int> value = 7;
  result<int> failed = error{errc::not_found, "x"};
  result<int> from_code{errc::unavailable};
  result<void> ok;
  result<void> void_failed{errc::config_invalid, "count=0"};
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 7);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.err().code, errc::not_found);
  EXPECT_EQ(failed.err().context, "x");
  ASSERT_FALSE(from_code);
  EXPECT_EQ(from_code.err().message(), "unavailable");
  EXPECT_TRUE(ok.ok());
  ASSERT_FALSE(void_failed.ok());
  EXPECT_EQ(void_failed.err().message(), "config_invalid: count=0");
}

// -- provider -----------------------------------------------------------------

TEST(Provider, NamesRoundTrip) {
  const std::vector<std::pair<provider, const char*>> cases = {
    {providers::simulator, "simulator"},
    {providers::replay, "replay"},
    {providers::binance, "binance"},
    {providers::polygon, "polygon"},
    {providers::coingecko, "coingecko"},
    {providers::coinmarketcap, "coinmarketcap"},
    {providers::alpha_vantage, "alpha_vantage"},
    {providers::eodhd, "eodhd"},
    {providers::finnhub, "finnhub"},
    {providers::yahoo, "yahoo"},
    {providers::massive_futures, "massive_futures"},
  };
  for (const auto& [p, name] : cases) {
    EXPECT_EQ(to_string(p), name);
    auto back = provider_from_string(name);
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(*back, p) << name;
  }
}

TEST(Provider, UnknownNamesAreNullopt) {
  const std::vector<const char*> names = {
    "",          "Binance",   "BINANCE",        "binance ", " binance",
    "alpha-vantage", "alphavantage", "massive", "unknown", "yahoo_finance",
  };
  for (const char* name : names)
    EXPECT_FALSE(provider_from_string(name).has_value()) << name;
  EXPECT_EQ(to_string(static_cast<provider>(200)), "unknown");
}

// -- interval -----------------------------------------------------------------

struct interval_case {
  interval iv;
  const char* name;
  int64_t length_ns;
};

constexpr int64_t s_ns = 1'000'000'000;
constexpr int64_t min_ns = 60 * s_ns;
constexpr int64_t hour_ns = 60 * min_ns;
constexpr int64_t day_ns = 24 * hour_ns;

TEST(Interval, NamesLengthsAndRoundTrip) {
  const std::vector<interval_case> cases = {
    {interval::s1, "1s", s_ns},          {interval::m1, "1m", min_ns},
    {interval::m3, "3m", 3 * min_ns},    {interval::m5, "5m", 5 * min_ns},
    {interval::m15, "15m", 15 * min_ns}, {interval::m30, "30m", 30 * min_ns},
    {interval::h1, "1h", hour_ns},       {interval::h2, "2h", 2 * hour_ns},
    {interval::h4, "4h", 4 * hour_ns},   {interval::h6, "6h", 6 * hour_ns},
    {interval::h8, "8h", 8 * hour_ns},   {interval::h12, "12h", 12 * hour_ns},
    {interval::d1, "1d", day_ns},        {interval::d3, "3d", 3 * day_ns},
    {interval::w1, "1w", 7 * day_ns},    {interval::mo1, "1M", 30 * day_ns},
  };
  ASSERT_EQ(cases.size(), static_cast<size_t>(interval::mo1) + 1);
  for (const auto& c : cases) {
    EXPECT_EQ(to_string(c.iv), c.name);
    EXPECT_EQ(interval_ns(c.iv), c.length_ns) << c.name;
    auto back = parse_interval(c.name);
    ASSERT_TRUE(back.ok()) << c.name;
    EXPECT_EQ(*back, c.iv) << c.name;
  }
}

TEST(Interval, ParseIsCaseSensitive) {
  auto month = parse_interval("1M");
  auto minute = parse_interval("1m");
  ASSERT_TRUE(month.ok());
  ASSERT_TRUE(minute.ok());
  EXPECT_EQ(*month, interval::mo1);
  EXPECT_EQ(*minute, interval::m1);
}

TEST(Interval, ParseRejectsUnknownNames) {
  const std::vector<const char*> names = {
    "",    "1",   "m1",   "1min", "1H",  "1D",  "1W",  "60s", "2m",
    "1mo", " 1m", "1m ",  "1S",   "10m", "2d",  "24h", "1y",  "1w1",
  };
  for (const char* name : names) {
    auto r = parse_interval(name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.err().code, errc::invalid_argument) << name;
    EXPECT_NE(r.err().context.find(std::string{"\""} + name + "\""),
              std::string::npos)
      << r.err().context;
  }
}

// Timestamps below come from parse_timestamp, tested in time_test.cpp.
int64_t at(const char* iso) {
  auto r = parse_timestamp(iso);
  EXPECT_TRUE(r.ok()) << iso;
  return r ? *r : 0;
}

struct floor_case {
  interval iv;
  const char* ts;
  const char* open;
};

TEST(Interval, BarOpenTimeFloorsToTheInterval) {
  const std::vector<floor_case> cases = {
    // Fixed-length intervals.
    {interval::s1, "2023-11-14T22:13:20.123Z", "2023-11-14T22:13:20Z"},
    {interval::s1, "2023-11-14T22:13:20Z", "2023-11-14T22:13:20Z"},
    {interval::m1, "2024-01-01T00:00:59.999999999Z", "2024-01-01T00:00:00Z"},
    {interval::m1, "2024-01-01T00:01:00Z", "2024-01-01T00:01:00Z"},
    {interval::m3, "2024-01-01T00:05:00Z", "2024-01-01T00:03:00Z"},
    {interval::m5, "2024-01-01T10:04:59Z", "2024-01-01T10:00:00Z"},
    {interval::m15, "2024-01-01T10:29:59Z", "2024-01-01T10:15:00Z"},
    {interval::m30, "2024-01-01T10:30:00Z", "2024-01-01T10:30:00Z"},
    {interval::h1, "2024-01-01T10:59:59.5Z", "2024-01-01T10:00:00Z"},
    {interval::h2, "2024-01-01T11:00:00Z", "2024-01-01T10:00:00Z"},
    {interval::h4, "2024-01-01T15:00:00Z", "2024-01-01T12:00:00Z"},
    {interval::h6, "2024-01-01T05:59:59Z", "2024-01-01T00:00:00Z"},
    {interval::h8, "2024-01-01T23:59:59Z", "2024-01-01T16:00:00Z"},
    {interval::h12, "2024-01-01T12:00:00Z", "2024-01-01T12:00:00Z"},
    {interval::d1, "2024-02-29T23:59:59.999Z", "2024-02-29T00:00:00Z"},
    {interval::d1, "2024-03-01T00:00:00Z", "2024-03-01T00:00:00Z"},
    // 3d bars count from the epoch.
    {interval::d3, "1970-01-03T23:59:59Z", "1970-01-01T00:00:00Z"},
    {interval::d3, "1970-01-04T00:00:00Z", "1970-01-04T00:00:00Z"},
    // Weeks start on Monday (2024-01-01 was a Monday, the epoch a Thursday).
    {interval::w1, "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"},
    {interval::w1, "2024-01-07T23:59:59.999999999Z", "2024-01-01T00:00:00Z"},
    {interval::w1, "2024-01-08T00:00:00Z", "2024-01-08T00:00:00Z"},
    {interval::w1, "2024-01-03T12:00:00Z", "2024-01-01T00:00:00Z"},
    {interval::w1, "2023-12-31T23:59:59Z", "2023-12-25T00:00:00Z"},
    {interval::w1, "2024-03-03T10:00:00Z", "2024-02-26T00:00:00Z"},
    {interval::w1, "1970-01-01T00:00:00Z", "1969-12-29T00:00:00Z"},
    {interval::w1, "1970-01-05T00:00:00Z", "1970-01-05T00:00:00Z"},
    {interval::w1, "1970-01-04T23:59:59Z", "1969-12-29T00:00:00Z"},
    // Months start on the 1st, leap years included.
    {interval::mo1, "2024-02-29T12:00:00Z", "2024-02-01T00:00:00Z"},
    {interval::mo1, "2024-02-29T23:59:59.999999999Z", "2024-02-01T00:00:00Z"},
    {interval::mo1, "2024-03-01T00:00:00Z", "2024-03-01T00:00:00Z"},
    {interval::mo1, "2024-03-31T23:59:59Z", "2024-03-01T00:00:00Z"},
    {interval::mo1, "2023-02-28T23:59:59Z", "2023-02-01T00:00:00Z"},
    {interval::mo1, "2023-12-31T23:59:59Z", "2023-12-01T00:00:00Z"},
    {interval::mo1, "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"},
    {interval::mo1, "2000-02-29T00:00:00Z", "2000-02-01T00:00:00Z"},
    {interval::mo1, "2100-03-01T00:00:00Z", "2100-03-01T00:00:00Z"},
    {interval::mo1, "1970-01-15T00:00:00Z", "1970-01-01T00:00:00Z"},
  };
  for (const auto& c : cases)
    EXPECT_EQ(format_iso8601(bar_open_time(c.iv, at(c.ts))), c.open)
      << to_string(c.iv) << " " << c.ts;
}

struct floor_ns_case {
  interval iv;
  int64_t ts;
  int64_t open;
};

TEST(Interval, BarOpenTimeFloorsNegativeTimestamps) {
  constexpr auto min = std::numeric_limits<int64_t>::min();
  constexpr auto max = std::numeric_limits<int64_t>::max();
  const std::vector<floor_ns_case> cases = {
    {interval::s1, -1, -s_ns},
    {interval::m1, -1, -min_ns},
    {interval::m1, -min_ns, -min_ns},
    {interval::m1, -min_ns - 1, -2 * min_ns},
    {interval::h1, -hour_ns, -hour_ns},
    {interval::d1, -1, -day_ns},
    {interval::d3, -1, -3 * day_ns},
    {interval::w1, -1, -3 * day_ns},          // 1969-12-29, a Monday
    {interval::w1, -3 * day_ns, -3 * day_ns},
    {interval::w1, -3 * day_ns - 1, -10 * day_ns},
    {interval::mo1, -1, -31 * day_ns},        // 1969-12-01
    {interval::mo1, 0, 0},
    {interval::s1, 0, 0},
    // Near the int64 limits nothing overflows; a bar that would open before
    // the representable range is clamped to its first instant.
    {interval::s1, max, max - 854'775'807},
    {interval::s1, min, min},
    {interval::mo1, min, min},
    {interval::w1, min, min},
  };
  for (const auto& c : cases)
    EXPECT_EQ(bar_open_time(c.iv, c.ts), c.open)
      << to_string(c.iv) << " " << c.ts;
  EXPECT_EQ(format_iso8601(bar_open_time(interval::mo1, max)),
            "2262-04-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(bar_open_time(interval::w1, max)),
            "2262-04-07T00:00:00Z");
  EXPECT_EQ(format_iso8601(bar_open_time(interval::mo1, at("1969-02-15"))),
            "1969-02-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(bar_open_time(interval::mo1, at("1900-03-01"))),
            "1900-03-01T00:00:00Z");
}

TEST(Interval, BarOpenTimeIsIdempotentAndContainsTheTimestamp) {
  const std::vector<int64_t> stamps = {
    0, 1, -1, 1'700'000'000'123'456'789, -1'700'000'000'123'456'789,
    at("2024-02-29T23:59:59.999999999Z"), at("2000-01-01"), at("1969-07-20"),
  };
  for (size_t i = 0; i <= static_cast<size_t>(interval::mo1); ++i) {
    auto iv = static_cast<interval>(i);
    for (auto ts : stamps) {
      auto open = bar_open_time(iv, ts);
      EXPECT_LE(open, ts) << to_string(iv) << " " << ts;
      EXPECT_GT(open, ts - 31 * day_ns) << to_string(iv) << " " << ts;
      EXPECT_EQ(bar_open_time(iv, open), open) << to_string(iv) << " " << ts;
    }
  }
}

// -- instruments and sides ----------------------------------------------------

TEST(Instrument, CanonicalIds) {
  const std::vector<std::string> good = {
    "BTC-USDT", "AAPL", "BRK.B", "EURUSD=X", "ESZ6", "A", "0700.HK",
    "BTC/USD",  "X:BTCUSD", "BTC_PERP", "1INCH-USDT", std::string(32, 'A'),
  };
  const std::vector<std::string> bad = {
    "",
    "btc-usdt",
    "BTC-usdt",
    "Aapl",
    "-BTC",
    ".A",
    "=X",
    "_A",
    "/A",
    ":A",
    "BTC USDT",
    " BTC",
    "BTC ",
    "BTC#1",
    "BTC$",
    "BTC\tX",
    std::string{"BTC\0X", 5},
    "\xc3\x84PPL",
    std::string(33, 'A'),
  };
  for (const auto& id : good)
    EXPECT_TRUE(is_canonical_instrument(id)) << id;
  for (const auto& id : bad)
    EXPECT_FALSE(is_canonical_instrument(id)) << id;
}

TEST(Side, Names) {
  EXPECT_EQ(to_string(side::unknown), "unknown");
  EXPECT_EQ(to_string(side::buy), "buy");
  EXPECT_EQ(to_string(side::sell), "sell");
  EXPECT_EQ(to_string(static_cast<side>(9)), "unknown");
}

TEST(EventBatch, SizeCountsEveryKind) {
  event_batch batch;
  EXPECT_TRUE(batch.empty());
  batch.trades.resize(2);
  batch.quotes.resize(1);
  batch.bars.resize(3);
  EXPECT_EQ(batch.size(), 6u);
  EXPECT_FALSE(batch.empty());
}

} // namespace
} // namespace tickflow

TEST(Events, PriceOfATradeCarriesItsFields) {
  tickflow::trade t;
  t.instrument = "BTC-USDT";
  t.source = tickflow::providers::binance;
  t.price = *tickflow::decimal::parse("65000.10");
  t.trade_id = "42";
  t.ts_event_ns = 7;
  t.ts_recv_ns = 9;
  t.flags = tickflow::quality_outlier;
  auto p = tickflow::price_of(t);
  EXPECT_EQ(p.instrument, "BTC-USDT");
  EXPECT_EQ(p.source, tickflow::providers::binance);
  EXPECT_EQ(p.value.to_string(), "65000.1");
  EXPECT_EQ(p.trade_id, "42");
  EXPECT_EQ(p.ts_event_ns, 7);
  EXPECT_EQ(p.ts_recv_ns, 9);
  EXPECT_EQ(p.flags, static_cast<uint32_t>(tickflow::quality_outlier));
}
