#include "tests/support/fixture_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <thread>
#include <utility>

namespace tickflow::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

constexpr size_t max_head_bytes = 64 * 1024;
constexpr size_t max_request_body_bytes = 16 * 1024 * 1024;
constexpr size_t huge_piece_bytes = 64 * 1024;

char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowercase(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = lower(c);
  return out;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// Percent-decoding ('+' stays '+'; a bad escape is kept as is).
std::string url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      auto hi = hex_value(s[i + 1]);
      auto lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

header_list parse_query(std::string_view q) {
  header_list out;
  while (!q.empty()) {
    auto amp = q.find('&');
    auto part = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    if (part.empty())
      continue;
    auto eq = part.find('=');
    if (eq == std::string_view::npos)
      out.emplace_back(url_decode(part), std::string{});
    else
      out.emplace_back(url_decode(part.substr(0, eq)),
                       url_decode(part.substr(eq + 1)));
  }
  return out;
}

const std::string* find_in(const header_list& xs, std::string_view name) {
  for (const auto& [key, value] : xs)
    if (key == name)
      return &value;
  return nullptr;
}

std::string_view reason(unsigned status) noexcept {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 418: return "I'm a teapot";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

// 64 KiB of filler for huge bodies, shared by every response.
const std::string& huge_piece() {
  static const std::string piece = [] {
    std::string s(huge_piece_bytes, ' ');
    for (size_t i = 0; i < s.size(); ++i)
      s[i] = "0123456789abcdef"[i % 16];
    return s;
  }();
  return piece;
}

uint32_t crc32(std::string_view data) noexcept {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data)
    c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void put_le32(std::string& out, uint32_t x) {
  for (int i = 0; i < 4; ++i)
    out += static_cast<char>((x >> (8 * i)) & 0xFF);
}

struct route {
  std::string method;
  std::string path;
  header_list required; // sorted
  std::vector<fixture_response> responses;
  size_t served = 0;
};

} // namespace

// -- free helpers -------------------------------------------------------------

std::string fixture_path(std::string_view relative) {
  std::string out = TICKFLOW_SOURCE_DIR "/tests/fixtures/";
  out.append(relative);
  return out;
}

std::string read_fixture(std::string_view relative) {
  auto path = fixture_path(relative);
  std::ifstream in{path, std::ios::binary};
  if (!in) {
    ADD_FAILURE() << "cannot read fixture " << path;
    return {};
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string gzip_stored(std::string_view data) {
  // Header: magic, CM=8 (deflate), no flags, mtime 0, XFL 0, OS 255.
  std::string out{"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10};
  // Stored blocks of at most 65535 bytes; the last has BFINAL set.
  size_t pos = 0;
  do {
    size_t n = std::min<size_t>(65535, data.size() - pos);
    bool last = pos + n == data.size();
    out += static_cast<char>(last ? 1 : 0);
    auto len = static_cast<uint16_t>(n);
    auto nlen = static_cast<uint16_t>(~len);
    out += static_cast<char>(len & 0xFF);
    out += static_cast<char>(len >> 8);
    out += static_cast<char>(nlen & 0xFF);
    out += static_cast<char>(nlen >> 8);
    out.append(data.substr(pos, n));
    pos += n;
  } while (pos < data.size());
  put_le32(out, crc32(data));
  put_le32(out, static_cast<uint32_t>(data.size()));
  return out;
}

fixture_response fixture_response::json(std::string body, unsigned status) {
  fixture_response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

fixture_response fixture_response::file(std::string_view relative,
                                        unsigned status) {
  return json(read_fixture(relative), status);
}

const std::string* recorded_request::header(std::string_view name) const {
  return find_in(headers, name);
}

const std::string* recorded_request::param(std::string_view name) const {
  return find_in(query, name);
}

// -- server state -------------------------------------------------------------

namespace {

// The providers' reference lists the gateway asks for at start and every
// [instruments] refresh (adapters/reference_lists).
bool is_reference_list_path(std::string_view path) {
  return path == "/api/v3/exchangeInfo" || path == "/v3/reference/tickers"
         || path == "/futures/v1/contracts";
}

} // namespace

struct fixture_server::impl {
  struct session;

  mutable std::mutex mu;
  std::vector<route> routes;              // guarded by mu
  std::vector<recorded_request> requests; // guarded by mu
  std::atomic<size_t> connections{0};
  // Declared after the state above: destroyed first, with its handlers.
  asio::io_context io;
  tcp::acceptor acceptor{io};
  uint16_t port = 0;
  std::thread thread;

  void accept();

  // Records `req` and picks its response (under the lock).
  fixture_response answer(const recorded_request& req) {
    std::lock_guard<std::mutex> guard{mu};
    route* best = nullptr;
    for (auto& r : routes) {
      if (r.method != req.method || r.path != req.path)
        continue;
      bool ok = std::all_of(r.required.begin(), r.required.end(),
                            [&](const auto& kv) {
                              auto v = find_in(req.query, kv.first);
                              return v != nullptr && *v == kv.second;
                            });
      if (ok && (best == nullptr || r.required.size() > best->required.size()))
        best = &r;
    }
    // The gateway's own reference-list calls at start are no lookups: a
    // test that serves no list does not see them (one that does, does).
    if (best != nullptr || !is_reference_list_path(req.path))
      requests.push_back(req);
    if (best == nullptr || best->responses.empty())
      return fixture_response::json(R"({"error":"no fixture"})", 404);
    auto i = std::min(best->served, best->responses.size() - 1);
    ++best->served;
    return best->responses[i];
  }
};

// One connection: read a request, answer it, repeat while keep-alive.
struct fixture_server::impl::session
    : std::enable_shared_from_this<fixture_server::impl::session> {
  session(impl& srv, tcp::socket sock, size_t id)
      : srv(srv), sock(std::move(sock)), id(id), timer(srv.io) {
    // nop
  }

  impl& srv;
  tcp::socket sock;
  size_t id;
  asio::steady_timer timer;
  std::string in;  // bytes read and not consumed yet
  std::string out; // the write in flight
  bool keep_alive = true;
  size_t huge_left = 0;
  bool huge_chunked = false;

  void read_head() {
    auto self = shared_from_this();
    asio::async_read_until(sock, asio::dynamic_buffer(in, max_head_bytes),
                           "\r\n\r\n", [self](error_code ec, size_t n) {
                             if (ec)
                               return self->close();
                             self->on_head(n);
                           });
  }

  void on_head(size_t n) {
    std::string_view head{in.data(), n - 4};
    recorded_request req;
    req.connection = id;
    req.at = std::chrono::steady_clock::now();
    // Request line.
    auto eol = head.find("\r\n");
    auto line = head.substr(0, eol);
    auto sp1 = line.find(' ');
    auto sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1)
      return bad_request();
    req.method = line.substr(0, sp1);
    req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    auto version = line.substr(sp2 + 1);
    // Header fields.
    head = eol == std::string_view::npos ? std::string_view{}
                                         : head.substr(eol + 2);
    while (!head.empty()) {
      eol = head.find("\r\n");
      auto field = head.substr(0, eol);
      head = eol == std::string_view::npos ? std::string_view{}
                                           : head.substr(eol + 2);
      auto colon = field.find(':');
      if (colon == std::string_view::npos)
        return bad_request();
      req.headers.emplace_back(lowercase(trim(field.substr(0, colon))),
                               std::string{trim(field.substr(colon + 1))});
    }
    in.erase(0, n);
    auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    if (q != std::string::npos)
      req.query = parse_query(std::string_view{req.target}.substr(q + 1));
    auto connection = req.header("connection");
    auto conn = connection != nullptr ? lowercase(*connection) : "";
    keep_alive = version == "HTTP/1.1" ? conn != "close" : conn == "keep-alive";
    // Body (Content-Length only; chunked uploads are not needed).
    size_t body_len = 0;
    if (auto cl = req.header("content-length")) {
      try {
        body_len = std::stoul(*cl);
      } catch (const std::exception&) {
        return bad_request();
      }
      if (body_len > max_request_body_bytes)
        return bad_request();
    }
    if (in.size() >= body_len) {
      req.body = in.substr(0, body_len);
      in.erase(0, body_len);
      return handle(std::move(req));
    }
    auto self = shared_from_this();
    auto shared_req = std::make_shared<recorded_request>(std::move(req));
    asio::async_read(sock, asio::dynamic_buffer(in),
                     asio::transfer_exactly(body_len - in.size()),
                     [self, shared_req, body_len](error_code ec, size_t) {
                       if (ec)
                         return self->close();
                       shared_req->body = self->in.substr(0, body_len);
                       self->in.erase(0, body_len);
                       self->handle(std::move(*shared_req));
                     });
  }

  void handle(recorded_request req) {
    auto resp = std::make_shared<fixture_response>(srv.answer(req));
    if (resp->close)
      keep_alive = false;
    if (resp->delay.count() <= 0)
      return respond(*resp);
    auto self = shared_from_this();
    timer.expires_after(resp->delay);
    timer.async_wait([self, resp](error_code ec) {
      if (!ec)
        self->respond(*resp);
    });
  }

  std::string head_of(const fixture_response& r, std::string_view length_field,
                      std::string_view extra = {}) const {
    std::string h = "HTTP/1.1 " + std::to_string(r.status) + " ";
    h.append(reason(r.status));
    h += "\r\n";
    bool has_type = false;
    for (const auto& [name, value] : r.headers) {
      if (lowercase(name) == "content-type")
        has_type = true;
      h += name + ": " + value + "\r\n";
    }
    if (!has_type)
      h += "Content-Type: application/json\r\n";
    h.append(length_field);
    h.append(extra);
    if (!keep_alive)
      h += "Connection: close\r\n";
    h += "\r\n";
    return h;
  }

  void respond(const fixture_response& r) {
    auto length = [](size_t n) {
      return "Content-Length: " + std::to_string(n) + "\r\n";
    };
    switch (r.behaviour) {
      case fixture_behaviour::normal:
        out = head_of(r, length(r.body.size())) + r.body;
        return write_then([](session& s) { s.next(); });
      case fixture_behaviour::gzip: {
        auto body = gzip_stored(r.body);
        out = head_of(r, length(body.size()), "Content-Encoding: gzip\r\n")
              + body;
        return write_then([](session& s) { s.next(); });
      }
      case fixture_behaviour::truncated:
        keep_alive = false;
        out = head_of(r, length(r.body.size()))
              + r.body.substr(0, r.body.size() / 2);
        return write_then([](session& s) { s.close(); });
      case fixture_behaviour::garbage:
        keep_alive = false;
        out = r.body;
        return write_then([](session& s) { s.close(); });
      case fixture_behaviour::huge:
        huge_left = r.huge_bytes;
        huge_chunked = r.chunked;
        out = head_of(r, r.chunked
                           ? std::string{"Transfer-Encoding: chunked\r\n"}
                           : length(r.huge_bytes));
        return write_then([](session& s) { s.write_huge(); });
    }
  }

  void write_huge() {
    if (huge_left == 0) {
      if (!huge_chunked)
        return next();
      out = "0\r\n\r\n";
      return write_then([](session& s) { s.next(); });
    }
    auto n = std::min(huge_left, huge_piece_bytes);
    huge_left -= n;
    std::string_view piece{huge_piece().data(), n};
    if (huge_chunked) {
      char size_line[32];
      std::snprintf(size_line, sizeof(size_line), "%zx\r\n", n);
      out = size_line;
      out.append(piece);
      out += "\r\n";
    } else {
      out.assign(piece);
    }
    write_then([](session& s) { s.write_huge(); });
  }

  template <class Next>
  void write_then(Next next_step) {
    auto self = shared_from_this();
    asio::async_write(sock, asio::buffer(out),
                      [self, next_step](error_code ec, size_t) {
                        if (ec)
                          return self->close();
                        next_step(*self);
                      });
  }

  // After a complete response.
  void next() {
    if (keep_alive)
      read_head();
    else
      close();
  }

  void bad_request() {
    keep_alive = false;
    out = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
          "Connection: close\r\n\r\n";
    write_then([](session& s) { s.close(); });
  }

  void close() {
    error_code ec;
    sock.shutdown(tcp::socket::shutdown_both, ec);
    sock.close(ec);
  }
};

void fixture_server::impl::accept() {
  acceptor.async_accept([this](error_code ec, tcp::socket sock) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open())
        return;
      return accept();
    }
    auto id = ++connections;
    std::make_shared<session>(*this, std::move(sock), id)->read_head();
    accept();
  });
}

// -- fixture_server -----------------------------------------------------------

fixture_server::fixture_server() : impl_(std::make_unique<impl>()) {
  error_code ec;
  tcp::endpoint ep{asio::ip::make_address_v4("127.0.0.1"), 0};
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec)
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec)
    impl_->acceptor.bind(ep, ec);
  if (!ec)
    impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    ADD_FAILURE() << "fixture_server cannot listen: " << ec.message();
    return;
  }
  impl_->port = impl_->acceptor.local_endpoint(ec).port();
  impl_->accept();
  impl_->thread = std::thread{[this] {
    try {
      impl_->io.run();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fixture_server: %s\n", e.what());
    }
  }};
}

