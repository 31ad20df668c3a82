#pragma once

// The tour of bad input (tests/hardening): the real tickflow binary started
// with recognizable secrets in its environment (a provider API key, the admin
// token, a webhook secret), a REST provider (polygon) pointed at a loopback
// fixture server, and small raw-socket clients that send bytes no client
// library would. Every test ends with tour_service::expect_healthy(): the
// process still runs, /health answers on both ports, and neither the log nor
// any answer seen holds a secret.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/fixture_server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"

namespace tickflow::test::tour {

using namespace std::chrono_literals;

// -- secrets --------------------------------------------------------------------

/// Recognizable values: none may ever appear in an answer or the log.
inline constexpr std::string_view provider_key = "PolygonKey-7Qx2LeakCanary-a91f";
inline constexpr std::string_view admin_token = "AdminToken-7Qx2LeakCanary-c0d3";
inline constexpr std::string_view webhook_secret = "HookSecret-7Qx2LeakCanary-5eed";

/// The secret `text` holds, or "" when it holds none. The common part
/// ("LeakCanary") catches a secret cut short or escaped as well.
inline std::string secret_in(std::string_view text) {
  for (auto s : {provider_key, admin_token, webhook_secret})
    if (text.find(s) != std::string_view::npos)
      return std::string{s};
  if (text.find("LeakCanary") != std::string_view::npos)
    return "LeakCanary";
  return {};
}

// -- JSON -----------------------------------------------------------------------

inline rapidjson::Document parse_json(std::string_view text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  return d;
}

/// The string member `key` of `v`, or "".
inline std::string str_of(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString())
    return {};
  return {v[key].GetString(), v[key].GetStringLength()}; // NUL bytes included
}

/// A body in the one error shape {"error":{"code","message"[,"field"]}}.
struct api_error_body {
  bool shaped = false; ///< exactly that shape, nothing else
  std::string code;
  std::string message;
  std::string field;
};

inline api_error_body read_error(std::string_view body) {
  api_error_body out;
  auto d = parse_json(body);
  if (d.HasParseError() || !d.IsObject() || d.MemberCount() != 1
      || !d.HasMember("error") || !d["error"].IsObject())
    return out;
  auto& e = d["error"];
  bool ok = e.HasMember("code") && e["code"].IsString() && e.HasMember("message")
            && e["message"].IsString() && !std::string{e["code"].GetString()}.empty();
  size_t expected = 2;
  if (e.HasMember("field")) {
    ok = ok && e["field"].IsString();
    expected = 3;
  }
  out.shaped = ok && e.MemberCount() == expected;
  out.code = str_of(e, "code");
  out.message = str_of(e, "message");
  out.field = str_of(e, "field");
  return out;
}

// -- raw TCP --------------------------------------------------------------------

/// An answer read off a raw socket.
struct raw_reply {
  bool complete = false; ///< a status line, headers and the whole body arrived
  unsigned status = 0;
  std::string head;      ///< status line and headers, as sent
  std::string body;
};

/// A blocking loopback TCP connection that sends exactly the bytes it is
/// given. Every read is bounded by a timeout.
class raw_tcp {
 public:
  raw_tcp() = default;
  ~raw_tcp() { close(); }
  raw_tcp(const raw_tcp&) = delete;
  raw_tcp& operator=(const raw_tcp&) = delete;

