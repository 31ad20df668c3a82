#pragma once

// The real tickflow binary on free loopback ports with a config written for
// the test, plus small helpers to call it and read its JSON.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"

namespace tickflow::test {

/// What a test service runs with.
struct service_options {
  /// Extra `key = value` lines of [gateway].
  std::string gateway;
  /// Whole extra sections ([auth], [limits], [webhooks], ...); "@DIR@"
  /// stands for the service's directory.
  std::string sections;
  /// Environment variables set for the child ("" value: unset).
  std::vector<std::pair<std::string, std::string>> env;
  /// Files to write into the service's directory first: {name, content}.
  std::vector<std::pair<std::string, std::string>> files;
};

/// A running tickflow, stopped by the destructor.
class service {
 public:
  explicit service(const service_options& opts) {
    dir_ = temp_dir();
    port_ = free_port();
    auto ws = free_port();
    while (ws == port_)
      ws = free_port();
    for (auto& [name, content] : opts.files)
      std::ofstream{dir_ + "/" + name, std::ios::binary} << content;
    std::string ini = "[log]\nlevel = warn\n"
                      "[gateway]\nport = " + std::to_string(port_) + "\n" + opts.gateway
                      + "[broadcaster]\nport = " + std::to_string(ws) + "\n"
                      + "[simulator]\nsymbols = BTC-USDT:65000.00, ETH-USDT:3500.00\n"
                      + "[validator]\ncount = 1\n" + opts.sections;
    for (auto at = ini.find("@DIR@"); at != std::string::npos; at = ini.find("@DIR@"))
      ini.replace(at, 5, dir_);
    std::ofstream{dir_ + "/tickflow.ini", std::ios::binary} << ini;
    // The defaults' variables are never inherited from the test's own
    // environment; a test sets what it needs.
    for (auto name : {"TICKFLOW_ADMIN_TOKEN", "TICKFLOW_WEBHOOK_BINANCE_SECRET",
                      "TICKFLOW_WEBHOOK_POLYGON_SECRET", "TICKFLOW_WEBHOOK_TEST_SECRET"})
      unsetenv(name);
    for (auto& [k, v] : opts.env) {
      if (v.empty())
        unsetenv(k.c_str());
      else
        setenv(k.c_str(), v.c_str(), 1);
    }
    proc_ = std::make_unique<child_process>(
      TICKFLOW_BINARY, std::vector<std::string>{"--config", dir_ + "/tickflow.ini"},
      dir_ + "/tickflow.log");
    for (int i = 0; i < 500 && proc_->running(); ++i) {
      if (auto r = http_get(port_, "/live"); r && r->status == 200)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
  }

  ~service() {
    if (proc_)
      proc_->stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  service(const service&) = delete;
  service& operator=(const service&) = delete;

  bool running() { return proc_ && proc_->running(); }
  /// Stops the service; its exit code.
  int stop() { return proc_ ? proc_->stop() : -1; }
  std::string output() const { return proc_ ? proc_->output() : std::string{}; }
  uint16_t port() const noexcept { return port_; }
  const std::string& dir() const noexcept { return dir_; }

  /// One request on a fresh connection.
  result<http_reply> call(const std::string& method, const std::string& target,
                          std::string body = {}, const header_list& headers = {}) {
    return http_once(port_, method, target, std::move(body), headers);
  }

  result<http_reply> get(const std::string& target, const header_list& headers = {}) {
    return call("GET", target, {}, headers);
  }

 private:
  std::string dir_;
  uint16_t port_ = 0;
  std::unique_ptr<child_process> proc_;
};

inline rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  return d;
}

/// The "error"."code" of a body in the one error shape, or "".
inline std::string error_code(const std::string& body) {
  auto d = parse_json(body);
  if (!d.IsObject() || !d.HasMember("error") || !d["error"].IsObject()
      || !d["error"].HasMember("code") || !d["error"]["code"].IsString())
    return {};
  return d["error"]["code"].GetString();
}

/// The string member `key` of `v`, or "".
inline std::string str_of(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString())
    return {};
  return v[key].GetString();
}

/// Polls `f` (returns bool) for up to `tries` x 20 ms.
template <class F>
bool eventually(F f, int tries = 250) {
  for (int i = 0; i < tries; ++i) {
    if (f())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return false;
}

inline header_list bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

} // namespace tickflow::test
