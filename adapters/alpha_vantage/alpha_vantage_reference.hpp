#pragma once

// Alpha Vantage company overview (fundamentals):
//   profile  GET /query?function=OVERVIEW&symbol=S&apikey=KEY
// Every value is a JSON string, numbers included ("21.3621"); a value the
// provider does not have is "None", "-", "N/A" or "" and is left unset.
// Documents come from json::parse_with_number_text (json_number.hpp).

#include <cstdint>
#include <string_view>

#include <rapidjson/document.h>

#include "pipeline/model/error.hpp"
#include "pipeline/model/reference.hpp"

namespace tickflow::alpha_vantage {

/// True for the texts Alpha Vantage writes for a missing value: "None",
/// "-", "N/A" and "" (any surrounding blanks ignored).
bool is_missing_value(std::string_view text) noexcept;

/// function=OVERVIEW (trimmed; about 50 fields, all strings):
///   {"Symbol":"IBM","AssetType":"Common Stock",
///    "Name":"International Business Machines Corporation",
///    "Description":"...","Exchange":"NYSE","Currency":"USD","Country":"USA",
///    "Sector":"Technology","Industry":"Information Technology Services",
///    "MarketCapitalization":"118982033408","PERatio":"21.3621",
///    "EPS":"6.233","DividendYield":"0.0489","Beta":"1.2454",
///    "52WeekHigh":"137.07","52WeekLow":"103.0292",
///    "SharesOutstanding":"893593984","OfficialSite":"https://www.ibm.com"}
/// (OfficialSite is newer than the recorded sample.) Every field may be
/// absent or a missing-value text. AssetType "Common Stock" -> "equity",
/// "ETF" -> "etf", others lowercased. An unknown symbol answers {}:
/// errc::unknown_symbol. A Symbol other than `symbol` (case-insensitive) is
/// errc::malformed; a number field holding other text errc::bad_number; a
/// non-string field errc::malformed. Error bodies ("Note", "Information",
/// "Error Message") are classified before, by parse_error_body.
result<asset_profile> parse_overview(const rapidjson::Value& doc, std::string_view instrument,
                                     std::string_view symbol, int64_t recv_ns);

} // namespace tickflow::alpha_vantage
