#include "api/ws_server.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <websocketpp/server.hpp>

#include "api/event_json.hpp"
#include "api/memory_budget.hpp"
#include "api/ws_config.hpp"

namespace tickflow::api {

namespace {

using ws_detail::ws_config;

using endpoint_type = websocketpp::server<ws_config>;
using connection_ptr = endpoint_type::connection_ptr;
using message_ptr = endpoint_type::message_ptr;
using hdl_set = std::set<websocketpp::connection_hdl,
                         std::owner_less<websocketpp::connection_hdl>>;

/// Largest HTTP body accepted on this port (only GETs are served).
constexpr size_t max_http_body_bytes = 16 * 1024;

/// How often idle clients are looked for when no ping interval is set.
constexpr int64_t default_sweep_ns = 1'000'000'000;

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

/// The path of a request target, without the query string.
std::string_view path_of(const std::string& resource) {
  std::string_view res{resource};
  return res.substr(0, res.find('?'));
}

/// {"error":{"code":"...","message":"..."}}, the shape of every API error.
std::string error_body(std::string_view code, std::string_view message) {
  std::string out{"{\"error\":{\"code\":"};
  append_json_string(out, code);
  out += ",\"message\":";
  append_json_string(out, message);
  out += "}}";
  return out;
}

void set_json_response(const connection_ptr& con,
                       websocketpp::http::status_code::value status,
                       std::string body) {
  con->set_status(status);
  con->replace_header("Content-Type", "application/json");
  con->replace_header("Cache-Control", "no-store");
  con->set_body(std::move(body));
}

/// Deletes a queued pong and counts it out of its connection's counter.
struct pong_deleter {
  std::shared_ptr<std::atomic<size_t>> queued;

  void operator()(ws_config::message_type* m) const noexcept {
    queued->fetch_sub(1, std::memory_order_relaxed);
    delete m;
  }
};

/// A prepared pong frame carrying `payload`, counted in `queued` until
/// websocketpp has written (or dropped) it.
message_ptr make_pong(const std::string& payload,
                      const std::shared_ptr<std::atomic<size_t>>& queued) {
  using message = ws_config::message_type;
  namespace frame = websocketpp::frame;
  auto m = std::make_unique<message>(message::con_msg_man_ptr{},
                                     frame::opcode::pong, 0);
  m->get_raw_payload() = payload;
  frame::basic_header head(frame::opcode::pong, payload.size(), true, false);
  frame::extended_header ext(payload.size());
  m->set_header(frame::prepare_header(head, ext));
  m->set_prepared(true);
  queued->fetch_add(1, std::memory_order_relaxed);
  // Should the control block fail to allocate, the deleter still runs.
  return message_ptr{m.release(), pong_deleter{queued}};
}

// -- core -----------------------------------------------------------------------

/// Everything the server owns. Shared so that work posted to the io_context
/// (stop, the deferred release in ~ws_server) never outlives it; websocketpp
/// handlers hold it weakly.
struct ws_server_core : std::enable_shared_from_this<ws_server_core> {
  ws_server_core(boost::asio::io_context& ctx, ws_server_options options,
                 ws_callbacks cbs)
      : ioc(ctx), opts(std::move(options)), callbacks(std::move(cbs)),
        sweep_timer(ctx) {
    // nop
  }

  boost::asio::io_context& ioc;
  const ws_server_options opts;
  const ws_callbacks callbacks;
  endpoint_type endpoint;
  websocketpp::lib::error_code init_ec;
  std::atomic<uint16_t> bound_port{0};
  /// Set by ~ws_server: no user callback runs after the server is gone.
  std::atomic<bool> detached{false};
  /// Pings quiet clients and closes idle ones (I/O thread only).
  boost::asio::steady_timer sweep_timer;
  bool sweeping = false; ///< I/O thread only
  std::atomic<uint64_t> idle_closed{0};
  std::atomic<uint64_t> ping_flood_closed{0};

  // Guarded by mtx: validated or open connections, id counter, stop flag.
  // Held only briefly and never across a call into websocketpp or user code.
  std::mutex mtx;
  hdl_set live;
  uint64_t next_id = 0;
  bool stopping = false;

  void init();
  connection_ptr con_of(const websocketpp::connection_hdl& hdl);

