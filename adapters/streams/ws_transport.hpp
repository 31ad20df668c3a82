#pragma once

// One outgoing WebSocket connection (websocketpp over Boost.Asio) on its own
// I/O thread: ws:// in plain TCP, wss:// over OpenSSL with certificate and
// host name verification. It only moves bytes: every event goes out through
// a callback, called on the I/O thread, which must copy what it needs and
// return (the stream actor anon_sends it to itself). websocketpp itself is
// confined to ws_transport.cpp, the one costly translation unit.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tickflow {

/// Settings of one connection.
struct ws_transport_options {
  std::string url;                ///< "ws://127.0.0.1:9/stream" or "wss://host:443/path"
  size_t max_frame_bytes = 1 << 20; ///< bigger text frames are counted and skipped
  /// A frame bigger than this many times max_frame_bytes is not even read:
  /// websocketpp closes the connection (1009), the caller reconnects.
  size_t hard_limit_factor = 8;
  int64_t open_timeout_ns = 10'000'000'000;  ///< TCP + TLS + HTTP upgrade
  int64_t close_timeout_ns = 1'000'000'000;  ///< close handshake
  std::string ca_file; ///< wss: PEM file of trusted CAs ("" = system store)
  std::string user_agent = "tickflow";
};

/// What the connection reports, each on the I/O thread. Every callback is
/// optional.
struct ws_transport_callbacks {
  std::function<void()> on_open;
  /// A text frame and its receive time (UTC ns).
  std::function<void(std::string frame, int64_t recv_ns)> on_text;
  /// A binary frame (no provider sends one): skipped, its size reported.
  std::function<void(size_t bytes)> on_binary;
  /// A text frame over max_frame_bytes: skipped, its size reported.
  std::function<void(size_t bytes)> on_oversize;
  /// A ping or pong frame from the server: the link is alive.
  std::function<void(int64_t recv_ns)> on_heartbeat;
  /// The connection is gone (or never opened): why, without secrets.
  /// Called once, after which no other callback runs.
  std::function<void(std::string reason)> on_closed;
};

/// One connection. Starts connecting at construction; the destructor closes
/// it (close handshake bounded by close_timeout) and joins the I/O thread.
/// A transport is never reused: reconnecting means a new one.
class ws_transport {
 public:
  /// `redact` lists substrings of the URL (keys in the query) that never
  /// appear in a reason or a log line.
  ws_transport(ws_transport_options opts, ws_transport_callbacks cbs,
               std::vector<std::string> redact = {});
  ~ws_transport();

  ws_transport(const ws_transport&) = delete;
  ws_transport& operator=(const ws_transport&) = delete;

  /// Queues a text frame for sending; thread-safe. False when the connection
  /// is not open (the frame is dropped).
  bool send(std::string text);

  /// Starts a close handshake with `code`; thread-safe. on_closed follows.
  void close(uint16_t code = 1000, std::string reason = {});

  /// True between on_open and on_closed.
  bool is_open() const noexcept;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

/// Replaces every occurrence of each secret in `text` with "***".
std::string redact_secrets(std::string text,
                           const std::vector<std::string>& secrets);

} // namespace tickflow
