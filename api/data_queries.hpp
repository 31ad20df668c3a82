#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "api/api_error.hpp"
#include "api/http_types.hpp"
#include "pipeline/model/interval.hpp"

namespace tickflow::api {

/// GET /api/v1/data/price?symbol=BTC-USDT
struct price_query {
  std::string instrument; ///< canonical (input is upper-cased and trimmed)
  std::string provider;   ///< provider= (lowercased), "" when absent
};

/// GET /api/v1/data/ohlcv?symbol=&interval=&limit=&start=&end=
struct ohlcv_query {
  std::string instrument;
  std::string provider;         ///< provider=, "" when absent
  interval span = interval::m1; ///< default 1m
  size_t limit = 100;           ///< 1..5000, default 100
  int64_t start_ns = 0;         ///< 0: unbounded
  int64_t end_ns = 0;           ///< 0: unbounded
  bool validate = false;        ///< validate=true: each bar carries its findings
};

/// GET /api/v1/data/quarantine?symbol=&limit=
struct quarantine_query {
  std::string instrument; ///< "" = every instrument
  size_t limit = 50;      ///< 1..1000
};

/// GET /api/v1/data/quality?symbol=
struct quality_query {
  std::string instrument; ///< "" = overall
};

/// symbol optional (canonical when given), limit 1..1000 (default 50).
api_result<quarantine_query> parse_quarantine_query(const http_request& req);

/// symbol optional (canonical when given).
api_result<quality_query> parse_quality_query(const http_request& req);

/// provider= must name a known provider (400 invalid_parameter "provider").
/// Missing symbol: 400 missing_parameter field "symbol"; a symbol that is not
/// a canonical id after upper-casing: 400 invalid_parameter field "symbol".
api_result<price_query> parse_price_query(const http_request& req);

/// As above, plus: bad interval -> 400 invalid_parameter "interval"; limit not
/// an integer in 1..5000 -> 400 "limit"; unparsable start/end or start > end ->
/// 400 "start"/"end" (timestamps via parse_timestamp); validate not
/// true/false/1/0 -> 400 "validate".
api_result<ohlcv_query> parse_ohlcv_query(const http_request& req);

} // namespace tickflow::api
