#pragma once

// The providers that publish market holidays, and how to ask them: the
// gateway refreshes the trading calendars from these
// (actors/gateway_calendar.cpp); the request goes through the provider's
// own REST actor (its host, key and curl client).

#include <string_view>
#include <vector>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/trading_calendar.hpp"
#include "pipeline/normalize/asset_class.hpp"

namespace tickflow {

/// One provider's holiday list.
struct holiday_source {
  asset_class cls = asset_class::equity; ///< the calendar its dates replace
  /// The request (the key added as the provider takes it).
  outbound_request (*request)(std::string_view api_key) = nullptr;
  /// The dates of a reply body (errors as the provider's parser says).
  result<std::vector<session_exception>> (*parse)(std::string_view body) = nullptr;
};

/// The holiday list of `p`, or nullptr when it publishes none
/// (Polygon/Massive: /v1/marketstatus/upcoming, NYSE, for equities).
const holiday_source* holiday_source_of(provider p) noexcept;

} // namespace tickflow
