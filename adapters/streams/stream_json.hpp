#pragma once

// Small helpers the stream dialects share: JSON text building and safe
// quoting of provider text in error contexts.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/streams/stream_protocol.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::stream_detail {

/// The checks every text frame passes before JSON parsing: at most
/// max_stream_frame_bytes, and no NUL byte (RapidJSON would take one as the
/// end of the text and accept what follows unread). errc::malformed.
result<void> check_frame(std::string_view frame);

/// `s` as a JSON string literal, quotes included (append_json_string).
std::string json_string(std::string_view s);

/// At most `max` bytes of `s` with anything outside printable ASCII as '?',
/// for error contexts and log lines (frames may hold any bytes).
std::string printable(std::string_view s, size_t max = 32);

/// Unix ms -> ns; nullopt-like false when negative or beyond int64 ns.
bool ms_to_ns(int64_t ms, int64_t& ns) noexcept;

/// `e` with `where` in front of its context.
error at(std::string_view where, const error& e);

/// The provider's name of every subscription (`name_of(sub)` ->
/// result<std::string>), in order, each once; the first error stops it.
template <class NameOf>
result<std::vector<std::string>>
unique_names(const std::vector<stream_subscription>& subs, NameOf name_of) {
  std::vector<std::string> names;
  names.reserve(subs.size());
  for (const auto& s : subs) {
    result<std::string> n = name_of(s);
    if (!n)
      return n.err();
    bool seen = false;
    for (const auto& m : names)
      seen = seen || m == *n;
    if (!seen)
      names.push_back(std::move(*n));
  }
  return names;
}

} // namespace tickflow::stream_detail
