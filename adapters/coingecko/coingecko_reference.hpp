#pragma once

// CoinGecko coin data (the crypto profile):
//   profile  GET /api/v3/coins/{id}?localization=false&tickers=false
//                &market_data=true&community_data=false&developer_data=false
//                &sparkline=false
// Documents come from json::parse_with_number_text, so market figures keep
// their text (CoinGecko sends JSON floats).

#include <cstdint>
#include <string_view>

#include <rapidjson/document.h>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/reference.hpp"

namespace tickflow::coingecko {

/// GET /api/v3/coins/{id} with the flags above (no key handling: the
/// adapter adds its key header).
outbound_request coin_request(std::string_view id);

/// GET /api/v3/coins/{id} (trimmed):
///   {"id":"bitcoin","symbol":"btc","name":"Bitcoin",
///    "categories":["Cryptocurrency","Layer 1 (L1)"],
///    "description":{"en":"Bitcoin is ..."},
///    "links":{"homepage":["http://www.bitcoin.org","",""]},
///    "image":{"thumb":"...","small":"...","large":"https://...png"},
///    "country_origin":"","genesis_date":"2009-01-03",
///    "market_data":{"current_price":{"usd":67187.34},
///      "market_cap":{"usd":1322317764935.16},
///      "circulating_supply":19675962.0}}
/// The profile: name, description (English), homepage (first non-empty),
/// logo (image large, else small, else thumb), ipo_date (genesis date),
/// sector (first category), country (country_origin), market_cap in `vs`
/// (market_data.market_cap[vs]), shares_outstanding (circulating supply),
/// currency `vs` upper-cased, asset_type "crypto". Any of them may be
/// absent or null. An "id" other than `id` is errc::malformed; a wrong JSON
/// type errc::malformed; a number that is not exact errc::bad_number. (An
/// unknown id is {"error":"coin not found"}: parse_error_body.)
result<asset_profile> parse_coin(const rapidjson::Value& doc, std::string_view id,
                                 std::string_view vs, std::string_view instrument,
                                 int64_t recv_ns);

} // namespace tickflow::coingecko
