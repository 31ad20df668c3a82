#include "api/ws_server.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "tests/support/http_client.hpp"
#include "tests/support/ws_client.hpp"

using namespace std::chrono_literals;
using tickflow::errc;
using tickflow::api::ws_callbacks;
using tickflow::api::ws_server;
using tickflow::api::ws_server_options;
using test_client = tickflow::test::ws_client;

namespace {

/// What the server callbacks saw (they run on the I/O thread).
struct recorder {
  std::mutex mtx;
  std::condition_variable cv;
  std::vector<std::pair<uint64_t, tickflow::api::ws_client>> opened;
  std::vector<std::pair<uint64_t, std::string>> messages;
  std::vector<uint64_t> closed;

  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds timeout = 3000ms) {
    std::unique_lock<std::mutex> lock{mtx};
    return cv.wait_for(lock, timeout, [&] { return pred(*this); });
  }

  size_t open_count() {
    std::lock_guard<std::mutex> guard{mtx};
    return opened.size();
  }

  size_t close_count() {
    std::lock_guard<std::mutex> guard{mtx};
    return closed.size();
  }

  std::pair<uint64_t, tickflow::api::ws_client> open_at(size_t i) {
    std::lock_guard<std::mutex> guard{mtx};
    return opened.at(i);
  }

  ws_callbacks callbacks() {
    ws_callbacks cbs;
    cbs.on_open = [this](uint64_t id, tickflow::api::ws_client c) {
      std::lock_guard<std::mutex> guard{mtx};
      opened.emplace_back(id, std::move(c));
      cv.notify_all();
    };
    cbs.on_message = [this](uint64_t id, std::string text) {
      std::lock_guard<std::mutex> guard{mtx};
      messages.emplace_back(id, std::move(text));
      cv.notify_all();
    };
    cbs.on_close = [this](uint64_t id) {
      std::lock_guard<std::mutex> guard{mtx};
      closed.push_back(id);
      cv.notify_all();
    };
    return cbs;
  }
};

/// A raw loopback socket for what no WebSocket library sends: upgrades of
/// other versions, frames with odd length encodings, ping floods.
class raw_socket {
 public:
  explicit raw_socket(uint16_t port, int rcvbuf = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf > 0)
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~raw_socket() { ::close(fd_); }
  raw_socket(const raw_socket&) = delete;
  raw_socket& operator=(const raw_socket&) = delete;

  bool send(const std::string& bytes) {
    size_t done = 0;
    while (ok_ && done < bytes.size()) {
      auto n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      done += static_cast<size_t>(n);
    }
    return ok_;
  }

  /// Reads until `pred(received)` holds, the peer closes or `timeout`.
  template <class Pred>
  const std::string& read_until(Pred pred, std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred(buf_)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
      pollfd pfd{fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0)
        break;
      char chunk[8192];
      auto n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0)
        break;
      buf_.append(chunk, static_cast<size_t>(n));
    }
    return buf_;
  }

  /// Upgrades `path` with Sec-WebSocket-Version 13; true on 101.
  bool upgrade(const std::string& path = "/api/v1/stream") {
    send("GET " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
         "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
         "Sec-WebSocket-Version: 13\r\n\r\n");
    auto got = read_until([](const std::string& b) { return b.find("\r\n\r\n") != b.npos; });
    auto end = got.find("\r\n\r\n");
    if (got.rfind("HTTP/1.1 101", 0) != 0 || end == std::string::npos)
      return false;
    buf_.erase(0, end + 4);
    return true;
  }

  /// The close code of the first close frame received (other frames are
  /// read and dropped as they come), or 0 when none arrives.
  uint16_t close_code(std::chrono::milliseconds timeout = 5000ms) {
    uint16_t code = 0;
    read_until(
      [&](std::string& b) {
        size_t at = 0;
        bool found = false;
        while (!found && b.size() >= at + 2) {
          auto op = static_cast<uint8_t>(b[at]) & 0x0f;
          size_t len = static_cast<uint8_t>(b[at + 1]) & 0x7f;
          size_t head = 2;
          if (len == 126) {
            if (b.size() < at + 4)
              break;
            len = (size_t{static_cast<uint8_t>(b[at + 2])} << 8) | static_cast<uint8_t>(b[at + 3]);
            head = 4;
          }
          if (b.size() < at + head + len)
            break;
          if (op == 8) {
            code = len >= 2 ? static_cast<uint16_t>((static_cast<uint8_t>(b[at + head]) << 8)
                                                    | static_cast<uint8_t>(b[at + head + 1]))
                            : 1005;
            found = true;
          }
          at += head + len;
        }
        b.erase(0, at); // frames already looked at
        return found;
      },
      timeout);
    return code;
  }

  /// A masked client frame: opcode, payload, the length as given (`wide`:
  /// the 16-bit form even when the 7-bit one would do).
  static std::string frame(uint8_t opcode, const std::string& payload, bool wide = false) {
    std::string out;
    out += static_cast<char>(0x80 | opcode);
    if (wide || payload.size() >= 126) {
      out += static_cast<char>(0x80 | 126);
      out += static_cast<char>((payload.size() >> 8) & 0xff);
      out += static_cast<char>(payload.size() & 0xff);
    } else {
      out += static_cast<char>(0x80 | payload.size());
    }
    out += std::string(4, '\0'); // a zero mask: the payload goes as it is
    return out + payload;
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
  std::string buf_;
};

