#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "pipeline/model/error.hpp"

namespace tickflow::api {

/// Bytes a queued control frame (a pong) counts as in a client's unsent
/// bytes, whatever its payload: about what websocketpp holds for it.
inline constexpr size_t control_frame_cost = 256;

/// Opaque handle of one WebSocket client (a weak reference: it never keeps a
/// closed connection alive). Copyable, safe to hold in another thread.
using ws_client = std::weak_ptr<void>;

/// A text frame built once (header and payload) and shared by every client it
/// is sent to: server frames are unmasked, so one prepared frame serves all
/// connections without a per-client copy. Immutable; cheap to copy.
class ws_frame {
 public:
  /// An empty placeholder: sending it does nothing.
  ws_frame() = default;
  /// Takes the text (no copy when it is moved in).
  explicit ws_frame(std::string text);

  /// Payload size in bytes.
  size_t size() const noexcept { return size_; }

 private:
  friend class ws_server;
  std::shared_ptr<void> msg_; ///< the prepared websocketpp message
  size_t size_ = 0;
};

/// Limits of the WebSocket server.
struct ws_server_options {
  std::string path = "/api/v1/stream"; ///< the only path that upgrades
  size_t max_clients = 1000;
  size_t max_message_bytes = 65536;    ///< bigger client frames close the client (1009)
  /// Pongs queued for a client and not yet written (it pings and does not
  /// read); one more closes it with 1008 ("too many unanswered pings").
  size_t max_control_frames = 128;
  /// A client heard nothing from (no frame, ping or pong) for this long gets
  /// a WebSocket ping; 0: no pings.
  int64_t ping_interval_ns = 0;
  /// A client heard nothing from for this long is closed with 1001 ("idle
  /// timeout"); 0: never. Checked every ping_interval (or every second
  /// without pings).
  int64_t idle_timeout_ns = 0;
};

/// Callbacks, all on the I/O thread; they must not block (hand off instead).
struct ws_callbacks {
  std::function<void(uint64_t id, ws_client client)> on_open;
  std::function<void(uint64_t id, std::string text)> on_message;
  std::function<void(uint64_t id)> on_close;
};

/// WebSocket server (websocketpp over Boost.Asio) on a caller-run io_context.
/// A GET on any other path answers 404; /health on this port answers 200.
/// Only RFC 6455 is spoken: an upgrade with a Sec-WebSocket-Version other
/// than 13 (or none: Hixie-76) is answered 426 with Sec-WebSocket-Version: 13.
/// A frame length not minimally encoded closes with 1002.
///
/// Unsent bytes of a client (buffered_bytes, enqueue) count the payload of
/// every queued frame plus control_frame_cost for each queued pong, so a
/// client that pings and never reads is seen by a slow-consumer check too.
class ws_server {
 public:
  ws_server(boost::asio::io_context& ioc, ws_server_options opts,
            ws_callbacks callbacks);
  ~ws_server();

  ws_server(const ws_server&) = delete;
  ws_server& operator=(const ws_server&) = delete;

  /// Binds and starts accepting; port 0 picks a free port.
  result<void> listen(const std::string& address, uint16_t port);
  uint16_t port() const;

  /// Sends one text frame. Thread-safe. False when the client is gone.
  bool send(const ws_client& client, const std::string& text);

  /// Sends a prepared frame (see ws_frame). Thread-safe. False when the
  /// client is gone.
  bool send(const ws_client& client, const ws_frame& frame);

  /// Sends a prepared frame and returns the bytes queued for the client but
  /// not yet written, this frame included; nullopt when the client is gone
  /// or closing. Thread-safe.
  std::optional<size_t> enqueue(const ws_client& client, const ws_frame& frame);

  /// Bytes queued for the client but not yet written, pongs counted as
  /// control_frame_cost each (0 when gone). Thread-safe.
  size_t buffered_bytes(const ws_client& client);

  /// Closes one client with a code and reason. Thread-safe.
  void close(const ws_client& client, uint16_t code, const std::string& reason);

  /// Stops accepting and closes every client with 1001 (going away).
  void stop();

  /// Clients closed for idleness so far. Thread-safe.
  uint64_t idle_closed() const;

  /// Clients closed for too many unanswered pings so far. Thread-safe.
  uint64_t ping_flood_closed() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace tickflow::api