  bool connect(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0)
      return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }

  /// Sends all of `bytes`; false when the peer is gone.
  bool send(std::string_view bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      auto n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  /// Sends as much of `bytes` as the peer takes within `timeout` (a peer
  /// that stops reading does not block the caller); true when all went.
  bool send_for(std::string_view bytes, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t done = 0;
    while (done < bytes.size()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
      pollfd pfd{fd_, POLLOUT, 0};
      if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0)
        return false;
      auto n = ::send(fd_, bytes.data() + done, bytes.size() - done,
                      MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n <= 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        return false;
      if (n > 0)
        done += static_cast<size_t>(n);
    }
    return true;
  }

  /// Reads one HTTP answer (Content-Length framed, as tickflow sends).
  raw_reply read_reply(std::chrono::milliseconds timeout = 10s) {
    raw_reply r;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t end = std::string::npos;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill(deadline))
        return r;
    r.head = buf_.substr(0, end + 2);
    buf_.erase(0, end + 4);
    if (r.head.rfind("HTTP/1.", 0) == 0 && r.head.size() > 12)
      r.status = static_cast<unsigned>(std::atoi(r.head.c_str() + 9));
    size_t length = 0;
    if (auto cl = header("content-length", r.head))
      length = static_cast<size_t>(std::strtoull(cl->c_str(), nullptr, 10));
    while (buf_.size() < length)
      if (!fill(deadline))
        return r;
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    r.complete = r.status != 0;
    return r;
  }

  /// True when the peer closes (EOF or reset) within `timeout`; whatever it
  /// sends meanwhile is kept for read_reply.
  bool wait_closed(std::chrono::milliseconds timeout = 10s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      switch (fill_once(deadline)) {
        case fill_result::closed:
          return true;
        case fill_result::timeout:
          return false;
        case fill_result::data:
          break;
      }
    }
    return false;
  }

  /// Everything received and not consumed yet.
  const std::string& pending() const noexcept { return buf_; }

  /// Takes everything received and not consumed yet.
  std::string take() {
    std::string out;
    out.swap(buf_);
    return out;
  }

  /// Waits up to `timeout` for more bytes (kept for take/read_reply): 1 when
  /// some arrived, 0 when the peer closed, -1 on timeout.
  int read_some(std::chrono::milliseconds timeout) {
    switch (fill_once(std::chrono::steady_clock::now() + timeout)) {
      case fill_result::data:
        return 1;
      case fill_result::closed:
        return 0;
      case fill_result::timeout:
        break;
    }
    return -1;
  }

  void close() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }

  /// The value of header `name` (lowercase) in a response head.
  static std::optional<std::string> header(const std::string& name,
                                           const std::string& head) {
    size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos + 2 < head.size()) {
      auto next = head.find("\r\n", pos + 2);
      auto line = head.substr(pos + 2, next == std::string::npos ? std::string::npos
                                                                 : next - pos - 2);
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string key = line.substr(0, colon);
        for (auto& c : key)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (key == name) {
          auto v = line.substr(colon + 1);
          while (!v.empty() && v.front() == ' ')
            v.erase(0, 1);
          return v;
        }
      }
      pos = next;
    }
    return std::nullopt;
  }

 private:
  enum class fill_result { data, closed, timeout };

  fill_result fill_once(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return fill_result::timeout;
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0)
      return fill_result::timeout;
    char chunk[16384];
    auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0)
      return fill_result::closed;
    buf_.append(chunk, static_cast<size_t>(n));
    return fill_result::data;
  }

  bool fill(std::chrono::steady_clock::time_point deadline) {
    return fill_once(deadline) == fill_result::data;
  }

  int fd_ = -1;
  std::string buf_;
};

/// Sends `bytes` on a fresh connection to `port` and reads one answer.
inline raw_reply raw_exchange(uint16_t port, std::string_view bytes,
                              std::chrono::milliseconds timeout = 10s) {
  raw_tcp c;
  if (!c.connect(port) || !c.send(bytes))
    return {};
  return c.read_reply(timeout);
}

// -- the service ----------------------------------------------------------------

/// What a tour service runs with, beyond the fixed setup.
struct tour_options {
  /// [gateway] request-timeout.
  std::string request_timeout = "2s";
  /// Extra [gateway] lines.
  std::string gateway;
  /// Extra [broadcaster] lines.
  std::string broadcaster;
  /// Extra [validator] lines.
  std::string validator;
  /// Extra sections, appended as they are.
  std::string extra;
};

/// The real binary: simulator + polygon (REST, at a loopback fixture server
/// that knows nothing, so every fetch fails upstream), the secrets in its
/// environment, log level debug (the most it would ever write).
class tour_service {
 public:
  explicit tour_service(const tour_options& opts = {}) {
    dir_ = temp_dir();
    http_port_ = free_port();
    ws_port_ = free_port();
    while (ws_port_ == http_port_)
      ws_port_ = free_port();
    std::string ini = "[log]\nlevel = debug\n"
                      "[gateway]\nport = " + std::to_string(http_port_) + "\n"
                      "request-timeout = " + opts.request_timeout + "\nidle-timeout = 2s\n"
                      "max-header-bytes = 8192\nmax-body-bytes = 1048576\n"
                      + opts.gateway
                      + "[broadcaster]\nport = " + std::to_string(ws_port_) + "\n"
                      "max-message-bytes = 4096\nmax-channels-per-client = 8\n"
                      + opts.broadcaster
                      + "[providers]\nenabled = simulator, polygon\n"
                        "[polygon]\nbase-url = " + upstream_.base_url() + "\n"
                        "api-key-env = POLYGON_API_KEY\ntimeout = 2s\n"
                        "[simulator]\nsymbols = BTC-USDT:65000.00, ETH-USDT:3500.00\n"
                        "trades-per-second = 5\n"
                        "[validator]\ncount = 1\n"
                      + opts.validator
                      + "[webhooks]\nenabled = true\nmax-body-bytes = 1048576\n"
                      + opts.extra;
    std::ofstream{dir_ + "/tickflow.ini", std::ios::binary} << ini;
    // Only the secrets of this tour, never the test's own environment.
    for (auto name : {"TICKFLOW_WEBHOOK_BINANCE_SECRET", "TICKFLOW_WEBHOOK_POLYGON_SECRET"})
      unsetenv(name);
    setenv("POLYGON_API_KEY", std::string{provider_key}.c_str(), 1);
    setenv("TICKFLOW_ADMIN_TOKEN", std::string{admin_token}.c_str(), 1);
    setenv("TICKFLOW_WEBHOOK_TEST_SECRET", std::string{webhook_secret}.c_str(), 1);
    proc_ = std::make_unique<child_process>(
      TICKFLOW_BINARY, std::vector<std::string>{"--config", dir_ + "/tickflow.ini"},
      dir_ + "/tickflow.log");
    // Up to 30 s: sanitizer builds on a busy machine start slowly.
    for (int i = 0; i < 3000 && proc_->running(); ++i) {
      if (auto r = http_get(http_port_, "/live"); r && r->status == 200)
        return;
      std::this_thread::sleep_for(10ms);
    }
  }

