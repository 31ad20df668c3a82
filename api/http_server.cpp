#include "api/http_server.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/api_error.hpp"
#include "api/http_framing.hpp"
#include "api/http_head.hpp"
#include "api/memory_budget.hpp"
#include "api/url.hpp"

// Threading model. The io_context may be run by several threads. Each
// connection lives on its own strand: every member of `connection` is touched
// only from that strand, except `strand_` (immutable) which responders use to
// post answers from any thread. The acceptor is guarded by a mutex (its
// completion handler and stop() may race), and the set of live connections
// by another, so stop() is safe from any thread even though the header only
// promises it on the I/O thread.
//
// Life cycle of one request:
//   read (idle_timeout until the first byte of a keep-alive request, then
//   request_timeout from there) -> handler(request, responder) -> wait for
//   the responder (same deadline; 504 when it passes) -> write -> next read.
// Parse errors answer 400/413/431 and close; a responder dropped uncalled
// answers 500 through its shared state's destructor.
//
// Memory per connection is bounded: the read buffer holds at most
// max_read_buffer_bytes unparsed (a head, a chunk-size line, trailers; the
// body goes to the request as it arrives, up to max_body_bytes), and the
// next request is read only after the previous answer was handed whole to
// the kernel, so pipelined requests wait in the socket, not here. Answers
// held unsent are bounded per connection (max_response_bytes: 413) and in
// total (max_unsent_bytes: 503).

namespace tickflow::api {

namespace http_detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using clock_type = std::chrono::steady_clock;
using strand_type = asio::strand<asio::io_context::executor_type>;
using stream_type = beast::basic_stream<tcp, strand_type>;
using socket_type = stream_type::socket_type;
using timer_type = asio::basic_waitable_timer<
  clock_type, asio::wait_traits<clock_type>, strand_type>;

/// Bytes read and discarded after an error answer at most, so the client
/// sees the answer rather than a reset.
constexpr size_t max_linger_bytes = 1 << 20;
/// Longest lingering close.
constexpr auto max_linger_time = std::chrono::seconds{2};
/// Pause before accepting again after an accept error (EMFILE, ...).
constexpr auto accept_retry_delay = std::chrono::milliseconds{50};

constexpr std::string_view continue_text = "HTTP/1.1 100 Continue\r\n\r\n";

/// Smallest read buffer: the lingering close reads 4 KiB at a time.
constexpr size_t min_read_buffer_bytes = 4096;

/// The read buffer's bound: never below the head limit, so that an
/// oversized head is reported as such (431) before the buffer fills.
size_t read_buffer_limit(const http_server_options& o) noexcept {
  return std::max({o.max_read_buffer_bytes, o.max_header_bytes,
                   min_read_buffer_bytes});
}

/// Longest timeout honoured (a larger one would overflow now() + timeout).
constexpr int64_t max_timeout_ns = 365LL * 24 * 3600 * 1'000'000'000;

clock_type::duration duration_of(int64_t ns) {
  return std::chrono::duration_cast<clock_type::duration>(
    std::chrono::nanoseconds{std::clamp<int64_t>(ns, 1, max_timeout_ns)});
}

class connection;

/// Everything the acceptor and the connections share.
class server_core : public std::enable_shared_from_this<server_core> {
 public:
  server_core(asio::io_context& ioc, http_server_options opts,
              request_handler handler)
      : ioc_(ioc),
        opts_(std::move(opts)),
        handler_(std::move(handler)),
        acceptor_(ioc),
        accept_retry_(ioc) {
    // nop
  }

  virtual ~server_core() = default;

  result<void> listen(const std::string& address, uint16_t port);
  void stop();

  uint16_t port() const noexcept { return port_.load(); }
  size_t connections() const noexcept { return live_.load(); }
  bool stopped() const noexcept { return stopped_.load(); }
  const http_server_options& opts() const noexcept { return opts_; }
  const request_handler& handler() const noexcept { return handler_; }

  /// Called once by each counted connection when it closes.
  void release_slot() noexcept { live_.fetch_sub(1); }

