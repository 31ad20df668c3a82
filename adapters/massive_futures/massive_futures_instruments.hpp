#pragma once

// Massive futures contracts as a reference list for the instruments search
// (pipeline/reference/reference_list): GET /futures/v1/contracts, paged by
// next_url, parsed by massive_futures::parse_contracts.

#include <string_view>
#include <vector>

#include "adapters/common/rest_adapter.hpp"
#include "adapters/massive_futures/massive_futures_parse.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/reference/reference_list.hpp"

namespace tickflow::massive_futures {

/// The path of the contract list.
inline constexpr std::string_view contracts_path = "/futures/v1/contracts";

/// GET /futures/v1/contracts?active=true&apiKey=KEY
outbound_request contracts_request(std::string_view api_key);

/// The rows of a page: the active contracts, each its ticker ("ESZ4"),
/// futures, with trade_tick_size (exact, zero when absent); no lot size.
std::vector<reference_instrument> reference_rows(const page<futures_contract>& p);

/// A body as a page of rows. The next page is next_url's path and query
/// when it stays under "/futures/" and names contracts: the published
/// example's next_url points at /futures/vX/contracts although it answers
/// /futures/v1/contracts. Errors as parse_contracts.
result<reference_page> parse_reference_list(std::string_view body);

/// The request of a page: "" the first, else a path parse_reference_list
/// returned (the key added again).
result<outbound_request> reference_list_request(std::string_view page,
                                                std::string_view api_key);

} // namespace tickflow::massive_futures
