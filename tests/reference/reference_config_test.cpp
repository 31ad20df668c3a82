// The reference area of the config ([reference]) and the newsapi provider's
// section ([newsapi]), which is known but off unless listed.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/topology/topology.hpp"

using namespace tickflow;

namespace {

constexpr int64_t s = 1'000'000'000;

result<topology> load(const std::string& extra) {
  return load_topology("[simulator]\nsymbols = BTC-USDT:1\n" + extra, "t.ini");
}

} // namespace

TEST(ReferenceConfig, TheDefaultFileMatchesTheStructDefaults) {
  auto t = load_topology(default_config_text(), "<embedded default>");
  ASSERT_TRUE(t.ok()) << t.err().context;
  const reference_settings d;
  auto& r = t->reference;
  EXPECT_TRUE(r.enabled);
  EXPECT_EQ(r.enabled, d.enabled);
  EXPECT_EQ(r.fundamentals_ttl_ns, 24 * 3600 * s);
  EXPECT_EQ(r.fundamentals_ttl_ns, d.fundamentals_ttl_ns);
  EXPECT_EQ(r.news_ttl_ns, 5 * 60 * s);
  EXPECT_EQ(r.news_ttl_ns, d.news_ttl_ns);
  EXPECT_EQ(r.cache_entries, 1000u);
  EXPECT_EQ(r.cache_entries, d.cache_entries);
  EXPECT_EQ(r.news_lookback_ns, 7 * 24 * 3600 * s);
  EXPECT_EQ(r.news_lookback_ns, d.news_lookback_ns);
  // newsapi is known, and off by default.
  EXPECT_EQ(t->providers, std::vector<std::string>{"simulator"});
}

TEST(ReferenceConfig, TheDefaultFileDocumentsEveryKey) {
  std::string text{default_config_text()};
  auto block = text.find("\n[reference]\n");
  ASSERT_NE(block, std::string::npos);
  for (auto key : {"enabled =", "fundamentals-ttl =", "news-ttl =", "cache-entries =",
                   "news-lookback ="}) {
    auto at = text.find(std::string{"\n"} + key, block);
    ASSERT_NE(at, std::string::npos) << key;
    auto prev = text.rfind('\n', at - 1);
    EXPECT_EQ(text[prev + 1], '#') << key << " is undocumented";
  }
}

TEST(ReferenceConfig, EveryKeyParses) {
  auto t = load("[reference]\nenabled = false\nfundamentals-ttl = 1h\nnews-ttl = 30s\n"
                "cache-entries = 7\nnews-lookback = 48h\n");
  ASSERT_TRUE(t.ok()) << t.err().context;
  auto& r = t->reference;
  EXPECT_FALSE(r.enabled);
  EXPECT_EQ(r.fundamentals_ttl_ns, 3600 * s);
  EXPECT_EQ(r.news_ttl_ns, 30 * s);
  EXPECT_EQ(r.cache_entries, 7u);
  EXPECT_EQ(r.news_lookback_ns, 48 * 3600 * s);
}

TEST(ReferenceConfig, OutOfRangeValuesNameTheKey) {
  struct bad_case {
    std::string text;
    std::string expected;
  };
  for (auto& c : std::vector<bad_case>{
         {"[reference]\nnews-ttl = 500ms\n",
          "t.ini:4: reference.news-ttl: must be a duration in 1s..24h (an integer and a "
          "unit: ns, us, ms, s, m, h), got \"500ms\""},
         {"[reference]\nfundamentals-ttl = 1000h\n",
          "t.ini:4: reference.fundamentals-ttl: must be a duration in 1s..720h (an integer and "
          "a unit: ns, us, ms, s, m, h), got \"1000h\""},
         {"[reference]\ncache-entries = 0\n",
          "t.ini:4: reference.cache-entries: must be an integer in 1..1000000, got \"0\""},
         {"[reference]\nenabled = yes\n",
          "t.ini:4: reference.enabled: must be true or false, got \"yes\""},
       }) {
    auto t = load(c.text);
    ASSERT_FALSE(t.ok()) << c.text;
    EXPECT_EQ(t.err().context, c.expected);
  }
  auto typo = load("[reference]\nnews-tll = 5m\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.err().context.find("news-tll"), std::string::npos) << typo.err().context;
}

TEST(ReferenceConfig, NewsApiIsAProviderWithItsOwnSection) {
  auto t = load("[providers]\nenabled = finnhub, newsapi\n"
                "[finnhub]\nbase-url = http://127.0.0.1:9001\n"
                "[newsapi]\nbase-url = http://127.0.0.1:9002\napi-key-env = NEWS_KEY\n");
  ASSERT_TRUE(t.ok()) << t.err().context;
  auto xs = t->enabled_rest_providers();
  ASSERT_EQ(xs.size(), 2u);
  EXPECT_EQ(xs[1].name, "newsapi");
  EXPECT_EQ(xs[1].base_url, "http://127.0.0.1:9002");
  EXPECT_EQ(xs[1].api_key_env, "NEWS_KEY");
  // Enabled without a base URL is refused, like every REST provider.
  auto missing = load("[providers]\nenabled = newsapi\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.err().context.find("newsapi.base-url"), std::string::npos)
    << missing.err().context;
  // Its budget section exists like the others'.
  EXPECT_TRUE(load("[limits.newsapi]\nper-day = 100\n").ok());
}
