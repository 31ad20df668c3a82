// Splits and dividends parsers (polygon_actions, eodhd_actions,
// yahoo_events) through each adapter's build() and parse(), on the recorded
// payloads, plus one test per failure mode.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/eodhd/eodhd_provider.hpp"
#include "adapters/finnhub/finnhub_provider.hpp"
#include "adapters/massive_futures/massive_futures_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "adapters/registry.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "pipeline/model/time.hpp"
#include "tests/support/adapter_test_support.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow {
namespace {

using test::dec;
using test::expect_error;
using test::expect_result;
using test::read_fixture;
using test::reply_of;

constexpr int64_t recv_ns = 1'800'000'000 * ns_per_s; // 2027-01-15T08:00:00Z

fetch_request actions(fetch_kind kind, const char* start = nullptr, const char* end = nullptr) {
  fetch_request r;
  r.kind = kind;
  r.instrument = "AAPL";
  if (start != nullptr)
    r.start_ns = *parse_timestamp(start);
  if (end != nullptr)
    r.end_ns = *parse_timestamp(end);
  return r;
}

fetch_outcome parse(provider p, const fetch_request& req, std::string body, long status = 200) {
  return make_rest_adapter(p, {})->parse(req, reply_of(status, std::move(body)), recv_ns);
}

std::string date(int64_t ns) {
  return format_iso8601(ns).substr(0, 10);
}

std::string query_value(const outbound_request& r, const std::string& name) {
  auto it = std::find_if(r.query.begin(), r.query.end(),
                         [&](const auto& kv) { return kv.first == name; });
  return it == r.query.end() ? "<absent>" : it->second;
}

// -- requests ---------------------------------------------------------------------

TEST(CorporateActionsRequest, EachProviderAsksItsEndpoint) {
  struct row {
    provider p;
    fetch_kind kind;
    const char* path;
    const char* param;
    const char* value;
  };
  const row rows[] = {
    {providers::polygon, fetch_kind::splits, "/v3/reference/splits", "execution_date.gte",
     "2020-01-01"},
    {providers::polygon, fetch_kind::dividends, "/stocks/v1/dividends", "ex_dividend_date.lte",
     "2020-12-31"},
    {providers::eodhd, fetch_kind::splits, "/api/splits/AAPL.US", "from", "2020-01-01"},
    {providers::eodhd, fetch_kind::dividends, "/api/div/AAPL.US", "to", "2020-12-31"},
    {providers::yahoo, fetch_kind::splits, "/v8/finance/chart/AAPL", "events", "div|split"},
    {providers::yahoo, fetch_kind::dividends, "/v8/finance/chart/AAPL", "period1",
     "1577836800"},
  };
  for (auto& r : rows) {
    auto out = make_rest_adapter(r.p, {})->build(
      actions(r.kind, "2020-01-01", "2020-12-31"), credentials{"KEY123"});
    ASSERT_TRUE(out) << to_string(r.p) << " " << to_string(r.kind);
    EXPECT_EQ(out->path, r.path) << to_string(r.p);
    EXPECT_EQ(query_value(*out, r.param), r.value) << to_string(r.p) << " " << r.param;
  }
  // Finnhub publishes neither.
  EXPECT_FALSE(make_rest_adapter(providers::finnhub, {})
                 ->build(actions(fetch_kind::splits), credentials{"KEY123"}));
}

// -- polygon ------------------------------------------------------------------------

TEST(CorporateActionsPolygon, ReferenceSplits) {
  auto out = expect_result(parse(providers::polygon, actions(fetch_kind::splits),
                                 read_fixture("polygon/rest/v3_reference_splits_AAPL.example.json")));
  ASSERT_EQ(out.actions.size(), 2u);
  // Oldest first: 2005-02-28 1 -> 2, 2020-08-31 1 -> 4.
  EXPECT_EQ(date(out.actions[0].ex_date_ns), "2005-02-28");
  EXPECT_EQ(out.actions[0].split_to, dec("2"));
  EXPECT_EQ(out.actions[0].split_from, dec("1"));
  EXPECT_EQ(date(out.actions[1].ex_date_ns), "2020-08-31");
  EXPECT_EQ(out.actions[1].split_to, dec("4"));
  EXPECT_EQ(out.actions[1].kind, action_kind::split);
  EXPECT_EQ(out.actions[1].source, providers::polygon);
  EXPECT_EQ(out.actions[1].instrument, "AAPL");
  EXPECT_EQ(out.actions[1].ts_recv_ns, recv_ns);
}

TEST(CorporateActionsPolygon, StocksV1SplitsAndTheRange) {
  auto body = read_fixture("polygon/rest/stocks_v1_splits_AAPL.example.json");
  auto all = expect_result(parse(providers::polygon, actions(fetch_kind::splits), body));
  ASSERT_EQ(all.actions.size(), 1u);
  EXPECT_EQ(date(all.actions[0].ex_date_ns), "2005-02-28");
  auto none = expect_result(
    parse(providers::polygon, actions(fetch_kind::splits, "2006-01-01"), body));
  EXPECT_TRUE(none.actions.empty());
}

TEST(CorporateActionsPolygon, Dividends) {
  auto out = expect_result(parse(providers::polygon, actions(fetch_kind::dividends),
                                 read_fixture("polygon/rest/stocks_v1_dividends_AAPL.example.json")));
  ASSERT_EQ(out.actions.size(), 1u);
  auto& x = out.actions[0];
  EXPECT_EQ(x.kind, action_kind::dividend);
  EXPECT_EQ(date(x.ex_date_ns), "2025-08-11");
  EXPECT_EQ(date(x.pay_date_ns), "2025-08-14");
  EXPECT_EQ(x.amount, dec("0.26"));
  EXPECT_EQ(x.currency, "USD");
}

TEST(CorporateActionsPolygon, FailureModes) {
  struct row {
    fetch_kind kind;
    const char* body;
    errc code;
  };
  const row rows[] = {
    // Missing field, wrong type, bad date, another ticker, not positive, garbage.
    {fetch_kind::splits, R"({"results":[{"execution_date":"2020-08-31","split_from":1}]})",
     errc::malformed},
    {fetch_kind::splits,
     R"({"results":[{"execution_date":"2020-08-31","split_from":"1","split_to":4}]})",
     errc::malformed},
    {fetch_kind::splits,
     R"({"results":[{"execution_date":"31/08/2020","split_from":1,"split_to":4}]})",
     errc::malformed},
    {fetch_kind::splits,
     R"({"results":[{"execution_date":"2020-08-31","split_from":1,"split_to":4,"ticker":"MSFT"}]})",
     errc::malformed},
    {fetch_kind::splits,
     R"({"results":[{"execution_date":"2020-08-31","split_from":0,"split_to":4}]})",
     errc::malformed},
    {fetch_kind::dividends, R"({"results":[{"ex_dividend_date":"2025-08-11"}]})",
     errc::malformed},
    {fetch_kind::dividends,
     R"({"results":[{"ex_dividend_date":"2025-08-11","cash_amount":-1}]})", errc::malformed},
    {fetch_kind::dividends, "not json", errc::malformed},
  };
  for (auto& r : rows) {
    auto e = expect_error(parse(providers::polygon, actions(r.kind), r.body));
    EXPECT_EQ(e.code, r.code) << r.body << ": " << e.message;
  }
  // No results: none.
  auto out = expect_result(parse(providers::polygon, actions(fetch_kind::splits),
                                 R"({"status":"OK","request_id":"x"})"));
  EXPECT_TRUE(out.actions.empty());
}

// -- eodhd --------------------------------------------------------------------------

TEST(CorporateActionsEodhd, Splits) {
  auto out = expect_result(parse(providers::eodhd, actions(fetch_kind::splits),
                                 read_fixture("eodhd/rest/splits_AAPL.US.openapi_example.json")));
  ASSERT_EQ(out.actions.size(), 4u);
  EXPECT_EQ(date(out.actions[2].ex_date_ns), "2014-06-09");
  EXPECT_EQ(out.actions[2].split_to, dec("7"));
  EXPECT_EQ(out.actions[2].split_from, dec("1"));
  EXPECT_EQ(date(out.actions[3].ex_date_ns), "2020-08-31");
  EXPECT_EQ(out.actions[3].split_to, dec("4"));
  EXPECT_EQ(out.actions[3].source, providers::eodhd);
}

TEST(CorporateActionsEodhd, DividendsAsPaid) {
  auto out = expect_result(parse(providers::eodhd, actions(fetch_kind::dividends),
                                 read_fixture("eodhd/rest/div_AAPL.US.openapi_example.json")));
  ASSERT_EQ(out.actions.size(), 2u);
  auto& x = out.actions[0];
  EXPECT_EQ(date(x.ex_date_ns), "2012-08-09");
  EXPECT_EQ(date(x.pay_date_ns), "2012-08-16");
  EXPECT_EQ(x.amount, dec("2.6488")); // unadjustedValue, not the split-adjusted 0.0946
  EXPECT_EQ(x.currency, "USD");
}

TEST(CorporateActionsEodhd, FailureModes) {
  struct row {
    fetch_kind kind;
    const char* body;
  };
  const row rows[] = {
    {fetch_kind::splits, R"({"date":"2020-08-31"})"},
    {fetch_kind::splits, R"([{"date":"2020-08-31"}])"},
    {fetch_kind::splits, R"([{"date":"2020-08-31","split":"4.000000"}])"},
    {fetch_kind::splits, R"([{"date":"2020-08-31","split":"0/1"}])"},
    {fetch_kind::splits, R"([{"date":"08/31/2020","split":"4/1"}])"},
    {fetch_kind::dividends, R"([{"date":"2012-08-09"}])"},
    {fetch_kind::dividends, R"([{"date":"2012-08-09","value":-0.1}])"},
    {fetch_kind::dividends, R"([3])"},
    {fetch_kind::dividends, "garbage"},
  };
  for (auto& r : rows) {
    auto e = expect_error(parse(providers::eodhd, actions(r.kind), r.body));
    EXPECT_NE(e.code, errc::unknown_symbol) << r.body;
    EXPECT_FALSE(e.message.empty()) << r.body;
  }
}

// -- yahoo --------------------------------------------------------------------------

constexpr const char* yahoo_events =
  "yahoo/rest/v8_finance_chart_AAPL_1d_2020-08-31_2020-11-07_with_events.json";

TEST(CorporateActionsYahoo, ChartEvents) {
  auto body = read_fixture(yahoo_events);
  auto splits = expect_result(parse(providers::yahoo, actions(fetch_kind::splits), body));
  ASSERT_EQ(splits.actions.size(), 1u);
  // 1598880600 = 2020-08-31T13:30Z, the session open: that trading day.
  EXPECT_EQ(date(splits.actions[0].ex_date_ns), "2020-08-31");
  EXPECT_EQ(splits.actions[0].ex_date_ns % (86'400 * ns_per_s), 0);
  EXPECT_EQ(splits.actions[0].split_to, dec("4"));
  EXPECT_EQ(splits.actions[0].split_from, dec("1"));
  auto dividends = expect_result(parse(providers::yahoo, actions(fetch_kind::dividends), body));
  ASSERT_EQ(dividends.actions.size(), 1u);
  EXPECT_EQ(date(dividends.actions[0].ex_date_ns), "2020-11-06");
  EXPECT_EQ(dividends.actions[0].amount, dec("0.205"));
  EXPECT_EQ(dividends.actions[0].currency, "USD");
}

TEST(CorporateActionsYahoo, FailureModes) {
  auto body = read_fixture(yahoo_events);
  struct row {
    const char* from;
    const char* to;
  };
  // Edits of the recorded events, one per failure mode.
  const row rows[] = {
    {"\"numerator\":4", "\"numerator\":0"},
    {"\"numerator\":4", "\"numerator\":\"x\""},
    {"\"amount\":0.205", "\"amount\":-0.205"},
    {"\"amount\":0.205,", ""},
    {"\"splits\":{", "\"splits\":[{"},
  };
  for (auto& r : rows) {
    auto edited = body;
    auto at = edited.find(r.from);
    ASSERT_NE(at, std::string::npos) << r.from;
    edited.replace(at, std::string_view{r.from}.size(), r.to);
    auto kind = std::string_view{r.from}.find("amount") != std::string_view::npos
                  ? fetch_kind::dividends
                  : fetch_kind::splits;
    auto e = expect_error(parse(providers::yahoo, actions(kind), edited));
    EXPECT_FALSE(e.message.empty()) << r.to;
  }
  // Another symbol's chart.
  auto e = expect_error(
    parse(providers::yahoo, actions(fetch_kind::splits),
          read_fixture("yahoo/rest/v8_finance_chart_QQQ_1d_2020-01-01_2020-01-03.json")));
  EXPECT_EQ(e.code, errc::malformed);
}

} // namespace
} // namespace tickflow