  /// Counts `n` more bytes held unsent, unless that would pass
  /// max_unsent_bytes (then false, and nothing is counted).
  bool reserve_unsent(size_t n) noexcept {
    auto held = unsent_.load(std::memory_order_relaxed);
    do {
      if (n > opts_.max_unsent_bytes || held > opts_.max_unsent_bytes - n)
        return false;
    } while (!unsent_.compare_exchange_weak(held, held + n,
                                            std::memory_order_relaxed));
    return true;
  }

  /// Counts bytes no longer held.
  void release_unsent(size_t n) noexcept {
    unsent_.fetch_sub(n, std::memory_order_relaxed);
  }

  size_t unsent() const noexcept {
    return unsent_.load(std::memory_order_relaxed);
  }

  /// Called from connection destructors (any thread).
  void forget(connection* c) noexcept;

 private:
  void do_accept(); // acceptor_mutex_ held
  void on_accept(error_code ec, socket_type sock);

  asio::io_context& ioc_;
  const http_server_options opts_;
  const request_handler handler_;
  std::mutex acceptor_mutex_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;
  std::atomic<uint16_t> port_{0};
  std::atomic<bool> stopped_{false};
  std::atomic<size_t> live_{0};
  std::atomic<size_t> unsent_{0}; // bytes of answers not yet written
  std::mutex conns_mutex_;
  std::unordered_map<connection*, std::weak_ptr<connection>> conns_;
};

/// One TCP connection, serving requests one after the other (keep-alive).
class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(std::shared_ptr<server_core> srv, socket_type sock, bool reject)
      : srv_(std::move(srv)),
        strand_(sock.get_executor()),
        stream_(std::move(sock)),
        answer_timer_(strand_),
        buffer_(read_buffer_limit(srv_->opts())),
        counted_(!reject),
        reject_(reject) {
    // nop
  }

  ~connection() {
    release_answer();
    if (counted_)
      srv_->release_slot();
    srv_->forget(this);
  }

  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// The strand of this connection; safe from any thread.
  const strand_type& strand() const noexcept { return strand_; }

  /// Starts serving (on the strand).
  void start() {
    guarded([&] {
      remote_ = remote_text();
      if (reject_) {
        keep_alive_ = false;
        write_response(error_response(
          {503, "unavailable", "too many connections", {}}));
        return;
      }
      if (srv_->stopped()) {
        close();
        return;
      }
      begin_request(true);
    });
  }

  /// Answers request `seq` unless it was answered, timed out or the
  /// connection closed (on the strand).
  void deliver(uint64_t seq, http_response& res) {
    guarded([&] {
      if (closed_ || seq != seq_ || !awaiting_)
        return;
      awaiting_ = false;
      cancel_answer_timer();
      write_response(std::move(res));
    });
  }

  /// Closes the socket at once (on the strand).
  void close() noexcept {
    if (closed_)
      return;
    closed_ = true;
    awaiting_ = false;
    cancel_answer_timer();
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    if (counted_) {
      counted_ = false;
      srv_->release_slot();
    }
  }

 private:
  // Runs `f`; any exception closes the connection instead of escaping into
  // io_context::run.
  template <class F>
  void guarded(F&& f) noexcept {
    try {
      f();
    } catch (...) {
      close();
    }
  }

  void cancel_answer_timer() noexcept {
    try {
      answer_timer_.cancel();
    } catch (...) {
      // nop: nothing to cancel then
    }
  }

  std::string remote_text() const {
    error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (ec)
      return "unknown";
    auto addr = ep.address().to_string(ec);
    if (ec)
      return "unknown";
    std::string out;
    if (ep.address().is_v6()) {
      out.reserve(addr.size() + 8);
      out.append("[").append(addr).append("]");
    } else {
      out = std::move(addr);
    }
    out.push_back(':');
    out.append(std::to_string(ep.port()));
    return out;
  }

  // -- reading ----------------------------------------------------------------

