#pragma once

// Helpers of the chaos test: reading the process (RSS, /status, /metrics,
// its log), querying Postgres and Redis through their command-line clients,
// and a crowd of WebSocket clients that come and go.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include "tests/storage/storage_support.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/ws_client.hpp"

namespace tickflow::test::chaos {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

/// Seconds since `t0`.
/// Polls `pred` every 100 ms until it holds or `seconds` pass.
inline bool wait_for(const std::function<bool()>& pred, double seconds) {
  auto until = steady::now() + std::chrono::duration_cast<steady::duration>(
                                 std::chrono::duration<double>(seconds));
  while (steady::now() < until) {
    if (pred())
      return true;
    std::this_thread::sleep_for(100ms);
  }
  return pred();
}

inline double since(steady::time_point t0) {
  return std::chrono::duration<double>(steady::now() - t0).count();
}

/// VmRSS of `pid` in KiB (0 when it cannot be read).
inline uint64_t rss_kib(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::strtoull(line.c_str() + 6, nullptr, 10);
  return 0;
}

/// The median of `n` RSS samples taken `every` apart.
inline uint64_t rss_median(pid_t pid, int n = 5, std::chrono::milliseconds every = 500ms) {
  std::vector<uint64_t> xs;
  for (int i = 0; i < n; ++i) {
    if (i > 0)
      std::this_thread::sleep_for(every);
    xs.push_back(rss_kib(pid));
  }
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

// -- the process's own reports ------------------------------------------------------

/// What /status says about the pipeline and the writers.
struct status_view {
  bool ok = false;
  uint64_t sharder_in = 0;       ///< events every provider passed on
  uint64_t simulator_events = 0; ///< of those, the simulator's
  uint64_t validator_rejected = 0;
  bool redis_connected = false;
  uint64_t redis_pending = 0;
  uint64_t redis_journaled = 0;
  uint64_t redis_dropped = 0;
  bool pg_connected = false;
  uint64_t pg_pending = 0;
  uint64_t pg_journaled = 0;
  uint64_t pg_replayed = 0;
  uint64_t pg_dropped = 0;
  std::string body;
};

inline uint64_t u64(const rapidjson::Value& v, const char* key) {
  return v.HasMember(key) && v[key].IsUint64() ? v[key].GetUint64() : 0;
}

inline bool flag(const rapidjson::Value& v, const char* key) {
  return v.HasMember(key) && v[key].IsBool() && v[key].GetBool();
}

inline std::string text(const rapidjson::Value& v, const char* key) {
  return v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

/// GET /status.
inline status_view read_status(uint16_t port) {
  status_view out;
  auto r = http_get(port, "/status");
  if (!r || r->status != 200)
    return out;
  out.body = r->body;
  rapidjson::Document d;
  d.Parse(r->body.c_str(), r->body.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("stages")
      || !d.HasMember("providers") || !d.HasMember("writers"))
    return out;
  bool sharder = false, simulator = false;
  for (auto& x : d["stages"].GetArray()) {
    auto name = text(x, "name");
    if (name == "sharder" && flag(x, "up")) {
      out.sharder_in = u64(x, "events_in");
      sharder = true;
    } else if (name.rfind("validator.", 0) == 0) {
      out.validator_rejected += u64(x, "rejected");
    }
  }
  for (auto& p : d["providers"].GetArray())
    if (text(p, "name") == "simulator" && p.HasMember("events")) {
      out.simulator_events = u64(p, "events");
      simulator = true;
    }
  for (auto& w : d["writers"].GetArray()) {
    auto name = text(w, "name");
    if (name == "redis") {
      out.redis_connected = flag(w, "connected");
      out.redis_pending = u64(w, "pending");
      out.redis_journaled = u64(w, "journaled");
      out.redis_dropped = u64(w, "dropped");
    } else if (name == "postgres") {
      out.pg_connected = flag(w, "connected");
      out.pg_pending = u64(w, "pending");
      out.pg_journaled = u64(w, "journaled");
      out.pg_replayed = u64(w, "replayed");
      out.pg_dropped = u64(w, "dropped");
    }
  }
  out.ok = sharder && simulator;
  return out;
}

/// The whole file.
inline std::string read_text(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The sum of the numbers `re` captures in `log` (group 1).
inline uint64_t sum_in_log(const std::string& log, const std::regex& re) {
  uint64_t n = 0;
  for (std::sregex_iterator i{log.begin(), log.end(), re}, end; i != end; ++i)
    n += std::stoull((*i)[1].str());
  return n;
}

/// Events the stream actor recovered over REST, from its log lines
/// ("binance#0: X-USDT agg_trades: 12 event(s) recovered (reconnect)").
inline uint64_t backfilled_in_log(const std::string& log) {
  static const std::regex recovered{R"(: (\d+) event\(s\) recovered)"};
  return sum_in_log(log, recovered);
}

/// Events the stream actor dropped because the pipeline was behind (its
/// rate-limited warnings: a lower bound when some were suppressed).
inline uint64_t overflow_in_log(const std::string& log) {
  static const std::regex dropped{R"(the pipeline is behind: (\d+) event\(s\) dropped)"};
  return sum_in_log(log, dropped);
}

/// Times the stream came back after a loss.
inline uint64_t reconnects_in_log(const std::string& log) {
  static const std::regex reconnected{R"(\[stream\] \S+: reconnected )"};
  return static_cast<uint64_t>(std::distance(
    std::sregex_iterator{log.begin(), log.end(), reconnected}, std::sregex_iterator{}));
}

/// Lines of `log` at error or critical level (text format: "<time> error [name] msg").
inline std::vector<std::string> error_lines(const std::string& log) {
  std::vector<std::string> out;
  std::istringstream in{log};
  std::string line;
  while (std::getline(in, line)) {
    auto sp = line.find(' ');
    if (sp == std::string::npos)
      continue;
    auto level = line.substr(sp + 1, 8);
    if (level.rfind("error", 0) == 0 || level.rfind("critical", 0) == 0)
      out.push_back(line);
  }
  return out;
}

/// Lines that are not log lines at all (a crash report, a sanitizer, an
/// assertion): everything whose first word is not an ISO timestamp.
inline std::vector<std::string> foreign_lines(const std::string& log) {
  static const std::regex stamp{R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z )"};
  std::vector<std::string> out;
  std::istringstream in{log};
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && !std::regex_search(line, stamp))
      out.push_back(line);
  return out;
}

// -- Postgres and Redis ---------------------------------------------------------------

/// One instrument's stored trades, as Postgres counts them.
struct stored_trades {
  uint64_t rows = 0;
  uint64_t distinct_ids = 0;
  int64_t min_id = 0;
  int64_t max_id = 0;
  int64_t price_ticks = 0; ///< sum(price * 100)
  int64_t size_lots = 0;   ///< sum(size * 1000)
};

/// Runs one query with psql (-At, fields separated by '|'); false on failure.
inline bool psql(const services_env& env, const std::string& sql, std::string& out) {
  return run_command("/usr/bin/psql", {env.pg_dsn(), "-X", "-q", "-At", "-F", "|", "-c", sql},
                     out)
         == 0;
}

/// Per instrument (those starting with `prefix`) of provider binance.
inline std::map<std::string, stored_trades> stored(const services_env& env,
                                                   const std::string& prefix,
                                                   std::string& problem) {
  std::map<std::string, stored_trades> out;
  std::string answer;
  auto sql = "SELECT instrument, count(*), count(DISTINCT trade_id), "
             "min(substr(trade_id, 2)::bigint), max(substr(trade_id, 2)::bigint), "
             "sum(price * 100)::bigint, sum(size * 1000)::bigint FROM trades "
             "WHERE provider = 'binance' AND instrument LIKE '"
             + prefix + "%' GROUP BY instrument";
  if (!psql(env, sql, answer)) {
    problem = "psql failed: " + answer;
    return out;
  }
  std::istringstream in{answer};
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream fs{line};
    std::string x;
    while (std::getline(fs, x, '|'))
      f.push_back(x);
    if (f.size() != 7) {
      problem = "psql said: " + answer;
      continue;
    }
    auto& s = out[f[0]];
    s.rows = std::stoull(f[1]);
    s.distinct_ids = std::stoull(f[2]);
    s.min_id = std::stoll(f[3]);
    s.max_id = std::stoll(f[4]);
    s.price_ticks = std::stoll(f[5]);
    s.size_lots = std::stoll(f[6]);
  }
  return out;
}

/// GET key with redis-cli ("" when missing or unreachable).
inline std::string redis_get(const services_env& env, const std::string& key) {
  std::string out;
  run_command("/usr/bin/redis-cli", {"-h", "127.0.0.1", "-p", std::to_string(env.redis_port()),
                                     "GET", key},
              out);
  return out;
}

/// Starts Redis and Postgres again whatever happened to the test, so the
/// tests after it find them up.
struct services_restorer {
  services_env& env;
  ~services_restorer() {
    std::string out;
    env.control("start-redis", out);
    env.control("start-postgres", out);
  }
};

// -- WebSocket clients ------------------------------------------------------------------

/// What a crowd of clients saw.
struct crowd_report {
  size_t attempted = 0;
  size_t connected = 0;
  size_t subscribed = 0; ///< got the "subscribed" answer
  size_t trades = 0;     ///< trade messages read
  size_t closed_politely = 0;
  size_t cut = 0;        ///< gone without a close handshake
  std::vector<std::string> failures;
};

/// A client that vanishes: a raw TCP WebSocket handshake on `port` `path`,
/// one subscribe frame, a short read, then a reset (SO_LINGER 0) instead of
/// a close handshake, as a killed process or a lost network would.
/// Returns "" on success, else what went wrong.
inline std::string vanishing_client(uint16_t port, const std::string& path,
                                    const std::string& subscribe, size_t& trades) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return "socket failed";
  struct closer {
    int fd;
    ~closer() {
      linger l{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      ::close(fd);
    }
  } guard{fd};
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return "connect failed";
  auto request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port)
                 + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n";
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL)
      != static_cast<ssize_t>(request.size()))
    return "handshake send failed";
  std::string got;
  char buf[8192];
  while (got.find("\r\n\r\n") == std::string::npos) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      return "no handshake answer";
    got.append(buf, static_cast<size_t>(n));
  }
  if (got.rfind("HTTP/1.1 101", 0) != 0)
    return "handshake refused: " + got.substr(0, got.find('\r'));
  // One masked text frame (payload < 126 bytes: 7-bit length).
  std::string frame;
  frame.push_back(static_cast<char>(0x81));
  frame.push_back(static_cast<char>(0x80 | subscribe.size()));
  const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
  frame.append(reinterpret_cast<const char*>(mask), 4);
  for (size_t i = 0; i < subscribe.size(); ++i)
    frame.push_back(static_cast<char>(subscribe[i] ^ mask[i % 4]));
  if (subscribe.size() >= 126
      || ::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL)
           != static_cast<ssize_t>(frame.size()))
    return "subscribe send failed";
  // Read for a moment (whatever arrives), then vanish.
  auto until = steady::now() + 500ms;
  while (steady::now() < until) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    std::string_view chunk{buf, static_cast<size_t>(n)};
    for (size_t at = chunk.find(R"("type":"trade")"); at != std::string_view::npos;
         at = chunk.find(R"("type":"trade")", at + 1))
      trades += 1;
  }
  return {};
}

