// Pages: the pager joins a provider's pages until the asked limit; Polygon's
// next_url (from its recorded aggs reply) becomes the next request to the
// configured host; Binance klines continue past the last open time.

#include "adapters/common/paging.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "adapters/binance/binance_adapter.hpp"
#include "adapters/binance/binance_request.hpp"
#include "adapters/polygon/polygon_adapter.hpp"
#include "adapters/polygon/polygon_paging.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::expect_result;
using test::read_fixture;
using test::reply_of;

constexpr int64_t minute = 60 * ns_per_s;
constexpr int64_t t0 = 1'700'000'040 * ns_per_s; // a minute start

fetch_result minutes(int64_t from, size_t n) {
  fetch_result out;
  for (size_t i = 0; i < n; ++i) {
    bar b;
    b.span = interval::m1;
    b.open_time_ns = from + static_cast<int64_t>(i) * minute;
    out.bars.push_back(b);
  }
  return out;
}

fetch_request klines(int64_t start, int64_t end, size_t limit) {
  fetch_request r;
  r.kind = fetch_kind::bars;
  r.instrument = "BTC-USDT";
  r.span = interval::m1;
  r.start_ns = start;
  r.end_ns = end;
  r.limit = limit;
  return r;
}

TEST(Paging, BinanceKlinesContinuePastTheLastOpenTime) {
  auto asked = klines(t0, t0 + 2999 * minute, 1000);
  auto next = binance::next_klines_page(asked, minutes(t0, 1000));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->start_ns, t0 + 999 * minute + ns_per_ms);
  EXPECT_EQ(next->end_ns, asked.end_ns);
  // A page that is not full is the last; so is one reaching the end.
  EXPECT_FALSE(binance::next_klines_page(asked, minutes(t0, 999)));
  EXPECT_FALSE(binance::next_klines_page(klines(t0, t0 + 999 * minute, 1000),
                                         minutes(t0, 1000)));
  // The newest bars (no start): the next page ends before the oldest.
  auto newest = binance::next_klines_page(klines(0, 0, 1000), minutes(t0, 1000));
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->start_ns, 0);
  EXPECT_EQ(newest->end_ns, t0 - ns_per_ms);
}

TEST(Paging, ThePagerJoinsBinancePagesUpToTheLimit) {
  auto a = make_binance_adapter({});
  ASSERT_EQ(a->page_limit(fetch_kind::bars), 1000u);
  EXPECT_EQ(a->page_limit(fetch_kind::price), 0u);
  pager p{a.get(), klines(t0, t0 + 2499 * minute, 2500)};
  EXPECT_EQ(p.first().limit, 1000u); // Binance refuses more than 1000
  auto second = p.take(minutes(t0, 1000));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->limit, 1000u);
  EXPECT_EQ(second->start_ns, t0 + 999 * minute + ns_per_ms);
  auto third = p.take(minutes(t0 + 1000 * minute, 1000));
  ASSERT_TRUE(third);
  EXPECT_EQ(third->limit, 500u); // what is left of 2500
  EXPECT_FALSE(p.take(minutes(t0 + 2000 * minute, 500)));
  EXPECT_EQ(p.pages(), 3u);
  auto all = std::move(p).result();
  ASSERT_EQ(all.bars.size(), 2500u);
  EXPECT_EQ(all.bars.front().open_time_ns, t0);
  EXPECT_EQ(all.bars.back().open_time_ns, t0 + 2499 * minute);
}

