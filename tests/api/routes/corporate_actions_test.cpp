// api/routes/corporate_actions: the query, the merge of the splits and
// dividends answers, and the body.

#include "api/routes/corporate_actions.hpp"

#include <gtest/gtest.h>

#include "pipeline/model/time.hpp"
#include "pipeline/providers/provider_info.hpp"

using namespace tickflow;
using namespace tickflow::api;

namespace {

http_request request(std::vector<std::pair<std::string, std::string>> query) {
  http_request req;
  req.method = "GET";
  req.path = "/api/v1/corporate-actions";
  req.query = std::move(query);
  return req;
}

provider named(const char* name) {
  return find_provider(name)->id;
}

int64_t day(const char* date) {
  return *parse_timestamp(date);
}

corporate_action split(const char* date, const char* to, const char* from, provider p) {
  corporate_action x;
  x.instrument = "AAPL";
  x.source = p;
  x.kind = action_kind::split;
  x.ex_date_ns = day(date);
  x.split_to = *decimal::parse(to);
  x.split_from = *decimal::parse(from);
  return x;
}

corporate_action dividend(const char* date, const char* amount, provider p,
                          const char* currency = "USD", const char* pay = nullptr) {
  corporate_action x;
  x.instrument = "AAPL";
  x.source = p;
  x.kind = action_kind::dividend;
  x.ex_date_ns = day(date);
  x.amount = *decimal::parse(amount);
  x.currency = currency;
  if (pay != nullptr)
    x.pay_date_ns = day(pay);
  return x;
}

TEST(CorporateActions, ParsesTheQuery) {
  auto q = parse_corporate_actions_query(
    request({{"symbol", "aapl"}, {"start", "2020-01-01"}, {"end", "2020-12-31"},
             {"provider", "Polygon"}}));
  ASSERT_TRUE(std::holds_alternative<corporate_actions_query>(q));
  auto& x = std::get<corporate_actions_query>(q);
  EXPECT_EQ(x.instrument, "AAPL");
  EXPECT_EQ(x.requested, "aapl");
  EXPECT_EQ(x.provider, "polygon");
  EXPECT_EQ(x.start_ns, day("2020-01-01"));
  EXPECT_EQ(x.end_ns, day("2021-01-01") - 1); // a date is the whole day
}

TEST(CorporateActions, RefusesBadQueries) {
  struct row {
    std::vector<std::pair<std::string, std::string>> query;
    const char* field;
  };
  const row rows[] = {
    {{}, "symbol"},
    {{{"symbol", "AAPL"}, {"start", "yesterday"}}, "start"},
    {{{"symbol", "AAPL"}, {"start", "2021-01-01"}, {"end", "2020-01-01"}}, "start"},
    {{{"symbol", "AAPL"}, {"provider", "nope"}}, "provider"},
  };
  for (auto& r : rows) {
    auto q = parse_corporate_actions_query(request(r.query));
    ASSERT_TRUE(std::holds_alternative<api_error>(q)) << r.field;
    auto& e = std::get<api_error>(q);
    EXPECT_EQ(e.status, 400u) << r.field;
    EXPECT_EQ(e.field, r.field);
  }
}

TEST(CorporateActions, MergeSortsByDateAndKeepsOnePerKindAndDay) {
  auto all = merge_actions(
    {split("2020-08-31", "4", "1", named("polygon")),
     split("2014-06-09", "7", "1", named("polygon"))},
    {dividend("2020-11-06", "0.205", named("yahoo")),
     dividend("2020-08-31", "0.82", named("yahoo")),
     dividend("2020-11-06", "0.205", named("yahoo"))});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].ex_date_ns, day("2014-06-09"));
  EXPECT_EQ(all[1].kind, action_kind::split); // a split before a dividend the same day
  EXPECT_EQ(all[2].kind, action_kind::dividend);
  EXPECT_EQ(all[2].ex_date_ns, day("2020-08-31"));
  EXPECT_EQ(all[3].ex_date_ns, day("2020-11-06"));
}

TEST(CorporateActions, Body) {
  corporate_actions_query q;
  q.instrument = "AAPL";
  q.requested = "aapl";
  q.start_ns = day("2020-01-01");
  auto all = merge_actions({split("2020-08-31", "4", "1", named("polygon"))},
                           {dividend("2020-11-06", "0.205", named("yahoo"), "USD"),
                            dividend("2012-08-09", "2.6488", named("eodhd"), "",
                                     "2012-08-16")});
  auto body = corporate_actions_body(q, all, {"polygon", "yahoo"});
  EXPECT_EQ(body,
            R"({"instrument":"AAPL","requested":"aapl","start":"2020-01-01","end":null,)"
            R"("count":3,"actions":[)"
            R"({"type":"dividend","date":"2012-08-09","amount":"2.6488","currency":null,)"
            R"("pay_date":"2012-08-16","provider":"eodhd"},)"
            R"({"type":"split","date":"2020-08-31","split_to":"4","split_from":"1",)"
            R"("ratio":"4:1","provider":"polygon"},)"
            R"({"type":"dividend","date":"2020-11-06","amount":"0.205","currency":"USD",)"
            R"("pay_date":null,"provider":"yahoo"}],)"
            R"("sources":{"splits":"polygon","dividends":"yahoo"}})");
  auto empty = corporate_actions_body(q, {}, {});
  EXPECT_NE(empty.find(R"("count":0,"actions":[],"sources":{"splits":null,"dividends":null}})"),
            std::string::npos)
    << empty;
}

} // namespace
