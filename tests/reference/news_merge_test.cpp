// pipeline/reference/news_merge: keys, dedupe, order and limit.

#include "adapters/finnhub/finnhub_provider.hpp"
#include "adapters/newsapi/newsapi_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "pipeline/reference/news_merge.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tickflow::reference {
namespace {

news_item item(std::string title, std::string url, int64_t published_ns, provider from,
               std::vector<std::string> instruments = {}) {
  news_item x;
  x.title = std::move(title);
  x.url = std::move(url);
  x.published_ns = published_ns;
  x.source = from;
  x.instruments = std::move(instruments);
  return x;
}

std::vector<std::string> titles(const merged_news& m) {
  std::vector<std::string> out;
  for (auto& x : m.items)
    out.push_back(x.title);
  return out;
}

TEST(NewsMerge, UrlKeys) {
  struct row {
    const char* url;
    const char* key;
  } rows[] = {
    {"HTTPS://LOCALHOST/2020/08/04/a.html", "localhost/2020/08/04/a.html"},
    {"http://localhost/2020/08/04/a.html", "localhost/2020/08/04/a.html"},
    {"https://localhost/a/b/#comments", "localhost/a/b"},
    {"  https://127.0.0.1/a/?id=7  ", "127.0.0.1/a?id=7"},
    {"https://127.0.0.1/A?ID=7", "127.0.0.1/A?ID=7"}, // path and query keep their case
    {"https://127.0.0.1", "127.0.0.1"},
    {"", ""},
  };
  for (auto& r : rows)
    EXPECT_EQ(url_key(r.url), r.key) << r.url;
}

TEST(NewsMerge, TitleKeys) {
  struct row {
    const char* title;
    const char* key;
  } rows[] = {
    {"Apple's iPhone 15 -- Review!", "apple s iphone 15 review"},
    {"  APPLE'S iPhone 15: review ", "apple s iphone 15 review"},
    {"Café au lait", "caf\xc3\xa9 au lait"}, // UTF-8 kept as is
    {"...", ""},
    {"", ""},
  };
  for (auto& r : rows)
    EXPECT_EQ(title_key(r.title), r.key) << r.title;
}

TEST(NewsMerge, NewestFirstAcrossProviders) {
  std::vector<std::vector<news_item>> lists = {
    {item("f2", "https://127.0.0.1/f/2", 200, providers::finnhub), item("f1", "https://127.0.0.1/f/1", 100, providers::finnhub)},
    {item("p3", "https://127.0.0.1/p/3", 300, providers::polygon), item("p0", "https://127.0.0.1/p/0", 50, providers::polygon)},
  };
  auto m = merge_news(lists, 10);
  EXPECT_EQ(titles(m), (std::vector<std::string>{"p3", "f2", "f1", "p0"}));
  EXPECT_EQ(m.duplicates, 0u);
}

TEST(NewsMerge, EqualTimesKeepProviderOrder) {
  std::vector<std::vector<news_item>> lists = {
    {item("a", "https://127.0.0.1/1", 100, providers::finnhub), item("b", "https://127.0.0.1/2", 100, providers::finnhub)},
    {item("c", "https://127.0.0.3/1", 100, providers::polygon)},
  };
  EXPECT_EQ(titles(merge_news(lists, 10)), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(NewsMerge, SameUrlIsOneStory) {
  auto f = item("Apple beats estimates", "https://localhost/apple-q3/", 200, providers::finnhub,
                {"AAPL"});
  f.summary = "Apple reported...";
  auto p = item("Apple Q3: beats estimates (Reuters)", "http://localhost/apple-q3", 190,
                providers::polygon, {"AAPL", "MSFT"});
  p.image = "https://127.0.0.1/1.jpg";
  p.publisher = "Reuters";
  f.publisher = "";
  auto m = merge_news({{f}, {p}}, 10);
  ASSERT_EQ(m.items.size(), 1u);
  EXPECT_EQ(m.duplicates, 1u);
  auto& kept = m.items[0];
  EXPECT_EQ(kept.source, providers::finnhub); // the newer one
  EXPECT_EQ(kept.summary, "Apple reported...");
  EXPECT_EQ(kept.image, "https://127.0.0.1/1.jpg"); // lent by the duplicate
  EXPECT_EQ(kept.publisher, "Reuters");
  EXPECT_EQ(kept.instruments, (std::vector<std::string>{"AAPL", "MSFT"}));
}

TEST(NewsMerge, SameTitleUnderAnotherUrlIsOneStory) {
  auto m = merge_news({{item("Fed holds rates steady", "https://127.0.0.1/1", 100, providers::finnhub)},
                       {item("FED holds rates steady!", "https://127.0.0.2/x", 150, providers::newsapi)}},
                      10);
  ASSERT_EQ(m.items.size(), 1u);
  EXPECT_EQ(m.items[0].source, providers::newsapi); // the newest copy is kept
  EXPECT_EQ(m.duplicates, 1u);
}

TEST(NewsMerge, KeysChainThroughAKeptStory) {
  // b matches a by URL, c matches b by title only: all three are one story.
  auto m = merge_news({{item("First title", "https://127.0.0.1/s", 300, providers::finnhub),
                        item("Second title", "https://127.0.0.1/s/", 200, providers::finnhub),
                        item("second TITLE", "https://127.0.0.2/other", 100, providers::polygon)}},
                      10);
  EXPECT_EQ(titles(m), std::vector<std::string>{"First title"});
  EXPECT_EQ(m.duplicates, 2u);
}

TEST(NewsMerge, LimitAppliesAfterDedupe) {
  std::vector<news_item> xs;
  for (int i = 0; i < 5; ++i) {
    auto n = std::to_string(i);
    xs.push_back(item("story " + n, "https://127.0.0.4/" + n, 100 - i, providers::polygon));
    xs.push_back(item("story " + n, "https://127.0.0.5/" + n, 100 - i, providers::finnhub));
  }
  auto m = merge_news({xs}, 3);
  EXPECT_EQ(titles(m), (std::vector<std::string>{"story 0", "story 1", "story 2"}));
  EXPECT_EQ(m.duplicates, 5u);
  EXPECT_TRUE(merge_news({xs}, 0).items.empty());
}

TEST(NewsMerge, ItemsWithNothingToTellThemApartAreDropped) {
  auto m = merge_news({{item("", "", 100, providers::finnhub), item("!!!", " ", 90, providers::finnhub),
                        item("real", "", 80, providers::finnhub)}},
                      10);
  EXPECT_EQ(titles(m), std::vector<std::string>{"real"});
  EXPECT_EQ(m.duplicates, 2u);
}

TEST(NewsMerge, KeepNewestSortsAndCuts) {
  std::vector<news_item> xs = {item("a", "1", 1, providers::finnhub), item("c", "3", 3, providers::finnhub),
                               item("b", "2", 2, providers::finnhub)};
  keep_newest(xs, 0);
  ASSERT_EQ(xs.size(), 3u);
  EXPECT_EQ(xs[0].title, "c");
  EXPECT_EQ(xs[2].title, "a");
  keep_newest(xs, 2);
  EXPECT_EQ(xs.size(), 2u);
}

} // namespace
} // namespace tickflow::reference