  void begin_request(bool fresh) {
    parser_.emplace();
    auto& opts = srv_->opts();
    parser_->header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(opts.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(static_cast<std::uint64_t>(opts.max_body_bytes));
    continue_sent_ = false;
    framing_checked_ = false;
    if (fresh || buffer_.size() > 0) {
      start_request_clock();
    } else {
      started_ = false;
      stream_.expires_after(duration_of(opts.idle_timeout_ns));
    }
    read_some();
  }

  void start_request_clock() {
    started_ = true;
    deadline_ = clock_type::now()
                + duration_of(srv_->opts().request_timeout_ns);
    stream_.expires_at(deadline_);
  }

  void read_some() {
    http::async_read_some(stream_, buffer_, *parser_,
                          [self = shared_from_this()](error_code ec, size_t) {
                            self->on_read(ec);
                          });
  }

  void on_read(error_code ec) {
    guarded([&] {
      if (closed_)
        return;
      if (ec) {
        on_read_error(ec);
        return;
      }
      if (!started_)
        start_request_clock();
      // The head alone decides how the body is framed: checked before a
      // byte of the body is read (Beast stops after the head).
      if (parser_->is_header_done() && !framing_checked_) {
        framing_checked_ = true;
        if (auto why = framing_problem(framing_of(parser_->get()))) {
          fail_request(400, "bad_request",
                       "ambiguous request framing: " + std::string{*why});
          return;
        }
      }
      if (parser_->is_done()) {
        on_request();
        return;
      }
      if (parser_->is_header_done() && !continue_sent_ && expects_continue()) {
        continue_sent_ = true;
        asio::async_write(stream_, asio::buffer(continue_text),
                          [self = shared_from_this()](error_code ec, size_t) {
                            self->guarded([&] {
                              if (self->closed_)
                                return;
                              if (ec)
                                self->close();
                              else
                                self->read_some();
                            });
                          });
        return;
      }
      read_some();
    });
  }

  template <class Header>
  static request_framing framing_of(const Header& h) {
    request_framing f;
    f.version = h.version();
    f.host_fields = h.count(http::field::host);
    f.transfer_encoding_fields = h.count(http::field::transfer_encoding);
    if (f.transfer_encoding_fields > 0) {
      auto te = h.find(http::field::transfer_encoding)->value();
      f.transfer_encoding = std::string_view{te.data(), te.size()};
    }
    f.content_length = h.count(http::field::content_length) > 0;
    return f;
  }

  bool expects_continue() const {
    auto& req = parser_->get();
    if (req.version() < 11)
      return false;
    auto it = req.find(http::field::expect);
    return it != req.end() && beast::iequals(it->value(), "100-continue");
  }

  void on_read_error(error_code ec) {
    static const auto& http_category =
      http::make_error_code(http::error::bad_method).category();
    if (ec.category() != http_category || ec == http::error::end_of_stream
        || ec == http::error::partial_message) {
      // Peer gone, timeout, or shut down: nothing to answer.
      close();
      return;
    }
    if (ec == http::error::header_limit)
      fail_request(431, "header_too_large",
                   "request header exceeds "
                     + std::to_string(srv_->opts().max_header_bytes)
                     + " bytes");
    else if (ec == http::error::body_limit)
      fail_request(413, "body_too_large",
                   "request body exceeds "
                     + std::to_string(srv_->opts().max_body_bytes) + " bytes");
    else if (ec == http::error::buffer_overflow)
      on_read_buffer_full();
    else
      fail_request(400, "bad_request", "malformed request: " + ec.message());
  }

  // The read buffer is full of one unparsed element. The head cannot be it
  // (its own limit is lower), so it is a chunk-size line (body framing: 413)
  // or the trailers after the last chunk (header fields: 431).
  void on_read_buffer_full() {
    auto limit = std::to_string(read_buffer_limit(srv_->opts()));
    if (!parser_->is_header_done() || in_trailers())
      fail_request(431, "header_too_large",
                   "request header or chunk trailers exceed " + limit
                     + " bytes");
    else
      fail_request(413, "body_too_large",
                   "chunk-size line exceeds " + limit + " bytes");
  }

  // Whether the unparsed bytes are the last chunk ("0" [ext] CRLF, after
  // the CRLF that ended the previous chunk) followed by its trailers.
  bool in_trailers() const {
    auto data = buffer_.cdata();
    std::string_view b{static_cast<const char*>(data.data()), data.size()};
    if (b.substr(0, 2) == "\r\n")
      b.remove_prefix(2);
    auto eol = b.find("\r\n");
    if (eol == std::string_view::npos)
      return false; // the size line itself never ended
    auto size = b.substr(0, std::min(eol, b.find(';')));
    return !size.empty() && size.find_first_not_of('0') == std::string_view::npos;
  }

  // Answers an unreadable request and closes.
  void fail_request(unsigned status, std::string code, std::string message) {
    keep_alive_ = false;
    head_ = false;
    version_ = 11;
    write_response(error_response({status, std::move(code),
                                   std::move(message), {}}));
  }

  // -- handing over -----------------------------------------------------------

  void on_request() {
    auto& msg = parser_->get();
    version_ = msg.version() == 10 ? 10 : 11;
    keep_alive_ = msg.keep_alive();
    head_ = msg.method() == http::verb::head;
    http_request req;
    req.target.assign(msg.target().data(), msg.target().size());
    if (auto r = parse_target_into(req.target, req.path, req.query); !r) {
      write_response(error_response(
        {400, "bad_request", "bad request target: " + r.err().context, {}}));
      return;
    }
    if (srv_->stopped()) {
      keep_alive_ = false;
      write_response(error_response(
        {503, "unavailable", "server is shutting down", {}}));
      return;
    }
    if (over_budget(req.path)) {
      auto res = error_response(
        {503, "unavailable", "over the process memory budget: try again later", {}});
      res.headers.emplace_back("Retry-After", "1");
      write_response(std::move(res));
      return;
    }
    auto method = msg.method_string();
    req.method.assign(method.data(), method.size());
    req.headers.reserve(static_cast<size_t>(
      std::distance(msg.begin(), msg.end())));
    for (const auto& field : msg) {
      auto name = field.name_string();
      auto value = field.value();
      auto& kv = req.headers.emplace_back();
      kv.first.resize(name.size());
      std::transform(name.begin(), name.end(), kv.first.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      });
      kv.second.assign(value.data(), value.size());
    }
    req.body = std::move(msg.body());
    req.remote = remote_;
    ++seq_;
    awaiting_ = true;
    answer_timer_.expires_at(deadline_);
    answer_timer_.async_wait(
      [self = shared_from_this(), seq = seq_](error_code ec) {
        self->on_answer_timeout(ec, seq);
      });
    call_handler(std::move(req));
  }

