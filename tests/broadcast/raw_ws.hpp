#pragma once

// A minimal blocking WebSocket client on a raw socket, for the behaviours a
// well-behaved client (tests/support/ws_client) cannot show: it reads only
// when asked (a slow or stalled consumer, with a small receive buffer) and
// never answers pings (an idle client).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

namespace tickflow::test {

/// One frame as received.
struct raw_frame {
  uint8_t opcode = 0; ///< 1 text, 2 binary, 8 close, 9 ping, 10 pong
  std::string payload;

  bool is_close() const { return opcode == 8; }
  /// The close code of a close frame (1005 when it carries none).
  uint16_t close_code() const {
    if (payload.size() < 2)
      return 1005;
    return static_cast<uint16_t>((static_cast<uint8_t>(payload[0]) << 8)
                                 | static_cast<uint8_t>(payload[1]));
  }
  std::string close_reason() const {
    return payload.size() > 2 ? payload.substr(2) : std::string{};
  }
};

class raw_ws {
 public:
  using milliseconds = std::chrono::milliseconds;

  raw_ws() = default;
  ~raw_ws() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  raw_ws(const raw_ws&) = delete;
  raw_ws& operator=(const raw_ws&) = delete;

  /// Connects to 127.0.0.1:port and upgrades `path`. `rcvbuf` > 0 shrinks
  /// the socket's receive buffer (set before connecting, so the TCP window
  /// stays small). False on any failure.
  bool connect(uint16_t port, const std::string& path, int rcvbuf = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0)
      return false;
    if (rcvbuf > 0)
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      return false;
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:"
                      + std::to_string(port)
                      + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        "Sec-WebSocket-Version: 13\r\n\r\n";
    if (!write_all(req))
      return false;
    // Read the response head byte by byte: frames may follow it at once.
    std::string head;
    while (head.size() < 8192 && head.find("\r\n\r\n") == std::string::npos) {
      char c = 0;
      if (!read_exact(&c, 1, milliseconds{5000}))
        return false;
      head += c;
    }
    return head.rfind("HTTP/1.1 101", 0) == 0;
  }

  /// Sends a text frame (masked, as clients must).
  bool send_text(const std::string& text) { return send_frame(0x1, text); }

  /// Sends a binary frame.
  bool send_binary(const std::string& bytes) { return send_frame(0x2, bytes); }

  /// The next frame, or nullopt after `timeout` or when the connection ends.
  std::optional<raw_frame> read(milliseconds timeout = milliseconds{3000}) {
    uint8_t h[2];
    if (!read_exact(h, 2, timeout))
      return std::nullopt;
    raw_frame f;
    f.opcode = h[0] & 0x0f;
    uint64_t len = h[1] & 0x7f;
    if (len == 126) {
      uint8_t x[2];
      if (!read_exact(x, 2, timeout))
        return std::nullopt;
      len = (uint64_t{x[0]} << 8) | x[1];
    } else if (len == 127) {
      uint8_t x[8];
      if (!read_exact(x, 8, timeout))
        return std::nullopt;
      len = 0;
      for (auto b : x)
        len = (len << 8) | b;
    }
    if (len > (64u << 20))
      return std::nullopt; // nothing we send is that big
    f.payload.resize(len);
    if (len > 0 && !read_exact(f.payload.data(), len, timeout))
      return std::nullopt;
    return f;
  }

 private:
  bool send_frame(uint8_t opcode, const std::string& payload) {
    std::string out;
    out += static_cast<char>(0x80 | opcode);
    auto n = payload.size();
    if (n < 126) {
      out += static_cast<char>(0x80 | n);
    } else if (n < 65536) {
      out += static_cast<char>(0x80 | 126);
      out += static_cast<char>((n >> 8) & 0xff);
      out += static_cast<char>(n & 0xff);
    } else {
      out += static_cast<char>(0x80 | 127);
      for (int i = 7; i >= 0; --i)
        out += static_cast<char>((static_cast<uint64_t>(n) >> (8 * i)) & 0xff);
    }
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    out.append(mask, 4);
    for (size_t i = 0; i < n; ++i)
      out += static_cast<char>(payload[i] ^ mask[i % 4]);
    return write_all(out);
  }

  bool write_all(const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      auto n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  bool read_exact(void* dst, size_t n, milliseconds timeout) {
    auto* p = static_cast<char*>(dst);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t got = 0;
    while (got < n) {
      auto left = std::chrono::duration_cast<milliseconds>(
        deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        return false;
      pollfd pfd{fd_, POLLIN, 0};
      if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0)
        return false;
      auto r = ::recv(fd_, p + got, n - got, 0);
      if (r <= 0)
        return false;
      got += static_cast<size_t>(r);
    }
    return true;
  }

  int fd_ = -1;
};

} // namespace tickflow::test
