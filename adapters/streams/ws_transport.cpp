#include "adapters/streams/ws_transport.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>
#include <websocketpp/uri.hpp>

namespace tickflow {

namespace {

int64_t wall_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

long to_ms(int64_t ns) noexcept {
  return static_cast<long>(ns / 1'000'000);
}

} // namespace

std::string redact_secrets(std::string text,
                           const std::vector<std::string>& secrets) {
  for (auto& s : secrets) {
    if (s.empty())
      continue;
    for (auto at = text.find(s); at != std::string::npos; at = text.find(s, at + 3))
      text.replace(at, s.size(), "***");
  }
  return text;
}

/// What both flavours (plain and TLS) offer the wrapper.
struct ws_transport::impl {
  virtual ~impl() = default;
  virtual bool send(std::string text) = 0;
  virtual void close(uint16_t code, std::string reason) = 0;
  /// Closes (bounded wait) and joins the I/O thread.
  virtual void shutdown() = 0;

  std::atomic<bool> open{false};
};

namespace {

using plain_client = websocketpp::client<websocketpp::config::asio_client>;
using tls_client = websocketpp::client<websocketpp::config::asio_tls_client>;
using ssl_context_ptr = std::shared_ptr<boost::asio::ssl::context>;

/// One connection on a client endpoint of flavour `Client`, with its own
/// io_context and thread. Handlers capture `this`: the thread is joined (and
/// the io_context with its queued handlers destroyed) before it goes away.
template <class Client>
class basic_transport final : public ws_transport::impl {
 public:
  using connection_ptr = typename Client::connection_ptr;
  using message_ptr = typename Client::message_ptr;

  basic_transport(ws_transport_options opts, ws_transport_callbacks cbs,
                  std::vector<std::string> redact, std::string host)
      : opts_(std::move(opts)),
        cbs_(std::move(cbs)),
        redact_(std::move(redact)),
        host_(std::move(host)) {
    // nop
  }

  ~basic_transport() override { shutdown(); }

  /// Starts connecting; on_closed reports a failure to even begin.
  void start() {
    endpoint_.clear_access_channels(websocketpp::log::alevel::all);
    endpoint_.clear_error_channels(websocketpp::log::elevel::all);
    websocketpp::lib::error_code ec;
    endpoint_.init_asio(&ioc_, ec);
    if (ec)
      return report("transport init failed: " + ec.message());
    endpoint_.set_user_agent(opts_.user_agent);
    auto limit = opts_.max_frame_bytes * std::max<size_t>(1, opts_.hard_limit_factor);
    endpoint_.set_max_message_size(limit);
    endpoint_.set_open_handshake_timeout(to_ms(opts_.open_timeout_ns));
    endpoint_.set_close_handshake_timeout(to_ms(opts_.close_timeout_ns));
    install_tls(endpoint_);
    endpoint_.set_open_handler([this](websocketpp::connection_hdl) {
      open = true;
      if (cbs_.on_open)
        cbs_.on_open();
    });
    endpoint_.set_fail_handler([this](websocketpp::connection_hdl) {
      open = false;
      auto ec = con_->get_ec();
      auto status = con_->get_response_code();
      std::string why = "connect failed: " + ec.message();
      if (status != 0)
        why += " (HTTP " + std::to_string(static_cast<int>(status)) + ")";
      report(why);
    });
    endpoint_.set_close_handler([this](websocketpp::connection_hdl) {
      open = false;
      auto local = con_->get_local_close_code();
      if (local == websocketpp::close::status::message_too_big && cbs_.on_oversize)
        cbs_.on_oversize(0); // too big to read at all
      auto remote = con_->get_remote_close_code();
      std::string why = "closed " + std::to_string(remote);
      if (!con_->get_remote_close_reason().empty())
        why += " " + con_->get_remote_close_reason();
      if (local != websocketpp::close::status::normal
          && local != websocketpp::close::status::going_away
          && local != websocketpp::close::status::no_status
          && local != websocketpp::close::status::abnormal_close)
        why += " (local " + std::to_string(local) + ")";
      if (con_->get_ec())
        why += ": " + con_->get_ec().message();
      report(why);
    });
    endpoint_.set_message_handler([this](websocketpp::connection_hdl,
                                         message_ptr msg) {
      auto now = wall_ns();
      auto& payload = msg->get_raw_payload();
      if (msg->get_opcode() != websocketpp::frame::opcode::text) {
        if (cbs_.on_binary)
          cbs_.on_binary(payload.size());
        return;
      }
      if (payload.size() > opts_.max_frame_bytes) {
        if (cbs_.on_oversize)
          cbs_.on_oversize(payload.size());
        return;
      }
      if (cbs_.on_text)
        cbs_.on_text(std::move(payload), now);
    });
    endpoint_.set_ping_handler([this](websocketpp::connection_hdl, std::string) {
      if (cbs_.on_heartbeat)
        cbs_.on_heartbeat(wall_ns());
      return true; // answer with a pong
    });
    endpoint_.set_pong_handler([this](websocketpp::connection_hdl, std::string) {
      if (cbs_.on_heartbeat)
        cbs_.on_heartbeat(wall_ns());
    });
    con_ = endpoint_.get_connection(opts_.url, ec);
    if (ec) {
      con_ = nullptr;
      return report("bad url: " + ec.message());
    }
    endpoint_.connect(con_);
    thread_ = std::thread{[this] {
      ioc_.run();
      std::lock_guard<std::mutex> guard{mtx_};
      done_ = true;
      cv_.notify_all();
    }};
  }

