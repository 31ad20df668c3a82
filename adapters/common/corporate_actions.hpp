#pragma once

// Helpers the splits and dividends parsers of every provider share
// (polygon_actions, eodhd_actions, yahoo_events).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/corporate_action.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow {

/// 00:00Z of a "YYYY-MM-DD" date; errc::invalid_argument for anything else.
result<int64_t> parse_action_date(std::string_view text);

/// "YYYY-MM-DD" of ns (its UTC date).
std::string action_date_text(int64_t ns);

/// Sorts `xs` by date (splits before dividends on one day) and keeps those
/// dated in [start_ns, end_ns] (0: unbounded).
void keep_actions_in_range(std::vector<corporate_action>& xs, int64_t start_ns,
                           int64_t end_ns);

} // namespace tickflow