class WsServerTest : public ::testing::Test {
 protected:
  void start(ws_server_options opts = {}) {
    server_ = std::make_unique<ws_server>(ioc_, std::move(opts),
                                          rec_.callbacks());
    auto res = server_->listen("127.0.0.1", 0);
    ASSERT_TRUE(res) << res.err().message();
    ASSERT_NE(server_->port(), 0);
    io_ = std::thread{[this] { ioc_.run(); }};
  }

  void TearDown() override {
    if (server_)
      server_->stop();
    work_.reset();
    ioc_.stop();
    if (io_.joinable())
      io_.join();
    server_.reset();
  }

  std::string url(const std::string& path = "/api/v1/stream") const {
    return "ws://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

  /// Connects a client and waits until the server reported it open.
  std::unique_ptr<test_client> connect_client() {
    auto before = rec_.open_count();
    auto c = std::make_unique<test_client>();
    EXPECT_TRUE(c->connect(url())) << c->error();
    EXPECT_TRUE(rec_.wait([&](recorder& r) {
      return r.opened.size() > before;
    }));
    return c;
  }

  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type>
    work_ = boost::asio::make_work_guard(ioc_);
  recorder rec_;
  std::unique_ptr<ws_server> server_;
  std::thread io_;
};

} // namespace

TEST_F(WsServerTest, OpenMessageCloseShareOneId) {
  start();
  auto c = connect_client();
  ASSERT_TRUE(c->send("hello"));
  ASSERT_TRUE(rec_.wait([](recorder& r) { return !r.messages.empty(); }));
  c->close(1000, "done");
  ASSERT_TRUE(rec_.wait([](recorder& r) { return !r.closed.empty(); }));
  std::lock_guard<std::mutex> guard{rec_.mtx};
  ASSERT_EQ(rec_.opened.size(), 1u);
  ASSERT_EQ(rec_.messages.size(), 1u);
  ASSERT_EQ(rec_.closed.size(), 1u);
  EXPECT_NE(rec_.opened[0].first, 0u);
  EXPECT_EQ(rec_.messages[0].first, rec_.opened[0].first);
  EXPECT_EQ(rec_.messages[0].second, "hello");
  EXPECT_EQ(rec_.closed[0], rec_.opened[0].first);
}

TEST_F(WsServerTest, ClientsGetDistinctIds) {
  start();
  auto a = connect_client();
  auto b = connect_client();
  ASSERT_TRUE(a->send("from a"));
  ASSERT_TRUE(rec_.wait([](recorder& r) { return r.messages.size() == 1; }));
  ASSERT_TRUE(b->send("from b"));
  ASSERT_TRUE(rec_.wait([](recorder& r) { return r.messages.size() == 2; }));
  std::lock_guard<std::mutex> guard{rec_.mtx};
  ASSERT_EQ(rec_.opened.size(), 2u);
  EXPECT_NE(rec_.opened[0].first, rec_.opened[1].first);
  EXPECT_EQ(rec_.messages[0].first, rec_.opened[0].first);
  EXPECT_EQ(rec_.messages[1].first, rec_.opened[1].first);
}

TEST_F(WsServerTest, ServerSendArrives) {
  start();
  auto c = connect_client();
  auto client = rec_.open_at(0).second;
  EXPECT_TRUE(server_->send(client, R"({"type":"pong"})"));
  EXPECT_EQ(c->receive(), R"({"type":"pong"})");
  EXPECT_LT(server_->buffered_bytes(client), 1u << 20);
}

