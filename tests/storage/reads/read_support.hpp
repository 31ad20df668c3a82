#pragma once

// Helpers of the read-path tests: the real tickflow binary against the
// private Redis and PostgreSQL (and a loopback provider), data written
// straight into both servers, and JSON answers.

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "adapters/postgres/pg_client.hpp"
#include "adapters/redis/redis_client.hpp"
#include "adapters/redis/redis_schema.hpp"
#include "api/event_json.hpp"
#include "pipeline/model/time.hpp"
#include "tests/storage/writers/writer_support.hpp"
#include "tests/support/http_client.hpp"

namespace tickflow::test {

constexpr int64_t minute_ns = 60 * ns_per_s;
/// 2023-11-14T22:14:00Z, a minute start: slot i opens at t0 + i minutes.
constexpr int64_t read_t0_ns = 1'700'000'040 * ns_per_s;

inline int64_t slot(int i) { return read_t0_ns + i * minute_ns; }

/// Closed 1m bars of `instrument` in slots `from`..`to` (inclusive).
inline std::vector<bar> minute_bars(const std::string& instrument, int from, int to) {
  std::vector<bar> out;
  for (int i = from; i <= to; ++i) {
    auto b = make_bar(instrument, interval::m1, slot(i) / ns_per_s, true);
    b.close = dec(("100." + std::to_string(10 + i)).c_str());
    out.push_back(std::move(b));
  }
  return out;
}

/// Writes bars and prices the way the cache writer does (same JSON, same
/// commands) under `prefix`.
inline void write_redis(redis::redis_client& rc, const std::string& prefix,
                        const std::vector<bar>& bars,
                        const std::vector<price>& prices = {}) {
  std::vector<redis::cache_entry> entries;
  for (auto& b : bars) {
    redis::cache_entry e;
    e.kind = redis::entry_kind::bar;
    e.instrument = b.instrument;
    e.span = b.span;
    e.ts_ns = b.open_time_ns;
    api::append_json(e.json, b);
    entries.push_back(std::move(e));
  }
  for (auto& p : prices) {
    redis::cache_entry e;
    e.kind = redis::entry_kind::price;
    e.instrument = p.instrument;
    e.ts_ns = p.ts_event_ns;
    api::append_json(e.json, p);
    entries.push_back(std::move(e));
  }
  redis::cache_settings keys;
  keys.prefix = prefix;
  keys.publish = false;
  auto cmds = redis::build_commands(entries, keys);
  ASSERT_TRUE(cmds.ok());
  auto r = rc.pipeline(cmds->commands);
  ASSERT_TRUE(r.ok()) << r.err().context;
}

/// A Binance klines answer (the recorded shape of
/// tests/fixtures/binance/rest/api_v3_klines.docs.json) for 1m slots
/// `from`..`to`.
inline std::string binance_klines(int from, int to) {
  std::string out = "[";
  for (int i = from; i <= to; ++i) {
    auto open_ms = slot(i) / ns_per_ms;
    if (i > from)
      out += ',';
    out += "[" + std::to_string(open_ms) + ",\"200.0\",\"201.0\",\"199.0\",\"200."
           + std::to_string(10 + i) + "\",\"5.0\"," + std::to_string(open_ms + 59'999)
           + ",\"1000.0\",3,\"2.0\",\"400.0\",\"0\"]";
  }
  return out + "]";
}

/// The tickflow binary with an INI file, stopped at destruction.
class service {
 public:
  explicit service(const std::string& ini) : dir_(temp_dir()) {
    auto config = dir_ + "/read.ini";
    {
      std::ofstream out{config};
      out << ini;
    }
    port_ = free_port();
    proc_ = std::make_unique<child_process>(
      TICKFLOW_BINARY,
      std::vector<std::string>{"--config", config, "--port", std::to_string(port_),
                               "--ws-port", std::to_string(free_port())},
      dir_ + "/tickflow.log");
    live_ = wait_until([&] {
      auto r = http_get(port_, "/live");
      return r && r->status == 200;
    });
  }

  ~service() {
    if (proc_)
      proc_->stop();
  }

  bool live() const { return live_; }
  uint16_t port() const { return port_; }
  const std::string& dir() const { return dir_; }
  std::string output() const { return proc_->output(); }
  int stop() { return proc_->stop(); }

  /// GET target: status and parsed body.
  unsigned get(const std::string& target, rapidjson::Document& d) {
    auto r = http_get(port_, target);
    if (!r)
      return 0;
    d.Parse(r->body.c_str());
    return r->status;
  }

  /// POST target with an optional bearer token: status and parsed body.
  unsigned post(const std::string& target, const std::string& token,
                rapidjson::Document& d) {
    header_list h;
    if (!token.empty())
      h.emplace_back("Authorization", "Bearer " + token);
    auto r = http_once(port_, "POST", target, {}, h);
    if (!r)
      return 0;
    d.Parse(r->body.c_str());
    return r->status;
  }

 private:
  std::string dir_;
  uint16_t port_ = 0;
  std::unique_ptr<child_process> proc_;
  bool live_ = false;
};

/// The "source" of an answer ("" when absent).
inline std::string source_of(const rapidjson::Document& d) {
  if (!d.IsObject() || !d.HasMember("source") || !d["source"].IsString())
    return {};
  return d["source"].GetString();
}

/// An ohlcv target for 1m bars of slots `from`..`to`.
inline std::string ohlcv(const std::string& instrument, int from, int to,
                         const char* route = "ohlcv") {
  return std::string{"/api/v1/data/"} + route + "?symbol=" + instrument
         + "&interval=1m&limit=100&start=" + format_iso8601(slot(from))
         + "&end=" + format_iso8601(slot(to));
}

} // namespace tickflow::test
