// ws_load: WebSocket fan-out load client (websocketpp, one I/O thread).
//
// Opens --clients connections to --url (at most --concurrency handshakes at
// a time), subscribes client i to channels[i % channels.size()] with
//   {"op":"subscribe","channels":["<channel>"]}
// waits until every client is subscribed (or --connect-timeout passes), lets
// --warmup seconds go by, then for --seconds counts every event message
// received and its latency: now (system clock, ns) - the "ts_recv" field of
// the message (ns, the same machine's clock). Prints one JSON line.
// Works against tickflow and bench/ws_reference_server.js alike.

#include <algorithm>
#include <charconv>
#include <fstream>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include "bench/histogram.hpp"

namespace {

using client_type = websocketpp::client<websocketpp::config::asio_client>;
using steady = std::chrono::steady_clock;

struct options {
  std::string url;
  size_t clients = 1000;
  std::vector<std::string> channels;
  double warmup = 2;
  double seconds = 10;
  double connect_timeout = 30;
  size_t concurrency = 64;
  long server_pid = 0; ///< its CPU time and RSS are sampled over the window
  std::string label;
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "ws_load: " << why << "\n"
            << "usage: ws_load --url ws://127.0.0.1:PORT/PATH --channels "
               "A,B,... [--clients N] [--warmup S] [--seconds S] "
               "[--connect-timeout S] [--concurrency N] [--server-pid PID] "
               "[--label X]\n";
  std::exit(2);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in{s};
  std::string item;
  while (std::getline(in, item, sep))
    if (!item.empty())
      out.push_back(item);
  return out;
}

options parse_options(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        usage("missing value for " + a);
      return argv[++i];
    };
    auto number = [&]() -> double {
      auto v = value();
      char* end = nullptr;
      double d = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || d < 0)
        usage("bad number for " + a + ": " + v);
      return d;
    };
    if (a == "--url")
      o.url = value();
    else if (a == "--clients")
      o.clients = static_cast<size_t>(number());
    else if (a == "--channels")
      o.channels = split(value(), ',');
    else if (a == "--warmup")
      o.warmup = number();
    else if (a == "--seconds")
      o.seconds = number();
    else if (a == "--connect-timeout")
      o.connect_timeout = number();
    else if (a == "--concurrency")
      o.concurrency = static_cast<size_t>(number());
    else if (a == "--server-pid")
      o.server_pid = static_cast<long>(number());
    else if (a == "--label")
      o.label = value();
    else
      usage("unknown option " + a);
  }
  if (o.url.empty() || o.channels.empty() || o.clients == 0 ||
      o.concurrency == 0 || o.seconds <= 0)
    usage("--url, --channels, --clients > 0 and --seconds > 0 are required");
  return o;
}

int64_t wall_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

steady::duration secs(double s) {
  return std::chrono::duration_cast<steady::duration>(
    std::chrono::duration<double>(s));
}

/// CPU seconds (user + system) this process has used.
double self_cpu_s() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto tv = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return tv(ru.ru_utime) + tv(ru.ru_stime);
}

/// CPU seconds (user + system) of another process, from /proc; -1 if unknown.
double proc_cpu_s(long pid) {
  if (pid <= 0)
    return -1;
  std::ifstream in{"/proc/" + std::to_string(pid) + "/stat"};
  std::string text;
  std::getline(in, text);
  auto close = text.rfind(')'); // the command name may contain blanks
  if (close == std::string::npos)
    return -1;
  std::stringstream fields{text.substr(close + 2)};
  std::string f;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) // fields 14 and 15: utime, stime
    if (i == 14 || i == 15)
      ticks += std::atof(f.c_str());
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// VmRSS of a process in KiB, 0 if unknown.
long proc_rss_kb(long pid) {
  if (pid <= 0)
    return 0;
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::atol(line.c_str() + 6);
  return 0;
}

/// The integer after "ts_recv": in a message, or -1.
int64_t ts_recv_of(std::string_view text) {
  static constexpr std::string_view key = "\"ts_recv\":";
  auto at = text.rfind(key); // last: the event's own field, after "data"
  if (at == std::string_view::npos)
    return -1;
  const char* first = text.data() + at + key.size();
  const char* last = text.data() + text.size();
  int64_t v = -1;
  auto res = std::from_chars(first, last, v);
  return res.ec == std::errc{} ? v : -1;
}

class load {
 public:
  explicit load(options o) : opts_(std::move(o)), timer_(ioc_) {
    endpoint_.clear_access_channels(websocketpp::log::alevel::all);
    endpoint_.clear_error_channels(websocketpp::log::elevel::all);
    websocketpp::lib::error_code ec;
    endpoint_.init_asio(&ioc_, ec);
    if (ec) {
      std::cerr << "ws_load: init: " << ec.message() << "\n";
      std::exit(1);
    }
    state_.resize(opts_.clients);
    per_client_.assign(opts_.clients, 0);
  }