TEST_F(WsServerTest, OnePreparedFrameReachesEveryClient) {
  start();
  auto a = connect_client();
  auto b = connect_client();
  // Sizes around the 126 / 65536 boundaries of the frame header encoding.
  for (size_t n : {5u, 125u, 126u, 65535u, 65536u, 70000u}) {
    std::string text(n, 'x');
    text.front() = '"';
    tickflow::api::ws_frame frame{text};
    EXPECT_EQ(frame.size(), n);
    EXPECT_TRUE(server_->send(rec_.open_at(0).second, frame));
    EXPECT_TRUE(server_->send(rec_.open_at(1).second, frame));
    EXPECT_EQ(a->receive(), text) << n;
    EXPECT_EQ(b->receive(), text) << n;
  }
}

TEST_F(WsServerTest, SendFromAnotherThreadKeepsOrder) {
  start();
  auto c = connect_client();
  auto client = rec_.open_at(0).second;
  constexpr int n = 200;
  std::thread sender{[&] {
    for (int i = 0; i < n; ++i)
      server_->send(client, std::to_string(i));
  }};
  sender.join();
  for (int i = 0; i < n; ++i) {
    auto msg = c->receive();
    ASSERT_TRUE(msg) << "message " << i << " missing";
    EXPECT_EQ(*msg, std::to_string(i));
  }
}

TEST_F(WsServerTest, WrongPathIsRejectedWith404) {
  start();
  test_client c;
  EXPECT_FALSE(c.connect(url("/elsewhere")));
  EXPECT_EQ(c.http_status(), 404);
  EXPECT_NE(c.http_body().find("\"not_found\""), std::string::npos)
    << c.http_body();
  test_client q;
  EXPECT_FALSE(q.connect(url("/api/v1/stream/extra")));
  EXPECT_EQ(q.http_status(), 404);
  EXPECT_EQ(rec_.open_count(), 0u);
}

TEST_F(WsServerTest, QueryStringOnThePathIsAccepted) {
  start();
  test_client c;
  EXPECT_TRUE(c.connect(url("/api/v1/stream?token=x"))) << c.error();
  EXPECT_TRUE(rec_.wait([](recorder& r) { return r.opened.size() == 1; }));
}

TEST_F(WsServerTest, MaxClientsIsEnforced) {
  ws_server_options opts;
  opts.max_clients = 2;
  start(opts);
  auto a = connect_client();
  auto b = connect_client();
  test_client c;
  EXPECT_FALSE(c.connect(url()));
  EXPECT_EQ(c.http_status(), 503);
  EXPECT_EQ(rec_.open_count(), 2u);
  // A slot frees up when a client leaves.
  a->close();
  ASSERT_TRUE(rec_.wait([](recorder& r) { return r.closed.size() == 1; }));
  test_client d;
  EXPECT_TRUE(d.connect(url())) << d.error();
}

TEST_F(WsServerTest, BinaryFrameClosesWith1003) {
  start();
  auto c = connect_client();
  ASSERT_TRUE(c->send_binary(std::string("\x00\x01\x02", 3)));
  EXPECT_EQ(c->wait_closed(), 1003);
  EXPECT_TRUE(rec_.wait([](recorder& r) { return r.closed.size() == 1; }));
  std::lock_guard<std::mutex> guard{rec_.mtx};
  EXPECT_TRUE(rec_.messages.empty());
}

TEST_F(WsServerTest, OversizeFrameClosesWith1009) {
  ws_server_options opts;
  opts.max_message_bytes = 1024;
  start(opts);
  auto c = connect_client();
  ASSERT_TRUE(c->send(std::string(1024, 'a'))); // at the limit: fine
  ASSERT_TRUE(rec_.wait([](recorder& r) { return r.messages.size() == 1; }));
  ASSERT_TRUE(c->send(std::string(1025, 'b')));
  EXPECT_EQ(c->wait_closed(), 1009);
  EXPECT_TRUE(rec_.wait([](recorder& r) { return r.closed.size() == 1; }));
  std::lock_guard<std::mutex> guard{rec_.mtx};
  EXPECT_EQ(rec_.messages.size(), 1u);
}