  /// True (and counted) when the process is over its memory budget and
  /// `path` is not one of the operations paths that always answer.
  bool over_budget(const std::string& path) const {
    auto& budget = memory_budget::process();
    if (!budget.over())
      return false;
    for (auto& p : srv_->opts().budget_exempt_paths)
      if (p == path)
        return false;
    budget.count_refusal();
    return true;
  }

  /// Shared by every copy of one responder: answers exactly once; its
  /// destructor answers 500 when nobody did.
  struct response_state {
    response_state(std::weak_ptr<connection> conn, uint64_t seq)
        : conn_(std::move(conn)), seq_(seq) {
      // nop
    }

    response_state(const response_state&) = delete;
    response_state& operator=(const response_state&) = delete;

    ~response_state() {
      if (done_.load(std::memory_order_relaxed))
        return;
      try {
        send(error_response({500, "internal", "no response", {}}));
      } catch (...) {
        // nop: the request timeout answers instead
      }
    }

    void complete(http_response&& res) {
      if (done_.exchange(true, std::memory_order_acq_rel))
        return;
      send(std::move(res));
    }

   private:
    void send(http_response&& res) {
      auto c = conn_.lock();
      if (!c)
        return;
      auto& strand = c->strand();
      asio::post(strand, [c = std::move(c), seq = seq_,
                          res = std::move(res)]() mutable {
        c->deliver(seq, res);
      });
    }

    std::weak_ptr<connection> conn_;
    uint64_t seq_;
    std::atomic<bool> done_{false};
  };

  void call_handler(http_request&& req) {
    auto state = std::make_shared<response_state>(weak_from_this(), seq_);
    responder respond{[state = std::move(state)](http_response res) {
      state->complete(std::move(res));
    }};
    try {
      srv_->handler()(std::move(req), std::move(respond));
    } catch (...) {
      // nop: the responder died with the exception and answers 500
    }
  }

  void on_answer_timeout(error_code ec, uint64_t seq) {
    guarded([&] {
      if (ec || closed_ || seq != seq_ || !awaiting_)
        return;
      awaiting_ = false;
      write_response(error_response(
        {504, "timeout", "no answer within the request timeout", {}}));
    });
  }

  // -- writing ----------------------------------------------------------------

