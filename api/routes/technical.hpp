#pragma once

// GET /api/v1/technical/{symbol}: technical indicators computed from
// tickflow's own bars (docs/API.md "Technical indicators"): the query, the
// bars to read for it (with each indicator's warm-up) and the body.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_error.hpp"
#include "api/http_types.hpp"
#include "api/routes/data.hpp"
#include "pipeline/indicators/indicator_spec.hpp"
#include "pipeline/model/trading_calendar.hpp"
#include "pipeline/topology/indicators_settings.hpp"

namespace tickflow::api {

/// Indicators one request may ask for.
inline constexpr size_t max_indicators = 16;

/// What a request asked for, checked.
struct technical_query {
  std::string instrument;
  interval span = interval::d1;
  std::vector<indicators::indicator_spec> specs; ///< distinct, in order asked
  int64_t start_ns = 0; ///< 0: the newest `limit` bars
  int64_t end_ns = 0;   ///< 0: up to now
  size_t limit = 100;
};

/// The query of GET /api/v1/technical/{symbol}; `symbol` is the path
/// segment. indicator= takes comma lists and repeats; period, fast, slow,
/// signal, k, bars_per_year tune them; interval (default 1d), start, end,
/// limit as for ohlcv within [indicators] max-period / max-bars.
api_result<technical_query> parse_technical_query(const http_request& req,
                                                  std::string_view symbol,
                                                  const indicators_settings& cfg);

/// The bars to read for a query: the asked range plus the warm-up.
struct technical_read {
  ohlcv_query bars;  ///< down the read path of /ohlcv
  int64_t from_ns = 0; ///< bars before this one are not used
  int64_t to_ns = 0;   ///< nor after this one
};

/// The read for `q` at `now_ns`: each indicator's warmup() plus half again
/// and 2 slots of margin before the first answered bar, counted in the
/// trading slots of `cal` (null: every slot), so a weekend, a holiday or a
/// night before start= leaves no warm-up bar missing. 400 when that is more
/// than [indicators] max-bars.
api_result<technical_read> plan_technical_read(const technical_query& q,
                                               const indicators_settings& cfg,
                                               int64_t now_ns,
                                               const trading_calendar* cal = nullptr);

/// The body, from the bars the read path delivered (`source` answered
/// them). Only closed bars in [from_ns, to_ns] count. When fewer bars than
/// the warm-up exist before the first answered bar, "missing_bars" says so
/// and the values that can be computed are answered.
std::string technical_body(const technical_query& q, const std::string& source,
                           std::vector<bar> delivered, int64_t from_ns,
                           int64_t to_ns);

/// 404 disabled: [indicators] enabled = false.
http_response technical_disabled();

} // namespace tickflow::api
