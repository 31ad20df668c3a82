// The reference routes' request checks (api/routes/reference), and
// pipeline/reference: cache keys, the news window and the reference cache
// (TTLs, LRU bound, reconfiguration).

#include "pipeline/reference/reference_cache.hpp"
#include "pipeline/reference/reference_query.hpp"

#include <gtest/gtest.h>

#include <string>

#include "api/routes/reference.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::reference {
namespace {

constexpr int64_t minute = 60 * ns_per_s;

/// What the checks refused, as the test reads it.
struct param_problem {
  std::string field;
  std::string message;
  bool missing = false; ///< missing_parameter, else invalid_parameter
};

param_problem problem_of(const api::api_error& e) {
  return {e.field, e.message, e.code == "missing_parameter"};
}

/// The symbol of /fundamentals/{symbol}, or the problem with it.
std::variant<std::string, param_problem> parse_symbol(std::string_view text) {
  auto r = api::parse_fundamentals_symbol(text);
  if (auto* e = std::get_if<api::api_error>(&r))
    return problem_of(*e);
  return std::get<std::string>(r);
}

/// GET /api/v1/news?symbol=&query=&limit= with these values.
std::variant<news_query, param_problem> parse_news_query(std::string_view symbol,
                                                         std::string_view query,
                                                         std::string_view limit) {
  api::http_request req;
  req.method = "GET";
  req.path = "/api/v1/news";
  req.query = {{"symbol", std::string{symbol}}, {"query", std::string{query}},
               {"limit", std::string{limit}}};
  auto r = api::parse_news_query(req);
  if (auto* e = std::get_if<api::api_error>(&r))
    return problem_of(*e);
  return std::get<news_query>(r);
}

news_query news_ok(std::string_view symbol, std::string_view query, std::string_view limit) {
  auto q = parse_news_query(symbol, query, limit);
  if (auto* p = std::get_if<param_problem>(&q)) {
    ADD_FAILURE() << p->field << ": " << p->message;
    return {};
  }
  return std::get<news_query>(q);
}

param_problem news_bad(std::string_view symbol, std::string_view query, std::string_view limit) {
  auto q = parse_news_query(symbol, query, limit);
  if (!std::holds_alternative<param_problem>(q)) {
    ADD_FAILURE() << "accepted symbol=" << symbol << " query=" << query << " limit=" << limit;
    return {};
  }
  return std::get<param_problem>(q);
}

TEST(ReferenceQuery, Symbols) {
  EXPECT_EQ(std::get<std::string>(parse_symbol(" aapl ")), "AAPL");
  EXPECT_EQ(std::get<std::string>(parse_symbol("btc-usd")), "BTC-USD");
  auto missing = std::get<param_problem>(parse_symbol("  "));
  EXPECT_TRUE(missing.missing);
  EXPECT_EQ(missing.field, "symbol");
  for (auto bad : {"<script>", "A B", "-AAPL", "THIS-SYMBOL-IS-FAR-TOO-LONG-TO-BE-OK"}) {
    auto v = parse_symbol(bad);
    auto p = std::get_if<param_problem>(&v);
    ASSERT_NE(p, nullptr) << bad;
    EXPECT_FALSE(p->missing);
    EXPECT_EQ(p->field, "symbol");
  }
}

TEST(ReferenceQuery, NewsDefaultsAndValues) {
  auto market = news_ok("", "", "");
  EXPECT_TRUE(market.instrument.empty());
  EXPECT_TRUE(market.text.empty());
  EXPECT_EQ(market.limit, default_news_limit);
  auto q = news_ok("aapl", "  iphone sales ", "100");
  EXPECT_EQ(q.instrument, "AAPL");
  EXPECT_EQ(q.text, "iphone sales");
  EXPECT_EQ(q.limit, 100u);
  EXPECT_EQ(news_ok("", "", "1").limit, 1u);
}

TEST(ReferenceQuery, BadNewsParameters) {
  struct row {
    const char* symbol;
    const char* query;
    const char* limit;
    const char* field;
  } rows[] = {
    {"", "", "0", "limit"},     {"", "", "101", "limit"}, {"", "", "-1", "limit"},
    {"", "", "ten", "limit"},   {"", "", "5x", "limit"},  {"", "", "99999999999999999999", "limit"},
    {"$$", "", "", "symbol"},   {"", "a\x01" "b", "", "query"},
  };
  for (auto& r : rows) {
    auto p = news_bad(r.symbol, r.query, r.limit);
    EXPECT_EQ(p.field, r.field) << r.symbol << "|" << r.query << "|" << r.limit;
    EXPECT_FALSE(p.missing);
  }
  EXPECT_EQ(news_bad("", std::string(max_query_chars + 1, 'x'), "").field, "query");
  EXPECT_EQ(news_ok("", std::string(max_query_chars, 'x'), "").text.size(), max_query_chars);
}

TEST(ReferenceQuery, CacheKeysTellRequestsApart) {
  auto a = news_ok("AAPL", "", "20");
  auto b = news_ok("AAPL", "", "10");
  auto c = news_ok("", "AAPL", "20");
  EXPECT_NE(news_cache_key(a), news_cache_key(b));
  EXPECT_NE(news_cache_key(a), news_cache_key(c));
  EXPECT_EQ(news_cache_key(a), news_cache_key(news_ok(" aapl", "", "")));
  EXPECT_NE(profile_cache_key("AAPL"), news_cache_key(a));
}

TEST(ReferenceQuery, NewsWindowEndsOnTheMinute) {
  auto now = *parse_timestamp("2024-06-24T18:33:53.250Z");
  auto w = news_window_at(now, 7 * 24 * 60 * minute);
  EXPECT_EQ(w.end_ns, *parse_timestamp("2024-06-24T18:33:00Z"));
  EXPECT_EQ(w.start_ns, *parse_timestamp("2024-06-17T18:33:00Z"));
  // Two requests within the same minute ask for the same range.
  auto later = news_window_at(now + 5 * ns_per_s, 7 * 24 * 60 * minute);
  EXPECT_EQ(later.end_ns, w.end_ns);
  EXPECT_EQ(news_window_at(10 * minute, 60 * minute).start_ns, 0); // never before the epoch
}

asset_profile profile_named(std::string name) {
  asset_profile p;
  p.name = std::move(name);
  p.source = providers::finnhub;
  return p;
}

TEST(ReferenceCache, ProfilesAndNewsExpireOnTheirOwnTtl) {
  reference_cache c;
  c.configure(10, 60 * minute, 5 * minute);
  int64_t t0 = 1'000 * minute;
  c.put("profile|AAPL", profile_named("Apple"), t0);
  news_answer a;
  a.sources = {"finnhub"};
  c.put("news|AAPL|20|", a, t0);
  ASSERT_NE(c.profile("profile|AAPL", t0 + 4 * minute), nullptr);
  ASSERT_NE(c.news("news|AAPL|20|", t0 + 4 * minute), nullptr);
  EXPECT_EQ(c.news("news|AAPL|20|", t0 + 5 * minute), nullptr); // news TTL over
  ASSERT_NE(c.profile("profile|AAPL", t0 + 59 * minute), nullptr);
  EXPECT_EQ(c.profile("profile|AAPL", t0 + 59 * minute)->name, "Apple");
  EXPECT_EQ(c.profile("profile|AAPL", t0 + 60 * minute), nullptr);
  // A key holds one kind: asking for the other kind finds nothing.
  c.put("k", profile_named("x"), t0);
  EXPECT_EQ(c.news("k", t0), nullptr);
}

TEST(ReferenceCache, BoundedByEntriesLeastRecentlyUsedFirst) {
  reference_cache c;
  c.configure(2, 60 * minute, 60 * minute);
  c.put("a", profile_named("a"), 0);
  c.put("b", profile_named("b"), 0);
  ASSERT_NE(c.profile("a", 1), nullptr); // a is now the most recent
  c.put("c", profile_named("c"), 2);
  EXPECT_EQ(c.size(), 2u);
  EXPECT_EQ(c.profile("b", 3), nullptr);
  EXPECT_NE(c.profile("a", 3), nullptr);
  EXPECT_NE(c.profile("c", 3), nullptr);
  EXPECT_EQ(c.counters().evicted_capacity, 1u);
}

TEST(ReferenceCache, FollowKeepsEntriesUntilABoundChanges) {
  reference_cache c;
  c.follow(10, 60 * minute, 5 * minute);
  c.put("a", profile_named("a"), 0);
  c.follow(10, 60 * minute, 5 * minute);
  EXPECT_NE(c.profile("a", 1), nullptr);
  c.follow(10, 30 * minute, 5 * minute); // a reloaded config
  EXPECT_EQ(c.profile("a", 1), nullptr);
  c.put("a", profile_named("a"), 0);
  EXPECT_EQ(c.profile("a", 30 * minute), nullptr); // the new TTL applies
}

} // namespace
} // namespace tickflow::reference
