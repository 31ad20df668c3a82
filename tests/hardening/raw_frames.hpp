#pragma once

// A WebSocket client on a raw socket that writes any frame, well-formed or
// not: fragments, control frames between them, unmasked frames, reserved
// bits and opcodes, bad UTF-8. Every read is bounded by a timeout.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "tests/hardening/tour_support.hpp"

namespace tickflow::test::tour {

/// One frame as received.
struct ws_frame_in {
  uint8_t opcode = 0; ///< 1 text, 2 binary, 8 close, 9 ping, 10 pong
  std::string payload;

  bool is_close() const { return opcode == 8; }
  /// The close code (1005 when the close frame carries none).
  uint16_t close_code() const {
    if (payload.size() < 2)
      return 1005;
    return static_cast<uint16_t>((static_cast<uint8_t>(payload[0]) << 8)
                                 | static_cast<uint8_t>(payload[1]));
  }
};

/// The head of one server frame at `at` of `b` (unmasked, as servers send).
struct frame_head {
  uint8_t opcode = 0;
  size_t head = 0;   ///< bytes of the head: 2, 4 or 10
  uint64_t length = 0; ///< payload bytes
};

/// The head of the frame at `at`, when `b` holds all of it and its payload.
inline std::optional<frame_head> whole_frame_at(const std::string& b, size_t at) {
  if (b.size() < at + 2)
    return std::nullopt;
  frame_head f;
  f.opcode = static_cast<uint8_t>(b[at]) & 0x0f;
  f.length = static_cast<uint8_t>(b[at + 1]) & 0x7f;
  f.head = 2;
  if (f.length >= 126) {
    size_t n = f.length == 126 ? 2 : 8;
    if (b.size() < at + 2 + n)
      return std::nullopt;
    f.length = 0;
    for (size_t i = 0; i < n; ++i)
      f.length = (f.length << 8) | static_cast<uint8_t>(b[at + 2 + i]);
    f.head = 2 + n;
  }
  if (b.size() - at - f.head < f.length)
    return std::nullopt;
  return f;
}

/// How one frame is written.
struct frame_spec {
  uint8_t opcode = 1;
  bool fin = true;
  bool masked = true;
  uint8_t rsv = 0; ///< the three reserved bits, 0..7
};

class frame_client {
 public:
  using milliseconds = std::chrono::milliseconds;

  /// Connects and upgrades `path`; false unless the answer is 101.
  bool connect(uint16_t port, const std::string& path = "/api/v1/stream") {
    if (!tcp_.connect(port))
      return false;
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port)
                      + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        "Sec-WebSocket-Version: 13\r\n\r\n";
    if (!tcp_.send(req))
      return false;
    // The 101 has no body; frames may follow it in the same read.
    auto head = tcp_.read_reply(std::chrono::seconds{5});
    return head.status == 101;
  }

  /// Writes one frame as `spec` says.
  bool send(const std::string& payload, frame_spec spec = {}) {
    std::string out;
    out += static_cast<char>((spec.fin ? 0x80 : 0) | ((spec.rsv & 7) << 4) | (spec.opcode & 0xf));
    auto n = payload.size();
    uint8_t mask_bit = spec.masked ? 0x80 : 0;
    if (n < 126) {
      out += static_cast<char>(mask_bit | n);
    } else if (n < 65536) {
      out += static_cast<char>(mask_bit | 126);
      out += static_cast<char>((n >> 8) & 0xff);
      out += static_cast<char>(n & 0xff);
    } else {
      out += static_cast<char>(mask_bit | 127);
      for (int i = 7; i >= 0; --i)
        out += static_cast<char>((static_cast<uint64_t>(n) >> (8 * i)) & 0xff);
    }
    if (!spec.masked)
      return tcp_.send(out + payload);
    const char mask[4] = {0x37, 0x1a, 0x5c, 0x7e};
    out.append(mask, 4);
    for (size_t i = 0; i < n; ++i)
      out += static_cast<char>(payload[i] ^ mask[i % 4]);
    return tcp_.send(out);
  }

  bool text(const std::string& payload) { return send(payload); }

  /// Raw bytes, as they are.
  bool send_raw(const std::string& bytes) { return tcp_.send(bytes); }

  /// The next frame, or nullopt after `timeout` or when the connection ends.
  std::optional<ws_frame_in> read(milliseconds timeout = milliseconds{5000}) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    if (!need(2, deadline))
      return std::nullopt;
    auto& b = buf_;
    ws_frame_in f;
    f.opcode = static_cast<uint8_t>(b[0]) & 0x0f;
    uint64_t len = static_cast<uint8_t>(b[1]) & 0x7f;
    size_t at = 2;
    if (len == 126) {
      if (!need(4, deadline))
        return std::nullopt;
      len = (uint64_t{static_cast<uint8_t>(b[2])} << 8) | static_cast<uint8_t>(b[3]);
      at = 4;
    } else if (len == 127) {
      if (!need(10, deadline))
        return std::nullopt;
      len = 0;
      for (size_t i = 2; i < 10; ++i)
        len = (len << 8) | static_cast<uint8_t>(b[i]);
      at = 10;
    }
    if (len > (16u << 20) || !need(at + len, deadline))
      return std::nullopt;
    f.payload = b.substr(at, len);
    b.erase(0, at + len);
    return f;
  }

  /// The next text message (skipping pings and pongs), or nullopt.
  std::optional<std::string> next_text(milliseconds timeout = milliseconds{5000}) {
    for (int i = 0; i < 1000; ++i) {
      auto f = read(timeout);
      if (!f || f->is_close())
        return std::nullopt;
      if (f->opcode == 1)
        return f->payload;
    }
    return std::nullopt;
  }

  /// The close code the server sends, skipping other frames; nullopt when
  /// none comes within `timeout`.
  std::optional<uint16_t> close_code(milliseconds timeout = milliseconds{5000}) {
    for (int i = 0; i < 100000; ++i) {
      auto f = read(timeout);
      if (!f)
        return std::nullopt;
      if (f->is_close())
        return f->close_code();
    }
    return std::nullopt;
  }

 private:
  bool need(size_t n, std::chrono::steady_clock::time_point deadline) {
    buf_ += tcp_.take();
    while (buf_.size() < n) {
      auto left = std::chrono::duration_cast<milliseconds>(deadline
                                                           - std::chrono::steady_clock::now());
      if (left.count() <= 0 || tcp_.read_some(left) != 1)
        return false;
      buf_ += tcp_.take();
    }
    return true;
  }

  raw_tcp tcp_;
  std::string buf_;
};

} // namespace tickflow::test::tour
