// The provider registry (adapters/registry.cpp): every provider's id and
// name are pinned (journals, Redis and capture files store the id), ids and
// names are unique, the flags agree with the factories, and the defaults
// the configuration reports (failover chains, quote assets, limits, stream
// settings, webhooks) are those the descriptors declare, equal to what
// tickflow had before the registry.

#include "adapters/registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/topology/topology.hpp"

namespace tickflow {
namespace {

// Never edit a row: a new provider adds one with the next free id.
struct pinned {
  int id;
  const char* name;
  bool rest;
  bool stream;
};
const pinned pins[] = {
  {0, "simulator", false, false},      {1, "replay", false, false},
  {2, "binance", true, true},          {3, "polygon", true, true},
  {4, "coingecko", true, false},       {5, "coinmarketcap", true, false},
  {6, "alpha_vantage", true, false},   {7, "eodhd", true, false},
  {8, "finnhub", true, true},          {9, "yahoo", true, false},
  {10, "massive_futures", true, false}, {11, "newsapi", true, false},
};

TEST(ProviderRegistry, IdsAndNamesArePinned) {
  auto& all = provider_registry();
  ASSERT_EQ(all.size(), std::size(pins));
  for (size_t i = 0; i < all.size(); ++i) {
    auto& want = pins[i];
    auto& got = all[i]->info;
    SCOPED_TRACE(want.name);
    EXPECT_EQ(static_cast<int>(got.id), want.id);
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(to_string(static_cast<provider>(want.id)), want.name);
    EXPECT_EQ(provider_from_string(want.name), static_cast<provider>(want.id));
    EXPECT_TRUE(is_known(static_cast<provider>(want.id)));
    EXPECT_EQ(got.rest, want.rest);
    EXPECT_EQ(got.stream, want.stream);
  }
  EXPECT_EQ(to_string(static_cast<provider>(std::size(pins))), "unknown");
  EXPECT_FALSE(is_known(static_cast<provider>(std::size(pins))));
  EXPECT_FALSE(provider_from_string("unknown"));
  EXPECT_FALSE(provider_from_string(""));
  EXPECT_EQ(static_cast<int>(provider{}), 0); // events default to id 0
}

TEST(ProviderRegistry, IdsAndNamesAreUniqueAndTheTableIsInstalled) {
  std::set<int> ids;
  std::set<std::string> names;
  for (auto* d : provider_registry()) {
    EXPECT_TRUE(ids.insert(static_cast<int>(d->info.id)).second) << d->info.name;
    EXPECT_TRUE(names.insert(std::string{d->info.name}).second) << d->info.name;
  }
  auto& table = provider_table();
  ASSERT_EQ(table.size(), provider_registry().size());
  for (size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(table[i].id, provider_registry()[i]->info.id);
    EXPECT_EQ(find_provider(table[i].id), &table[i]);
    EXPECT_EQ(find_provider(table[i].name), &table[i]);
  }
}

TEST(ProviderRegistry, FlagsAgreeWithTheFactories) {
  for (auto* d : provider_registry()) {
    auto& info = d->info;
    SCOPED_TRACE(std::string{info.name});
    EXPECT_EQ(info.rest, d->make_rest != nullptr);
    EXPECT_EQ(info.stream, d->make_stream != nullptr);
    EXPECT_EQ(is_rest_provider(info.name), info.rest);
    EXPECT_EQ(has_stream_dialect(info.name), info.stream);
    auto rest = make_rest_adapter(info.id, {});
    EXPECT_EQ(rest != nullptr, info.rest);
    if (rest) {
      EXPECT_EQ(&rest->info(), &info); // the listing reports the descriptor
    }
    auto stream = make_stream_protocol(info.id, {});
    EXPECT_EQ(stream != nullptr, info.stream);
    if (stream) {
      EXPECT_EQ(stream->id(), info.id);
      EXPECT_EQ(stream->max_streams_per_connection(),
                info.streams.max_streams_per_connection);
      EXPECT_EQ(stream->max_outgoing_per_second(), info.streams.max_outgoing_per_second);
    }
    // A key is needed only where the variable to hold it is named.
    if (info.needs_key) {
      EXPECT_FALSE(info.key_env.empty());
    }
  }
  std::vector<provider> rest;
  for (auto& p : pins)
    if (p.rest)
      rest.push_back(static_cast<provider>(p.id));
  EXPECT_EQ(rest_providers(), rest);
}

// The chains, quotes and limits tickflow had before the registry
// (pipeline/ratelimit/failover.hpp and provider_limits.cpp at 640215a).
TEST(ProviderRegistry, FailoverDefaultsAreTheOldOnes) {
  failover_chains want{
    {asset_class::crypto, {"binance", "coingecko", "coinmarketcap", "polygon", "yahoo", "eodhd"}},
    {asset_class::equity, {"polygon", "finnhub", "alpha_vantage", "yahoo", "eodhd"}},
    {asset_class::forex, {"polygon", "yahoo", "eodhd"}},
    {asset_class::futures, {"massive_futures", "yahoo"}},
    {asset_class::index, {"yahoo", "eodhd"}},
  };
  EXPECT_EQ(default_failover_chains(), want);
  EXPECT_EQ(failover_settings{}.chains, want);
  std::vector<std::pair<std::string, std::string>> quotes{{"binance", "USDT"},
                                                          {"*", "USD"}};
  EXPECT_EQ(default_quote_assets(), quotes);
  EXPECT_EQ(failover_settings{}.quotes, quotes);
}

TEST(ProviderRegistry, EveryFailoverPlaceIsInTheTopologysChains) {
  topology t;
  auto& chains = t.scheduler.failover.chains;
  for (auto& info : provider_table())
    for (auto& at : info.failover) {
      SCOPED_TRACE(std::string{info.name} + " " + std::string{to_string(at.cls)});
      auto c = std::find_if(chains.begin(), chains.end(),
                            [&](auto& x) { return x.first == at.cls; });
      ASSERT_NE(c, chains.end());
      auto& names = c->second;
      auto me = std::find(names.begin(), names.end(), info.name);
      ASSERT_NE(me, names.end());
      // Everyone before it ranks lower (or equal with a lower id).
      for (auto it = names.begin(); it != me; ++it) {
        auto* other = find_provider(*it);
        ASSERT_NE(other, nullptr);
        for (auto& o : other->failover) {
          if (o.cls == at.cls) {
            EXPECT_TRUE(o.rank < at.rank || (o.rank == at.rank && other->id < info.id))
              << *it;
          }
        }
      }
    }
  // Crypto quotes: the topology's pairs are the descriptors'.
  for (auto& info : provider_table()) {
    detected_symbol bare;
    bare.canonical = "BTC";
    bare.bare = true;
    bare.cls = asset_class::crypto;
    EXPECT_EQ(instrument_for(t.scheduler.failover, bare, info.name),
              "BTC-" + std::string{info.crypto_quote})
      << info.name;
  }
}

provider_limits limits(uint64_t per_second, uint64_t per_minute, uint64_t per_day) {
  provider_limits x;
  x.per_second = per_second;
  x.per_minute = per_minute;
  x.per_day = per_day;
  return x;
}

TEST(ProviderRegistry, LimitDefaultsAreTheOldOnes) {
  std::map<std::string, provider_limits> want;
  auto binance = limits(50, 5400, 0);
  binance.concurrency = 4;
  binance.weights = {{"price", 2}, {"bars", 2}, {"quote", 2}};
  binance.batch_weight = 4;
  binance.max_batch = 100;
  want["binance"] = binance;
  auto coingecko = limits(0, 10, 0);
  coingecko.max_batch = 50;
  want["coingecko"] = coingecko;
  want["coinmarketcap"] = limits(0, 30, 333);
  want["polygon"] = limits(0, 5, 0);
  want["massive_futures"] = limits(0, 5, 0);
  want["finnhub"] = limits(30, 60, 0);
  want["alpha_vantage"] = limits(0, 5, 25);
  want["eodhd"] = limits(0, 1000, 20);
  want["yahoo"] = limits(2, 30, 0);
  auto table = default_limit_table();
  ASSERT_EQ(table.size(), want.size());
  topology t; // what the topology reports without a [limits.*] section
  for (auto& [name, w] : want) {
    SCOPED_TRACE(name);
    for (auto* got : {&table.at(name), &t.scheduler.limits.at(name)}) {
      auto g = default_limits(name);
      EXPECT_EQ(got->per_second, w.per_second);
      EXPECT_EQ(got->per_minute, w.per_minute);
      EXPECT_EQ(got->per_day, w.per_day);
      EXPECT_EQ(got->burst, w.burst);
      EXPECT_EQ(got->concurrency, w.concurrency);
      EXPECT_EQ(got->weights, w.weights);
      EXPECT_EQ(got->batch_weight, w.batch_weight);
      EXPECT_EQ(got->max_batch, w.max_batch);
      EXPECT_EQ(g.per_second, w.per_second);
      EXPECT_EQ(g.per_minute, w.per_minute);
      EXPECT_EQ(g.per_day, w.per_day);
    }
    auto* info = find_provider(name);
    ASSERT_NE(info, nullptr);
    ASSERT_TRUE(info->limits);
    EXPECT_EQ(info->limits->per_minute, w.per_minute);
  }
  // Without published limits (newsapi) or unknown: a generous 10/s.
  for (auto name : {"newsapi", "nope"}) {
    auto g = default_limits(name);
    EXPECT_EQ(g.per_second, 10u) << name;
    EXPECT_EQ(g.per_minute, 0u) << name;
    EXPECT_EQ(g.per_day, 0u) << name;
  }
}

TEST(ProviderRegistry, StreamAndWebhookDefaultsAreTheOldOnes) {
  EXPECT_EQ(stream_defaults("binance").max_connection_age_ns, 23 * 3600 * 1'000'000'000LL);
  EXPECT_EQ(stream_defaults("polygon").max_connection_age_ns, 0);
  EXPECT_EQ(stream_defaults("finnhub").max_connection_age_ns, 0);
  for (auto& info : provider_table())
    EXPECT_EQ(stream_defaults(info.name).max_connection_age_ns,
              info.streams.max_connection_age_ns)
      << info.name;
  EXPECT_EQ(replay_settings{}.provider, "binance");
  EXPECT_EQ(default_enabled_providers(), std::vector<std::string>{"simulator"});
  EXPECT_EQ(topology{}.providers, std::vector<std::string>{"simulator"});
  std::vector<std::pair<std::string, std::string>> hooks{
    {"binance", "TICKFLOW_WEBHOOK_BINANCE_SECRET"},
    {"polygon", "TICKFLOW_WEBHOOK_POLYGON_SECRET"},
    {"test", "TICKFLOW_WEBHOOK_TEST_SECRET"},
  };
  EXPECT_EQ(webhook_settings{}.secret_envs, hooks);
}

TEST(ProviderRegistry, ConfigNamesEveryProviderFromTheTable) {
  // [providers] enabled: every known name listed in the error, in id order.
  auto t = load_topology("[providers]\nenabled = nope\n", "t.ini");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.err().context,
            "t.ini:2: providers.enabled: unknown provider \"nope\" (known: simulator, "
            "replay, binance, polygon, coingecko, coinmarketcap, alpha_vantage, eodhd, "
            "finnhub, yahoo, massive_futures, newsapi)");
  auto r = load_topology("[providers]\nenabled = replay\n", "t.ini");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err().context,
            "t.ini:2: providers.enabled: provider \"replay\" is not implemented yet");
  // Every REST provider has its section and its limits section.
  for (auto& info : provider_table()) {
    if (!info.rest)
      continue;
    auto name = std::string{info.name};
    auto ok = load_topology("[simulator]\nsymbols = BTC-USDT:1\n[" + name
                              + "]\nbase-url = http://127.0.0.1:9\n[limits." + name
                              + "]\nper-second = 7\n",
                            "t.ini");
    ASSERT_TRUE(ok) << name << ": " << ok.err().context;
    EXPECT_EQ(ok->rest_providers.at(name).base_url, "http://127.0.0.1:9");
    EXPECT_EQ(ok->scheduler.limits.at(name).per_second, 7u);
  }
  // Every stream provider has its [stream.<name>] section.
  for (auto& info : provider_table()) {
    if (!info.stream)
      continue;
    auto name = std::string{info.name};
    auto ok = load_topology("[simulator]\nsymbols = BTC-USDT:1\n[stream." + name
                              + "]\nurl = ws://127.0.0.1:9\n",
                            "t.ini");
    ASSERT_TRUE(ok) << name << ": " << ok.err().context;
    EXPECT_EQ(ok->streams.feeds.at(name).url, "ws://127.0.0.1:9");
  }
  auto s = load_topology("[streams]\nenabled = coingecko\n", "t.ini");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.err().context, "t.ini:2: streams.enabled: unknown stream provider "
                             "\"coingecko\" (known: binance, polygon, finnhub)");
}

} // namespace
} // namespace tickflow