TEST_F(WsServerTest, StopClosesClientsWith1001) {
  start();
  auto a = connect_client();
  auto b = connect_client();
  server_->stop(); // from the test thread, not the I/O thread
  EXPECT_EQ(a->wait_closed(), 1001);
  EXPECT_EQ(b->wait_closed(), 1001);
  EXPECT_TRUE(rec_.wait([](recorder& r) { return r.closed.size() == 2; }));
  test_client late;
  EXPECT_FALSE(late.connect(url(), 2000ms));
  server_->stop(); // idempotent
}

TEST_F(WsServerTest, ServerCloseSendsCodeAndReason) {
  start();
  auto c = connect_client();
  server_->close(rec_.open_at(0).second, 4001, "slow consumer");
  EXPECT_EQ(c->wait_closed(), 4001);
  EXPECT_TRUE(rec_.wait([](recorder& r) { return r.closed.size() == 1; }));
}

TEST_F(WsServerTest, SendToClosedClientReturnsFalse) {
  start();
  auto c = connect_client();
  auto client = rec_.open_at(0).second;
  c->close();
  ASSERT_TRUE(rec_.wait([](recorder& r) { return r.closed.size() == 1; }));
  c.reset();
  EXPECT_FALSE(server_->send(client, "late"));
  EXPECT_EQ(server_->buffered_bytes(client), 0u);
  server_->close(client, 1000, "again"); // no throw, no effect
  tickflow::api::ws_client nobody;
  EXPECT_FALSE(server_->send(nobody, "x"));
  EXPECT_EQ(server_->buffered_bytes(nobody), 0u);
  server_->close(nobody, 1000, "");
}

TEST_F(WsServerTest, HealthOverPlainHttp) {
  start();
  auto ok = tickflow::test::http_get(server_->port(), "/health");
  ASSERT_TRUE(ok) << ok.err().message();
  EXPECT_EQ(ok->status, 200u);
  EXPECT_EQ(ok->body, R"({"status":"ok"})");
  auto* type = ok->header("content-type");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(*type, "application/json");
  auto with_query = tickflow::test::http_get(server_->port(), "/health?x=1");
  ASSERT_TRUE(with_query) << with_query.err().message();
  EXPECT_EQ(with_query->status, 200u);
  auto missing = tickflow::test::http_get(server_->port(), "/nope");
  ASSERT_TRUE(missing) << missing.err().message();
  EXPECT_EQ(missing->status, 404u);
  EXPECT_EQ(missing->body,
            R"({"error":{"code":"not_found","message":"no route for /nope"}})");
  EXPECT_EQ(rec_.open_count(), 0u);
}

TEST_F(WsServerTest, ListenFailureIsUnavailable) {
  start();
  boost::asio::io_context other_ioc;
  ws_server other{other_ioc, {}, {}};
  auto res = other.listen("127.0.0.1", server_->port());
  ASSERT_FALSE(res);
  EXPECT_EQ(res.err().code, errc::unavailable);
  auto prefix = "cannot listen on 127.0.0.1:" + std::to_string(server_->port());
  EXPECT_EQ(res.err().context.rfind(prefix, 0), 0u) << res.err().context;
  ws_server bad{other_ioc, {}, {}};
  auto bad_res = bad.listen("192.0.2.1", 0); // not ours (TEST-NET-1)
  ASSERT_FALSE(bad_res);
  EXPECT_EQ(bad_res.err().code, errc::unavailable);
}

TEST_F(WsServerTest, DestroyingTheServerWhileRunningClosesClients) {
  start();
  auto c = connect_client();
  server_.reset(); // the io_context keeps running
  EXPECT_EQ(c->wait_closed(), 1001);
  // No callback reaches us after the server is gone.
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(rec_.close_count(), 0u);
}

TEST_F(WsServerTest, ThrowingCallbackDoesNotKillTheIoThread) {
  ws_callbacks cbs = rec_.callbacks();
  auto record = cbs.on_message;
  cbs.on_message = [record](uint64_t id, std::string text) {
    if (text == "boom")
      throw std::runtime_error("callback bug");
    record(id, std::move(text));
  };
  server_ = std::make_unique<ws_server>(ioc_, ws_server_options{}, cbs);
  ASSERT_TRUE(server_->listen("127.0.0.1", 0));
  io_ = std::thread{[this] { ioc_.run(); }};
  auto c = connect_client();
  ASSERT_TRUE(c->send("boom"));
  ASSERT_TRUE(c->send("fine"));
  ASSERT_TRUE(rec_.wait([](recorder& r) { return r.messages.size() == 1; }));
  std::lock_guard<std::mutex> guard{rec_.mtx};
  EXPECT_EQ(rec_.messages[0].second, "fine");
}

