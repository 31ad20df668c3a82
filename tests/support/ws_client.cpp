#include "tests/support/ws_client.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

namespace tickflow::test {

namespace {

using client_type = websocketpp::client<websocketpp::config::asio_client>;
using work_guard =
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

enum class link_state { idle, connecting, open, failed, closed };

} // namespace

struct ws_client::impl {
  impl() : work(boost::asio::make_work_guard(ioc)) {
    endpoint.clear_access_channels(websocketpp::log::alevel::all);
    endpoint.clear_error_channels(websocketpp::log::elevel::all);
    endpoint.init_asio(&ioc, init_ec);
    endpoint.set_open_handler([this](websocketpp::connection_hdl h) {
      auto con = con_of(h);
      std::lock_guard<std::mutex> guard{mtx};
      state = link_state::open;
      if (con)
        status = con->get_response_code();
      cv.notify_all();
    });
    endpoint.set_fail_handler([this](websocketpp::connection_hdl h) {
      auto con = con_of(h);
      std::lock_guard<std::mutex> guard{mtx};
      state = link_state::failed;
      if (con) {
        status = con->get_response_code();
        body = con->get_response().get_body();
        err = con->get_ec().message();
      } else {
        err = "connection failed";
      }
      cv.notify_all();
    });
    endpoint.set_close_handler([this](websocketpp::connection_hdl h) {
      auto con = con_of(h);
      std::lock_guard<std::mutex> guard{mtx};
      state = link_state::closed;
      close_code = con ? con->get_remote_close_code()
                       : websocketpp::close::status::abnormal_close;
      cv.notify_all();
    });
    endpoint.set_message_handler(
      [this](websocketpp::connection_hdl, client_type::message_ptr msg) {
        std::lock_guard<std::mutex> guard{mtx};
        inbox.push_back(std::move(msg->get_raw_payload()));
        cv.notify_all();
      });
    thread = std::thread{[this] { ioc.run(); }};
  }

  ~impl() {
    work.reset();
    ioc.stop();
    if (thread.joinable())
      thread.join();
  }

  client_type::connection_ptr con_of(const websocketpp::connection_hdl& h) {
    websocketpp::lib::error_code ec;
    auto con = endpoint.get_con_from_hdl(h, ec);
    return ec ? nullptr : con;
  }

  template <class Pred>
  bool wait(std::unique_lock<std::mutex>& lock, milliseconds timeout,
            Pred pred) {
    return cv.wait_for(lock, timeout, pred);
  }

  // Declaration order matters: the endpoint goes before the io_context.
  boost::asio::io_context ioc;
  work_guard work;
  client_type endpoint;
  websocketpp::lib::error_code init_ec;
  std::thread thread;

  mutable std::mutex mtx;
  std::condition_variable cv;
  link_state state = link_state::idle;
  websocketpp::connection_hdl hdl;
  std::deque<std::string> inbox;
  uint16_t close_code = 0;
  int status = 0;
  std::string body;
  std::string err;
};

ws_client::ws_client() : impl_(std::make_unique<impl>()) {
  // nop
}

ws_client::~ws_client() {
  if (is_open())
    close(1000, {}, milliseconds{1000});
}

bool ws_client::connect(const std::string& url, milliseconds timeout) {
  auto& d = *impl_;
  if (d.init_ec) {
    d.err = d.init_ec.message();
    return false;
  }
  websocketpp::lib::error_code ec;
  auto con = d.endpoint.get_connection(url, ec);
  if (ec) {
    std::lock_guard<std::mutex> guard{d.mtx};
    d.err = ec.message();
    return false;
  }
  {
    std::lock_guard<std::mutex> guard{d.mtx};
    if (d.state != link_state::idle) {
      d.err = "already used";
      return false;
    }
    d.state = link_state::connecting;
    d.hdl = con->get_handle();
  }
  boost::asio::post(d.ioc, [&d, con] { d.endpoint.connect(con); });
  std::unique_lock<std::mutex> lock{d.mtx};
  if (!d.wait(lock, timeout,
              [&] { return d.state != link_state::connecting; })) {
    d.err = "timeout";
    lock.unlock();
    boost::asio::post(d.ioc, [con] {
      con->terminate(websocketpp::lib::error_code{});
    });
    return false;
  }
  if (d.state == link_state::open) {
    d.err.clear();
    return true;
  }
  return false;
}

bool ws_client::send(const std::string& text) {
  auto con = impl_->con_of(impl_->hdl);
  return con && !con->send(text, websocketpp::frame::opcode::text);
}

bool ws_client::send_binary(const std::string& bytes) {
  auto con = impl_->con_of(impl_->hdl);
  return con && !con->send(bytes, websocketpp::frame::opcode::binary);
}

std::optional<std::string> ws_client::receive(milliseconds timeout) {
  auto& d = *impl_;
  std::unique_lock<std::mutex> lock{d.mtx};
  if (!d.wait(lock, timeout, [&] { return !d.inbox.empty(); }))
    return std::nullopt;
  auto msg = std::move(d.inbox.front());
  d.inbox.pop_front();
  return msg;
}

std::optional<uint16_t> ws_client::wait_closed(milliseconds timeout) {
  auto& d = *impl_;
  std::unique_lock<std::mutex> lock{d.mtx};
  if (!d.wait(lock, timeout, [&] { return d.state == link_state::closed; }))
    return std::nullopt;
  return d.close_code;
}

void ws_client::close(uint16_t code, const std::string& reason,
                      milliseconds timeout) {
  if (auto con = impl_->con_of(impl_->hdl)) {
    websocketpp::lib::error_code ec;
    con->close(code, reason, ec);
    if (!ec)
      wait_closed(timeout);
  }
}

bool ws_client::is_open() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->state == link_state::open;
}

int ws_client::http_status() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->status;
}

std::string ws_client::http_body() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->body;
}

std::string ws_client::error() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->err;
}

} // namespace tickflow::test
