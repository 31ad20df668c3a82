#pragma once

// GET /api/v1/corporate-actions?symbol=&start=&end=&provider=: the splits
// and dividends the providers publish (docs/API.md "Corporate actions"), so
// a consumer can adjust a series itself. Pure: the query, the merge of the
// providers' answers and the body; actors/gateway_corporate_actions wires.

#include <cstdint>
#include <string>
#include <vector>

#include "api/api_error.hpp"
#include "api/http_types.hpp"
#include "pipeline/model/corporate_action.hpp"
#include "pipeline/normalize/symbol_resolver.hpp"

namespace tickflow::api {

/// The query.
struct corporate_actions_query {
  std::string instrument; ///< canonical (symbol= resolved)
  std::string requested;  ///< symbol= as written
  std::string provider;   ///< provider=, "" when absent
  int64_t start_ns = 0;   ///< 0: from the first one the provider has
  int64_t end_ns = 0;     ///< 0: to the last; a date is the whole day
};

/// symbol= required (400 missing_parameter "symbol"); start/end as on
/// /ohlcv (400 "start"/"end"); provider= a known provider.
api_result<corporate_actions_query> parse_corporate_actions_query(
  const http_request& req, const symbol_resolver& symbols = shape_resolver());

/// The splits and the dividends, each as its provider answered, in one
/// list: by date (splits before dividends on one day), one per kind and
/// date (the first of two the same day).
std::vector<corporate_action> merge_actions(std::vector<corporate_action> splits,
                                            const std::vector<corporate_action>& dividends);

/// Who answered each kind ("" when nobody had any).
struct actions_sources {
  std::string splits;
  std::string dividends;
};

/// {"instrument":"AAPL","requested":"aapl","start":..|null,"end":..|null,
///  "count":2,"actions":[
///   {"type":"split","date":"2020-08-31","split_to":"4","split_from":"1",
///    "ratio":"4:1","provider":"polygon"},
///   {"type":"dividend","date":"2020-11-06","amount":"0.205",
///    "currency":"USD","pay_date":null,"provider":"yahoo"}],
///  "sources":{"splits":"polygon","dividends":"yahoo"}}
/// Dates are "YYYY-MM-DD" (the day it takes effect: a split's execution
/// date, a dividend's ex-date); amounts as paid, per share.
std::string corporate_actions_body(const corporate_actions_query& q,
                                   const std::vector<corporate_action>& actions,
                                   const actions_sources& from);

} // namespace tickflow::api
