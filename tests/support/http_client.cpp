#include "tests/support/http_client.hpp"

#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "tests/support/process.hpp"

namespace tickflow::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

const std::string* http_reply::header(const std::string& name) const {
  for (const auto& [key, value] : headers)
    if (key == name)
      return &value;
  return nullptr;
}

struct http_client::impl {
  impl(uint16_t port, std::chrono::milliseconds timeout)
      : port(port), timeout(timeout) {
    // nop
  }

  // Starts an async operation through `start(ec_out)` and runs the private
  // io_context until it completes (the stream's timeout bounds it).
  template <class Start>
  error_code run(Start start) {
    error_code out = asio::error::would_block;
    start(out);
    ioc.restart();
    ioc.run();
    return out;
  }

  error_code ensure_connected() {
    if (stream.socket().is_open())
      return {};
    buffer.clear();
    tcp::endpoint ep{asio::ip::make_address_v4("127.0.0.1"), port};
    stream.expires_after(timeout);
    return run([&](error_code& out) {
      stream.async_connect(ep, [&out](error_code ec) { out = ec; });
    });
  }

  static error err(const std::string& what, error_code ec) {
    return error{errc::unavailable, what + ": " + ec.message()};
  }

  uint16_t port;
  std::chrono::milliseconds timeout;
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
};

http_client::http_client(uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<impl>(port, timeout)) {
  // nop
}

http_client::~http_client() {
  close();
}

result<void> http_client::connect() {
  if (auto ec = impl_->ensure_connected())
    return impl::err("connect", ec);
  return {};
}

result<http_reply> http_client::request(const std::string& method,
                                        const std::string& target,
                                        std::string body,
                                        const header_list& headers,
                                        unsigned version) {
  if (auto ec = impl_->ensure_connected())
    return impl::err("connect", ec);
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(version);
  req.set(http::field::host, "127.0.0.1:" + std::to_string(impl_->port));
  for (const auto& [name, value] : headers)
    req.insert(name, value);
  bool has_body = !body.empty();
  req.body() = std::move(body);
  if (has_body)
    req.prepare_payload();
  impl_->stream.expires_after(impl_->timeout);
  auto ec = impl_->run([&](error_code& out) {
    http::async_write(impl_->stream, req,
                      [&out](error_code ec, size_t) { out = ec; });
  });
  if (ec)
    return impl::err("write", ec);
  return read_reply(method == "HEAD");
}

result<http_reply> http_client::get(const std::string& target) {
  return request("GET", target);
}

result<void> http_client::send_raw(std::string_view bytes) {
  if (auto ec = impl_->ensure_connected())
    return impl::err("connect", ec);
  impl_->stream.expires_after(impl_->timeout);
  auto ec = impl_->run([&](error_code& out) {
    asio::async_write(impl_->stream, asio::buffer(bytes.data(), bytes.size()),
                      [&out](error_code ec, size_t) { out = ec; });
  });
  if (ec)
    return impl::err("write", ec);
  return {};
}

result<http_reply> http_client::read_reply(bool head) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(head);
  impl_->stream.expires_after(impl_->timeout);
  auto ec = impl_->run([&](error_code& out) {
    http::async_read(impl_->stream, impl_->buffer, parser,
                     [&out](error_code ec, size_t) { out = ec; });
  });
  if (ec)
    return impl::err("read", ec);
  auto& msg = parser.get();
  http_reply reply;
  reply.status = msg.result_int();
  reply.version = msg.version();
  reply.keep_alive = msg.keep_alive();
  for (const auto& field : msg) {
    std::string name{field.name_string()};
    for (auto& c : name)
      if (c >= 'A' && c <= 'Z')
        c = static_cast<char>(c - 'A' + 'a');
    reply.headers.emplace_back(std::move(name), std::string{field.value()});
  }
  reply.body = std::move(msg.body());
  return reply;
}

bool http_client::wait_closed() {
  if (!impl_->stream.socket().is_open())
    return true;
  impl_->stream.expires_after(impl_->timeout);
  for (;;) {
    size_t got = 0;
    auto ec = impl_->run([&](error_code& out) {
      impl_->stream.async_read_some(
        impl_->buffer.prepare(4096), [&out, &got](error_code ec, size_t n) {
          out = ec;
          got = n;
        });
    });
    if (ec == beast::error::timeout)
      return false;
    if (ec) {
      impl_->stream.close();
      return true;
    }
    (void) got; // discarded
  }
}

uint16_t http_client::local_port() const {
  error_code ec;
  auto ep = impl_->stream.socket().local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void http_client::close() {
  if (!impl_->stream.socket().is_open())
    return;
  error_code ec;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  impl_->stream.close();
}

result<http_reply> http_once(uint16_t port, const std::string& method,
                             const std::string& target, std::string body,
                             const header_list& headers) {
  http_client client{port};
  return client.request(method, target, std::move(body), headers);
}

result<http_reply> http_get(uint16_t port, const std::string& target) {
  return http_once(port, "GET", target);
}

bool wait_ready(uint16_t port, child_process& service,
                std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (service.running()) {
    if (auto r = http_get(port, "/ready"); r && r->status == 200)
      return true;
    if (std::chrono::steady_clock::now() >= until)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  return false;
}

} // namespace tickflow::test
