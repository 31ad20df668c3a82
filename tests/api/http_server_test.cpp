#include "api/http_server.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/http_client.hpp"

using namespace std::chrono_literals;
using tickflow::errc;
using tickflow::api::http_request;
using tickflow::api::http_response;
using tickflow::api::http_server;
using tickflow::api::http_server_options;
using tickflow::api::responder;
using tickflow::test::header_list;
using tickflow::test::http_client;
using tickflow::test::http_reply;

namespace {

using clock_type = std::chrono::steady_clock;

/// Answers requests on its own thread, as the gateway actor would. Routes:
///   /echo...     200 text/plain: the body, else the "i" parameter, else the
///                path; X-Remote: the peer address
///   /drop        drops the responder uncalled
///   /hang        keeps the responder (answer_held answers it later)
///   /status?code=N  N with body "x" and a few extra headers
/// "?delay_us=N" answers N microseconds later.
class answerer {
 public:
  answerer() : worker_([this] { run(); }) {
    // nop
  }

  ~answerer() {
    stop();
  }

  void push(http_request req, responder respond) {
    auto due = clock_type::now();
    if (auto* d = req.param("delay_us"))
      due += std::chrono::microseconds{std::stoll(*d)};
    std::lock_guard<std::mutex> guard{mtx_};
    queue_.emplace(due, job{std::move(req), std::move(respond)});
    cv_.notify_all();
  }

  /// Answers the oldest held request; false when none is held.
  bool answer_held(http_response res) {
    responder r;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (held_.empty())
        return false;
      r = std::move(held_.front());
      held_.pop_front();
    }
    r(std::move(res));
    return true;
  }

  /// Waits until `n` requests are held.
  bool wait_held(size_t n) {
    std::unique_lock<std::mutex> lock{mtx_};
    return cv_.wait_for(lock, 5s, [&] { return held_.size() >= n; });
  }

  /// Joins the worker and drops what it still holds (those responders
  /// answer 500 or are ignored). Call while the io_context still runs.
  void stop() {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      stopping_ = true;
      cv_.notify_all();
    }
    if (worker_.joinable())
      worker_.join();
    std::multimap<clock_type::time_point, job> queue;
    std::deque<responder> held;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      queue.swap(queue_);
      held.swap(held_);
    }
  }

 private:
  struct job {
    http_request req;
    responder respond;
  };

  void run() {
    std::unique_lock<std::mutex> lock{mtx_};
    for (;;) {
      if (stopping_)
        return;
      if (queue_.empty()) {
        cv_.wait(lock);
        continue;
      }
      auto due = queue_.begin()->first;
      if (due > clock_type::now()) {
        cv_.wait_until(lock, due);
        continue;
      }
      auto j = std::move(queue_.begin()->second);
      queue_.erase(queue_.begin());
      lock.unlock();
      handle(std::move(j));
      lock.lock();
    }
  }

  void handle(job j) {
    const auto& path = j.req.path;
    if (path == "/drop")
      return;
    if (path == "/hang") {
      std::lock_guard<std::mutex> guard{mtx_};
      held_.push_back(std::move(j.respond));
      cv_.notify_all();
      return;
    }
    http_response res;
    res.content_type = "text/plain";
    if (path == "/status") {
      res.status = static_cast<unsigned>(std::stoul(*j.req.param("code")));
      res.body = "x";
      res.headers = {{"X-Good", "1"},
                     {"X-Bad", "a\r\nInjected: 1"},
                     {"Bad Name", "1"},
                     {"Content-Length", "999"},
                     {"Connection", "close"}};
    } else if (!j.req.body.empty()) {
      res.body = j.req.body;
    } else if (auto* i = j.req.param("i")) {
      res.body = *i;
    } else {
      res.body = path;
    }
    res.headers.emplace_back("X-Remote", j.req.remote);
    j.respond(std::move(res));
  }

  std::mutex mtx_;
  std::condition_variable cv_;
  std::multimap<clock_type::time_point, job> queue_;
  std::deque<responder> held_;
  bool stopping_ = false;
  std::thread worker_; // last: starts after the members above exist
};

/// error.code of a JSON error body, or "<not an error>" when the body does
/// not have the one error shape.
std::string error_code_of(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("error"))
    return "<not an error>";
  const auto& e = doc["error"];
  if (!e.IsObject() || !e.HasMember("code") || !e["code"].IsString()
      || !e.HasMember("message") || !e["message"].IsString())
    return "<not an error>";
  return e["code"].GetString();
}

std::string error_message_of(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("error"))
    return {};
  return doc["error"]["message"].GetString();
}

