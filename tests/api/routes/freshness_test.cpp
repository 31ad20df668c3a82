// api/routes/freshness: max_age= and the bounds of cached answers.

#include "api/routes/freshness.hpp"

#include <gtest/gtest.h>

#include "api/routes/data.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {

constexpr int64_t s = 1'000'000'000;
constexpr int64_t now = 1'700'000'000 * s;

http_request request(std::vector<std::pair<std::string, std::string>> query) {
  http_request req;
  req.method = "GET";
  req.path = "/api/v1/data/price";
  req.query = std::move(query);
  return req;
}

TEST(FreshnessBounds, MaxAgeIsWholeSecondsUpToAWeek) {
  auto q = std::get<price_query>(parse_price_query(request({{"symbol", "A"}})));
  EXPECT_FALSE(q.max_age_ns.has_value());
  q = std::get<price_query>(parse_price_query(request({{"symbol", "A"}, {"max_age", "30"}})));
  EXPECT_EQ(q.max_age_ns, 30 * s);
  q = std::get<price_query>(parse_price_query(request({{"symbol", "A"}, {"max_age", "0"}})));
  EXPECT_EQ(q.max_age_ns, 0);
  for (auto bad : {"-1", "1.5", "soon", "604801"}) {
    auto e = std::get<api_error>(parse_price_query(request({{"symbol", "A"}, {"max_age", bad}})));
    EXPECT_EQ(e.status, 400u) << bad;
    EXPECT_EQ(e.field, "max_age") << bad;
  }
}

TEST(FreshnessBounds, CachedAnswersWithinTheirBounds) {
  struct row {
    int64_t event_ago, recv_ago, ttl;
    std::optional<int64_t> max_age;
    bool within, redis;
  };
  std::vector<row> rows = {
    {30 * s, 0, 60 * s, std::nullopt, true, true},     // no max_age
    {30 * s, 0, 60 * s, 10 * s, false, false},         // older than max_age
    {30 * s, 0, 60 * s, 30 * s, true, true},           // exactly max_age
    {7200 * s, 1 * s, 60 * s, std::nullopt, true, true}, // a close received now
    {7200 * s, 7200 * s, 60 * s, std::nullopt, true, false}, // Redis: past ttl-price
    {7200 * s, 7200 * s, 0, std::nullopt, true, true},  // ttl-price 0s: no bound
    {-2 * s, 0, 60 * s, 0, true, true},                 // ahead of the clock: age 0
    {1, 0, 60 * s, 0, false, false},                    // max_age=0: only now will do
  };
  for (auto& x : rows) {
    SCOPED_TRACE(std::to_string(x.event_ago) + "/" + std::to_string(x.recv_ago));
    EXPECT_EQ(within_max_age(now - x.event_ago, now, x.max_age), x.within);
    EXPECT_EQ(redis_may_answer(now - x.event_ago, now - x.recv_ago, now, x.ttl, x.max_age),
              x.redis);
  }
  // No receive time: the event time counts for the ttl too.
  EXPECT_FALSE(redis_may_answer(now - 120 * s, 0, now, 60 * s, std::nullopt));
  EXPECT_TRUE(redis_may_answer(now - 30 * s, 0, now, 60 * s, std::nullopt));
  auto r = too_old("BTC-USDT", 10 * s);
  EXPECT_EQ(r.status, 404u);
  EXPECT_NE(r.body.find("max_age=10"), std::string::npos) << r.body;
}

} // namespace
