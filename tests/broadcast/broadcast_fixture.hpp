#pragma once

// The broadcaster in-process on a real CAF scheduler and a real loopback
// WebSocket server, fed event batches by the test itself.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "actors/broadcaster_actor.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "tests/support/ws_client.hpp"

namespace tickflow::test {

using namespace std::chrono_literals;

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

/// Next message of `type` on `ws`, skipping others (nullopt after a quiet
/// `timeout`).
inline std::optional<rapidjson::Document>
next_of(ws_client& ws, const std::string& type,
        std::chrono::milliseconds timeout = 3000ms) {
  for (int i = 0; i < 100000; ++i) {
    auto m = ws.receive(timeout);
    if (!m)
      return std::nullopt;
    auto d = parse_json(*m);
    if (str_of(d, "type") == type)
      return d;
  }
  return std::nullopt;
}

inline decimal dec(const std::string& text) {
  return *decimal::parse(text);
}

/// A trade with id `id` (also its price in cents) on `instrument`.
inline trade make_trade(const std::string& instrument, uint64_t id) {
  trade t;
  t.instrument = instrument;
  t.provider_symbol = instrument;
  t.price = decimal::from_parts(static_cast<int64_t>(100000 + id % 1000), 2);
  t.size = dec("1");
  t.trade_id = std::to_string(id);
  t.ts_event_ns = 1'700'000'000'000'000'000 + static_cast<int64_t>(id) * 1000;
  t.ts_recv_ns = t.ts_event_ns;
  return t;
}

/// Instruments "T0-USD", "T1-USD", ...
inline std::vector<std::string> instruments(size_t n) {
  std::vector<std::string> xs;
  for (size_t i = 0; i < n; ++i)
    xs.push_back("T" + std::to_string(i) + "-USD");
  return xs;
}

/// {"op":"subscribe","channels":["<prefix><x>",...]}
inline std::string subscribe_all(const std::vector<std::string>& xs,
                                 const std::string& prefix = "trades:") {
  std::string out = R"({"op":"subscribe","channels":[)";
  for (size_t i = 0; i < xs.size(); ++i)
    out += (i > 0 ? ",\"" : "\"") + prefix + xs[i] + "\"";
  return out + "]}";
}

class BroadcastFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = load_topology(default_config_text(), "<embedded default>");
    ASSERT_TRUE(t) << t.err().message();
    topo = *t;
    topo.broadcaster.port = 0;
    topo.log.level = "warn";
    setup_logging(topo.log);
    cfg.set("scheduler.max-threads", 2);
    sys = std::make_unique<caf::actor_system>(cfg);
    io = std::thread{[this] { ioc.run(); }};
  }

  void TearDown() override {
    if (bc)
      caf::anon_send_exit(bc, caf::exit_reason::user_shutdown);
    for (auto& a : extra)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    bc = nullptr;
    extra.clear();
    sys.reset(); // waits for every actor
    work.reset();
    ioc.stop();
    io.join();
  }

  /// Spawns and starts the broadcaster with `topo` (`cache`: the cache
  /// actor or a test double answering like it).
  template <class Cache = cache_actor>
  void start(const std::vector<std::string>& known, const Cache& cache = {}) {
    bc = spawn_broadcaster(*sys, topo, ioc, known, caf::actor_cast<cache_actor>(cache));
    caf::scoped_actor self{*sys};
    self->request(bc, 5s, start_atom::value)
      .receive([&](uint16_t p) { port = p; },
               [&](caf::error& e) { FAIL() << sys->render(e); });
    ASSERT_NE(port, 0);
  }

  std::string url() const {
    return "ws://127.0.0.1:" + std::to_string(port) + topo.broadcaster.path;
  }

  void send(event_batch batch) { caf::anon_send(bc, std::move(batch)); }

  broadcaster_stats stats() {
    broadcaster_stats out;
    caf::scoped_actor self{*sys};
    self->request(bc, 5s, ws_stats_atom::value)
      .receive([&](const broadcaster_stats& s) { out = s; },
               [&](caf::error& e) { ADD_FAILURE() << sys->render(e); });
    return out;
  }

  /// Connects a well-behaved client and reads its hello.
  std::unique_ptr<ws_client> client() {
    auto ws = std::make_unique<ws_client>();
    EXPECT_TRUE(ws->connect(url())) << ws->error();
    EXPECT_TRUE(next_of(*ws, "hello"));
    return ws;
  }

  topology topo;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  boost::asio::io_context ioc;
  std::optional<boost::asio::executor_work_guard<
    boost::asio::io_context::executor_type>>
    work{boost::asio::make_work_guard(ioc)};
  std::thread io;
  broadcaster_actor bc;
  std::vector<caf::actor> extra; ///< other actors a test spawned
  uint16_t port = 0;
};

} // namespace tickflow::test