  bool send(std::string text) override {
    if (!open)
      return false;
    boost::asio::post(ioc_, [this, t = std::move(text)] {
      if (con_ && open)
        con_->send(t, websocketpp::frame::opcode::text); // error: closing anyway
    });
    return true;
  }

  void close(uint16_t code, std::string reason) override {
    boost::asio::post(ioc_, [this, code, r = std::move(reason)] { close_now(code, r); });
  }

  void shutdown() override {
    if (!thread_.joinable())
      return;
    close(websocketpp::close::status::going_away, "client shutdown");
    {
      std::unique_lock<std::mutex> lock{mtx_};
      auto grace = std::chrono::nanoseconds{opts_.close_timeout_ns}
                   + std::chrono::milliseconds{500};
      if (!cv_.wait_for(lock, grace, [this] { return done_; }))
        ioc_.stop(); // the peer never finished the close: cut it
    }
    thread_.join();
  }

 private:
  /// On the I/O thread: a clean close when open, otherwise cut the attempt.
  void close_now(uint16_t code, const std::string& reason) {
    if (!con_)
      return;
    websocketpp::lib::error_code ec;
    auto state = con_->get_state();
    if (state == websocketpp::session::state::open)
      con_->close(code, reason, ec);
    else if (state == websocketpp::session::state::connecting)
      con_->terminate(ec);
  }

  void report(const std::string& why) {
    if (reported_.exchange(true))
      return;
    if (cbs_.on_closed)
      cbs_.on_closed(redact_secrets(why, redact_));
  }

  void install_tls(plain_client&) {
    // nop: ws:// has no TLS
  }

  void install_tls(tls_client& ep) {
    ep.set_tls_init_handler([this](websocketpp::connection_hdl) {
      namespace ssl = boost::asio::ssl;
      auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
      boost::system::error_code ec;
      ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2
                         | ssl::context::no_sslv3 | ssl::context::no_tlsv1
                         | ssl::context::no_tlsv1_1,
                       ec);
      ctx->set_verify_mode(ssl::verify_peer, ec);
      if (opts_.ca_file.empty())
        ctx->set_default_verify_paths(ec);
      else
        ctx->load_verify_file(opts_.ca_file, ec);
      ctx->set_verify_callback(ssl::host_name_verification(host_), ec);
      return ctx;
    });
  }

  ws_transport_options opts_;
  ws_transport_callbacks cbs_;
  std::vector<std::string> redact_;
  std::string host_;
  // The io_context outlives the endpoint and the connection (destroyed after
  // them): queued handlers referring to the connection die with it.
  boost::asio::io_context ioc_;
  Client endpoint_;
  connection_ptr con_;
  std::thread thread_;
  std::atomic<bool> reported_{false};
  std::mutex mtx_;
  std::condition_variable cv_;
  bool done_ = false;
};

} // namespace

ws_transport::ws_transport(ws_transport_options opts, ws_transport_callbacks cbs,
                           std::vector<std::string> redact) {
  bool secure = false;
  std::string host;
  try {
    websocketpp::uri u{opts.url};
    if (u.get_valid()) { // otherwise get_connection reports the bad URL
      secure = u.get_secure();
      host = u.get_host();
    }
  } catch (...) {
    // nop: as invalid
  }
  if (secure) {
    auto t = std::make_shared<basic_transport<tls_client>>(std::move(opts), std::move(cbs),
                                                           std::move(redact), host);
    t->start();
    impl_ = t;
  } else {
    auto t = std::make_shared<basic_transport<plain_client>>(std::move(opts), std::move(cbs),
                                                             std::move(redact), host);
    t->start();
    impl_ = t;
  }
}

ws_transport::~ws_transport() {
  if (impl_)
    impl_->shutdown();
}

bool ws_transport::send(std::string text) {
  return impl_->send(std::move(text));
}

void ws_transport::close(uint16_t code, std::string reason) {
  impl_->close(code, std::move(reason));
}

bool ws_transport::is_open() const noexcept {
  return impl_->open;
}

} // namespace tickflow