fixture_server::~fixture_server() {
  impl_->io.stop();
  if (impl_->thread.joinable())
    impl_->thread.join();
}

uint16_t fixture_server::port() const noexcept {
  return impl_->port;
}

std::string fixture_server::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

void fixture_server::add(std::string method, std::string path,
                         fixture_response response,
                         header_list required_query) {
  std::vector<fixture_response> xs;
  xs.push_back(std::move(response));
  add_sequence(std::move(method), std::move(path), std::move(xs),
               std::move(required_query));
}

void fixture_server::add_sequence(std::string method, std::string path,
                                  std::vector<fixture_response> responses,
                                  header_list required_query) {
  std::sort(required_query.begin(), required_query.end());
  std::lock_guard<std::mutex> guard{impl_->mu};
  for (auto& r : impl_->routes) {
    if (r.method == method && r.path == path && r.required == required_query) {
      r.responses = std::move(responses);
      r.served = 0;
      return;
    }
  }
  impl_->routes.push_back(route{std::move(method), std::move(path),
                                std::move(required_query),
                                std::move(responses), 0});
}

std::vector<recorded_request> fixture_server::requests() const {
  std::lock_guard<std::mutex> guard{impl_->mu};
  return impl_->requests;
}

size_t fixture_server::request_count() const {
  std::lock_guard<std::mutex> guard{impl_->mu};
  return impl_->requests.size();
}

size_t fixture_server::connection_count() const {
  return impl_->connections.load();
}

void fixture_server::clear_requests() {
  std::lock_guard<std::mutex> guard{impl_->mu};
  impl_->requests.clear();
}

} // namespace tickflow::test
