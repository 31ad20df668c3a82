#include "pipeline/validate/event_rules.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace tickflow {
namespace {

decimal dec(std::string_view text) {
  auto x = decimal::parse(text);
  EXPECT_TRUE(x) << text;
  return x ? *x : decimal{};
}

// The verdict a row expects: nullopt when the event is sane.
struct verdict {
  std::optional<rule> why;
  std::string reason;
};

void expect_verdict(const std::optional<rejection>& got, const verdict& want) {
  if (!want.why) {
    EXPECT_FALSE(got) << to_string(got->why) << ": " << got->reason;
    return;
  }
  ASSERT_TRUE(got);
  EXPECT_EQ(got->why, *want.why);
  EXPECT_EQ(got->reason, want.reason);
}

TEST(EventRules, RuleNames) {
  EXPECT_EQ(to_string(rule::instrument_id), "instrument_id");
  EXPECT_EQ(to_string(rule::positive_price), "positive_price");
  EXPECT_EQ(to_string(rule::positive_size), "positive_size");
  EXPECT_EQ(to_string(rule::ohlc_consistency), "ohlc_consistency");
  EXPECT_EQ(to_string(rule::non_negative_volume), "non_negative_volume");
  EXPECT_EQ(to_string(rule::crossed_quote), "crossed_quote");
}

TEST(EventRules, Trades) {
  struct row {
    const char* instrument;
    const char* price;
    const char* size;
    verdict want;
  };
  const row rows[] = {
    {"BTC-USDT", "65000.12", "0.015", {}},
    {"BRK.B", "0.00000001", "1000000", {}},
    {"btc-usdt", "1", "1",
     {rule::instrument_id, "instrument \"btc-usdt\" is not a canonical id"}},
    {"", "1", "1",
     {rule::instrument_id, "instrument \"\" is not a canonical id"}},
    {"BTC-USDT", "0", "1", {rule::positive_price, "price 0 <= 0"}},
    {"BTC-USDT", "-1.50", "1", {rule::positive_price, "price -1.5 <= 0"}},
    {"BTC-USDT", "1", "0", {rule::positive_size, "size 0 <= 0"}},
    {"BTC-USDT", "1", "-0.001", {rule::positive_size, "size -0.001 <= 0"}},
    // The first broken rule (in enum order) is the one reported.
    {"bad id", "0", "0",
     {rule::instrument_id, "instrument \"bad id\" is not a canonical id"}},
    {"BTC-USDT", "0", "0", {rule::positive_price, "price 0 <= 0"}},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{r.instrument} + " " + r.price + " " + r.size);
    trade x;
    x.instrument = r.instrument;
    x.price = dec(r.price);
    x.size = dec(r.size);
    expect_verdict(check(x), r.want);
  }
}

TEST(EventRules, Quotes) {
  struct row {
    const char* bid_price;
    const char* bid_size;
    const char* ask_price;
    const char* ask_size;
    verdict want;
  };
  const row rows[] = {
    {"100", "1", "100.5", "2", {}},
    {"100", "0", "101", "0", {}},   // empty sizes are allowed
    {"100", "1", "100", "1", {}},   // locked, not crossed
    {"0", "1", "1", "1", {rule::positive_price, "bid price 0 <= 0"}},
    {"1", "1", "-1", "1", {rule::positive_price, "ask price -1 <= 0"}},
    {"1", "-1", "2", "1", {rule::positive_size, "bid size -1 < 0"}},
    {"1", "1", "2", "-0.5", {rule::positive_size, "ask size -0.5 < 0"}},
    {"101", "1", "100.5", "1", {rule::crossed_quote, "bid 101 > ask 100.5"}},
    {"100.000001", "1", "100", "1",
     {rule::crossed_quote, "bid 100.000001 > ask 100"}},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{r.bid_price} + "/" + r.ask_price);
    quote x;
    x.instrument = "ETH-USDT";
    x.bid_price = dec(r.bid_price);
    x.bid_size = dec(r.bid_size);
    x.ask_price = dec(r.ask_price);
    x.ask_size = dec(r.ask_size);
    expect_verdict(check(x), r.want);
  }
  quote bad_id;
  bad_id.instrument = "eth";
  bad_id.bid_price = dec("1");
  bad_id.ask_price = dec("2");
  expect_verdict(check(bad_id), {rule::instrument_id,
                                 "instrument \"eth\" is not a canonical id"});
}

TEST(EventRules, Bars) {
  struct row {
    const char* open;
    const char* high;
    const char* low;
    const char* close;
    const char* volume;
    verdict want;
  };
  const row rows[] = {
    {"100", "101", "99", "100.5", "10", {}},
    {"1", "1", "1", "1", "0", {}}, // flat, no volume
    {"100.1", "100.10", "100.09", "100.1", "0.001", {}},
    {"0", "1", "1", "1", "1", {rule::positive_price, "open 0 <= 0"}},
    {"1", "-1", "1", "1", "1", {rule::positive_price, "high -1 <= 0"}},
    {"1", "1", "0", "1", "1", {rule::positive_price, "low 0 <= 0"}},
    {"1", "1", "1", "-2", "1", {rule::positive_price, "close -2 <= 0"}},
    {"100", "99", "101", "100", "1",
     {rule::ohlc_consistency, "low 101 > high 99"}},
    {"100", "105", "101", "102", "1",
     {rule::ohlc_consistency, "low 101 > open 100"}},
    {"102", "105", "101", "100", "1",
     {rule::ohlc_consistency, "low 101 > close 100"}},
    {"106", "105", "100", "102", "1",
     {rule::ohlc_consistency, "open 106 > high 105"}},
    {"102", "105", "100", "105.5", "1",
     {rule::ohlc_consistency, "close 105.5 > high 105"}},
    {"100", "101", "99", "100", "-0.5",
     {rule::non_negative_volume, "volume -0.5 < 0"}},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(std::string{r.open} + " " + r.high + " " + r.low + " "
                 + r.close + " " + r.volume);
    bar x;
    x.instrument = "AAPL";
    x.open = dec(r.open);
    x.high = dec(r.high);
    x.low = dec(r.low);
    x.close = dec(r.close);
    x.volume = dec(r.volume);
    expect_verdict(check(x), r.want);
  }
  bar bad_id;
  bad_id.instrument = "-AAPL";
  expect_verdict(check(bad_id), {rule::instrument_id,
                                 "instrument \"-AAPL\" is not a canonical id"});
}

} // namespace
} // namespace tickflow
