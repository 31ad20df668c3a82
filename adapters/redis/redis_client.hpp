#pragma once

// A synchronous hiredis connection for one owner (a detached actor): every
// call blocks up to the I/O timeout, never throws, and reports failures as
// errc::unavailable with a message. After an I/O error the connection is
// dropped and the next call connects again; connect() reconnects explicitly.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/redis/redis_schema.hpp"
#include "pipeline/model/error.hpp"

struct redisContext;

namespace tickflow::redis {

/// A decoded Redis (RESP2) reply.
struct reply {
  /// RESP2 reply types.
  enum class kind : uint8_t { nil, status, error, integer, string, array };

  kind type = kind::nil;
  std::string text;          ///< status, error and bulk string replies
  int64_t integer = 0;       ///< integer replies
  std::vector<reply> elements; ///< array replies
};

/// Where and how to connect.
struct client_options {
  std::string host = "127.0.0.1";
  uint16_t port = 6379;
  /// TCP connect timeout.
  int connect_timeout_ms = 1000;
  /// Socket read/write timeout of every call afterwards.
  int io_timeout_ms = 5000;
  /// AUTH [username] password right after every connect ("" = no AUTH).
  /// Never part of an error message or a log line.
  std::string username;
  std::string password;
  /// SELECT db right after every connect (0 = the default, no SELECT).
  uint32_t db = 0;
  /// Redis Sentinel: when not empty, every connect asks these sentinels
  /// (in turn, from the one that answered last) for the address of
  /// `master_name`'s primary, connects there and checks that ROLE says
  /// master; host and port then hold the address found.
  std::vector<std::pair<std::string, uint16_t>> sentinels;
  /// The master name the sentinels monitor.
  std::string master_name;
  /// AUTH password of the sentinels themselves ("" = none). Never logged.
  std::string sentinel_password;
};

/// One hiredis context. Not thread-safe: one per actor.
class redis_client {
 public:
  /// A client that is not connected yet.
  redis_client() = default;
  /// A client that connects lazily to `opts` on its first call.
  explicit redis_client(client_options opts);
  /// Closes the connection.
  ~redis_client();

  /// Takes over the connection of `other`.
  redis_client(redis_client&& other) noexcept;
  /// Closes this connection and takes over `other`'s.
  redis_client& operator=(redis_client&& other) noexcept;
  redis_client(const redis_client&) = delete;
  redis_client& operator=(const redis_client&) = delete;

  /// Connects to host:port (dropping any current connection) and keeps the
  /// address for later reconnects. errc::unavailable: "redis host:port:
  /// <reason>" (e.g. "Connection refused", "Connection timed out").
  result<void> connect(const std::string& host, uint16_t port,
                       int timeout_ms);

  /// Connects again with the stored options (explicit reconnect), then
  /// AUTH and SELECT when the options ask for them (errc::unavailable
  /// "... AUTH refused: WRONGPASS ..." without the password). With
  /// sentinels, first asks them for the current primary (so a reconnect
  /// after a failover finds the new one) and refuses a server whose ROLE
  /// is not master ("redis sentinels (master M): ..." naming each try).
  result<void> connect();

  /// Closes the connection; the next call reconnects.
  void disconnect() noexcept;

  /// True while a connection is open (it may still be dead on the server
  /// side; the next call finds out).
  bool connected() const noexcept { return ctx_ != nullptr; }

  /// The stored options (the address of the last connect).
  const client_options& options() const noexcept { return opts_; }

  /// Sends all commands in one write (redisAppendCommandArgv each), then
  /// reads every reply. A READONLY error (the server became a replica)
  /// also drops the connection, so the next call finds the primary. Returns the number of replies read (= cmds.size()).
  /// Any error reply, also one nested in an EXEC array, fails the call with
  /// errc::unavailable "redis: command N (NAME): <server message>" after all
  /// replies were read, so the connection stays usable. An I/O error fails
  /// it with errc::unavailable and drops the connection. An empty command
  /// fails with errc::invalid_argument before anything is sent.
  result<size_t> pipeline(const std::vector<command>& cmds);

  /// Runs one command and returns its reply; an error reply is returned as
  /// a reply of kind::error (not as a failure); READONLY drops the
  /// connection as in pipeline().
  result<reply> execute(const command& cmd);

  /// Waits up to the I/O timeout for the next reply the server pushes
  /// (pub/sub messages after a SUBSCRIBE sent with execute()). A timeout
  /// drops the connection (hiredis cannot resume a timed-out read).
  result<reply> read_reply();

  /// GET key: the value, or nullopt when the key does not exist.
  result<std::optional<std::string>> get(const std::string& key);

  /// Runs a command that answers an array of bulk strings (ZRANGE ...) and
  /// returns the strings; nil elements become "".
  result<std::vector<std::string>> strings(const command& cmd);

  /// ZRANGE key start stop.
  result<std::vector<std::string>> zrange(const std::string& key,
                                          int64_t start, int64_t stop);

  /// PING; errc::unavailable unless the answer is PONG.
  result<void> ping();

 private:
  // Opens a context to opts_.host:port, then handshake().
  result<void> open();

  // Asks the sentinels for the primary and connects to it.
  result<void> connect_via_sentinels();

  // AUTH and SELECT on a fresh connection, as the options say.
  result<void> handshake();

  // Connects if there is no context, with the stored options.
  result<void> ensure_connected();

  // Reads one reply; on I/O error drops the context.
  result<reply> read_one();

  // Builds an errc::unavailable error from the context and drops it.
  error io_failure(const char* what);

  client_options opts_;
  bool have_address_ = false;
  size_t sentinel_next_ = 0; // the sentinel asked first on the next connect
  redisContext* ctx_ = nullptr;
};

} // namespace tickflow::redis
