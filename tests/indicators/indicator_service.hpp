#pragma once

// The real tickflow binary for the end-to-end tests of tests/indicators: the
// simulator (BTC-USDT, ETH-USDT), REST and WebSocket on free loopback ports,
// plus the sections a test adds; helpers to read its JSON answers.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"

namespace tickflow::test {

class indicator_service {
 public:
  /// Starts the binary with `sections` appended to its config and waits
  /// until /ready answers 200 (the cache has simulator data).
  explicit indicator_service(const std::string& sections) {
    dir_ = temp_dir();
    rest_ = free_port();
    ws_ = free_port();
    while (ws_ == rest_)
      ws_ = free_port();
    std::string ini = "[log]\nlevel = warn\n[gateway]\nport = " + std::to_string(rest_)
                      + "\n[broadcaster]\nport = " + std::to_string(ws_)
                      + "\n[simulator]\nsymbols = BTC-USDT:65000.00, ETH-USDT:3500.00\n"
                        "[validator]\ncount = 1\n"
                      + sections;
    std::ofstream{dir_ + "/tickflow.ini", std::ios::binary} << ini;
    proc_ = std::make_unique<child_process>(
      TICKFLOW_BINARY, std::vector<std::string>{"--config", dir_ + "/tickflow.ini"},
      dir_ + "/tickflow.log");
    for (int i = 0; i < 600 && proc_->running(); ++i) {
      if (auto r = http_get(rest_, "/ready"); r && r->status == 200) {
        ready_ = true;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
  }

  ~indicator_service() {
    proc_->stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  indicator_service(const indicator_service&) = delete;
  indicator_service& operator=(const indicator_service&) = delete;

  bool ready() const noexcept { return ready_; }
  uint16_t rest_port() const noexcept { return rest_; }
  std::string ws_url() const {
    return "ws://127.0.0.1:" + std::to_string(ws_) + "/api/v1/stream";
  }
  std::string output() const { return proc_->output(); }
  /// Stops the binary; its exit code.
  int stop() { return proc_->stop(); }

  result<http_reply> get(const std::string& target) { return http_get(rest_, target); }

 private:
  std::string dir_;
  uint16_t rest_ = 0;
  uint16_t ws_ = 0;
  bool ready_ = false;
  std::unique_ptr<child_process> proc_;
};

/// Parses with full precision (numbers read back exactly as printed).
inline rapidjson::Document parse_exact(const std::string& text) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseFullPrecisionFlag>(text.c_str(), text.size());
  return d;
}

inline std::string str_of(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString())
    return {};
  return v[key].GetString();
}

/// "error"."code" and "error"."field" of a body in the one error shape.
inline std::pair<std::string, std::string> error_of(const std::string& body) {
  auto d = parse_exact(body);
  if (!d.IsObject() || !d.HasMember("error") || !d["error"].IsObject())
    return {};
  return {str_of(d["error"], "code"), str_of(d["error"], "field")};
}

} // namespace tickflow::test
