// The installed provider table (pipeline/providers/provider_info.hpp), on a
// made-up table: names, lookups, and the defaults derived from it (failover
// chains, quote assets, limits, [providers] enabled, stream settings). The
// real table is put back after each test.

#include "pipeline/providers/provider_info.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "pipeline/ratelimit/failover.hpp"
#include "pipeline/topology/streams_settings.hpp"

namespace tickflow {
namespace {

provider_info made_up(int id, std::string_view name) {
  provider_info x;
  x.id = static_cast<provider>(id);
  x.name = name;
  return x;
}

class ProviderTable : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = provider_table();
  }
  void TearDown() override {
    ASSERT_TRUE(install_providers(saved_));
  }

 private:
  std::vector<provider_info> saved_;
};

TEST_F(ProviderTable, NamesAndLookupsFollowTheTable) {
  auto a = made_up(0, "alpha");
  a.enabled_by_default = true;
  auto c = made_up(3, "gamma"); // ids need not be dense
  auto b = made_up(1, "beta");
  ASSERT_TRUE(install_providers({c, a, b})); // any order
  auto& t = provider_table();
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].name, "alpha");
  EXPECT_EQ(t[1].name, "beta");
  EXPECT_EQ(t[2].name, "gamma");
  struct row {
    int id;
    const char* name;
    bool known;
  };
  for (auto r : {row{0, "alpha", true}, row{1, "beta", true}, row{2, "unknown", false},
                 row{3, "gamma", true}, row{4, "unknown", false},
                 row{255, "unknown", false}}) {
    auto p = static_cast<provider>(r.id);
    EXPECT_EQ(to_string(p), r.name) << r.id;
    EXPECT_EQ(is_known(p), r.known) << r.id;
    EXPECT_EQ(find_provider(p) != nullptr, r.known) << r.id;
    if (r.known) {
      EXPECT_EQ(provider_from_string(r.name), p);
      EXPECT_EQ(find_provider(r.name), find_provider(p));
    }
  }
  EXPECT_FALSE(provider_from_string("unknown"));
  EXPECT_FALSE(provider_from_string(""));
  EXPECT_EQ(find_provider("delta"), nullptr);
  EXPECT_EQ(default_enabled_providers(), std::vector<std::string>{"alpha"});
  EXPECT_EQ(provider_names([](auto& p) { return p.id != provider{}; }),
            (std::vector<std::string>{"beta", "gamma"}));
}

TEST_F(ProviderTable, RepeatedIdsAndNamesAreRefused) {
  struct row {
    std::vector<provider_info> infos;
    const char* problem;
  };
  const row rows[] = {
    {{made_up(1, "a"), made_up(1, "b")}, "provider id 1 is taken twice"},
    {{made_up(1, "a"), made_up(2, "a")}, "provider name a is taken twice"},
    {{made_up(1, "")}, "provider id 1 has no name"},
  };
  for (auto& r : rows) {
    auto ok = install_providers(r.infos);
    ASSERT_FALSE(ok) << r.problem;
    EXPECT_EQ(ok.err().code, errc::invalid_argument);
    EXPECT_EQ(ok.err().context, r.problem);
  }
}

TEST_F(ProviderTable, FailoverChainsComeFromPlacesByClassRankAndId) {
  auto a = made_up(0, "a");
  a.failover = {{asset_class::crypto, 20}};
  auto b = made_up(1, "b");
  b.failover = {{asset_class::equity, 10}, {asset_class::crypto, 10}};
  auto c = made_up(2, "c");
  c.failover = {{asset_class::crypto, 10}}; // ties with b: id order
  c.crypto_quote = "USDT";
  auto d = made_up(3, "d"); // no place anywhere
  ASSERT_TRUE(install_providers({a, b, c, d}));
  failover_chains want{
    {asset_class::crypto, {"b", "c", "a"}},
    {asset_class::equity, {"b"}},
  };
  EXPECT_EQ(default_failover_chains(), want);
  EXPECT_EQ(failover_settings{}.chains, want);
  std::vector<std::pair<std::string, std::string>> quotes{{"c", "USDT"}, {"*", "USD"}};
  EXPECT_EQ(default_quote_assets(), quotes);
  detected_symbol bare;
  bare.canonical = "ETH";
  bare.bare = true;
  failover_settings s;
  EXPECT_EQ(instrument_for(s, bare, "c"), "ETH-USDT");
  EXPECT_EQ(instrument_for(s, bare, "a"), "ETH-USD");
}

TEST_F(ProviderTable, LimitsAndStreamDefaultsComeFromTheDescriptors) {
  auto a = made_up(0, "a");
  provider_limits l;
  l.per_minute = 7;
  l.max_batch = 3;
  a.limits = l;
  auto b = made_up(1, "b"); // no published limits
  auto s = made_up(2, "s");
  s.streams.max_connection_age_ns = 42;
  s.stream = true;
  ASSERT_TRUE(install_providers({a, b, s}));
  auto table = default_limit_table();
  ASSERT_EQ(table.size(), 1u);
  EXPECT_EQ(table.at("a").per_minute, 7u);
  EXPECT_EQ(table.at("a").max_batch, 3u);
  struct row {
    const char* name;
    uint64_t per_second;
    uint64_t per_minute;
  };
  for (auto r : {row{"a", 0, 7}, row{"b", 10, 0}, row{"nope", 10, 0}}) {
    auto got = default_limits(r.name);
    EXPECT_EQ(got.per_second, r.per_second) << r.name;
    EXPECT_EQ(got.per_minute, r.per_minute) << r.name;
  }
  EXPECT_EQ(stream_defaults("s").max_connection_age_ns, 42);
  EXPECT_EQ(stream_defaults("a").max_connection_age_ns, 0);
  EXPECT_TRUE(has_stream_dialect("s"));
  EXPECT_FALSE(has_stream_dialect("a"));
  EXPECT_EQ(default_replay_provider(), "s");
}

} // namespace
} // namespace tickflow
