#pragma once

// Binance's reference lists for the instruments search: the spot
// exchangeInfo (GET /api/v3/exchangeInfo) and the USD-M futures one
// (GET /fapi/v1/exchangeInfo), both parsed by binance::parse_exchange_info,
// turned into provider-neutral rows (pipeline/reference/reference_list).

#include <string_view>
#include <vector>

#include "adapters/binance/binance_symbols.hpp"
#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/reference/reference_list.hpp"

namespace tickflow::binance {

/// The USD-M futures exchangeInfo path (on the futures host).
inline constexpr std::string_view futures_exchange_info_path = "/fapi/v1/exchangeInfo";

/// GET /fapi/v1/exchangeInfo (all USD-M symbols; the key header when set).
outbound_request build_futures_exchange_info_request(const credentials& cred);

/// The rows of an exchangeInfo symbol table: the symbols whose status is
/// TRADING, each as "BASE-QUOTE" (from baseAsset and quoteAsset, so no
/// quote list is guessed), crypto, with PRICE_FILTER tickSize and LOT_SIZE
/// stepSize (zero when the symbol has no such filter).
std::vector<reference_instrument> reference_rows(const std::vector<symbol_info>& table);

/// A spot or USD-M exchangeInfo body as one page of rows (no next page);
/// errors as parse_exchange_info.
result<reference_page> parse_reference_list(std::string_view body);

} // namespace tickflow::binance