  int run() {
    started_ = steady::now();
    for (size_t i = 0; i < opts_.concurrency && next_ < opts_.clients; ++i)
      connect_next();
    arm(secs(opts_.connect_timeout), [this] { start_warmup(); });
    ioc_.run();
    report();
    return connected_ == 0 ? 1 : 0;
  }

 private:
  enum class phase { connecting, warmup, measuring, closing };

  struct client_state {
    client_type::connection_ptr con;
    bool open = false;
    bool subscribed = false;
    bool closed = false;
  };

  template <class F>
  void arm(steady::duration d, F f) {
    timer_.expires_after(d);
    timer_.async_wait([f](const boost::system::error_code& ec) {
      if (!ec)
        f();
    });
  }

  void connect_next() {
    if (next_ >= opts_.clients)
      return;
    size_t i = next_++;
    websocketpp::lib::error_code ec;
    auto con = endpoint_.get_connection(opts_.url, ec);
    if (ec) {
      std::cerr << "ws_load: " << opts_.url << ": " << ec.message() << "\n";
      std::exit(2);
    }
    state_[i].con = con;
    con->set_open_handler([this, i](websocketpp::connection_hdl) {
      on_open(i);
    });
    con->set_fail_handler([this, i](websocketpp::connection_hdl) {
      ++failed_;
      state_[i].closed = true;
      connect_next();
      check_connected();
      check_ready();
    });
    con->set_close_handler([this, i](websocketpp::connection_hdl) {
      on_close(i);
    });
    con->set_message_handler(
      [this, i](websocketpp::connection_hdl, client_type::message_ptr msg) {
        on_message(i, msg->get_payload());
      });
    endpoint_.connect(con);
  }

  void on_open(size_t i) {
    state_[i].open = true;
    ++connected_;
    connect_next();
    check_connected();
  }

  /// Once every client has connected (or failed), all subscribe at once, so
  /// that traffic does not slow down the handshakes still in progress.
  void check_connected() {
    if (phase_ != phase::connecting || subscribing_ ||
        connected_ + failed_ < opts_.clients)
      return;
    subscribe_all();
  }

  void subscribe_all() {
    subscribing_ = true;
    for (size_t i = 0; i < state_.size(); ++i) {
      auto& c = state_[i];
      if (!c.open || c.closed)
        continue;
      const auto& ch = opts_.channels[i % opts_.channels.size()];
      std::string cmd =
        "{\"op\":\"subscribe\",\"channels\":[\"" + ch + "\"]}";
      c.con->send(cmd, websocketpp::frame::opcode::text);
    }
  }

  void on_close(size_t i) {
    auto& c = state_[i];
    if (c.closed)
      return;
    c.closed = true;
    c.open = false;
    ++closed_;
    if (phase_ != phase::closing) {
      ++closed_by_server_;
      close_codes_[c.con->get_remote_close_code()] += 1;
      check_ready();
    }
    if (phase_ == phase::closing && closed_ + failed_ >= opts_.clients) {
      timer_.cancel();
      ioc_.stop();
    }
  }

  void on_message(size_t i, const std::string& text) {
    if (phase_ == phase::measuring) {
      auto ts = ts_recv_of(text);
      if (ts > 0) {
        auto lat = wall_ns() - ts;
        latency_.record(lat);
        if (ts != last_batch_ts_) { // the first message of a provider batch
          first_latency_.record(lat);
          last_batch_ts_ = ts;
        }
        ++messages_;
        bytes_ += text.size();
        ++per_client_[i];
        return;
      }
    }
    auto& c = state_[i];
    if (!c.subscribed &&
        text.find("\"type\":\"subscribed\"") != std::string::npos) {
      c.subscribed = true;
      ++subscribed_;
      check_ready();
    } else if (text.find("\"type\":\"error\"") != std::string::npos) {
      if (errors_++ < 3)
        std::cerr << "ws_load: client " << i << ": " << text << "\n";
    } else if (phase_ != phase::measuring && ts_recv_of(text) > 0) {
      ++messages_outside_;
    }
  }

  void check_ready() {
    if (phase_ == phase::connecting && subscribing_ &&
        subscribed_ + failed_ + closed_ >= opts_.clients)
      start_warmup();
  }

  void start_warmup() {
    if (phase_ != phase::connecting)
      return;
    if (!subscribing_) { // connect timeout: go on with those connected
      subscribe_all();
      arm(secs(opts_.connect_timeout), [this] { start_warmup(); });
      return;
    }
    phase_ = phase::warmup;
    ready_s_ = std::chrono::duration<double>(steady::now() - started_).count();
    arm(secs(opts_.warmup), [this] { start_measuring(); });
  }

  void start_measuring() {
    phase_ = phase::measuring;
    subscribed_at_start_ = subscribed_;
    open_at_start_ = connected_ - closed_;
    t0_ = steady::now();
    cpu0_ = self_cpu_s();
    server_cpu0_ = proc_cpu_s(opts_.server_pid);
    arm(secs(opts_.seconds), [this] { stop_measuring(); });
  }