TEST(Paging, ThePagerStopsAtTheLimitAndAtMaxPages) {
  auto a = make_binance_adapter({});
  pager small{a.get(), klines(t0, 0, 300)};
  EXPECT_EQ(small.first().limit, 300u);
  EXPECT_FALSE(small.take(minutes(t0, 300))); // all asked for in one page
  pager endless{a.get(), klines(t0, 0, 0)};   // no limit: Binance's pages
  size_t pages = 1;
  auto from = t0;
  while (auto next = endless.take(minutes(from, 1000))) {
    from = next->start_ns;
    ++pages;
  }
  EXPECT_EQ(pages, pager::max_pages);
  // Not bars: one request as asked.
  auto price = klines(0, 0, 0);
  price.kind = fetch_kind::price;
  pager one{a.get(), price};
  EXPECT_FALSE(one.take({}));
  pager none{nullptr, klines(t0, 0, 5000)};
  EXPECT_EQ(none.first().limit, 5000u);
  EXPECT_FALSE(none.take(minutes(t0, 1000)));
}

TEST(Paging, PolygonNextUrlIsTheNextRequestToTheConfiguredHost) {
  auto a = make_polygon_adapter({});
  fetch_request req;
  req.kind = fetch_kind::bars;
  req.instrument = "AAPL";
  req.span = interval::d1;
  req.start_ns = *parse_timestamp("2020-01-01");
  req.end_ns = *parse_timestamp("2020-01-10");
  auto got = expect_result(a->parse(
    req, reply_of(200, read_fixture("polygon/rest/v2_aggs_ticker_AAPL_range_1_day.example.json")),
    1'800'000'000 * ns_per_s));
  EXPECT_EQ(got.next_page,
            "/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10"
            "?cursor=bGltaXQ9MiZzb3J0PWFzYw");
  auto next = a->next_page(req, got);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->page, got.next_page);
  auto out = a->build(*next, credentials{"KEY123"});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->path, "/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10");
  EXPECT_EQ(out->url("http://127.0.0.1:9"),
            "http://127.0.0.1:9/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10"
            "?cursor=bGltaXQ9MiZzb3J0PWFzYw&apiKey=KEY123");
  EXPECT_EQ(out->secrets, std::vector<std::string>{"KEY123"});
  // A reply without next_url (the recorded /prev reply, the same aggs
  // shape) is the last page.
  auto last = expect_result(a->parse(
    req, reply_of(200, read_fixture("polygon/rest/v2_aggs_ticker_AAPL_prev.example.json")),
    1'800'000'000 * ns_per_s));
  EXPECT_TRUE(last.next_page.empty());
  EXPECT_FALSE(a->next_page(req, last));
}

TEST(Paging, PolygonFollowsOnlyPagesOfTheSameEndpoint) {
  struct row {
    const char* next_url;
    const char* page; // "" = not followed
  };
  for (auto r : std::vector<row>{
         {"https://127.0.0.2/v2/aggs/ticker/AAPL/range/1/day/1/2?cursor=x",
          "/v2/aggs/ticker/AAPL/range/1/day/1/2?cursor=x"},
         {"http://127.0.0.1:9/v2/aggs/ticker/AAPL/range/1/day/1/2", "/v2/aggs/ticker/AAPL/range/1/day/1/2"},
         {"https://127.0.0.2/v3/trades/AAPL?cursor=x", ""},
         {"https://127.0.0.2/v2/aggs/ticker/MSFT/range/1/day/1/2", ""},
         {"ftp://127.0.0.2/v2/aggs/ticker/AAPL/range/1/day/1/2", ""},
         {"/v2/aggs/ticker/AAPL/range/1/day/1/2", ""},
         {"https://127.0.0.2/v2/aggs/ticker/AAPL/x y", ""},
         {"", ""},
       })
    EXPECT_EQ(polygon::page_of_next_url(r.next_url, "/v2/aggs/ticker/AAPL/"), r.page)
      << r.next_url;
  // A key in a page's query is never sent twice; values are decoded once.
  auto out = polygon::page_request("/v2/aggs/x?cursor=a%3Db&apiKey=leak&", "K");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->query, (kv_list{{"cursor", "a=b"}, {"apiKey", "K"}}));
  EXPECT_FALSE(polygon::page_request("v2/aggs/x", "K"));
}

} // namespace
} // namespace tickflow