class HttpServerTest : public ::testing::Test {
 protected:
  void start(http_server_options opts = {}) {
    server_ = std::make_unique<http_server>(
      ioc_, opts, [this](http_request req, responder respond) {
        on_request(std::move(req), std::move(respond));
      });
    auto r = server_->listen("127.0.0.1", 0);
    ASSERT_TRUE(r.ok()) << r.err().message();
    port_ = server_->port();
    ASSERT_NE(port_, 0);
    for (int i = 0; i < 2; ++i)
      io_threads_.emplace_back([this] { ioc_.run(); });
  }

  void TearDown() override {
    answerer_.stop(); // responders die while the io_context still runs
    if (server_)
      stop_server();
    work_.reset();
    ioc_.stop();
    for (auto& t : io_threads_)
      t.join();
    server_.reset();
  }

  // Calls stop() on an I/O thread, as the contract asks.
  void stop_server() {
    std::promise<void> done;
    boost::asio::post(ioc_, [&] {
      server_->stop();
      done.set_value();
    });
    done.get_future().wait();
  }

  // The handler: runs on the I/O threads, records, then hands over.
  void on_request(http_request req, responder respond) {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      ++calls_;
      remotes_.insert(req.remote);
      last_ = req;
      cv_.notify_all();
    }
    if (req.path == "/throw")
      throw std::runtime_error("handler failed");
    if (req.path == "/sync") {
      http_response res;
      res.body = R"({"sync":true})";
      respond(std::move(res));
      return;
    }
    answerer_.push(std::move(req), std::move(respond));
  }

  size_t calls() {
    std::lock_guard<std::mutex> guard{mtx_};
    return calls_;
  }

  std::set<std::string> remotes() {
    std::lock_guard<std::mutex> guard{mtx_};
    return remotes_;
  }

  http_request last() {
    std::lock_guard<std::mutex> guard{mtx_};
    return last_;
  }

  bool wait_calls(size_t n) {
    std::unique_lock<std::mutex> lock{mtx_};
    return cv_.wait_for(lock, 10s, [&] { return calls_ >= n; });
  }

  // The server counts no unsent answer (its write completions run a
  // moment after the client has read the last byte).
  bool unsent_drains() {
    for (int i = 0; i < 500 && server_->unsent_bytes() != 0; ++i)
      std::this_thread::sleep_for(10ms);
    return server_->unsent_bytes() == 0;
  }

  // Asserts a JSON error answer on a connection the server then closes.
  void expect_error_and_close(http_client& c, const http_reply& r,
                              unsigned status, const std::string& code) {
    EXPECT_EQ(r.status, status);
    ASSERT_NE(r.header("content-type"), nullptr);
    EXPECT_EQ(*r.header("content-type"), "application/json");
    EXPECT_EQ(error_code_of(r.body), code) << r.body;
    EXPECT_FALSE(r.keep_alive);
    EXPECT_TRUE(c.wait_closed());
  }

  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type>
    work_ = boost::asio::make_work_guard(ioc_);
  std::unique_ptr<http_server> server_;
  uint16_t port_ = 0;
  answerer answerer_;
  std::vector<std::thread> io_threads_;
  std::mutex mtx_;
  std::condition_variable cv_;
  size_t calls_ = 0;
  std::set<std::string> remotes_;
  http_request last_;
};

// -- keep-alive and connection handling ---------------------------------------

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  start();
  http_client c{port_};
  for (int i = 0; i < 100; ++i) {
    auto id = std::to_string(i);
    auto r = c.get("/echo?delay_us=200&i=" + id);
    ASSERT_TRUE(r.ok()) << "request " << i << ": " << r.err().message();
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, id);
    EXPECT_TRUE(r->keep_alive);
    ASSERT_NE(r->header("server"), nullptr);
    EXPECT_EQ(*r->header("server"), "tickflow");
    ASSERT_NE(r->header("content-type"), nullptr);
    EXPECT_EQ(*r->header("content-type"), "text/plain");
    ASSERT_NE(r->header("content-length"), nullptr);
    EXPECT_EQ(*r->header("content-length"), std::to_string(id.size()));
  }
  EXPECT_EQ(calls(), 100u);
  auto seen = remotes();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(*seen.begin(), "127.0.0.1:" + std::to_string(c.local_port()));
  EXPECT_EQ(server_->connections(), 1u);
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  start();
  http_client c{port_};
  auto r = c.request("GET", "/echo?i=1", {}, {{"Connection", "close"}});
  ASSERT_TRUE(r.ok()) << r.err().message();
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, "1");
  ASSERT_NE(r->header("connection"), nullptr);
  EXPECT_EQ(*r->header("connection"), "close");
  EXPECT_FALSE(r->keep_alive);
  EXPECT_TRUE(c.wait_closed());
}

