#include "adapters/streams/stream_json.hpp"

#include <limits>

#include "pipeline/model/json_string.hpp"

namespace tickflow::stream_detail {

result<void> check_frame(std::string_view frame) {
  if (frame.size() > max_stream_frame_bytes)
    return error{errc::malformed, "frame of " + std::to_string(frame.size())
                                    + " bytes is above the limit"};
  if (auto nul = frame.find('\0'); nul != std::string_view::npos)
    return error{errc::malformed,
                 "NUL byte at offset " + std::to_string(nul)};
  return {};
}

std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

std::string printable(std::string_view s, size_t max) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max; ++i) {
    char c = s[i];
    out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  if (s.size() > max)
    out.append("...");
  return out;
}

bool ms_to_ns(int64_t ms, int64_t& ns) noexcept {
  constexpr int64_t max_ms = std::numeric_limits<int64_t>::max() / ns_per_ms;
  if (ms < 0 || ms > max_ms)
    return false;
  ns = ms * ns_per_ms;
  return true;
}

error at(std::string_view where, const error& e) {
  return error{e.code, std::string{where} + e.context};
}

} // namespace tickflow::stream_detail
