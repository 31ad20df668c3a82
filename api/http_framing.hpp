#pragma once

// The checks the HTTP server makes on a request head before it reads any
// body: what RFC 9112 says must be refused with 400 and a close, because two
// parties (a proxy and us) could otherwise disagree on where the request
// ends (request smuggling).

#include <cstddef>
#include <optional>
#include <string_view>

namespace tickflow::api {

/// What a request head says about its own framing.
struct request_framing {
  unsigned version = 11;                ///< 10 (HTTP/1.0) or 11 (HTTP/1.1)
  size_t host_fields = 0;               ///< Host header lines
  size_t transfer_encoding_fields = 0;  ///< Transfer-Encoding header lines
  std::string_view transfer_encoding;   ///< value of the first of them
  bool content_length = false;          ///< a Content-Length is present
};

/// Why the request cannot be framed without ambiguity (the server answers
/// 400 and closes), or nullopt. Refused, in this order:
///   - more than one Host line (RFC 9112 3.2);
///   - HTTP/1.1 without Host (3.2);
///   - Transfer-Encoding on HTTP/1.0 (6.1: its framing is faulty);
///   - Transfer-Encoding together with Content-Length (6.3);
///   - Transfer-Encoding other than exactly the token `chunked`
///     (case-insensitive, optional blanks around it): `chunked, identity`,
///     `identity`, `xchunked`, `gzip`, an empty value or two lines (6.3: the
///     length cannot be determined).
/// The reasons are static text: nothing is allocated.
std::optional<std::string_view> framing_problem(const request_framing& f) noexcept;

} // namespace tickflow::api
