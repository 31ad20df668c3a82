#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

/// What parse_frames() made of a batch of frames.
struct parse_tally {
  size_t rejected = 0; ///< frames that did not parse (skipped)
  error first_error;   ///< why the first of them did not (meaningless if none)
};

/// Parses every frame of `frames` into `out` with parse_frame, in order,
/// all received at `recv_ns`; a frame that does not parse is skipped and
/// counted, so one bad frame costs only itself.
parse_tally parse_frames(const std::vector<std::string>& frames,
                         const symbol_map& symbols, int64_t recv_ns,
                         event_batch& out);

} // namespace tickflow::simulator
