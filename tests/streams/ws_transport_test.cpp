// The WebSocket transport on its own: ws:// against the loopback fixture
// server (frames, binary, oversize, the hard limit, close reasons) and
// wss:// against a loopback TLS server whose certificate is made for the
// test: trusted through ca-file it connects; untrusted it must not.

#include <condition_variable>
#include <mutex>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <gtest/gtest.h>
#include <websocketpp/config/asio.hpp>
#include <websocketpp/server.hpp>

#include "adapters/streams/ws_transport.hpp"
#include "tests/support/process.hpp"
#include "tests/support/ws_fixture_server.hpp"

using namespace tickflow;
using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

/// What a transport reported, for the test thread.
struct reports {
  std::mutex mtx;
  std::condition_variable cv;
  bool opened = false;
  bool closed = false;
  std::string why;
  std::vector<std::string> texts;
  std::vector<int64_t> recv_ns;
  size_t binary = 0;
  std::vector<size_t> oversize;
  size_t heartbeats = 0;

  ws_transport_callbacks callbacks() {
    ws_transport_callbacks cbs;
    cbs.on_open = [this] { update([&] { opened = true; }); };
    cbs.on_text = [this](std::string t, int64_t at) {
      update([&] {
        texts.push_back(std::move(t));
        recv_ns.push_back(at);
      });
    };
    cbs.on_binary = [this](size_t) { update([&] { ++binary; }); };
    cbs.on_oversize = [this](size_t n) { update([&] { oversize.push_back(n); }); };
    cbs.on_heartbeat = [this](int64_t) { update([&] { ++heartbeats; }); };
    cbs.on_closed = [this](std::string w) {
      update([&] {
        closed = true;
        why = std::move(w);
      });
    };
    return cbs;
  }

  template <class F>
  void update(F f) {
    std::lock_guard<std::mutex> g{mtx};
    f();
    cv.notify_all();
  }

  template <class Pred>
  bool wait(Pred p, std::chrono::milliseconds t = 5000ms) {
    std::unique_lock<std::mutex> g{mtx};
    return cv.wait_for(g, t, p);
  }
};

/// A wss:// echo server on 127.0.0.1 with the given certificate and key.
class wss_echo_server {
 public:
  using server_type = websocketpp::server<websocketpp::config::asio_tls>;

  wss_echo_server(std::string cert, std::string key)
      : cert_(std::move(cert)), key_(std::move(key)) {
    ep_.clear_access_channels(websocketpp::log::alevel::all);
    ep_.clear_error_channels(websocketpp::log::elevel::all);
    websocketpp::lib::error_code ec;
    ep_.init_asio(&ioc_, ec);
    ep_.set_tls_init_handler([this](websocketpp::connection_hdl) {
      namespace ssl = boost::asio::ssl;
      auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
      ctx->use_certificate_chain_file(cert_);
      ctx->use_private_key_file(key_, ssl::context::pem);
      return ctx;
    });
    ep_.set_message_handler([this](websocketpp::connection_hdl h, server_type::message_ptr m) {
      websocketpp::lib::error_code e;
      ep_.send(h, "echo:" + m->get_payload(), websocketpp::frame::opcode::text, e);
    });
    ep_.listen(boost::asio::ip::tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), 0},
               ec);
    ep_.start_accept(ec);
    websocketpp::lib::asio::error_code aec;
    port_ = ep_.get_local_endpoint(aec).port();
    thread_ = std::thread{[this] { ioc_.run(); }};
  }

  ~wss_echo_server() {
    ioc_.stop();
    thread_.join();
  }

  std::string url() const { return "wss://127.0.0.1:" + std::to_string(port_); }

 private:
  std::string cert_, key_;
  boost::asio::io_context ioc_;
  server_type ep_;
  uint16_t port_ = 0;
  std::thread thread_;
};

/// A self-signed certificate for 127.0.0.1 (openssl): {cert, key} paths.
std::pair<std::string, std::string> make_certificate() {
  auto dir = temp_dir();
  auto cert = dir + "/cert.pem";
  auto key = dir + "/key.pem";
  std::string out;
  auto rc = run_command("/usr/bin/openssl",
                        {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                         "-keyout", key, "-out", cert},
                        out);
  EXPECT_EQ(rc, 0) << out;
  return {cert, key};
}

} // namespace

