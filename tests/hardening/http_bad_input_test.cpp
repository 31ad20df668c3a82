// The tour of bad input, REST side, part 1: malformed HTTP sent on raw
// sockets. Each request gets its documented error (docs/API.md "Bad input"),
// the service survives it, and no answer or log line holds a secret.

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/hardening/tour_support.hpp"

using namespace tickflow::test;
using namespace tickflow::test::tour;

namespace {

class MalformedHttp : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(svc_.alive()) << svc_.tail_of_log(); }
  void TearDown() override { svc_.expect_healthy(); }

  raw_reply send(std::string_view bytes) { return raw_exchange(svc_.http_port(), bytes); }

  tour_service svc_;
};

const std::string host = "Host: 127.0.0.1\r\n";

std::string get(const std::string& target, const std::string& headers = {}) {
  return "GET " + target + " HTTP/1.1\r\n" + host + headers + "\r\n";
}

} // namespace

TEST_F(MalformedHttp, MethodThatIsNotATokenIs400) {
  for (auto line : {"G@T /health HTTP/1.1\r\n", " /health HTTP/1.1\r\n",
                    "GET\t/health HTTP/1.1\r\n", "\x01\x02\x03 /health HTTP/1.1\r\n"}) {
    EXPECT_TRUE(is_error(send(std::string{line} + host + "\r\n"), 400, "bad_request"))
      << line;
  }
}

TEST_F(MalformedHttp, UnknownMethodIs405WithAllow) {
  for (auto method : {"FOO", "DELETE", "PROPFIND", "BREW"}) {
    auto r = send(std::string{method} + " /health HTTP/1.1\r\n" + host + "\r\n");
    EXPECT_TRUE(is_error(r, 405, "method_not_allowed")) << method;
    EXPECT_EQ(raw_tcp::header("allow", r.head).value_or(""), "GET, HEAD") << method;
  }
  // An unknown method on an unknown path is just an unknown route.
  EXPECT_TRUE(is_error(send("FOO /nope HTTP/1.1\r\n" + host + "\r\n"), 404, "not_found"));
}

TEST_F(MalformedHttp, HugeHeadersAre431) {
  // One huge header, and many small ones, both over max-header-bytes (8192).
  EXPECT_TRUE(is_error(send(get("/health", "X-Big: " + std::string(20000, 'a') + "\r\n")),
                       431, "header_too_large"));
  std::string many;
  for (int i = 0; i < 2000; ++i)
    many += "X-H" + std::to_string(i) + ": v\r\n";
  EXPECT_TRUE(is_error(send(get("/health", many)), 431, "header_too_large"));
}

TEST_F(MalformedHttp, OverlongRequestLineIs431) {
  EXPECT_TRUE(is_error(send(get("/health?x=" + std::string(10000, 'a'))), 431,
                       "header_too_large"));
  EXPECT_TRUE(is_error(send(get("/" + std::string(100000, 'a'))), 431, "header_too_large"));
}

TEST_F(MalformedHttp, HugeBodiesAre413BeforeTheyAreRead) {
  // Announced over max-body-bytes (1 MiB): refused at once, nothing sent.
  EXPECT_TRUE(is_error(send("POST /api/v1/data/batch HTTP/1.1\r\n" + host
                            + "Content-Length: 1000000000\r\n\r\n"),
                       413, "body_too_large"));
  // Chunked, growing past the limit.
  std::string chunked = "POST /api/v1/data/batch HTTP/1.1\r\n" + host
                        + "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 300; ++i)
    chunked += "1000\r\n" + std::string(4096, 'x') + "\r\n";
  EXPECT_TRUE(is_error(send(chunked), 413, "body_too_large"));
  // Sent for real: the body of a 2 MiB Content-Length starts streaming
  // (less than the server reads and drops after refusing, so no reset
  // hides the answer).
  raw_tcp c;
  ASSERT_TRUE(c.connect(svc_.http_port()));
  c.send("POST /api/v1/data/batch HTTP/1.1\r\n" + host + "Content-Length: "
         + std::to_string(2 << 20) + "\r\n\r\n");
  c.send(std::string(512 << 10, '{'));
  EXPECT_TRUE(is_error(c.read_reply(), 413, "body_too_large"));
}

