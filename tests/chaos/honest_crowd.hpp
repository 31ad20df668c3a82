#pragma once

// Honest WebSocket clients for the soak (tests/chaos/soak_test.cpp): many raw
// connections served by one poll() thread, each subscribed to one trades
// channel. Each checks that the trade ids it receives run 1 apart (nothing
// missed, nothing twice, in order) and answers the server's pings, as a
// well-behaved client library would.

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "tests/hardening/raw_frames.hpp"

namespace tickflow::test {

/// What one honest client saw.
struct honest_client {
  int fd = -1;
  size_t symbol = 0;       ///< index of its instrument
  std::string buf;         ///< bytes read, not yet framed
  bool subscribed = false;
  bool closed = false;
  uint64_t trades = 0;
  int64_t first_id = -1;
  int64_t last_id = -1;
  uint64_t out_of_order = 0; ///< an id that was not last + 1
  uint64_t conflations = 0;  ///< "conflation" notices: updates were left out
};

/// A masked client frame (`opcode`, payload shorter than 126 bytes).
inline std::string masked_frame(uint8_t opcode, std::string_view payload) {
  std::string f;
  f.push_back(static_cast<char>(0x80 | opcode));
  f.push_back(static_cast<char>(0x80 | payload.size()));
  const char mask[4] = {0x1b, 0x2c, 0x3d, 0x4e};
  f.append(mask, 4);
  for (size_t i = 0; i < payload.size(); ++i)
    f.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  return f;
}

/// Connects, upgrades and subscribes to `channel`; fd -1 on failure.
inline int honest_connect(uint16_t port, const std::string& channel, std::string& rest) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string req = "GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\n\r\n";
  std::string got;
  char chunk[4096];
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0
            && ::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size());
  while (ok && got.find("\r\n\r\n") == std::string::npos) {
    auto n = ::recv(fd, chunk, sizeof chunk, 0);
    ok = n > 0;
    if (ok)
      got.append(chunk, static_cast<size_t>(n));
  }
  auto sub = masked_frame(1, R"({"op":"subscribe","channels":[")" + channel + "\"]}");
  ok = ok && got.rfind("HTTP/1.1 101", 0) == 0
       && ::send(fd, sub.data(), sub.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(sub.size());
  if (!ok) {
    ::close(fd);
    return -1;
  }
  rest = got.substr(got.find("\r\n\r\n") + 4);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

/// Reads one text message's trade id, -1 when none: the number in
/// "trade_id":"N" (Binance aggregate trades carry a prefix: "a123").
inline int64_t trade_id_of(std::string_view text) {
  auto at = text.find(R"("trade_id":")");
  if (at == std::string_view::npos)
    return -1;
  auto end = text.find('"', at + 12);
  if (end == std::string_view::npos)
    return -1;
  auto digits = text.substr(at + 12, end - at - 12);
  while (!digits.empty() && (digits.front() < '0' || digits.front() > '9'))
    digits.remove_prefix(1);
  return std::strtoll(std::string{digits}.c_str(), nullptr, 10);
}

/// Frames what `c` has read: counts trades, answers pings.
inline void honest_frames(honest_client& c) {
  size_t at = 0;
  auto& b = c.buf;
  while (auto f = tour::whole_frame_at(b, at)) {
    auto op = f->opcode;
    auto len = f->length;
    auto head = f->head;
    std::string_view payload{b.data() + at + head, static_cast<size_t>(len)};
    if (op == 1) {
      if (payload.rfind(R"({"type":"trade")", 0) == 0) {
        auto id = trade_id_of(payload);
        c.trades += 1;
        if (c.first_id < 0)
          c.first_id = id;
        else if (id != c.last_id + 1)
          c.out_of_order += 1;
        c.last_id = id;
      } else if (payload.rfind(R"({"type":"subscribed")", 0) == 0) {
        c.subscribed = true;
      } else if (payload.rfind(R"({"type":"conflation")", 0) == 0) {
        c.conflations += 1;
      }
    } else if (op == 9 && len < 126) {
      auto pong = masked_frame(10, payload);
      (void)::send(c.fd, pong.data(), pong.size(), MSG_NOSIGNAL);
    } else if (op == 8) {
      c.closed = true;
    }
    at += head + static_cast<size_t>(len);
  }
  b.erase(0, at);
}

/// Serves every client until `stop`; then reads for `drain` more.
inline void run_honest_crowd(std::vector<honest_client>& crowd, const std::atomic<bool>& stop,
                             std::chrono::milliseconds drain) {
  std::vector<pollfd> fds;
  for (auto& c : crowd)
    fds.push_back({c.fd, POLLIN, 0});
  std::chrono::steady_clock::time_point until{};
  char chunk[65536];
  for (;;) {
    if (stop.load() && until == std::chrono::steady_clock::time_point{})
      until = std::chrono::steady_clock::now() + drain;
    if (until != std::chrono::steady_clock::time_point{}
        && std::chrono::steady_clock::now() >= until)
      break;
    if (::poll(fds.data(), fds.size(), 100) <= 0)
      continue;
    for (size_t i = 0; i < fds.size(); ++i) {
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
        continue;
      auto& c = crowd[i];
      for (;;) {
        auto n = ::recv(c.fd, chunk, sizeof chunk, 0);
        if (n > 0) {
          c.buf.append(chunk, static_cast<size_t>(n));
          continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
          c.closed = true;
          fds[i].fd = -1; // poll skips it from now on
        }
        break;
      }
      honest_frames(c);
    }
  }
}

} // namespace tickflow::test
