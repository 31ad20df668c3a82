#pragma once

#include <cstdint>
#include <string_view>

#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"
#include "pipeline/normalize/symbol_map.hpp"

namespace tickflow::simulator {

/// Parses one simulator frame (see simulator_feed.hpp for the format) and
/// appends the canonical event to `out` (trades get quality_synthetic).
/// Errors: errc::malformed (not JSON / not an object / unknown "e"),
/// errc::missing_field or errc::bad_number (context names the field),
/// errc::unknown_symbol (context is the provider symbol).
result<void> parse_frame(std::string_view frame, const symbol_map& symbols,
                         int64_t recv_ns, event_batch& out);

} // namespace tickflow::simulator
