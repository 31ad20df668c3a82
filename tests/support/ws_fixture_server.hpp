#pragma once

// A loopback WebSocket server for stream tests: it stands in for a
// provider's live endpoint. The test drives it: it sends the fixture frames
// (text, binary, oversized, pings), drops or closes connections, and reads
// what the clients sent (subscribe messages). An optional responder answers
// client frames at once (Binance {"result":null,"id":N}, Polygon auth).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tickflow::test {

/// A text frame a client sent.
struct ws_received {
  size_t connection = 0; ///< 1-based number of the connection it came on
  std::string text;
  std::chrono::steady_clock::time_point at; ///< when it arrived
};

/// The server: 127.0.0.1, ephemeral port, its own I/O thread, from
/// construction until destruction. Thread-safe.
class ws_fixture_server {
 public:
  using milliseconds = std::chrono::milliseconds;
  /// Frames to send back for a client frame (may be empty).
  using responder = std::function<std::vector<std::string>(const std::string&)>;

  ws_fixture_server();
  ~ws_fixture_server();

  ws_fixture_server(const ws_fixture_server&) = delete;
  ws_fixture_server& operator=(const ws_fixture_server&) = delete;

  uint16_t port() const noexcept;

  /// "ws://127.0.0.1:<port>"
  std::string url() const;

  /// Answers every client text frame with responder(frame), on the I/O thread.
  void set_responder(responder r);

  /// Connections opened so far.
  size_t connection_count() const;

  /// Connections open now.
  size_t open_count() const;

  /// The request target ("/stream") of the newest connection.
  std::string last_resource() const;

  /// Every text frame clients sent, in arrival order.
  std::vector<ws_received> received() const;

  /// Sends a text frame to the newest open connection; false when none is.
  bool send_text(const std::string& text);

  /// Sends a binary frame to the newest open connection.
  bool send_binary(const std::string& bytes);

  /// Sends a ping frame to the newest open connection.
  bool send_ping(const std::string& payload = {});

  /// Cuts every open connection without a close frame (as a crash or a
  /// network failure would).
  void drop();

  /// Closes every open connection with a close handshake.
  void close_all(uint16_t code = 1001, const std::string& reason = "going away");

  /// Waits until `pred` holds (checked every few ms); false after `timeout`.
  static bool wait_until(const std::function<bool()>& pred,
                         milliseconds timeout = milliseconds{5000});

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace tickflow::test
