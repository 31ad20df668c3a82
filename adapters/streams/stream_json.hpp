#pragma once

// Small helpers the stream dialects share: JSON text building and safe
// quoting of provider text in error contexts.

#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/streams/stream_protocol.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::stream_detail {

/// The checks every text frame passes before JSON parsing: at most
/// max_stream_frame_bytes, and no NUL byte (RapidJSON would take one as the
/// end of the text and accept what follows unread). errc::malformed.
result<void> check_frame(std::string_view frame);

/// `s` as a JSON string literal, quotes included.
std::string json_string(std::string_view s);

/// At most `max` bytes of `s` with anything outside printable ASCII as '?',
/// for error contexts and log lines (frames may hold any bytes).
std::string printable(std::string_view s, size_t max = 32);

/// Unix ms -> ns; nullopt-like false when negative or beyond int64 ns.
bool ms_to_ns(int64_t ms, int64_t& ns) noexcept;

/// `e` with `where` in front of its context.
error at(std::string_view where, const error& e);

} // namespace tickflow::stream_detail