  void stop_measuring() {
    t1_ = steady::now();
    cpu1_ = self_cpu_s();
    server_cpu1_ = proc_cpu_s(opts_.server_pid);
    server_rss_kb_ = proc_rss_kb(opts_.server_pid);
    phase_ = phase::closing;
    open_at_end_ = connected_ - closed_;
    for (auto& c : state_) {
      if (c.open && !c.closed) {
        websocketpp::lib::error_code ec;
        c.con->close(websocketpp::close::status::normal, "done", ec);
      }
    }
    if (closed_ + failed_ >= opts_.clients) {
      ioc_.stop();
      return;
    }
    arm(std::chrono::seconds{3}, [this] { ioc_.stop(); });
  }

  void report() {
    double s = std::chrono::duration<double>(t1_ - t0_).count();
    if (phase_ == phase::connecting || phase_ == phase::warmup)
      s = 0;
    auto us = [](uint64_t ns) { return static_cast<double>(ns) / 1000.0; };
    uint64_t min_c = 0, max_c = 0;
    if (!per_client_.empty()) {
      auto [lo, hi] = std::minmax_element(per_client_.begin(), per_client_.end());
      min_c = *lo;
      max_c = *hi;
    }
    std::cout << "{\"label\":\"" << opts_.label << "\",\"clients\":"
              << opts_.clients << ",\"channels\":" << opts_.channels.size()
              << ",\"connected\":" << connected_
              << ",\"subscribed\":" << subscribed_at_start_
              << ",\"failed\":" << failed_
              << ",\"ready_s\":" << ready_s_
              << ",\"open_at_start\":" << open_at_start_
              << ",\"open_at_end\":" << open_at_end_
              << ",\"closed_by_server\":" << closed_by_server_
              << ",\"close_codes\":{";
    bool first = true;
    for (auto& [code, n] : close_codes_) {
      std::cout << (first ? "" : ",") << "\"" << code << "\":" << n;
      first = false;
    }
    std::cout << "},\"seconds\":" << s << ",\"messages\":" << messages_
              << ",\"msgs_per_s\":"
              << (s > 0 ? static_cast<double>(messages_) / s : 0)
              << ",\"bytes_per_s\":"
              << (s > 0 ? static_cast<double>(bytes_) / s : 0)
              << ",\"per_client_min\":" << min_c
              << ",\"per_client_max\":" << max_c
              << ",\"latency_samples\":" << latency_.count()
              << ",\"negative_latency\":" << latency_.negative()
              << ",\"p50_us\":" << us(latency_.quantile(0.50))
              << ",\"p90_us\":" << us(latency_.quantile(0.90))
              << ",\"p95_us\":" << us(latency_.quantile(0.95))
              << ",\"p99_us\":" << us(latency_.quantile(0.99))
              << ",\"p999_us\":" << us(latency_.quantile(0.999))
              << ",\"max_us\":" << us(latency_.max())
              << ",\"first_p50_us\":" << us(first_latency_.quantile(0.50))
              << ",\"first_p99_us\":" << us(first_latency_.quantile(0.99))
              << ",\"client_cpu\":" << (s > 0 ? (cpu1_ - cpu0_) / s : 0)
              << ",\"server_cpu\":"
              << (s > 0 && server_cpu0_ >= 0 && server_cpu1_ >= 0
                    ? (server_cpu1_ - server_cpu0_) / s
                    : -1)
              << ",\"server_rss_kb\":" << server_rss_kb_
              << ",\"errors\":" << errors_ << "}" << std::endl;
  }

  options opts_;
  // Declaration order: the endpoint is destroyed before the io_context.
  boost::asio::io_context ioc_{1};
  client_type endpoint_;
  boost::asio::steady_timer timer_;
  std::vector<client_state> state_;
  std::vector<uint64_t> per_client_;
  size_t next_ = 0;
  bool subscribing_ = false;
  phase phase_ = phase::connecting;
  steady::time_point started_, t0_, t1_;
  double ready_s_ = 0;
  double cpu0_ = 0, cpu1_ = 0, server_cpu0_ = -1, server_cpu1_ = -1;
  long server_rss_kb_ = 0;
  uint64_t connected_ = 0, subscribed_ = 0, failed_ = 0, closed_ = 0;
  uint64_t closed_by_server_ = 0, subscribed_at_start_ = 0;
  uint64_t open_at_start_ = 0, open_at_end_ = 0;
  uint64_t messages_ = 0, bytes_ = 0, messages_outside_ = 0, errors_ = 0;
  std::map<int, uint64_t> close_codes_;
  tickflow::bench::histogram latency_;
  // Latency of the first message of each provider batch (a new ts_recv) to
  // reach any client: the pipeline and transport floor, without the time the
  // rest of the batch waits behind it.
  tickflow::bench::histogram first_latency_;
  int64_t last_batch_ts_ = 0;
};

} // namespace

int main(int argc, char** argv) {
  auto o = parse_options(argc, argv);
  auto l = std::make_unique<load>(std::move(o)); // the histogram is large
  return l->run();
}
