// The validation engine's per-instrument state is bounded: at most
// max_instruments, the least recently seen forgotten first.

#include "pipeline/validate/validation_engine.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/binance/binance_provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {
namespace {

constexpr int64_t t0 = 1'700'000'000 * ns_per_s;

trade make_trade(const std::string& instrument, const std::string& id, int64_t ts) {
  trade x;
  x.instrument = instrument;
  x.source = providers::binance;
  x.price = *decimal::parse("100");
  x.size = *decimal::parse("1");
  x.trade_id = id;
  x.ts_event_ns = ts;
  x.ts_recv_ns = ts;
  return x;
}

/// Whether `instrument` still has state: a repeated trade id is a duplicate
/// only while its series is remembered.
bool remembered(validation_engine& e, const std::string& instrument, int64_t now) {
  auto x = make_trade(instrument, "seen", now);
  auto v = e.check(x, now);
  return !v.accepted();
}

TEST(ValidateBounds, LeastRecentlySeenInstrumentIsForgottenFirst) {
  validation_settings s;
  s.max_instruments = 3;
  validation_engine e{s};
  // Steps: the events, in order, then what must be remembered.
  struct step {
    std::vector<std::string> seen;
    size_t instruments;
    uint64_t evicted;
  };
  const step steps[] = {
    {{"A", "B", "C"}, 3, 0},
    {{"A"}, 3, 0},      // A is the most recent now; B the least
    {{"D"}, 3, 1},      // B goes
    {{"E", "F"}, 3, 3}, // C, then A go
  };
  int64_t now = t0;
  for (auto& st : steps) {
    for (auto& id : st.seen) {
      auto x = make_trade(id, "seen", now);
      e.check(x, now);
      now += ns_per_s;
    }
    EXPECT_EQ(e.instruments(), st.instruments);
    EXPECT_EQ(e.evicted(), st.evicted);
  }
  // D, E, F are remembered (their id is a duplicate); B was forgotten, so
  // its id is new again (and it evicts the least recent one, D).
  EXPECT_TRUE(remembered(e, "F", now));
  EXPECT_TRUE(remembered(e, "E", now));
  EXPECT_FALSE(remembered(e, "B", now));
  EXPECT_EQ(e.evicted(), 4u);
  EXPECT_FALSE(remembered(e, "D", now));
}

TEST(ValidateBounds, AFloodOfNewInstrumentsKeepsTheBound) {
  validation_settings s;
  s.max_instruments = 100;
  validation_engine e{s};
  for (int i = 0; i < 60000; ++i) {
    auto x = make_trade("X" + std::to_string(i), "1", t0);
    e.check(x, t0);
  }
  EXPECT_EQ(e.instruments(), 100u);
  EXPECT_EQ(e.evicted(), 59900u);
  // The stale-symbol report sees only what is remembered.
  EXPECT_LE(e.stale_symbols(t0 + 3600 * ns_per_s).size(), 100u);
  EXPECT_EQ(e.quality_of_instrument("X0").events, 0u); // forgotten
  EXPECT_GT(e.quality_of_instrument("X59999").events, 0u);
}

TEST(ValidateBounds, WatchCountsAsSeen) {
  validation_settings s;
  s.max_instruments = 2;
  validation_engine e{s};
  e.watch("A", t0);
  e.watch("B", t0);
  auto x = make_trade("A", "1", t0);
  e.check(x, t0); // A is the most recent
  e.watch("C", t0); // B goes
  EXPECT_EQ(e.evicted(), 1u);
  EXPECT_EQ(e.instruments(), 2u);
  auto stale = e.stale_symbols(t0 + 3600 * ns_per_s);
  ASSERT_EQ(stale.size(), 2u);
  EXPECT_EQ(stale[0].instrument, "A");
  EXPECT_EQ(stale[1].instrument, "C");
}

TEST(ValidateBounds, ZeroMaxInstrumentsIsInvalid) {
  validation_settings s;
  s.max_instruments = 0;
  EXPECT_FALSE(validate(s));
}

} // namespace
} // namespace tickflow
