#pragma once

// Helpers of the scheduler tests: a real tickflow process configured to ask
// loopback provider servers (tests/support/fixture_server.hpp, which
// records every request with its arrival time), and small readers of its
// JSON answers.

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/schedule/window_check.hpp"
#include "tests/support/fixture_server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"

namespace tickflow::test {

/// Provider payloads in the documented shapes.
inline fixture_response binance_price(const std::string& symbol, const std::string& px) {
  return fixture_response::json(R"({"symbol":")" + symbol + R"(","price":")" + px + R"("})");
}

inline fixture_response coingecko_price(const std::string& id, const std::string& px) {
  return fixture_response::json(R"({")" + id + R"(":{"usd":)" + px
                                + R"(,"last_updated_at":1711356300}})");
}

/// Serves a Binance price for `symbol` at /api/v3/ticker/price?symbol=.
inline void serve_binance(fixture_server& s, const std::string& symbol, fixture_response r) {
  s.add("GET", "/api/v3/ticker/price", std::move(r), {{"symbol", symbol}});
}

/// Serves a CoinGecko simple price for coin `id` in USD.
inline void serve_coingecko(fixture_server& s, const std::string& id, fixture_response r) {
  s.add("GET", "/api/v3/simple/price", std::move(r), {{"ids", id}, {"vs_currencies", "usd"}});
}

/// Arrival times of the recorded requests, in ns since an arbitrary epoch.
inline std::vector<int64_t> arrival_ns(const std::vector<recorded_request>& xs) {
  std::vector<int64_t> out;
  for (auto& x : xs)
    out.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(
                    x.at.time_since_epoch())
                    .count());
  return out;
}

inline rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  return d;
}

inline std::string str_of(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString())
    return {};
  return v[key].GetString();
}

inline uint64_t uint_of(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsUint64())
    return 0;
  return v[key].GetUint64();
}

/// A tickflow process with `config` (INI text), answering on a free port.
class tickflow_run {
 public:
  explicit tickflow_run(const std::string& config, const std::string& label = "tickflow") {
    dir_ = temp_dir();
    auto path = dir_ + "/" + label + ".ini";
    {
      std::ofstream out{path};
      out << config;
    }
    port_ = free_port();
    proc_ = std::make_unique<child_process>(
      TICKFLOW_BINARY,
      std::vector<std::string>{"--config", path, "--port", std::to_string(port_),
                               "--ws-port", std::to_string(free_port())},
      dir_ + "/" + label + ".log");
    for (int i = 0; i < 500 && proc_->running(); ++i) {
      if (auto r = http_get(port_, "/live"); r && r->status == 200) {
        up_ = true;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
  }

  bool up() const { return up_; }
  uint16_t port() const { return port_; }
  std::string output() const { return proc_->output(); }
  child_process& process() { return *proc_; }

  /// GET target: status and parsed body.
  std::pair<unsigned, rapidjson::Document> get(const std::string& target) {
    auto r = http_get(port_, target);
    if (!r)
      return {0, rapidjson::Document{}};
    return {r->status, parse_json(r->body)};
  }

  /// The entry of `provider` in GET /api/v1/stats (null when absent).
  rapidjson::Document provider_stats(const std::string& provider) {
    auto [status, d] = get("/api/v1/stats");
    rapidjson::Document out;
    if (status != 200 || !d.IsObject() || !d.HasMember("providers"))
      return out;
    for (auto& p : d["providers"].GetArray())
      if (str_of(p, "provider") == provider)
        out.CopyFrom(p, out.GetAllocator());
    return out;
  }

 private:
  std::string dir_;
  uint16_t port_ = 0;
  bool up_ = false;
  std::unique_ptr<child_process> proc_;
};

/// Config lines shared by the tests: quiet logs, no simulator.
inline std::string base_config(const std::string& providers) {
  return "[log]\nlevel = warn\n[providers]\nenabled = " + providers + "\n";
}

} // namespace tickflow::test
