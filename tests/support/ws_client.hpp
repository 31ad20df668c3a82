#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace tickflow::test {

/// A blocking WebSocket test client (websocketpp over Boost.Asio) that runs
/// its own I/O thread. Every wait has a timeout, so a test never hangs.
/// Not thread-safe: use one instance from one test thread.
class ws_client {
 public:
  using milliseconds = std::chrono::milliseconds;

  ws_client();
  /// Closes the connection (if open) and joins the I/O thread.
  ~ws_client();

  ws_client(const ws_client&) = delete;
  ws_client& operator=(const ws_client&) = delete;

  /// Connects to `url` ("ws://127.0.0.1:8080/api/v1/stream") and waits for
  /// the handshake. False when it fails or times out; see error() and
  /// http_status(). One connection per instance.
  bool connect(const std::string& url, milliseconds timeout = milliseconds{5000});

  /// Sends one text frame. False when not open.
  bool send(const std::string& text);

  /// Sends one binary frame. False when not open.
  bool send_binary(const std::string& bytes);

  /// The next received message, or nullopt after `timeout`.
  std::optional<std::string> receive(milliseconds timeout = milliseconds{2000});

  /// Waits until the connection is closed; the close code the server sent
  /// (1005 when it sent none), or nullopt if still open after `timeout`.
  std::optional<uint16_t> wait_closed(milliseconds timeout = milliseconds{2000});

  /// Starts a close handshake with `code` and waits up to `timeout` for it.
  void close(uint16_t code = 1000, const std::string& reason = {},
             milliseconds timeout = milliseconds{2000});

  /// True between a successful connect and the close.
  bool is_open() const;

  /// HTTP status of the handshake response (101 on success, 404, 503, ...;
  /// 0 when none arrived).
  int http_status() const;

  /// Body of a rejected handshake response.
  std::string http_body() const;

  /// Why connect failed (empty on success).
  std::string error() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace tickflow::test