TEST_F(MalformedHttp, BadContentLengthOrFramingIs400) {
  for (auto framing : {"Content-Length: 99999999999999999999999\r\n",
                       "Content-Length: -1\r\n", "Content-Length: 12abc\r\n",
                       "Content-Length: 5\r\nContent-Length: 6\r\n",
                       "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"}) {
    auto r = send("POST /api/v1/data/batch HTTP/1.1\r\n" + host + framing + "\r\nhello");
    EXPECT_TRUE(is_error(r, 400, "bad_request")) << framing;
  }
  // A chunk size that is not hex.
  EXPECT_TRUE(is_error(send("POST /api/v1/data/batch HTTP/1.1\r\n" + host
                            + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
                       400, "bad_request"));
}

TEST_F(MalformedHttp, BadPercentEncodingIs400) {
  for (auto target : {"/api/v1/data/price?symbol=%zz", "/api/v1/data/price?symbol=%4",
                      "/api/v1/data/price?symbol=BTC%", "/api/%g0/data",
                      "/api/v1/data/price?sym%ZZbol=BTC-USDT"}) {
    EXPECT_TRUE(is_error(send(get(target)), 400, "bad_request")) << target;
  }
}

TEST_F(MalformedHttp, PathTraversalFindsNothing) {
  for (auto target : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                      "/dashboard/../../etc/passwd", "/dashboard/..%2f..%2fetc%2fpasswd",
                      "/dashboard/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/dashboard/%2e%2e",
                      "/dashboard/..", "/api/v1/../../../etc/passwd",
                      "/dashboard/....//....//etc/passwd", "/dashboard/%252e%252e%252fetc"}) {
    auto r = send(get(target));
    EXPECT_TRUE(is_error(r, 404, "not_found")) << target;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
  }
  // Not origin-form at all: refused before routing.
  for (auto target : {"..%2f..%2fetc%2fpasswd", "*", "http://127.0.0.1/health", "health"})
    EXPECT_TRUE(is_error(send(get(target)), 400, "bad_request")) << target;
}

TEST_F(MalformedHttp, NulBytesAre400) {
  using namespace std::string_literals;
  // In the target (raw and escaped), in a header name and in a header value.
  EXPECT_TRUE(is_error(send(get("/hea\0lth"s)), 400, "bad_request"));
  EXPECT_TRUE(is_error(send(get("/api/v1/data/price?symbol=BTC%00-USDT")), 400,
                       "bad_request"));
  EXPECT_TRUE(is_error(send(get("/health", "X-A\0b: 1\r\n"s)), 400, "bad_request"));
  EXPECT_TRUE(is_error(send(get("/health", "X-A: 1\0 2\r\n"s)), 400, "bad_request"));
}

TEST_F(MalformedHttp, MalformedVersionOrRequestLineIs400) {
  // Only HTTP/1.0 and HTTP/1.1 are spoken: any other version is refused
  // like a malformed one.
  for (auto line : {"GET /health HTTP/2.0\r\n", "GET /health HTTP/0.9\r\n",
                    "GET /health HTTP/9.9\r\n", "GET /health HTTP/1.10\r\n",
                    "GET /health HTTP/x\r\n",
                    "GET /health HTTPS/1.1\r\n", "GET /health\r\n", "GET  /health HTTP/1.1\r\n",
                    "GET /health HTTP/1.1 extra\r\n", "GET /health http/1.1\r\n"}) {
    EXPECT_TRUE(is_error(send(std::string{line} + host + "\r\n"), 400, "bad_request"))
      << line;
  }
  // A header line without a colon.
  EXPECT_TRUE(is_error(send(get("/health", "NoColonHere\r\n")), 400, "bad_request"));
}

TEST_F(MalformedHttp, GarbageIs400) {
  for (std::string junk : {std::string{"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"},
                           std::string{"\r\n\r\n\r\n\r\n"}, std::string(5000, '\xff'),
                           std::string{"SSH-2.0-OpenSSH_9.0\r\n"}}) {
    auto r = send(junk + "\r\n\r\n");
    EXPECT_TRUE(is_error(r, 400, "bad_request")) << r.head;
  }
}

TEST_F(MalformedHttp, PipelinedGarbageAfterAGoodRequestIs400ThenClose) {
  raw_tcp c;
  ASSERT_TRUE(c.connect(svc_.http_port()));
  ASSERT_TRUE(c.send(get("/health") + get("/live") + "BLAH \x01\x02 garbage\r\n\r\n"
                     + get("/health")));
  auto first = c.read_reply();
  auto second = c.read_reply();
  EXPECT_EQ(first.status, 200u);
  EXPECT_EQ(second.status, 200u);
  auto third = c.read_reply();
  EXPECT_TRUE(is_error(third, 400, "bad_request"));
  EXPECT_EQ(raw_tcp::header("connection", third.head).value_or(""), "close");
  // Nothing after the garbage is served: the connection closes.
  EXPECT_TRUE(c.wait_closed());
  EXPECT_EQ(c.pending(), "");
}

