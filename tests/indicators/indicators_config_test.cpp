// [indicators] in the config: the documented defaults of configs/default.ini,
// every key set, and refused values.

#include <string>

#include <gtest/gtest.h>

#include "pipeline/topology/topology.hpp"

using namespace tickflow;

namespace {

result<topology> load(const std::string& indicators_block) {
  return load_topology("[simulator]\nsymbols = BTC-USDT:1\n[indicators]\n" + indicators_block,
                       "t.ini");
}

} // namespace

TEST(IndicatorsConfig, DefaultsAreTheDocumentedOnes) {
  auto t = load_topology(default_config_text(), "<embedded default>");
  ASSERT_TRUE(t) << t.err().context;
  auto& s = t->indicators;
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.max_period, 500u);
  EXPECT_EQ(s.max_bars, 5000u);
  EXPECT_EQ(s.default_limit, 100u);
  EXPECT_TRUE(s.live);
  EXPECT_EQ(s.seed_bars, 500u);
}

TEST(IndicatorsConfig, EveryKeyIsRead) {
  auto t = load("enabled = false\nmax-period = 50\nmax-bars = 2000\ndefault-limit = 30\n"
                "live = false\nseed-bars = 0\n");
  ASSERT_TRUE(t) << t.err().context;
  auto& s = t->indicators;
  EXPECT_FALSE(s.enabled);
  EXPECT_EQ(s.max_period, 50u);
  EXPECT_EQ(s.max_bars, 2000u);
  EXPECT_EQ(s.default_limit, 30u);
  EXPECT_FALSE(s.live);
  EXPECT_EQ(s.seed_bars, 0u);
}

TEST(IndicatorsConfig, BadValuesAreRefusedWithTheirLine) {
  struct bad_case {
    std::string block;
    std::string context;
  };
  for (auto& c : std::vector<bad_case>{
         {"max-period = 1\n", "t.ini:4: indicators.max-period: must be an integer in 2..10000, got \"1\""},
         {"max-period = 10001\n", "t.ini:4: indicators.max-period: must be an integer in 2..10000, got \"10001\""},
         {"max-bars = 9\n", "t.ini:4: indicators.max-bars: must be an integer in 10..100000, got \"9\""},
         {"live = maybe\n", ""},
         {"seed-bars = -1\n", ""},
         {"max-bars = 50\ndefault-limit = 60\n",
          "t.ini:5: indicators.default-limit: must not exceed indicators.max-bars (50)"},
         {"max-pariod = 5\n", ""},
       }) {
    SCOPED_TRACE(c.block);
    auto t = load(c.block);
    ASSERT_FALSE(t);
    EXPECT_EQ(t.err().code, errc::config_invalid);
    if (!c.context.empty()) {
      EXPECT_EQ(t.err().context, c.context);
    }
  }
}
