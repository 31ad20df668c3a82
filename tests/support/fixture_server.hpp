#pragma once

// A loopback HTTP/1.1 server for adapter and end-to-end tests: it serves
// canned responses (usually recorded provider payloads from
// tests/fixtures/) at the provider's real paths, can misbehave on purpose,
// and records every request it received.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/http_client.hpp"

namespace tickflow::test {

/// How a canned response is delivered.
enum class fixture_behaviour : uint8_t {
  normal,    ///< status line, headers, Content-Length, body; keep-alive
  truncated, ///< Content-Length of the whole body, only its first half
             ///< sent, then the connection closes
  garbage,   ///< `body` sent as raw bytes (no status line), then close
  huge,      ///< `huge_bytes` of generated body, streamed in 64 KiB pieces
             ///< and never held in memory (Content-Length, or chunked)
  gzip,      ///< `body` gzip-encoded, with Content-Encoding: gzip
};

/// One canned response.
struct fixture_response {
  unsigned status = 200;
  /// Extra headers, sent as given. Content-Type defaults to
  /// application/json unless set here.
  header_list headers;
  std::string body;
  /// Wait before answering (timeout tests).
  std::chrono::milliseconds delay{0};
  fixture_behaviour behaviour = fixture_behaviour::normal;
  /// huge: body length in bytes.
  size_t huge_bytes = 0;
  /// huge: Transfer-Encoding: chunked instead of Content-Length.
  bool chunked = false;
  /// Send "Connection: close" and close after this response.
  bool close = false;

  /// `body` with `status`.
  static fixture_response json(std::string body, unsigned status = 200);

  /// The file tests/fixtures/<relative> with `status`.
  static fixture_response file(std::string_view relative,
                               unsigned status = 200);
};

/// A request as the server received it.
struct recorded_request {
  std::string method;
  std::string target;  ///< as sent: "/api/v3/klines?symbol=BTCUSDT"
  std::string path;    ///< "/api/v3/klines"
  header_list query;   ///< decoded query parameters, in order
  header_list headers; ///< lowercase names, in order
  std::string body;
  size_t connection = 0; ///< 1-based number of the connection it came on
  /// When its head was read (rate tests count requests per time window).
  std::chrono::steady_clock::time_point at;

  /// First header named `name` (lowercase), or nullptr.
  const std::string* header(std::string_view name) const;

  /// First query parameter named `name`, or nullptr.
  const std::string* param(std::string_view name) const;
};

/// The server. Listens on 127.0.0.1 at an ephemeral port from construction
/// and answers on its own thread until destroyed. Thread-safe: routes may
/// be added and requests read while it runs.
///
/// A request matches a route when method and path are equal and every
/// required query parameter is present with the required value; the match
/// with the most required parameters wins. Unmatched requests get 404
/// {"error":"no fixture"}. An unmatched request for a provider's reference
/// list (GET /api/v3/exchangeInfo, /v3/reference/tickers,
/// /futures/v1/contracts: what tickflow's gateway asks at start) is not
/// recorded: tests that count lookups do not see it, and a test that serves
/// a list (add()) sees every request for it.
class fixture_server {
 public:
  /// Listens and starts answering (a listen failure fails the test).
  fixture_server();
  /// Stops answering and closes every connection.
  ~fixture_server();

  fixture_server(const fixture_server&) = delete;
  fixture_server& operator=(const fixture_server&) = delete;

  /// The port it listens on (loopback only).
  uint16_t port() const noexcept;

  /// "http://127.0.0.1:<port>"
  std::string base_url() const;

  /// Serves `response` for method + path (+ required query parameters),
  /// replacing a route with the same key.
  void add(std::string method, std::string path, fixture_response response,
           header_list required_query = {});

  /// Serves `responses` in order on successive matches; the last one
  /// repeats (e.g. 429 then 200).
  void add_sequence(std::string method, std::string path,
                    std::vector<fixture_response> responses,
                    header_list required_query = {});

  /// Every request received so far, in arrival order.
  std::vector<recorded_request> requests() const;

  /// Number of requests received so far.
  size_t request_count() const;

  /// Number of TCP connections accepted so far.
  size_t connection_count() const;

  /// Forgets the recorded requests (not the connection count).
  void clear_requests();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// TICKFLOW_SOURCE_DIR "/tests/fixtures/" + relative.
std::string fixture_path(std::string_view relative);

/// The contents of tests/fixtures/<relative>; records a test failure and
/// returns "" when it cannot be read.
std::string read_fixture(std::string_view relative);

/// `data` as a gzip stream (stored deflate blocks: valid, not compressed).
std::string gzip_stored(std::string_view data);

} // namespace tickflow::test
