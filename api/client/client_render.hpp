#pragma once

// Renders API response bodies for a terminal: aligned tables or CSV.
// Unknown or missing fields render as "-", never as a failure.

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/error.hpp"

namespace tickflow::client {

/// Columns padded to their widest cell, separated by two blanks.
std::string format_table(const std::vector<std::vector<std::string>>& rows);

/// RFC 4180 CSV: cells with a comma, quote or line break are quoted.
std::string format_csv(const std::vector<std::vector<std::string>>& rows);

/// Rows (header first) of price bodies: symbol, price, time, source, freshness.
result<std::vector<std::vector<std::string>>>
price_rows(const std::vector<std::string>& bodies);

/// Rows (header first) of an ohlcv body: time, open, high, low, close, volume,
/// trades, closed.
result<std::vector<std::vector<std::string>>> ohlcv_rows(std::string_view body);

/// Rows (header first) of a providers body: name, enabled, status, requests,
/// failures, last error.
result<std::vector<std::vector<std::string>>> providers_rows(std::string_view body);

/// Rows (header first) of a jobs body: name, schedule, last run, result,
/// next run.
result<std::vector<std::vector<std::string>>> jobs_rows(std::string_view body);

/// The "message" of an error body ({"error":{"code":..,"message":..}}), or
/// the body itself when it is not one.
std::string error_message(std::string_view body);

/// A JSON body re-indented for reading (2 blanks); the text as is if it is not JSON.
std::string pretty_json(std::string_view body);

} // namespace tickflow::client
