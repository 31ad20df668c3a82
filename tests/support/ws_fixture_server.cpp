#include "tests/support/ws_fixture_server.hpp"

#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

namespace tickflow::test {

namespace {

using server_type = websocketpp::server<websocketpp::config::asio>;
using hdl_map = std::map<websocketpp::connection_hdl, size_t,
                         std::owner_less<websocketpp::connection_hdl>>;

} // namespace

struct ws_fixture_server::impl {
  impl() {
    endpoint.clear_access_channels(websocketpp::log::alevel::all);
    endpoint.clear_error_channels(websocketpp::log::elevel::all);
    websocketpp::lib::error_code ec;
    endpoint.init_asio(&ioc, ec);
    endpoint.set_reuse_addr(true);
    // Tests send frames far above any client limit.
    endpoint.set_max_message_size(64 << 20);
    endpoint.set_open_handler([this](websocketpp::connection_hdl h) {
      std::string resource;
      if (auto con = con_of(h))
        resource = con->get_resource();
      std::lock_guard<std::mutex> guard{mtx};
      open[h] = ++opened;
      newest = h;
      last_resource = std::move(resource);
    });
    auto gone = [this](websocketpp::connection_hdl h) {
      std::lock_guard<std::mutex> guard{mtx};
      open.erase(h);
    };
    endpoint.set_close_handler(gone);
    endpoint.set_fail_handler(gone);
    endpoint.set_message_handler([this](websocketpp::connection_hdl h,
                                        server_type::message_ptr msg) {
      if (msg->get_opcode() != websocketpp::frame::opcode::text)
        return;
      responder r;
      {
        std::lock_guard<std::mutex> guard{mtx};
        auto i = open.find(h);
        frames.push_back(ws_received{i == open.end() ? 0 : i->second,
                                     msg->get_payload(),
                                     std::chrono::steady_clock::now()});
        r = answer;
      }
      if (!r)
        return;
      for (auto& reply : r(msg->get_payload())) {
        websocketpp::lib::error_code ec;
        endpoint.send(h, reply, websocketpp::frame::opcode::text, ec);
      }
    });
    auto ip = boost::asio::ip::make_address("127.0.0.1");
    endpoint.listen(boost::asio::ip::tcp::endpoint{ip, 0}, ec);
    EXPECT_FALSE(ec) << "ws fixture server cannot listen: " << ec.message();
    endpoint.start_accept(ec);
    websocketpp::lib::asio::error_code aec;
    auto local = endpoint.get_local_endpoint(aec);
    port = aec ? 0 : local.port();
    thread = std::thread{[this] { ioc.run(); }};
  }

  ~impl() {
    boost::asio::post(ioc, [this] {
      websocketpp::lib::error_code ec;
      endpoint.stop_listening(ec);
      // terminate() may call the close handler at once, which takes mtx:
      // holding it here deadlocked this thread (1 run in ~20 under load).
      std::vector<websocketpp::connection_hdl> live;
      {
        std::lock_guard<std::mutex> guard{mtx};
        for (auto& [h, n] : open)
          live.push_back(h);
      }
      for (auto& h : live)
        if (auto con = con_of(h))
          con->terminate(ec);
    });
    // Once the listener and the connections are gone, run() returns; a
    // client that never finishes its side is cut after a while.
    for (int i = 0; i < 200 && !ioc.stopped(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    ioc.stop();
    thread.join();
  }

  server_type::connection_ptr con_of(const websocketpp::connection_hdl& h) {
    websocketpp::lib::error_code ec;
    auto con = endpoint.get_con_from_hdl(h, ec);
    return ec ? nullptr : con;
  }

  /// Runs `fn(newest open connection)` on the I/O thread; false when none.
  bool with_newest(std::function<void(server_type::connection_ptr)> fn) {
    {
      std::lock_guard<std::mutex> guard{mtx};
      if (open.find(newest) == open.end())
        return false;
    }
    boost::asio::post(ioc, [this, fn = std::move(fn)] {
      websocketpp::connection_hdl h;
      {
        std::lock_guard<std::mutex> guard{mtx};
        h = newest;
      }
      if (auto con = con_of(h))
        fn(con);
    });
    return true;
  }

  /// Runs `fn` on every open connection, on the I/O thread, and waits.
  void for_each_open(std::function<void(server_type::connection_ptr)> fn) {
    auto done = std::make_shared<std::promise<void>>();
    boost::asio::post(ioc, [this, fn = std::move(fn), done] {
      std::vector<websocketpp::connection_hdl> hs;
      {
        std::lock_guard<std::mutex> guard{mtx};
        for (auto& [h, n] : open)
          hs.push_back(h);
      }
      for (auto& h : hs)
        if (auto con = con_of(h))
          fn(con);
      done->set_value();
    });
    done->get_future().wait_for(std::chrono::seconds{5});
  }

  boost::asio::io_context ioc;
  server_type endpoint;
  uint16_t port = 0;
  std::thread thread;

  mutable std::mutex mtx;
  hdl_map open;
  websocketpp::connection_hdl newest;
  size_t opened = 0;
  std::string last_resource;
  std::vector<ws_received> frames;
  responder answer;
};

ws_fixture_server::ws_fixture_server() : impl_(std::make_unique<impl>()) {
  // nop
}

ws_fixture_server::~ws_fixture_server() = default;

uint16_t ws_fixture_server::port() const noexcept {
  return impl_->port;
}

std::string ws_fixture_server::url() const {
  return "ws://127.0.0.1:" + std::to_string(impl_->port);
}

void ws_fixture_server::set_responder(responder r) {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  impl_->answer = std::move(r);
}

size_t ws_fixture_server::connection_count() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->opened;
}

size_t ws_fixture_server::open_count() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->open.size();
}

std::string ws_fixture_server::last_resource() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->last_resource;
}

std::vector<ws_received> ws_fixture_server::received() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->frames;
}

bool ws_fixture_server::send_text(const std::string& text) {
  return impl_->with_newest([text](server_type::connection_ptr con) {
    con->send(text, websocketpp::frame::opcode::text);
  });
}

bool ws_fixture_server::send_binary(const std::string& bytes) {
  return impl_->with_newest([bytes](server_type::connection_ptr con) {
    con->send(bytes, websocketpp::frame::opcode::binary);
  });
}

bool ws_fixture_server::send_ping(const std::string& payload) {
  return impl_->with_newest([payload](server_type::connection_ptr con) {
    websocketpp::lib::error_code ec;
    con->ping(payload, ec);
  });
}

void ws_fixture_server::drop() {
  impl_->for_each_open([](server_type::connection_ptr con) {
    websocketpp::lib::error_code ec;
    con->terminate(ec);
  });
}

void ws_fixture_server::close_all(uint16_t code, const std::string& reason) {
  impl_->for_each_open([code, reason](server_type::connection_ptr con) {
    websocketpp::lib::error_code ec;
    con->close(code, reason, ec);
  });
}

bool ws_fixture_server::wait_until(const std::function<bool()>& pred,
                                   milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(milliseconds{5});
  }
  return true;
}

} // namespace tickflow::test
