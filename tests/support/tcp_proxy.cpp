#include "tests/support/tcp_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace tickflow::test {

namespace {

sockaddr_in loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// Writes all of buf; false when the peer is gone.
bool write_all(int fd, const char* buf, ssize_t n) {
  while (n > 0) {
    auto w = ::send(fd, buf, static_cast<size_t>(n), MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return false;
    buf += w;
    n -= w;
  }
  return true;
}

} // namespace

tcp_proxy::tcp_proxy(uint16_t target) : target_(target) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  auto a = loopback(0);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0
      || ::listen(listener_, 64) != 0)
    throw std::runtime_error("tcp_proxy: cannot listen");
  socklen_t len = sizeof a;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread{[this] { accept_loop(); }};
}

tcp_proxy::~tcp_proxy() {
  stop_ = true;
  acceptor_.join();
  ::close(listener_);
  std::lock_guard<std::mutex> lock{mx_};
  for (auto& t : pumps_)
    t.join();
}

void tcp_proxy::accept_loop() {
  while (!stop_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0)
      continue;
    int c = ::accept(listener_, nullptr, nullptr);
    if (c < 0)
      continue;
    if (cut_) {
      ::close(c);
      continue;
    }
    std::lock_guard<std::mutex> lock{mx_};
    pumps_.emplace_back([this, c] { pump(c); });
  }
}

void tcp_proxy::pump(int client) {
  int server = ::socket(AF_INET, SOCK_STREAM, 0);
  auto a = loopback(target_);
  if (::connect(server, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(server);
    ::close(client);
    return;
  }
  int one = 1;
  ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  connections_ += 1;
  char buf[65536];
  bool open = true;
  while (open && !stop_ && !cut_) {
    pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    if (::poll(p, 2, 50) <= 0)
      continue;
    for (int i = 0; i < 2 && open; ++i) {
      if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
        continue;
      auto n = ::recv(p[i].fd, buf, sizeof buf, 0);
      if (n <= 0 || !write_all(p[1 - i].fd, buf, n))
        open = false;
    }
  }
  ::close(server);
  ::close(client);
}

} // namespace tickflow::test
