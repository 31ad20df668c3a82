#pragma once

// A blocking HTTP client over one libcurl easy handle. The provider actor
// that owns it calls perform() and parses the reply with its rest_adapter.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {

/// Settings of one curl_client.
struct curl_options {
  /// Whole transfer (connect, send, wait, receive); 0 = no limit.
  int64_t timeout_ns = 10 * ns_per_s;
  /// TCP (and TLS) connect; 0 = libcurl's default (300 s).
  int64_t connect_timeout_ns = 3 * ns_per_s;
  /// Largest decoded body accepted; a larger one fails the fetch.
  size_t max_body_bytes = 16 * 1024 * 1024;
  /// Sent as User-Agent.
  std::string user_agent = "tickflow/" TICKFLOW_VERSION;
};

/// A reply of any status, or a transport failure (errc::unavailable, or
/// errc::invalid_argument for a request that cannot be sent).
using http_outcome = std::variant<http_reply, fetch_error>;

/// One libcurl easy handle, so consecutive requests to a host reuse the
/// connection. Not thread-safe: one per provider actor. Redirects are not
/// followed (a 3xx comes back as a reply); gzip/deflate are accepted and
/// decoded; header names come back lowercase. Error messages name the
/// request by its redacted_url() only, never a secret.
class curl_client {
 public:
  /// Creates the easy handle (libcurl is initialised once per process).
  explicit curl_client(curl_options opts = {});
  /// Closes the handle and its connections.
  ~curl_client();

  /// Takes over the handle and its live connections.
  curl_client(curl_client&& other) noexcept;
  /// Closes this handle and takes over `other`'s.
  curl_client& operator=(curl_client&& other) noexcept;
  curl_client(const curl_client&) = delete;
  curl_client& operator=(const curl_client&) = delete;

  /// Sends `req` to `base_url` ("http://127.0.0.1:8080") and waits for the
  /// whole reply. Never throws. Failures (all errc::unavailable):
  ///   "timeout after N ms", "connect timeout after N ms",
  ///   "response body exceeds N bytes", "connection failed: ...",
  ///   "cannot resolve host: ...", "truncated response body: ...",
  ///   "empty reply from server", "invalid HTTP response: ...",
  ///   each followed by " (<METHOD> <redacted url>)". errc::invalid_argument
  ///   when the request cannot be sent: a base URL that is not "http://" or
  ///   "https://", a method or header with CR/LF, a malformed URL.
  http_outcome perform(const outbound_request& req, std::string_view base_url);

  /// Wall time of the last perform() (name lookup to last byte), in ns.
  int64_t last_total_time_ns() const noexcept { return last_total_time_ns_; }

  /// The settings every perform() uses.
  const curl_options& options() const noexcept { return opts_; }

 private:
  curl_options opts_;
  void* handle_ = nullptr; // CURL*
  int64_t last_total_time_ns_ = 0;
};

} // namespace tickflow