// -- handshake versions and frame bounds (issue 26) ------------------------------

TEST_F(WsServerTest, OnlyVersion13Upgrades) {
  start();
  const std::string upgrade = "GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\n";
  const std::string key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  const std::pair<const char*, std::string> cases[] = {
    {"version 8", upgrade + key + "Sec-WebSocket-Version: 8\r\n\r\n"},
    {"version 7", upgrade + key + "Sec-WebSocket-Version: 7\r\n\r\n"},
    {"version 12", upgrade + key + "Sec-WebSocket-Version: 12\r\n\r\n"},
    {"version x", upgrade + key + "Sec-WebSocket-Version: x\r\n\r\n"},
    {"two versions", upgrade + key + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Version: 8\r\n\r\n"},
    {"no version, with a key", upgrade + key + "\r\n"},
    {"Hixie-76", upgrade + "Origin: http://127.0.0.1\r\nSec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
                           "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n^n:ds[4U"},
    {"Hixie-76 without key3", upgrade + "Origin: http://127.0.0.1\r\nSec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
                                        "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n"},
  };
  for (auto& [name, request] : cases) {
    SCOPED_TRACE(name);
    raw_socket c{server_->port()};
    ASSERT_TRUE(c.send(request));
    auto got = c.read_until([](const std::string& b) {
      auto end = b.find("\r\n\r\n");
      return end != b.npos && b.find('}', end) != b.npos;
    });
    EXPECT_EQ(got.rfind("HTTP/1.1 426", 0), 0u) << got;
    EXPECT_NE(got.find("Sec-WebSocket-Version: 13\r\n"), std::string::npos) << got;
    EXPECT_NE(got.find("\"upgrade_required\""), std::string::npos) << got;
  }
  EXPECT_EQ(rec_.open_count(), 0u);
  raw_socket good{server_->port()};
  EXPECT_TRUE(good.upgrade());
}

TEST_F(WsServerTest, NonMinimalLengthClosesWith1002) {
  start();
  for (bool wide : {false, true}) {
    SCOPED_TRACE(wide ? "non-minimal" : "minimal");
    raw_socket c{server_->port()};
    ASSERT_TRUE(c.upgrade());
    ASSERT_TRUE(c.send(raw_socket::frame(1, "hello", wide)));
    if (wide) {
      EXPECT_EQ(c.close_code(), 1002);
    } else {
      ASSERT_TRUE(rec_.wait([](recorder& r) { return r.messages.size() == 1; }));
    }
  }
  std::lock_guard<std::mutex> guard{rec_.mtx};
  EXPECT_EQ(rec_.messages.size(), 1u);
}

TEST_F(WsServerTest, PingFloodWithoutReadingClosesWith1008) {
  ws_server_options opts;
  opts.max_control_frames = 16;
  start(opts);
  // A few pings are answered.
  raw_socket polite{server_->port()};
  ASSERT_TRUE(polite.upgrade());
  ASSERT_TRUE(polite.send(raw_socket::frame(9, "a") + raw_socket::frame(9, "b")));
  auto pongs = polite.read_until([](const std::string& b) { return b.size() >= 6; });
  EXPECT_EQ(pongs, std::string("\x8a\x01" "a" "\x8a\x01" "b"));
  // A flood from a client that does not read is cut off.
  raw_socket flood{server_->port(), 4096};
  ASSERT_TRUE(flood.upgrade());
  std::string burst;
  for (int i = 0; i < 10000; ++i)
    burst += raw_socket::frame(9, "");
  auto until = std::chrono::steady_clock::now() + 20s;
  while (server_->ping_flood_closed() == 0 && std::chrono::steady_clock::now() < until)
    if (!flood.send(burst))
      break;
  EXPECT_EQ(server_->ping_flood_closed(), 1u);
  // Once it reads, what it finds last is the close frame.
  EXPECT_EQ(flood.close_code(20s), 1008);
  ASSERT_TRUE(polite.send(raw_socket::frame(9, "c")));
  EXPECT_EQ(polite.read_until([](const std::string& b) { return b.size() >= 9; }).substr(6),
            std::string("\x8a\x01" "c"));
}
