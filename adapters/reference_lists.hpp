#pragma once

// The providers that publish their own instrument lists, and how to ask
// them: the gateway refreshes the instruments search's reference lists
// from these (actors/gateway_instruments.cpp), one page per request through
// the provider's own REST actor (its host, key and curl client).

#include <string_view>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/provider.hpp"
#include "pipeline/reference/reference_list.hpp"

namespace tickflow {

/// One provider's reference list.
struct reference_list_source {
  /// The request of a page: `page` "" is the first, else the `next` of the
  /// previous page (the key added as the provider takes it).
  result<outbound_request> (*request)(std::string_view page,
                                      std::string_view api_key) = nullptr;
  /// One page of rows from a reply body (errors as the provider's parser).
  result<reference_page> (*parse)(std::string_view body) = nullptr;
};

/// The reference list of `p`, or nullptr when it publishes none here:
/// Binance (spot GET /api/v3/exchangeInfo), Polygon/Massive (GET
/// /v3/reference/tickers), Massive futures (GET /futures/v1/contracts).
const reference_list_source* reference_list_of(provider p) noexcept;

} // namespace tickflow
