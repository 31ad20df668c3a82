#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "api/http_types.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::api {

/// Limits of the HTTP server.
struct http_server_options {
  size_t max_connections = 1024;
  int64_t request_timeout_ns = 5'000'000'000; ///< read + answer one request
  int64_t idle_timeout_ns = 60'000'000'000;   ///< keep-alive idle limit
  size_t max_header_bytes = 8192;
  size_t max_body_bytes = 1 << 20;
  /// Request bytes held unparsed at once: the head, a chunk-size line, the
  /// chunk trailers. Past it: 431 (head, trailers) or 413 (chunk-size line)
  /// and close. Taken as at least max_header_bytes and 4096.
  size_t max_read_buffer_bytes = 65536;
  /// Largest answer a connection holds unsent; a bigger one is replaced by
  /// 413 response_too_large.
  size_t max_response_bytes = 16 << 20;
  /// Answers held unsent by all connections together; an answer that would
  /// pass it is replaced by 503 unavailable (Retry-After: 1).
  size_t max_unsent_bytes = 256 << 20;
  /// Paths answered even when the process is over its memory budget
  /// (api/memory_budget.hpp); every other request then gets 503.
  std::vector<std::string> budget_exempt_paths;
};

/// HTTP/1.1 server with keep-alive (Boost.Beast) on a caller-run io_context.
/// Malformed or ambiguously framed requests (api/http_framing.hpp) get a JSON
/// 400 and never reach the handler; requests over the limits get 431/413;
/// connections over max_connections get 503. A connection reads its next
/// request only once its previous answer is written, so it holds at most one
/// unsent answer; answers are bounded per connection and in total.
class http_server {
 public:
  http_server(boost::asio::io_context& ioc, http_server_options opts,
              request_handler handler);
  ~http_server();

  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds and starts accepting. port 0 picks a free port.
  /// errc::unavailable with the reason when the address cannot be bound.
  result<void> listen(const std::string& address, uint16_t port);

  /// The bound port (after listen).
  uint16_t port() const;

  /// Stops accepting and closes every connection (call on the I/O thread or
  /// before the io_context runs).
  void stop();

  /// Open connections right now (approximate; for stats).
  size_t connections() const;

  /// Bytes of answers held unsent right now, all connections (for stats).
  size_t unsent_bytes() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace tickflow::api