  ~tour_service() {
    if (proc_)
      proc_->stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  tour_service(const tour_service&) = delete;
  tour_service& operator=(const tour_service&) = delete;

  uint16_t http_port() const noexcept { return http_port_; }
  uint16_t ws_port() const noexcept { return ws_port_; }
  std::string ws_url() const {
    return "ws://127.0.0.1:" + std::to_string(ws_port_) + "/api/v1/stream";
  }
  fixture_server& upstream() noexcept { return upstream_; }
  bool running() { return proc_ && proc_->running(); }
  pid_t pid() const noexcept { return proc_ ? proc_->pid() : -1; }
  std::string log() const { return proc_ ? proc_->output() : std::string{}; }

  /// The service still runs and /health answers 200 on both ports.
  ::testing::AssertionResult alive() {
    if (!running())
      return ::testing::AssertionFailure() << "tickflow exited; log:\n" << tail_of_log();
    auto h = http_get(http_port_, "/health");
    if (!h || h->status != 200)
      return ::testing::AssertionFailure() << "REST /health did not answer 200";
    auto w = http_get(ws_port_, "/health");
    if (!w || w->status != 200)
      return ::testing::AssertionFailure() << "WebSocket-port /health did not answer 200";
    return ::testing::AssertionSuccess();
  }

  /// Alive, and the log holds no secret.
  void expect_healthy() {
    EXPECT_TRUE(alive());
    auto text = log();
    EXPECT_EQ(secret_in(text), "") << "a secret reached the log";
    EXPECT_FALSE(text.empty()) << "the log is empty: the grep would prove nothing";
    // Sanitizer builds report undefined behaviour here (and halt).
    for (auto tell : {"runtime error:", "AddressSanitizer", "stack-overflow"})
      EXPECT_EQ(text.find(tell), std::string::npos) << tell << "\n" << tail_of_log();
  }

  std::string tail_of_log() const {
    auto text = log();
    return text.size() > 4000 ? text.substr(text.size() - 4000) : text;
  }

 private:
  fixture_server upstream_;
  std::string dir_;
  uint16_t http_port_ = 0;
  uint16_t ws_port_ = 0;
  std::unique_ptr<child_process> proc_;
};

/// Checks an answer against the documented error: status, code, field ("-":
/// any), the one shape, JSON content type, and no secret in head or body.
inline ::testing::AssertionResult is_error(const raw_reply& r, unsigned status,
                                           const std::string& code,
                                           const std::string& field = "-") {
  if (!r.complete)
    return ::testing::AssertionFailure() << "no complete answer; got head [" << r.head << "]";
  auto e = read_error(r.body);
  if (r.status != status || e.code != code || (field != "-" && e.field != field))
    return ::testing::AssertionFailure()
           << "expected " << status << " " << code << " field '" << field << "', got "
           << r.status << " " << r.body;
  if (!e.shaped)
    return ::testing::AssertionFailure() << "not the one error shape: " << r.body;
  auto ct = raw_tcp::header("content-type", r.head);
  if (!ct || ct->rfind("application/json", 0) != 0)
    return ::testing::AssertionFailure() << "content type is not JSON: " << r.head;
  if (auto s = secret_in(r.head + r.body); !s.empty())
    return ::testing::AssertionFailure() << "the answer holds a secret";
  return ::testing::AssertionSuccess();
}

/// The same check for an answer of the test http client.
inline ::testing::AssertionResult is_error(const result<http_reply>& r, unsigned status,
                                           const std::string& code,
                                           const std::string& field = "-") {
  if (!r)
    return ::testing::AssertionFailure() << "no answer: " << r.err().context;
  raw_reply raw;
  raw.complete = true;
  raw.status = r->status;
  raw.head = "HTTP/1.1 " + std::to_string(r->status) + " x\r\n";
  for (auto& [k, v] : r->headers)
    raw.head += k + ": " + v + "\r\n";
  raw.body = r->body;
  return is_error(raw, status, code, field);
}

} // namespace tickflow::test::tour
