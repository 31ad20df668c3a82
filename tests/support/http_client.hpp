#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/model/error.hpp"

namespace tickflow::test {

/// Header list as sent or received, in order.
using header_list = std::vector<std::pair<std::string, std::string>>;

/// One HTTP response as a test sees it.
struct http_reply {
  unsigned status = 0;
  unsigned version = 11;   ///< 10 or 11
  header_list headers;     ///< lowercase names, in order
  std::string body;
  bool keep_alive = false; ///< what the response says about the connection

  /// First header value named `name` (lowercase), or nullptr.
  const std::string* header(const std::string& name) const;
};

/// A synchronous HTTP/1.1 client over one loopback TCP connection, for tests.
/// Requests reuse the connection (keep-alive). Every network operation is
/// bounded by `timeout`, so a test never hangs. Not thread-safe: one per
/// thread.
class http_client {
 public:
  explicit http_client(uint16_t port,
                       std::chrono::milliseconds timeout
                       = std::chrono::seconds{5});
  ~http_client();

  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// Connects to 127.0.0.1:port (done by the first request otherwise).
  result<void> connect();

  /// Sends one request and reads its answer. Adds Host and, when there is
  /// a body, Content-Length.
  result<http_reply> request(const std::string& method,
                             const std::string& target, std::string body = {},
                             const header_list& headers = {},
                             unsigned version = 11);

  /// GET `target`.
  result<http_reply> get(const std::string& target);

  /// Sends bytes as they are (connects first if needed).
  result<void> send_raw(std::string_view bytes);

  /// Reads one answer; `head` when it answers a HEAD request (no body).
  result<http_reply> read_reply(bool head = false);

  /// Waits until the server closes the connection: true on EOF or reset,
  /// false if it is still open when the timeout passes. Data the server
  /// sends meanwhile is discarded.
  bool wait_closed();

  /// The local port of the connection (0 when not connected).
  uint16_t local_port() const;

  /// Closes the connection.
  void close();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// One request on a fresh connection, closed afterwards.
result<http_reply> http_once(uint16_t port, const std::string& method,
                             const std::string& target, std::string body = {},
                             const header_list& headers = {});

/// GET on a fresh connection.
result<http_reply> http_get(uint16_t port, const std::string& target);

class child_process;

/// Polls GET /ready on `port` until it answers 200 (true), the service exits
/// or `limit` passed (false).
bool wait_ready(uint16_t port, child_process& service,
                std::chrono::milliseconds limit = std::chrono::seconds{15});

} // namespace tickflow::test
