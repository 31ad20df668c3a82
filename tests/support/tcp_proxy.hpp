#pragma once

// A loopback TCP proxy for outage tests: it forwards 127.0.0.1:<port()> to
// a target port, and cut() drops every connection through it (and refuses
// new ones) until restore(), so one client loses its server while others
// keep theirs. Threads: one acceptor, one per connection.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace tickflow::test {

/// Forwards a free loopback port to 127.0.0.1:target.
class tcp_proxy {
 public:
  explicit tcp_proxy(uint16_t target);
  ~tcp_proxy();

  tcp_proxy(const tcp_proxy&) = delete;
  tcp_proxy& operator=(const tcp_proxy&) = delete;

  /// The port clients connect to.
  uint16_t port() const noexcept { return port_; }

  /// Closes every open connection and refuses new ones (accepts and closes).
  void cut() noexcept { cut_ = true; }
  /// Forwards new connections again.
  void restore() noexcept { cut_ = false; }
  /// Connections accepted and forwarded so far.
  uint64_t connections() const noexcept { return connections_; }

 private:
  void accept_loop();
  void pump(int client);

  uint16_t target_;
  uint16_t port_ = 0;
  int listener_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<bool> cut_{false};
  std::atomic<uint64_t> connections_{0};
  std::thread acceptor_;
  std::mutex mx_;
  std::vector<std::thread> pumps_;
};

} // namespace tickflow::test
