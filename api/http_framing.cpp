#include "api/http_framing.hpp"

namespace tickflow::api {

namespace {

/// `s` without leading and trailing blanks (OWS: space and tab).
std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool is_chunked(std::string_view value) noexcept {
  constexpr std::string_view chunked = "chunked";
  value = trim_ows(value);
  if (value.size() != chunked.size())
    return false;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    if (c != chunked[i])
      return false;
  }
  return true;
}

} // namespace

std::optional<std::string_view> framing_problem(const request_framing& f) noexcept {
  if (f.host_fields > 1)
    return "more than one Host header";
  if (f.version >= 11 && f.host_fields == 0)
    return "an HTTP/1.1 request without a Host header";
  if (f.transfer_encoding_fields == 0)
    return std::nullopt;
  if (f.version < 11)
    return "Transfer-Encoding in an HTTP/1.0 request";
  if (f.content_length)
    return "both Transfer-Encoding and Content-Length";
  if (f.transfer_encoding_fields > 1 || !is_chunked(f.transfer_encoding))
    return "a Transfer-Encoding other than chunked";
  return std::nullopt;
}

} // namespace tickflow::api