struct version_case {
  std::string name;
  unsigned version;
  header_list headers;
  bool keep_alive;
  const char* connection_header; // expected value, nullptr: absent
};

TEST_F(HttpServerTest, KeepAliveFollowsVersionAndConnectionHeader) {
  const version_case cases[] = {
    {"1.0 closes by default", 10, {}, false, nullptr},
    {"1.0 keep-alive asked", 10, {{"Connection", "keep-alive"}}, true,
     "keep-alive"},
    {"1.0 close asked", 10, {{"Connection", "close"}}, false, nullptr},
    {"1.1 keeps by default", 11, {}, true, nullptr},
    {"1.1 close asked", 11, {{"Connection", "close"}}, false, "close"},
  };
  start();
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    http_client c{port_};
    auto r = c.request("GET", "/echo?i=a", {}, k.headers, k.version);
    ASSERT_TRUE(r.ok()) << r.err().message();
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->version, k.version);
    EXPECT_EQ(r->body, "a");
    EXPECT_EQ(r->keep_alive, k.keep_alive);
    auto* conn = r->header("connection");
    if (k.connection_header == nullptr)
      EXPECT_EQ(conn, nullptr);
    else
      EXPECT_EQ(conn ? *conn : "<absent>", k.connection_header);
    if (k.keep_alive) {
      auto again = c.request("GET", "/echo?i=b", {}, k.headers, k.version);
      ASSERT_TRUE(again.ok()) << again.err().message();
      EXPECT_EQ(again->body, "b");
    } else {
      EXPECT_TRUE(c.wait_closed());
    }
  }
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  http_server_options opts;
  opts.idle_timeout_ns = 100'000'000; // 100 ms
  start(opts);
  http_client c{port_};
  auto r = c.get("/echo?i=1");
  ASSERT_TRUE(r.ok()) << r.err().message();
  EXPECT_EQ(r->status, 200u);
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  http_client c{port_};
  ASSERT_TRUE(c.send_raw("GET /echo?i=1&delay_us=2000 HTTP/1.1\r\n"
                         "Host: x\r\n\r\n"
                         "GET /echo?i=2 HTTP/1.1\r\nHost: x\r\n\r\n")
                .ok());
  auto r1 = c.read_reply();
  auto r2 = c.read_reply();
  ASSERT_TRUE(r1.ok()) << r1.err().message();
  ASSERT_TRUE(r2.ok()) << r2.err().message();
  EXPECT_EQ(r1->body, "1");
  EXPECT_EQ(r2->body, "2");
  EXPECT_EQ(remotes().size(), 1u);
}

// -- the request the handler sees ---------------------------------------------

TEST_F(HttpServerTest, HandlerSeesDecodedRequest) {
  start();
  http_client c{port_};
  auto r = c.request("POST", "/echo/a%20b?x=1&y=a+b%26c&x=2", "payload",
                     {{"X-Custom", "Value"}});
  ASSERT_TRUE(r.ok()) << r.err().message();
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, "payload");
  auto req = last();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/echo/a%20b?x=1&y=a+b%26c&x=2");
  EXPECT_EQ(req.path, "/echo/a b");
  using pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(req.query, (pairs{{"x", "1"}, {"y", "a b&c"}, {"x", "2"}}));
  ASSERT_NE(req.param("x"), nullptr);
  EXPECT_EQ(*req.param("x"), "1");
  EXPECT_EQ(req.param("z"), nullptr);
  ASSERT_NE(req.header("x-custom"), nullptr);
  EXPECT_EQ(*req.header("x-custom"), "Value");
  ASSERT_NE(req.header("host"), nullptr);
  ASSERT_NE(req.header("content-length"), nullptr);
  EXPECT_EQ(*req.header("content-length"), "7");
  EXPECT_EQ(req.header("X-Custom"), nullptr); // names are lowercase
  EXPECT_EQ(req.body, "payload");
  EXPECT_EQ(req.remote, "127.0.0.1:" + std::to_string(c.local_port()));
  ASSERT_NE(r->header("x-remote"), nullptr);
  EXPECT_EQ(*r->header("x-remote"), req.remote);
}