/// One wave of `n` clients, each subscribed to a trades channel (instrument
/// i of `instruments`) and status:binance: the even ones are polite
/// (ws_client: read a little, close with a handshake), the odd ones vanish
/// (vanishing_client). They all come at once and leave after their reads.
inline void run_wave(uint16_t port, const std::string& path,
                     const std::vector<std::string>& instruments, size_t first, size_t n,
                     crowd_report& r) {
  auto url = "ws://127.0.0.1:" + std::to_string(port) + path;
  auto channels = [&](size_t i) {
    return R"({"op":"subscribe","channels":["trades:)"
           + instruments[(first + i) % instruments.size()] + R"(","status:binance"]})";
  };
  std::vector<std::unique_ptr<ws_client>> polite;
  std::vector<std::thread> rude;
  std::mutex mtx;
  for (size_t i = 0; i < n; ++i) {
    r.attempted += 1;
    if (i % 2 == 1) {
      rude.emplace_back([&, i] {
        size_t trades = 0;
        auto why = vanishing_client(port, path, channels(i), trades);
        std::lock_guard<std::mutex> guard{mtx};
        r.trades += trades;
        if (why.empty()) {
          r.connected += 1;
          r.cut += 1;
        } else {
          r.failures.push_back(why);
        }
      });
      continue;
    }
    auto c = std::make_unique<ws_client>();
    if (!c->connect(url, 10s)) {
      std::lock_guard<std::mutex> guard{mtx};
      r.failures.push_back(c->error());
      continue;
    }
    c->send(channels(i));
    polite.push_back(std::move(c));
  }
  for (auto& c : polite) {
    bool subscribed = false;
    size_t trades = 0;
    auto until = steady::now() + 3s;
    for (int k = 0; k < 50 && steady::now() < until; ++k) {
      auto m = c->receive(1000ms);
      if (!m)
        break;
      if (m->find(R"("type":"subscribed")") != std::string::npos)
        subscribed = true;
      if (m->find(R"("type":"trade")") != std::string::npos)
        trades += 1;
    }
    c->close(1000, "bye", 2000ms);
    std::lock_guard<std::mutex> guard{mtx};
    r.connected += 1;
    r.subscribed += subscribed;
    r.trades += trades;
    r.closed_politely += 1;
  }
  polite.clear();
  for (auto& t : rude)
    t.join();
}

} // namespace tickflow::test::chaos