  // Replaces an answer this connection (max_response_bytes) or the server
  // (max_unsent_bytes) cannot hold, and counts what it will hold.
  void bound_answer(http_response& res) {
    release_answer();
    auto& opts = srv_->opts();
    if (res.body.size() > opts.max_response_bytes) {
      auto size = res.body.size();
      res = error_response(
        {413, "response_too_large",
         "the answer is " + std::to_string(size) + " bytes, over the limit of "
           + std::to_string(opts.max_response_bytes)
           + " bytes: ask for fewer items or a shorter range",
         {}});
    }
    // Head and headers: a few hundred bytes on top of the body.
    constexpr size_t head_allowance = 1024;
    held_ = res.body.size() + head_allowance;
    if (srv_->reserve_unsent(held_))
      return;
    res = error_response(
      {503, "unavailable", "too many answers waiting to be sent", {}});
    res.headers.emplace_back("Retry-After", "1");
    held_ = 0; // an error answer is small: never refused, not counted
  }

  void release_answer() noexcept {
    if (held_ > 0)
      srv_->release_unsent(held_);
    held_ = 0;
  }

  void write_response(http_response&& res) {
    if (res.status < 200 || res.status > 599)
      res = error_response(
        {500, "internal", "handler answered an invalid status", {}});
    bound_answer(res);
    if (srv_->stopped())
      keep_alive_ = false;
    bool bodiless = res.status == 204 || res.status == 304;
    body_ = std::move(res.body);
    if (bodiless)
      body_.clear();
    render_response_head(head_buf_, res, version_, keep_alive_, body_.size());
    // Send.
    stream_.expires_after(duration_of(srv_->opts().request_timeout_ns));
    auto on_written = [self = shared_from_this()](error_code ec, size_t) {
      self->on_write(ec);
    };
    if (head_ || body_.empty()) {
      asio::async_write(stream_, asio::buffer(head_buf_),
                        std::move(on_written));
    } else {
      std::array<asio::const_buffer, 2> bufs{asio::buffer(head_buf_),
                                             asio::buffer(body_)};
      asio::async_write(stream_, bufs, std::move(on_written));
    }
  }

  void on_write(error_code ec) {
    release_answer();
    guarded([&] {
      if (closed_)
        return;
      if (ec) {
        close();
        return;
      }
      body_.clear();
      if (!keep_alive_ || srv_->stopped()) {
        linger_close();
        return;
      }
      begin_request(false);
    });
  }

  // -- closing ----------------------------------------------------------------

  // Half-closes, then reads and drops what the client still sends (bounded
  // in bytes and time), so that closing with unread data does not reset the
  // connection before the client has read our answer.
  void linger_close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      close();
      return;
    }
    auto linger = std::min<clock_type::duration>(
      duration_of(srv_->opts().request_timeout_ns), max_linger_time);
    stream_.expires_after(linger);
    buffer_.clear();
    drained_ = 0;
    drain();
  }

  void drain() {
    stream_.async_read_some(
      buffer_.prepare(4096),
      [self = shared_from_this()](error_code ec, size_t n) {
        self->guarded([&] {
          if (self->closed_)
            return;
          self->drained_ += n;
          if (ec || self->drained_ > max_linger_bytes)
            self->close();
          else
            self->drain();
        });
      });
  }

  std::shared_ptr<server_core> srv_;
  const strand_type strand_;
  stream_type stream_;
  timer_type answer_timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string head_buf_;
  std::string body_;
  std::string remote_;
  clock_type::time_point deadline_;
  uint64_t seq_ = 0;
  size_t drained_ = 0;
  size_t held_ = 0;        // bytes counted in the server's unsent total
  unsigned version_ = 11;
  bool counted_;
  bool reject_;
  bool awaiting_ = false;  // the handler owes an answer for seq_
  bool keep_alive_ = true;
  bool head_ = false;
  bool closed_ = false;
  bool started_ = false;   // bytes of the current request have arrived
  bool continue_sent_ = false;
  bool framing_checked_ = false;
};

// -- server_core --------------------------------------------------------------