TEST_F(HttpServerTest, HeadSendsHeadersWithoutBody) {
  start();
  http_client c{port_};
  auto get = c.get("/echo?i=hello");
  ASSERT_TRUE(get.ok()) << get.err().message();
  EXPECT_EQ(get->body, "hello");
  auto head = c.request("HEAD", "/echo?i=hello");
  ASSERT_TRUE(head.ok()) << head.err().message();
  EXPECT_EQ(head->status, 200u);
  EXPECT_TRUE(head->body.empty());
  ASSERT_NE(head->header("content-length"), nullptr);
  EXPECT_EQ(*head->header("content-length"), "5");
  ASSERT_NE(head->header("content-type"), nullptr);
  EXPECT_EQ(*head->header("content-type"), "text/plain");
  EXPECT_EQ(last().method, "HEAD");
  // Nothing stray follows the HEAD answer on the connection.
  auto again = c.get("/echo?i=again");
  ASSERT_TRUE(again.ok()) << again.err().message();
  EXPECT_EQ(again->body, "again");
  EXPECT_EQ(remotes().size(), 1u);
}

TEST_F(HttpServerTest, ExpectContinueGetsInterimAnswer) {
  start();
  http_client c{port_};
  ASSERT_TRUE(c.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\n"
                         "Expect: 100-continue\r\nContent-Length: 5\r\n\r\n")
                .ok());
  auto interim = c.read_reply();
  ASSERT_TRUE(interim.ok()) << interim.err().message();
  EXPECT_EQ(interim->status, 100u);
  ASSERT_TRUE(c.send_raw("hello").ok());
  auto r = c.read_reply();
  ASSERT_TRUE(r.ok()) << r.err().message();
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, "hello");
}

// -- what the handler answers -------------------------------------------------

TEST_F(HttpServerTest, SynchronousAnswerFromTheHandler) {
  start();
  http_client c{port_};
  for (int i = 0; i < 3; ++i) {
    auto r = c.get("/sync");
    ASSERT_TRUE(r.ok()) << r.err().message();
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, R"({"sync":true})");
    ASSERT_NE(r->header("content-type"), nullptr);
    EXPECT_EQ(*r->header("content-type"), "application/json");
  }
}

TEST_F(HttpServerTest, ExtraHeadersAreCheckedAndStatusKept) {
  start();
  http_client c{port_};
  auto r = c.get("/status?code=201");
  ASSERT_TRUE(r.ok()) << r.err().message();
  EXPECT_EQ(r->status, 201u);
  EXPECT_EQ(r->body, "x");
  ASSERT_NE(r->header("x-good"), nullptr);
  EXPECT_EQ(*r->header("x-good"), "1");
  EXPECT_EQ(r->header("x-bad"), nullptr);    // CR LF in the value
  EXPECT_EQ(r->header("injected"), nullptr);
  EXPECT_EQ(r->header("bad name"), nullptr); // not a token
  ASSERT_NE(r->header("content-length"), nullptr);
  EXPECT_EQ(*r->header("content-length"), "1"); // the handler's is ignored
  EXPECT_TRUE(r->keep_alive); // the handler cannot say Connection: close
  size_t lengths = 0;
  for (const auto& [name, value] : r->headers)
    lengths += name == "content-length" ? 1 : 0;
  EXPECT_EQ(lengths, 1u);
}

TEST_F(HttpServerTest, NoContentHasNoBody) {
  start();
  http_client c{port_};
  auto r = c.get("/status?code=204");
  ASSERT_TRUE(r.ok()) << r.err().message();
  EXPECT_EQ(r->status, 204u);
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(r->header("content-length"), nullptr);
  auto again = c.get("/echo?i=next");
  ASSERT_TRUE(again.ok()) << again.err().message();
  EXPECT_EQ(again->body, "next");
}

TEST_F(HttpServerTest, InvalidStatusBecomes500) {
  start();
  http_client c{port_};
  for (const char* code : {"99", "100", "600"}) {
    SCOPED_TRACE(code);
    auto r = c.get(std::string("/status?code=") + code);
    ASSERT_TRUE(r.ok()) << r.err().message();
    EXPECT_EQ(r->status, 500u);
    EXPECT_EQ(error_code_of(r->body), "internal");
  }
}

TEST_F(HttpServerTest, DroppedResponderAnswers500) {
  start();
  http_client c{port_};
  for (const char* path : {"/drop", "/throw"}) {
    SCOPED_TRACE(path);
    auto r = c.get(path);
    ASSERT_TRUE(r.ok()) << r.err().message();
    EXPECT_EQ(r->status, 500u);
    EXPECT_EQ(error_code_of(r->body), "internal") << r->body;
    EXPECT_EQ(error_message_of(r->body), "no response");
    EXPECT_TRUE(r->keep_alive);
  }
  auto after = c.get("/echo?i=ok");
  ASSERT_TRUE(after.ok()) << after.err().message();
  EXPECT_EQ(after->body, "ok");
}