  // Handlers; all run on the I/O thread.
  bool on_validate(const websocketpp::connection_hdl& hdl);
  void on_open(const websocketpp::connection_hdl& hdl);
  void on_close(const websocketpp::connection_hdl& hdl);
  void on_fail(const websocketpp::connection_hdl& hdl);
  void on_message(const websocketpp::connection_hdl& hdl, message_ptr msg);
  void on_ping(const websocketpp::connection_hdl& hdl, const std::string& payload);
  void on_http(const websocketpp::connection_hdl& hdl);

  /// Closes every validated or open connection with 1001 (any thread).
  void close_all();
  /// Closes the acceptor (I/O thread, or while the io_context is not running).
  void stop_listening();
  /// Arms the next idle sweep (I/O thread, or before the io_context runs).
  void arm_sweep();
  /// Pings clients quiet for ping_interval, closes those idle for
  /// idle_timeout (I/O thread).
  void sweep();

  template <class F>
  void notify(F&& f) {
    if (detached.load(std::memory_order_acquire))
      return;
    // A throwing callback must not unwind through websocketpp and the
    // io_context: the exception is dropped here (callbacks only hand off).
    try {
      f();
    } catch (...) {
      // nop
    }
  }
};

void ws_server_core::init() {
  endpoint.clear_access_channels(websocketpp::log::alevel::all);
  endpoint.clear_error_channels(websocketpp::log::elevel::all);
  endpoint.init_asio(&ioc, init_ec);
  if (init_ec)
    return;
  endpoint.set_user_agent("tickflow");
  endpoint.set_max_message_size(opts.max_message_bytes);
  endpoint.set_max_http_body_size(max_http_body_bytes);
  endpoint.set_reuse_addr(true);
  // Handlers hold the core weakly: connections may outlive the server.
  std::weak_ptr<ws_server_core> weak = shared_from_this();
  // Nagle off, for latency. It must be set once the socket is open: the
  // socket-init handler runs before that, so the option would not stick.
  endpoint.set_tcp_post_init_handler([weak](websocketpp::connection_hdl hdl) {
    auto self = weak.lock();
    if (!self)
      return;
    websocketpp::lib::error_code ec;
    auto con = self->endpoint.get_con_from_hdl(hdl, ec);
    if (ec || !con)
      return;
    boost::system::error_code opt_ec;
    con->get_raw_socket().set_option(boost::asio::ip::tcp::no_delay(true),
                                     opt_ec); // best effort
  });
  endpoint.set_validate_handler([weak](websocketpp::connection_hdl hdl) {
    auto self = weak.lock();
    return self && self->on_validate(hdl);
  });
  endpoint.set_open_handler([weak](websocketpp::connection_hdl hdl) {
    if (auto self = weak.lock())
      self->on_open(hdl);
  });
  endpoint.set_close_handler([weak](websocketpp::connection_hdl hdl) {
    if (auto self = weak.lock())
      self->on_close(hdl);
  });
  endpoint.set_fail_handler([weak](websocketpp::connection_hdl hdl) {
    if (auto self = weak.lock())
      self->on_fail(hdl);
  });
  endpoint.set_message_handler(
    [weak](websocketpp::connection_hdl hdl, message_ptr msg) {
      if (auto self = weak.lock())
        self->on_message(hdl, std::move(msg));
    });
  endpoint.set_http_handler([weak](websocketpp::connection_hdl hdl) {
    if (auto self = weak.lock())
      self->on_http(hdl);
  });
  // Control frames count as signs of life (idle detection).
  auto heard = [weak](const websocketpp::connection_hdl& hdl) {
    if (auto self = weak.lock())
      if (auto con = self->con_of(hdl))
        con->heard_ns.store(steady_ns(), std::memory_order_relaxed);
  };
  endpoint.set_pong_handler(
    [heard](websocketpp::connection_hdl hdl, std::string) { heard(hdl); });
  // Pings are answered here rather than by websocketpp, so that the pongs
  // queued for a client that does not read are counted and bounded.
  endpoint.set_ping_handler(
    [weak](websocketpp::connection_hdl hdl, std::string payload) {
      auto self = weak.lock();
      if (!self)
        return true; // the server is gone: websocketpp answers
      self->on_ping(hdl, payload);
      return false;
    });
}

connection_ptr
ws_server_core::con_of(const websocketpp::connection_hdl& hdl) {
  websocketpp::lib::error_code ec;
  auto con = endpoint.get_con_from_hdl(hdl, ec);
  return ec ? nullptr : con;
}

bool ws_server_core::on_validate(const websocketpp::connection_hdl& hdl) {
  auto con = con_of(hdl);
  if (!con)
    return false;
  auto path = path_of(con->get_resource());
  if (path != opts.path) {
    std::string msg{"no WebSocket endpoint at "};
    msg.append(path.data(), path.size());
    set_json_response(con, websocketpp::http::status_code::not_found,
                      error_body("not_found", msg));
    return false;
  }
  if (auto& budget = memory_budget::process(); budget.over()) {
    budget.count_refusal();
    set_json_response(con, websocketpp::http::status_code::service_unavailable,
                      error_body("unavailable",
                                 "over the process memory budget: try again later"));
    con->replace_header("Retry-After", "1");
    return false;
  }
  {
    std::lock_guard<std::mutex> guard{mtx};
    if (!stopping && live.size() < opts.max_clients) {
      live.insert(hdl);
      return true;
    }
  }
  set_json_response(con, websocketpp::http::status_code::service_unavailable,
                    error_body("unavailable", "too many WebSocket clients"));
  return false;
}

void ws_server_core::on_open(const websocketpp::connection_hdl& hdl) {
  auto con = con_of(hdl);
  if (!con)
    return;
  bool stopped_meanwhile = false;
  {
    std::lock_guard<std::mutex> guard{mtx};
    if (stopping)
      stopped_meanwhile = true;
    else
      con->id = ++next_id;
  }
  con->heard_ns.store(steady_ns(), std::memory_order_relaxed);
  if (stopped_meanwhile) {
    // Validated before stop() and opened after it: never reported.
    websocketpp::lib::error_code ec;
    con->close(websocketpp::close::status::going_away, "going away", ec);
    return;
  }
  auto id = con->id;
  notify([&] {
    if (callbacks.on_open)
      callbacks.on_open(id, ws_client{hdl});
  });
}

void ws_server_core::on_close(const websocketpp::connection_hdl& hdl) {
  {
    std::lock_guard<std::mutex> guard{mtx};
    live.erase(hdl);
  }
  auto con = con_of(hdl);
  if (!con || con->id == 0)
    return;
  auto id = con->id;
  notify([&] {
    if (callbacks.on_close)
      callbacks.on_close(id);
  });
}

void ws_server_core::on_fail(const websocketpp::connection_hdl& hdl) {
  // Never opened (rejected or a failed handshake): nothing to report.
  std::lock_guard<std::mutex> guard{mtx};
  live.erase(hdl);
}

void ws_server_core::on_message(const websocketpp::connection_hdl& hdl,
                                message_ptr msg) {
  auto con = con_of(hdl);
  if (!con || !msg)
    return;
  con->heard_ns.store(steady_ns(), std::memory_order_relaxed);
  if (msg->get_opcode() != websocketpp::frame::opcode::text) {
    websocketpp::lib::error_code ec;
    con->close(websocketpp::close::status::unsupported_data,
               "binary frames are not supported", ec);
    return;
  }
  auto id = con->id;
  notify([&] {
    if (callbacks.on_message)
      callbacks.on_message(id, std::move(msg->get_raw_payload()));
  });
}

void ws_server_core::on_ping(const websocketpp::connection_hdl& hdl,
                             const std::string& payload) {
  auto con = con_of(hdl);
  if (!con)
    return;
  con->heard_ns.store(steady_ns(), std::memory_order_relaxed);
  websocketpp::lib::error_code ec;
  if (con->pongs_queued->load(std::memory_order_relaxed)
      >= opts.max_control_frames) {
    // It pings faster than it reads: each pong would wait in memory.
    ping_flood_closed.fetch_add(1, std::memory_order_relaxed);
    con->close(websocketpp::close::status::policy_violation,
               "too many unanswered pings", ec);
    return;
  }
  try {
    con->send(make_pong(payload, con->pongs_queued)); // fails only when closing
  } catch (...) {
    // nop: no pong (out of memory); the client may ping again
  }
}

void ws_server_core::on_http(const websocketpp::connection_hdl& hdl) {
  auto con = con_of(hdl);
  if (!con)
    return;
  auto path = path_of(con->get_resource());
  if (path == "/health") {
    set_json_response(con, websocketpp::http::status_code::ok,
                      "{\"status\":\"ok\"}");
    return;
  }
  std::string msg{"no route for "};
  msg.append(path.data(), path.size());
  set_json_response(con, websocketpp::http::status_code::not_found,
                    error_body("not_found", msg));
}

void ws_server_core::close_all() {
  std::vector<websocketpp::connection_hdl> targets;
  {
    std::lock_guard<std::mutex> guard{mtx};
    stopping = true;
    targets.assign(live.begin(), live.end());
  }
  for (auto& hdl : targets) {
    // Open ones close now; ones still in the handshake close in on_open.
    if (auto con = con_of(hdl)) {
      websocketpp::lib::error_code ec;
      con->close(websocketpp::close::status::going_away, "going away", ec);
    }
  }
}

void ws_server_core::stop_listening() {
  if (sweeping) {
    sweeping = false;
    boost::system::error_code ignored;
    sweep_timer.cancel(ignored);
  }
  if (!endpoint.is_listening())
    return;
  websocketpp::lib::error_code ec;
  endpoint.stop_listening(ec);
}

void ws_server_core::arm_sweep() {
  auto period = opts.ping_interval_ns > 0 ? opts.ping_interval_ns
                                          : default_sweep_ns;
  if (opts.ping_interval_ns > 0 && opts.idle_timeout_ns > 0)
    period = std::min(period, opts.idle_timeout_ns);
  sweeping = true;
  sweep_timer.expires_after(std::chrono::nanoseconds{period});
  std::weak_ptr<ws_server_core> weak = shared_from_this();
  sweep_timer.async_wait([weak](const boost::system::error_code& ec) {
    if (ec)
      return; // cancelled: stopping
    if (auto self = weak.lock(); self && self->sweeping) {
      self->sweep();
      self->arm_sweep();
    }
  });
}

void ws_server_core::sweep() {
  std::vector<websocketpp::connection_hdl> targets;
  {
    std::lock_guard<std::mutex> guard{mtx};
    if (stopping)
      return;
    targets.assign(live.begin(), live.end());
  }
  auto now = steady_ns();
  for (auto& hdl : targets) {
    auto con = con_of(hdl);
    if (!con || con->id == 0
        || con->get_state() != websocketpp::session::state::open)
      continue;
    auto quiet = now - con->heard_ns.load(std::memory_order_relaxed);
    websocketpp::lib::error_code ec;
    if (opts.idle_timeout_ns > 0 && quiet >= opts.idle_timeout_ns) {
      idle_closed.fetch_add(1, std::memory_order_relaxed);
      con->close(websocketpp::close::status::going_away, "idle timeout", ec);
    } else if (opts.ping_interval_ns > 0 && quiet >= opts.ping_interval_ns) {
      con->ping("", ec);
    }
  }
}

} // namespace

// -- ws_server ------------------------------------------------------------------

struct ws_server::impl {
  std::shared_ptr<ws_server_core> core;
};

ws_server::ws_server(boost::asio::io_context& ioc, ws_server_options opts,
                     ws_callbacks callbacks)
    : impl_(std::make_unique<impl>()) {
  impl_->core = std::make_shared<ws_server_core>(ioc, std::move(opts),
                                                 std::move(callbacks));
  impl_->core->init();
}

ws_server::~ws_server() {
  auto core = std::move(impl_->core);
  core->detached.store(true, std::memory_order_release);
  core->close_all();
  if (core->ioc.stopped())
    return; // nothing runs any more: the acceptor closes with the core
  // The acceptor belongs to the I/O thread. Close it there, then release the
  // core two turns later, after the cancelled accept has completed (it
  // refers to the endpoint).
  boost::asio::post(core->ioc, [core] {
    core->stop_listening();
    boost::asio::post(core->ioc, [core] {
      boost::asio::post(core->ioc, [core] {
        // nop: the last reference goes here
      });
    });
  });
}

result<void> ws_server::listen(const std::string& address, uint16_t port) {
  auto& core = *impl_->core;
  auto fail = [&](const std::string& reason) {
    return error{errc::unavailable, "cannot listen on " + address + ":"
                                      + std::to_string(port) + ": " + reason};
  };
  if (core.init_ec)
    return fail(core.init_ec.message());
  websocketpp::lib::error_code ec;
  boost::system::error_code aec;
  auto ip = boost::asio::ip::make_address(address, aec);
  if (!aec) // numeric: bind directly, no resolver involved
    core.endpoint.listen(boost::asio::ip::tcp::endpoint{ip, port}, ec);
  else // a host name such as "localhost"
    core.endpoint.listen(address, std::to_string(port), ec);
  if (ec)
    return fail(ec.message());
  core.endpoint.start_accept(ec);
  if (ec) {
    core.stop_listening();
    return fail(ec.message());
  }
  auto local = core.endpoint.get_local_endpoint(aec);
  if (aec) {
    core.stop_listening();
    return fail(aec.message());
  }
  core.bound_port.store(local.port(), std::memory_order_release);
  if (core.opts.ping_interval_ns > 0 || core.opts.idle_timeout_ns > 0) {
    // The timer belongs to the I/O thread: arm it there.
    auto& ioc = core.ioc;
    if (ioc.get_executor().running_in_this_thread() || ioc.stopped())
      core.arm_sweep();
    else
      boost::asio::post(ioc, [c = impl_->core] {
        if (c->endpoint.is_listening())
          c->arm_sweep();
      });
  }
  return {};
}

uint16_t ws_server::port() const {
  return impl_->core->bound_port.load(std::memory_order_acquire);
}

bool ws_server::send(const ws_client& client, const std::string& text) {
  try {
    auto con = impl_->core->con_of(client);
    if (!con)
      return false;
    // connection::send locks internally and posts the write to the I/O thread.
    return !con->send(text, websocketpp::frame::opcode::text);
  } catch (...) {
    return false; // e.g. bad_alloc while copying the frame
  }
}

ws_frame::ws_frame(std::string text) : size_(text.size()) {
  using message = ws_config::message_type;
  namespace frame = websocketpp::frame;
  auto msg = std::make_shared<message>(message::con_msg_man_ptr{},
                                       frame::opcode::text, 0);
  msg->get_raw_payload() = std::move(text); // the frame's bytes, not copied
  frame::basic_header head(frame::opcode::text, size_, true, false);
  frame::extended_header ext(size_);
  msg->set_header(frame::prepare_header(head, ext));
  msg->set_prepared(true); // connection::send queues it as is
  msg_ = std::move(msg);
}

bool ws_server::send(const ws_client& client, const ws_frame& frame) {
  try {
    auto con = impl_->core->con_of(client);
    if (!con || !frame.msg_)
      return false;
    auto msg = std::static_pointer_cast<ws_config::message_type>(frame.msg_);
    return !con->send(msg);
  } catch (...) {
    return false;
  }
}

std::optional<size_t> ws_server::enqueue(const ws_client& client,
                                         const ws_frame& frame) {
  try {
    auto con = impl_->core->con_of(client);
    if (!con || !frame.msg_)
      return std::nullopt;
    auto msg = std::static_pointer_cast<ws_config::message_type>(frame.msg_);
    if (con->send(msg))
      return std::nullopt; // closing or closed
    return con->get_buffered_amount()
           + con->pongs_queued->load(std::memory_order_relaxed)
               * control_frame_cost;
  } catch (...) {
    return std::nullopt;
  }
}

uint64_t ws_server::idle_closed() const {
  return impl_->core->idle_closed.load(std::memory_order_relaxed);
}

size_t ws_server::buffered_bytes(const ws_client& client) {
  auto con = impl_->core->con_of(client);
  // websocketpp reads this counter without its write lock: a snapshot that
  // may be one write behind, which is all a slow-client check needs.
  if (!con)
    return 0;
  return con->get_buffered_amount()
         + con->pongs_queued->load(std::memory_order_relaxed)
             * control_frame_cost;
}

uint64_t ws_server::ping_flood_closed() const {
  return impl_->core->ping_flood_closed.load(std::memory_order_relaxed);
}

void ws_server::close(const ws_client& client, uint16_t code,
                      const std::string& reason) {
  try {
    if (auto con = impl_->core->con_of(client)) {
      websocketpp::lib::error_code ec;
      con->close(code, reason, ec);
    }
  } catch (...) {
    // nop: closing a client must not throw
  }
}

void ws_server::stop() {
  auto core = impl_->core;
  core->close_all();
  // The acceptor is touched on the I/O thread only (inline when we are on it
  // or when nothing runs the io_context).
  auto& ioc = core->ioc;
  if (ioc.get_executor().running_in_this_thread() || ioc.stopped())
    core->stop_listening();
  else
    boost::asio::post(ioc, [core] { core->stop_listening(); });
}

} // namespace tickflow::api