result<void> server_core::listen(const std::string& address, uint16_t port) {
  auto fail = [&](const std::string& reason) {
    return error{errc::unavailable, "cannot listen on " + address + ":"
                                      + std::to_string(port) + ": " + reason};
  };
  try {
    if (stopped_.load())
      return fail("server stopped");
    std::lock_guard<std::mutex> guard{acceptor_mutex_};
    if (acceptor_.is_open())
      return fail("already listening");
    error_code ec;
    auto addr = asio::ip::make_address(address, ec);
    if (ec)
      return fail("invalid address");
    tcp::endpoint ep{addr, port};
    acceptor_.open(ep.protocol(), ec);
    if (!ec)
      acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
      acceptor_.bind(ep, ec);
    if (!ec)
      acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      error_code ignored;
      acceptor_.close(ignored);
      return fail(ec.message());
    }
    port_ = acceptor_.local_endpoint(ec).port();
    do_accept();
    return {};
  } catch (const std::exception& e) {
    return fail(e.what());
  } catch (...) {
    return fail("unknown error");
  }
}

void server_core::do_accept() {
  if (!acceptor_.is_open())
    return;
  acceptor_.async_accept(
    asio::make_strand(ioc_),
    [self = shared_from_this()](error_code ec, socket_type sock) {
      self->on_accept(ec, std::move(sock));
    });
}

void server_core::on_accept(error_code ec, socket_type sock) {
  try {
    if (ec == asio::error::operation_aborted || stopped_.load())
      return;
    if (!ec) {
      bool reject = live_.load() >= opts_.max_connections;
      if (!reject)
        live_.fetch_add(1);
      std::shared_ptr<connection> c;
      try {
        c = std::make_shared<connection>(shared_from_this(), std::move(sock),
                                         reject);
      } catch (...) {
        if (!reject)
          live_.fetch_sub(1);
        throw;
      }
      {
        std::lock_guard<std::mutex> guard{conns_mutex_};
        conns_.emplace(c.get(), c);
      }
      auto& strand = c->strand();
      asio::post(strand, [c = std::move(c)] { c->start(); });
    }
    std::lock_guard<std::mutex> guard{acceptor_mutex_};
    if (!ec) {
      do_accept();
      return;
    }
    // Out of descriptors or similar: pause instead of spinning.
    accept_retry_.expires_after(accept_retry_delay);
    accept_retry_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->stopped_.load())
        return;
      try {
        std::lock_guard<std::mutex> guard{self->acceptor_mutex_};
        self->do_accept();
      } catch (...) {
        // nop: the server stops accepting; stop() still works
      }
    });
  } catch (...) {
    // nop: never let an exception escape into io_context::run
  }
}

void server_core::stop() {
  stopped_.store(true);
  {
    std::lock_guard<std::mutex> guard{acceptor_mutex_};
    error_code ec;
    acceptor_.close(ec);
    try {
      accept_retry_.cancel();
    } catch (...) {
      // nop
    }
  }
  std::vector<std::shared_ptr<connection>> open;
  {
    std::lock_guard<std::mutex> guard{conns_mutex_};
    open.reserve(conns_.size());
    for (auto& [ptr, weak] : conns_)
      if (auto c = weak.lock())
        open.push_back(std::move(c));
  }
  for (auto& c : open) {
    auto& strand = c->strand();
    asio::post(strand, [c = std::move(c)] { c->close(); });
  }
}

void server_core::forget(connection* c) noexcept {
  std::lock_guard<std::mutex> guard{conns_mutex_};
  conns_.erase(c);
}

} // namespace http_detail

// -- http_server --------------------------------------------------------------

struct http_server::impl : http_detail::server_core {
  using server_core::server_core;
};

http_server::http_server(boost::asio::io_context& ioc,
                         http_server_options opts, request_handler handler)
    : impl_(std::make_shared<impl>(ioc, std::move(opts), std::move(handler))) {
  // nop
}

http_server::~http_server() {
  try {
    impl_->stop();
  } catch (...) {
    // nop
  }
}

result<void> http_server::listen(const std::string& address, uint16_t port) {
  return impl_->listen(address, port);
}

uint16_t http_server::port() const {
  return impl_->port();
}

void http_server::stop() {
  try {
    impl_->stop();
  } catch (...) {
    // nop: stop is best effort and never throws
  }
}

size_t http_server::connections() const {
  return impl_->connections();
}

size_t http_server::unsent_bytes() const {
  return impl_->unsent();
}

} // namespace tickflow::api