TEST_F(HttpServerTest, LateAnswerAfterTimeoutIsIgnored) {
  http_server_options opts;
  opts.request_timeout_ns = 200'000'000; // 200 ms
  start(opts);
  http_client c{port_};
  auto t0 = clock_type::now();
  auto r = c.get("/hang");
  auto waited = clock_type::now() - t0;
  ASSERT_TRUE(r.ok()) << r.err().message();
  EXPECT_EQ(r->status, 504u);
  EXPECT_EQ(error_code_of(r->body), "timeout") << r->body;
  EXPECT_GE(waited, 150ms);
  EXPECT_TRUE(r->keep_alive);
  // The handler answers late: ignored, and it must not leak into the next
  // answer on the same connection.
  ASSERT_TRUE(answerer_.wait_held(1));
  http_response late;
  late.body = "late";
  ASSERT_TRUE(answerer_.answer_held(std::move(late)));
  auto next = c.get("/echo?i=next");
  ASSERT_TRUE(next.ok()) << next.err().message();
  EXPECT_EQ(next->status, 200u);
  EXPECT_EQ(next->body, "next");
}

// -- bad requests -------------------------------------------------------------

struct raw_case {
  std::string name;
  std::string bytes;
};

TEST_F(HttpServerTest, MalformedRequestsGet400AndClose) {
  const raw_case cases[] = {
    {"garbage request line", "GARBAGE\r\n\r\n"},
    {"binary method", std::string("\x01\x02\x03 / HTTP/1.1\r\n\r\n")},
    {"missing version", "GET /x\r\nHost: x\r\n\r\n"},
    {"bad version", "GET /x HTTX/1.1\r\nHost: x\r\n\r\n"},
    {"header without colon", "GET /x HTTP/1.1\r\nHost x\r\n\r\n"},
    {"bad content length", "POST /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n"},
    {"two content lengths", "POST /x HTTP/1.1\r\nContent-Length: 1\r\n"
                            "Content-Length: 2\r\n\r\nab"},
    {"bad chunk", "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "zz\r\n"},
  };
  start();
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    http_client c{port_};
    ASSERT_TRUE(c.send_raw(k.bytes).ok());
    auto r = c.read_reply();
    ASSERT_TRUE(r.ok()) << r.err().message();
    expect_error_and_close(c, *r, 400, "bad_request");
  }
  EXPECT_EQ(calls(), 0u);
}

TEST_F(HttpServerTest, BadTargetsGet400WithoutCallingTheHandler) {
  const std::string targets[] = {
    "/a%zz", "/a%4", "/a%", "/a%00b", "/p?x=%zz", "/p?x=%4", "/p?x=%00",
    "relative", "/p#fragment",
  };
  start();
  http_client c{port_};
  for (const auto& t : targets) {
    SCOPED_TRACE(t);
    auto r = c.get(t);
    ASSERT_TRUE(r.ok()) << r.err().message();
    EXPECT_EQ(r->status, 400u);
    EXPECT_EQ(error_code_of(r->body), "bad_request") << r->body;
    EXPECT_TRUE(r->keep_alive); // the message itself was well formed
  }
  EXPECT_EQ(calls(), 0u);
  auto ok = c.get("/echo?i=fine");
  ASSERT_TRUE(ok.ok()) << ok.err().message();
  EXPECT_EQ(ok->body, "fine");
  EXPECT_EQ(calls(), 1u);
}

TEST_F(HttpServerTest, OversizeHeaderGets431) {
  http_server_options opts;
  opts.max_header_bytes = 1024;
  start(opts);
  const header_list cases[] = {
    {{"X-Big", std::string(4000, 'a')}},
    {{"X-A", std::string(600, 'a')}, {"X-B", std::string(600, 'b')}},
  };
  for (const auto& headers : cases) {
    http_client c{port_};
    auto r = c.request("GET", "/echo", {}, headers);
    ASSERT_TRUE(r.ok()) << r.err().message();
    expect_error_and_close(c, *r, 431, "header_too_large");
  }
  // A long target counts too.
  http_client c{port_};
  auto r = c.get("/echo?i=" + std::string(2000, 'x'));
  ASSERT_TRUE(r.ok()) << r.err().message();
  expect_error_and_close(c, *r, 431, "header_too_large");
  // Just under the limit is fine.
  http_client fine{port_};
  auto ok = fine.request("GET", "/echo?i=1", {},
                         {{"X-A", std::string(800, 'a')}});
  ASSERT_TRUE(ok.ok()) << ok.err().message();
  EXPECT_EQ(ok->status, 200u);
  EXPECT_EQ(calls(), 1u);
}

