#pragma once

// A hiredis connection in subscribed mode (PSUBSCRIBE) for one owner, a
// detached actor. Unlike redis_client::read_reply, waiting for messages
// never drops the connection: poll() waits on the socket with poll(2) and
// only reads what arrived, so the owner can wait in short slices and handle
// its mailbox in between. Never throws; failures are errc::unavailable and
// drop the connection (the owner reconnects with psubscribe()).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/redis/redis_client.hpp"
#include "pipeline/model/error.hpp"

struct redisContext;

namespace tickflow::redis {

/// One message a pattern subscription delivered.
struct pubsub_message {
  std::string channel; ///< "tickflow:events:BTC-USDT"
  std::string payload;
};

/// One subscribed connection. Not thread-safe: one per actor.
class pubsub_connection {
 public:
  /// A connection to `opts` that is not open yet (psubscribe() opens it);
  /// connect_timeout_ms bounds the connect, io_timeout_ms each write and
  /// the wait for the subscription's confirmation.
  explicit pubsub_connection(client_options opts);
  ~pubsub_connection();

  pubsub_connection(const pubsub_connection&) = delete;
  pubsub_connection& operator=(const pubsub_connection&) = delete;

  /// Connects (dropping any current connection) and PSUBSCRIBEs `pattern`,
  /// waiting for the server's confirmation.
  result<void> psubscribe(const std::string& pattern);

  /// Waits up to `timeout_ms` for data, then appends every message already
  /// received to `out`, at most `max`. Returns how many it appended (0
  /// after a quiet timeout). Other replies (confirmations, pongs) are
  /// skipped. errc::unavailable when the server closed the connection or
  /// the socket failed.
  result<size_t> poll(int timeout_ms, std::vector<pubsub_message>& out,
                      size_t max);

  /// Sends PING (answered with a "pong" the next poll() skips), so a peer
  /// that silently went away shows up as an error.
  result<void> ping();

  /// True while a connection is open.
  bool connected() const noexcept { return ctx_ != nullptr; }

  /// Every reply read so far (messages, pongs, confirmations): a sign of
  /// life of the server even when nothing is published.
  uint64_t replies() const noexcept { return replies_; }

  /// Closes the connection.
  void disconnect() noexcept;

 private:
  // Appends command `argv` and writes the output buffer out.
  result<void> send(const std::vector<std::string>& argv);
  // Takes the replies already parsed; false on a protocol error.
  bool take(std::vector<pubsub_message>& out, size_t max, size_t& taken);
  error failure(const char* what);

  client_options opts_;
  redisContext* ctx_ = nullptr;
  uint64_t replies_ = 0;
};

} // namespace tickflow::redis