TEST(WsTransport, DeliversFramesAndSkipsWhatItMust) {
  ws_fixture_server server;
  reports r;
  ws_transport_options opts;
  opts.url = server.url() + "/stream";
  opts.max_frame_bytes = 1024;
  opts.hard_limit_factor = 4;
  ws_transport t{opts, r.callbacks()};
  ASSERT_TRUE(r.wait([&] { return r.opened; }));
  EXPECT_TRUE(t.is_open());
  EXPECT_TRUE(t.send("hello"));
  ASSERT_TRUE(ws_fixture_server::wait_until([&] { return server.received().size() == 1; }));
  EXPECT_EQ(server.received()[0].text, "hello");
  EXPECT_EQ(server.last_resource(), "/stream");

  ASSERT_TRUE(server.send_text("one"));
  ASSERT_TRUE(server.send_binary("\x01\x02"));
  ASSERT_TRUE(server.send_text(std::string(2000, 'x'))); // over the limit
  ASSERT_TRUE(server.send_ping("p"));
  ASSERT_TRUE(server.send_text("two"));
  ASSERT_TRUE(r.wait([&] { return r.texts.size() == 2 && r.heartbeats >= 1; }));
  EXPECT_EQ(r.texts, (std::vector<std::string>{"one", "two"}));
  EXPECT_GT(r.recv_ns[0], 0);
  EXPECT_LE(r.recv_ns[0], r.recv_ns[1]);
  EXPECT_EQ(r.binary, 1u);
  EXPECT_EQ(r.oversize, std::vector<size_t>{2000});
  EXPECT_FALSE(r.closed);

  // Beyond the hard limit the frame is not read: the connection closes.
  ASSERT_TRUE(server.send_text(std::string(8000, 'y')));
  ASSERT_TRUE(r.wait([&] { return r.closed; }));
  EXPECT_EQ(r.oversize.size(), 2u);
  EXPECT_FALSE(t.is_open());
  EXPECT_FALSE(t.send("late"));
}

TEST(WsTransport, ReportsDropsAndRefusedConnections) {
  reports dropped;
  {
    ws_fixture_server server;
    ws_transport_options opts;
    opts.url = server.url();
    ws_transport t{opts, dropped.callbacks()};
    ASSERT_TRUE(dropped.wait([&] { return dropped.opened; }));
    // The client may see the handshake answer before the server counts it open.
    ASSERT_TRUE(ws_fixture_server::wait_until([&] { return server.open_count() == 1; }));
    server.drop();
    ASSERT_TRUE(dropped.wait([&] { return dropped.closed; }));
  }
  EXPECT_NE(dropped.why.find("closed 1006"), std::string::npos) << dropped.why;

  reports refused;
  ws_transport_options opts;
  opts.url = "ws://127.0.0.1:" + std::to_string(free_port()) + "/?token=s3cr3t";
  ws_transport t{opts, refused.callbacks(), {"s3cr3t"}};
  ASSERT_TRUE(refused.wait([&] { return refused.closed; }));
  EXPECT_FALSE(refused.opened);
  EXPECT_NE(refused.why.find("connect failed"), std::string::npos) << refused.why;
  EXPECT_EQ(refused.why.find("s3cr3t"), std::string::npos) << refused.why;

  reports bad_url;
  opts.url = "not a url";
  ws_transport u{opts, bad_url.callbacks()};
  ASSERT_TRUE(bad_url.wait([&] { return bad_url.closed; }));
  EXPECT_NE(bad_url.why.find("bad url"), std::string::npos) << bad_url.why;
}

TEST(WsTransport, WssVerifiesTheServerCertificate) {
  auto [cert, key] = make_certificate();
  wss_echo_server server{cert, key};

  // Trusted through ca-file: TLS up, frames both ways.
  reports ok;
  ws_transport_options opts;
  opts.url = server.url();
  opts.ca_file = cert;
  {
    ws_transport t{opts, ok.callbacks()};
    ASSERT_TRUE(ok.wait([&] { return ok.opened; })) << ok.why;
    EXPECT_TRUE(t.send("ping"));
    ASSERT_TRUE(ok.wait([&] { return ok.texts.size() == 1; }));
    EXPECT_EQ(ok.texts[0], "echo:ping");
  }

  // The system store does not know this certificate: no connection.
  reports untrusted;
  opts.ca_file.clear();
  ws_transport t{opts, untrusted.callbacks()};
  ASSERT_TRUE(untrusted.wait([&] { return untrusted.closed; }));
  EXPECT_FALSE(untrusted.opened);
  EXPECT_NE(untrusted.why.find("connect failed"), std::string::npos) << untrusted.why;
}
