#pragma once

// Helpers of the cluster tests: tickflow nodes (real processes) on the
// private Redis and PostgreSQL, their REST and WebSocket ports, and a
// WebSocket subscriber that waits until a gateway knows the instrument.

#include <gtest/gtest.h>

#include <chrono>
#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "tests/storage/storage_support.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/ws_client.hpp"

namespace tickflow::test {

using namespace std::chrono_literals;

/// A tickflow process with an INI text, REST and WebSocket on free ports,
/// stopped at destruction (SIGTERM).
class node {
 public:
  node(const std::string& ini, const std::string& label) : dir_(temp_dir()) {
    auto path = dir_ + "/" + label + ".ini";
    {
      std::ofstream out{path};
      out << ini;
    }
    port_ = free_port();
    ws_port_ = free_port();
    proc_ = std::make_unique<child_process>(
      TICKFLOW_BINARY,
      std::vector<std::string>{"--config", path, "--port", std::to_string(port_),
                               "--ws-port", std::to_string(ws_port_)},
      dir_ + "/" + label + ".log");
    for (int i = 0; i < 750 && proc_->running(); ++i) {
      if (auto r = http_get(port_, "/live"); r && r->status == 200) {
        up_ = true;
        return;
      }
      std::this_thread::sleep_for(20ms);
    }
  }

  ~node() {
    if (proc_)
      proc_->stop();
  }

  /// SIGTERM and wait: the exit code (0 after a clean stop; a sanitizer
  /// finding makes it non-zero). The wait outlasts the service's own bound
  /// ([supervisor] stop-timeout, 20 s, past which it exits 1 by itself): a
  /// loaded node under ASan took 14 s to drain, and SIGKILL would hide
  /// whether its stop was clean.
  int stop() { return proc_->stop(std::chrono::seconds{30}); }

  bool up() const { return up_; }
  uint16_t port() const { return port_; }
  std::string ws_url() const {
    return "ws://127.0.0.1:" + std::to_string(ws_port_) + "/api/v1/stream";
  }
  /// A fresh directory of this node (journals).
  const std::string& dir() const { return dir_; }
  std::string output() const { return proc_->output(); }

  /// GET target: status and parsed body (0 when no answer came).
  unsigned get(const std::string& target, rapidjson::Document& d) {
    auto r = http_get(port_, target);
    if (!r)
      return 0;
    d.Parse(r->body.c_str());
    return r->status;
  }

  /// POST target with a bearer token: the status.
  unsigned post(const std::string& target, const std::string& token) {
    header_list h{{"Authorization", "Bearer " + token}};
    auto r = http_once(port_, "POST", target, {}, h);
    return r ? r->status : 0;
  }

 private:
  std::string dir_;
  uint16_t port_ = 0;
  uint16_t ws_port_ = 0;
  bool up_ = false;
  std::unique_ptr<child_process> proc_;
};

/// The wall clock in UTC ns (the nodes stamp events with it too).
inline int64_t wall_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// A JSON value as compact text (for comparing answers of two nodes).
inline std::string json_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  v.Accept(w);
  return buf.GetString();
}

inline std::string str_field(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString())
    return {};
  return v[key].GetString();
}

/// Subscribes `ws` to `channels`, again until every channel is accepted:
/// a gateway node knows an instrument only once its first event arrived
/// through Redis. False after `limit`.
inline bool subscribe_when_known(ws_client& ws, const std::vector<std::string>& channels,
                                 std::chrono::milliseconds limit = 20s) {
  std::string list;
  for (auto& c : channels)
    list += (list.empty() ? "\"" : ",\"") + c + "\"";
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!ws.send(R"({"op":"subscribe","channels":[)" + list + "]}"))
      return false;
    // Answers: "subscribed" with what is held now, an "error" per refused
    // channel (sent before it), snapshots, maybe live events.
    bool refused = false;
    while (auto m = ws.receive(2s)) {
      rapidjson::Document d;
      d.Parse(m->c_str());
      auto type = str_field(d, "type");
      if (type == "error")
        refused = true;
      if (type == "subscribed") {
        if (!refused && d["channels"].Size() >= channels.size())
          return true;
        break;
      }
    }
    std::this_thread::sleep_for(200ms);
  }
  return false;
}

/// Trades one client got, in arrival order: (trade id, seq); and the other
/// frames of the channel that matter here.
struct trade_log {
  std::mutex mx; ///< the test thread peeks while the reader appends
  std::vector<std::pair<uint64_t, uint64_t>> trades;
  size_t gaps = 0;
  size_t snapshots = 0;
};

/// Reads `ws` until `stop`.
inline void read_trades(ws_client& ws, std::atomic<bool>& stop, trade_log& out) {
  while (!stop) {
    auto m = ws.receive(200ms);
    if (!m)
      continue;
    rapidjson::Document d;
    d.Parse(m->c_str());
    auto type = str_field(d, "type");
    if (type == "trade") {
      std::lock_guard<std::mutex> lock{out.mx};
      out.trades.emplace_back(std::stoull(str_field(d["data"], "trade_id")),
                              d["seq"].GetUint64());
    }
    else if (type == "gap")
      ++out.gaps;
    else if (type == "snapshot")
      ++out.snapshots;
  }
}

} // namespace tickflow::test