TEST_F(MalformedHttp, SlowlorisIsClosedAtTheRequestTimeout) {
  // Ten clients each send a request one header byte at a time, never
  // finishing. request-timeout is 2s from the first byte: every connection
  // is closed without an answer, while other clients are served meanwhile.
  constexpr int clients = 10;
  std::vector<raw_tcp> slow(clients);
  for (auto& c : slow) {
    ASSERT_TRUE(c.connect(svc_.http_port()));
    ASSERT_TRUE(c.send("GET /health HTTP/1.1\r\n" + host));
  }
  bool served_meanwhile = false;
  std::vector<bool> closed(clients, false);
  auto until = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < until) {
    bool all = true;
    for (int i = 0; i < clients; ++i) {
      if (closed[i])
        continue;
      if (!slow[i].send("X"))
        closed[i] = true;
      else if (slow[i].wait_closed(10ms))
        closed[i] = true;
      all = all && closed[i];
    }
    if (auto h = http_get(svc_.http_port(), "/health"); h && h->status == 200)
      served_meanwhile = true;
    if (all)
      break;
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_TRUE(served_meanwhile);
  for (int i = 0; i < clients; ++i) {
    EXPECT_TRUE(closed[i]) << "slow client " << i << " still held after 30 s";
    EXPECT_EQ(slow[i].pending(), "") << "a timed-out request is closed, not answered";
  }
}

TEST_F(MalformedHttp, SilentConnectionsAreClosed) {
  // Connected and never a byte: closed after idle-timeout (2s).
  std::vector<raw_tcp> quiet(20);
  for (auto& c : quiet)
    ASSERT_TRUE(c.connect(svc_.http_port()));
  for (auto& c : quiet)
    EXPECT_TRUE(c.wait_closed(30s));
  // A body announced and never sent: closed at the request timeout.
  raw_tcp body;
  ASSERT_TRUE(body.connect(svc_.http_port()));
  ASSERT_TRUE(body.send("POST /api/v1/data/batch HTTP/1.1\r\n" + host
                        + "Content-Length: 100\r\n\r\n{\"items\""));
  EXPECT_TRUE(body.wait_closed(30s));
  EXPECT_EQ(body.pending(), "");
}

TEST_F(MalformedHttp, CrlfInTheTargetInjectsNoHeader) {
  // Escaped CR LF in a query value and in the path: echoed (escaped) in the
  // JSON message at most, never as a header.
  auto q = send(get("/api/v1/data/price?symbol=BTC-USDT%0d%0aSet-Cookie:%20owned=1"));
  EXPECT_TRUE(is_error(q, 400, "invalid_parameter", "symbol"));
  auto p = send(get("/nope%0d%0aX-Injected:%20yes%0d%0a%0d%0a<html>"));
  EXPECT_TRUE(is_error(p, 404, "not_found"));
  for (auto* r : {&q, &p}) {
    EXPECT_FALSE(raw_tcp::header("set-cookie", r->head)) << r->head;
    EXPECT_FALSE(raw_tcp::header("x-injected", r->head)) << r->head;
  }
  // A raw CR inside a header value is a malformed request.
  EXPECT_TRUE(is_error(send(get("/health", "X-A: 1\rX-Injected: yes\r\n")), 400,
                       "bad_request"));
}

TEST_F(MalformedHttp, WebSocketPortRefusesBadHttpToo) {
  // The broadcaster's port speaks HTTP for the upgrade: garbage, a huge
  // header and a bad upgrade are refused there without harm.
  auto junk = raw_exchange(svc_.ws_port(), "\x16\x03\x01 junk\r\n\r\n");
  EXPECT_TRUE(junk.status == 400 || !junk.complete) << junk.head;
  auto big = raw_exchange(svc_.ws_port(), "GET /api/v1/stream HTTP/1.1\r\n" + host + "X-Big: "
                                            + std::string(100000, 'a') + "\r\n\r\n");
  EXPECT_TRUE(big.status == 431 || big.status == 400 || !big.complete) << big.head;
  auto no_key = raw_exchange(svc_.ws_port(), "GET /api/v1/stream HTTP/1.1\r\n" + host
                                               + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                                 "Sec-WebSocket-Version: 13\r\n\r\n");
  EXPECT_EQ(no_key.status, 400u) << no_key.head;
  auto wrong_path = raw_exchange(svc_.ws_port(), get("/../../etc/passwd"));
  EXPECT_TRUE(is_error(wrong_path, 404, "not_found"));
}