TEST_F(HttpServerTest, BodyTooLargeGets413) {
  http_server_options opts;
  opts.max_body_bytes = 1000;
  start(opts);
  const raw_case cases[] = {
    {"whole body sent",
     "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"
       + std::string(5000, 'b')},
    {"huge length announced",
     "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n"
       + std::string(100, 'b')},
    {"chunked past the limit",
     "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
     "3e8\r\n" + std::string(1000, 'b') + "\r\n3e8\r\n"
       + std::string(1000, 'b') + "\r\n0\r\n\r\n"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    http_client c{port_};
    ASSERT_TRUE(c.send_raw(k.bytes).ok());
    auto r = c.read_reply();
    ASSERT_TRUE(r.ok()) << r.err().message();
    expect_error_and_close(c, *r, 413, "body_too_large");
  }
  EXPECT_EQ(calls(), 0u);
  // At the limit is fine.
  http_client c{port_};
  auto ok = c.request("POST", "/echo", std::string(1000, 'k'));
  ASSERT_TRUE(ok.ok()) << ok.err().message();
  EXPECT_EQ(ok->status, 200u);
  EXPECT_EQ(ok->body, std::string(1000, 'k'));
}

// -- framing and memory bounds (issue 26) --------------------------------------

TEST_F(HttpServerTest, AmbiguousFramingGets400AndNothingAfterIsServed) {
  // Each request hides a second one where a server framing it differently
  // would see it; none reaches the handler.
  const std::string smuggled = "GET /echo?i=smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string hosts;
  for (int i = 0; i < 500; ++i)
    hosts += "Host: x\r\n";
  const raw_case cases[] = {
    {"chunked, identity", "POST /echo HTTP/1.1\r\nHost: x\r\n"
                          "Transfer-Encoding: chunked, identity\r\n\r\n" + smuggled},
    {"identity", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n"
                   + smuggled},
    {"xchunked", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n"
                   + smuggled},
    {"gzip", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n" + smuggled},
    {"two chunked lines", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled},
    {"identity with a length",
     "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n"
     "Content-Length: " + std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled},
    {"chunked on HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "0\r\n\r\n" + smuggled},
    {"no Host", "GET /echo?i=1 HTTP/1.1\r\n\r\n" + smuggled},
    {"two Host lines", "GET /echo?i=1 HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n" + smuggled},
    {"500 Host lines", "GET /echo?i=1 HTTP/1.1\r\n" + hosts + "\r\n" + smuggled},
  };
  start();
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    http_client c{port_};
    ASSERT_TRUE(c.send_raw(k.bytes).ok());
    auto r = c.read_reply();
    ASSERT_TRUE(r.ok()) << r.err().message();
    expect_error_and_close(c, *r, 400, "bad_request");
    // Ours, or Beast's own refusal of two chunked codings.
    auto message = error_message_of(r->body);
    EXPECT_TRUE(message.find("ambiguous request framing") != std::string::npos
                || message.find("Transfer-Encoding") != std::string::npos)
      << r->body;
  }
  EXPECT_EQ(calls(), 0u);
}

TEST_F(HttpServerTest, ExactlyChunkedAndHostlessHttp10AreServed) {
  start();
  http_client c{port_};
  ASSERT_TRUE(c.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ChUnKeD \r\n\r\n"
                         "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
                .ok());
  auto r = c.read_reply();
  ASSERT_TRUE(r.ok()) << r.err().message();
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, "abcde");
  EXPECT_TRUE(r->keep_alive);
  http_client old{port_};
  ASSERT_TRUE(old.send_raw("GET /echo?i=old HTTP/1.0\r\n\r\n").ok());
  auto o = old.read_reply();
  ASSERT_TRUE(o.ok()) << o.err().message();
  EXPECT_EQ(o->status, 200u);
  EXPECT_EQ(o->body, "old");
}

TEST_F(HttpServerTest, ReadBufferIsBounded) {
  // A chunk-size line or trailers longer than the read buffer (8 KiB here)
  // are refused when the buffer is full, not read to their end.
  http_server_options opts;
  opts.max_header_bytes = 1024;
  opts.max_read_buffer_bytes = 8192;
  start(opts);
  const std::string post = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  struct bound_case {
    const char* name;
    std::string bytes;
    unsigned status;
    const char* code;
  };
  const bound_case cases[] = {
    {"a size line of digits", post + "1" + std::string(200000, '0'), 413, "body_too_large"},
    {"a chunk extension", post + "5;" + std::string(200000, 'a'), 413, "body_too_large"},
    {"after a chunk", post + "5\r\nhello\r\n" + std::string(200000, '0'), 413,
     "body_too_large"},
    {"trailers", post + "5\r\nhello\r\n0\r\nX-T: " + std::string(200000, 'a'), 431,
     "header_too_large"},
    {"many trailers", post + "0\r\n" + [] {
       std::string t;
       for (int i = 0; i < 5000; ++i)
         t += "X-" + std::to_string(i) + ": v\r\n";
       return t;
     }(), 431, "header_too_large"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    http_client c{port_};
    ASSERT_TRUE(c.send_raw(k.bytes).ok());
    auto r = c.read_reply();
    ASSERT_TRUE(r.ok()) << r.err().message();
    expect_error_and_close(c, *r, k.status, k.code);
    EXPECT_NE(error_message_of(r->body).find("8192 bytes"), std::string::npos) << r->body;
  }
  EXPECT_EQ(calls(), 0u);
  // Trailers and extensions that fit are fine.
  http_client c{port_};
  ASSERT_TRUE(c.send_raw(post + "5;ext=1\r\nhello\r\n0\r\nX-T: " + std::string(4000, 'a')
                         + "\r\n\r\n")
                .ok());
  auto ok = c.read_reply();
  ASSERT_TRUE(ok.ok()) << ok.err().message();
  EXPECT_EQ(ok->status, 200u);
  EXPECT_EQ(ok->body, "hello");
}

TEST_F(HttpServerTest, AnswerOverMaxResponseBytesGets413) {
  http_server_options opts;
  opts.max_response_bytes = 1000;
  start(opts);
  http_client c{port_};
  auto big = c.get("/echo?i=" + std::string(1001, 'a'));
  ASSERT_TRUE(big.ok()) << big.err().message();
  EXPECT_EQ(big->status, 413u);
  EXPECT_EQ(error_code_of(big->body), "response_too_large") << big->body;
  EXPECT_TRUE(big->keep_alive); // the request was fine: the connection stays
  auto fits = c.get("/echo?i=" + std::string(1000, 'a'));
  ASSERT_TRUE(fits.ok()) << fits.err().message();
  EXPECT_EQ(fits->status, 200u);
  EXPECT_EQ(fits->body.size(), 1000u);
  EXPECT_TRUE(unsent_drains());
}

TEST_F(HttpServerTest, UnsentAnswersAreBoundedAndBlockTheNextRequest) {
  // A client that does not read holds its answer (8 MB: more than the
  // socket buffers take); its pipelined request waits in the socket, and
  // another client's answer that would pass the total gets 503.
  http_server_options opts;
  opts.max_body_bytes = 16 << 20;
  opts.max_response_bytes = 16 << 20;
  opts.max_unsent_bytes = 12 << 20;
  start(opts);
  const std::string body(8 << 20, 'z');
  auto post = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: "
              + std::to_string(body.size()) + "\r\n\r\n" + body;
  http_client slow{port_, 20s};
  ASSERT_TRUE(slow.send_raw(post + "GET /echo?i=next HTTP/1.1\r\nHost: x\r\n\r\n").ok());
  ASSERT_TRUE(wait_calls(1));
  auto until = clock_type::now() + 10s;
  while (server_->unsent_bytes() < body.size() && clock_type::now() < until)
    std::this_thread::sleep_for(10ms);
  EXPECT_GE(server_->unsent_bytes(), body.size());
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(calls(), 1u) << "the pipelined request was read while an answer was unsent";
  http_client other{port_, 20s};
  auto refused = other.request("POST", "/echo", body);
  ASSERT_TRUE(refused.ok()) << refused.err().message();
  EXPECT_EQ(refused->status, 503u);
  EXPECT_EQ(error_code_of(refused->body), "unavailable") << refused->body;
  ASSERT_NE(refused->header("retry-after"), nullptr);
  EXPECT_EQ(*refused->header("retry-after"), "1");
  // The slow client reads: both of its answers come, and the room is back.
  auto first = slow.read_reply();
  ASSERT_TRUE(first.ok()) << first.err().message();
  EXPECT_EQ(first->status, 200u);
  EXPECT_EQ(first->body.size(), body.size());
  auto second = slow.read_reply();
  ASSERT_TRUE(second.ok()) << second.err().message();
  EXPECT_EQ(second->body, "next");
  auto again = other.request("POST", "/echo", body);
  ASSERT_TRUE(again.ok()) << again.err().message();
  EXPECT_EQ(again->status, 200u);
  EXPECT_TRUE(unsent_drains());
}

TEST_F(HttpServerTest, RandomBytesNeverBreakTheServer) {
  http_server_options opts;
  opts.request_timeout_ns = 300'000'000; // incomplete garbage waits this long
  opts.max_header_bytes = 2048;
  start(opts);
  std::mt19937 rng{42}; // deterministic
  const std::string prefixes[] = {
    "", "GET / HTTP/1.1\r\n",
    "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "GET /"};
  for (int i = 0; i < 200; ++i) {
    std::string bytes = prefixes[i % 4];
    auto n = std::uniform_int_distribution<size_t>{1, 3000}(rng);
    std::uniform_int_distribution<int> byte{0, 255};
    for (size_t k = 0; k < n; ++k)
      bytes.push_back(static_cast<char>(byte(rng)));
    http_client c{port_};
    ASSERT_TRUE(c.send_raw(bytes).ok());
    if (i % 2 == 0) {
      auto r = c.read_reply(); // an error answer, or a close
      if (r.ok()) {
        EXPECT_GE(r->status, 400u);
      }
    }
    c.close(); // sometimes before the server answered
  }
  http_client c{port_};
  auto r = c.get("/echo?i=alive");
  ASSERT_TRUE(r.ok()) << r.err().message();
  EXPECT_EQ(r->body, "alive");
}

// -- limits and life cycle ----------------------------------------------------

TEST_F(HttpServerTest, ConnectionsOverTheLimitGet503) {
  http_server_options opts;
  opts.max_connections = 2;
  start(opts);
  http_client c1{port_};
  http_client c2{port_};
  ASSERT_TRUE(c1.get("/echo?i=1").ok());
  ASSERT_TRUE(c2.get("/echo?i=2").ok());
  EXPECT_EQ(server_->connections(), 2u);
  http_client c3{port_};
  auto r = c3.get("/echo?i=3");
  ASSERT_TRUE(r.ok()) << r.err().message();
  expect_error_and_close(c3, *r, 503, "unavailable");
  EXPECT_EQ(server_->connections(), 2u);
  // The admitted connections keep working.
  auto again = c1.get("/echo?i=4");
  ASSERT_TRUE(again.ok()) << again.err().message();
  EXPECT_EQ(again->body, "4");
  EXPECT_EQ(calls(), 3u);
}

TEST_F(HttpServerTest, ConcurrentClients) {
  constexpr int clients = 8;
  constexpr int per_client = 200;
  start();
  std::atomic<int> good{0};
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      http_client c{port_};
      for (int i = 0; i < per_client; ++i) {
        auto id = std::to_string(t) + "-" + std::to_string(i);
        auto r = c.get("/echo?i=" + id);
        if (r.ok() && r->status == 200 && r->body == id)
          ++good;
        else
          ++bad;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(good.load(), clients * per_client);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(calls(), size_t{clients * per_client});
  EXPECT_EQ(remotes().size(), size_t{clients}); // one connection each
}

TEST_F(HttpServerTest, StopWhileClientsAreConnected) {
  start();
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      http_client c{port_};
      for (int i = 0; i < 100000; ++i) {
        auto r = c.get(t == 0 && i == 5 ? "/hang" : "/echo?i=1");
        if (!r.ok() || r->status != 200)
          break;
      }
      ++finished;
    });
  }
  ASSERT_TRUE(wait_calls(200));
  ASSERT_TRUE(answerer_.wait_held(1));
  stop_server();
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(finished.load(), 4);
  // New connections are refused; answering a held request is harmless.
  EXPECT_FALSE(tickflow::test::http_get(port_, "/echo").ok());
  http_response late;
  EXPECT_TRUE(answerer_.answer_held(std::move(late)));
}

TEST_F(HttpServerTest, ListenFailuresAreErrors) {
  start();
  boost::asio::io_context other_ioc;
  http_server other{other_ioc, {}, [](http_request, responder) {}};
  auto taken = other.listen("127.0.0.1", port_);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.err().code, errc::unavailable);
  auto prefix = "cannot listen on 127.0.0.1:" + std::to_string(port_) + ": ";
  EXPECT_EQ(taken.err().context.rfind(prefix, 0), 0u) << taken.err().context;
  auto bad = other.listen("not-an-address", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.err().code, errc::unavailable);
  EXPECT_EQ(bad.err().context,
            "cannot listen on not-an-address:0: invalid address");
  auto again = server_->listen("127.0.0.1", 0);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.err().code, errc::unavailable);
}

} // namespace
