#pragma once

// Helpers of the writer tests: an actor system, topologies pointed at the
// private servers, event builders, and bounded waits.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "adapters/simulator/simulator_provider.hpp"
#include "pipeline/topology/topology.hpp"
#include "tests/storage/storage_support.hpp"
#include "tests/support/process.hpp"

namespace tickflow::test {

using namespace std::chrono_literals;

/// An actor system with the scheduler threads of the default topology.
inline std::unique_ptr<caf::actor_system> make_system() {
  static caf::actor_system_config cfg = [] {
    caf::actor_system_config c;
    c.set("scheduler.max-threads", 2);
    return c;
  }();
  return std::make_unique<caf::actor_system>(cfg);
}

/// The embedded default with both writers pointed at the test servers,
/// journals in fresh directories, keys under a prefix of this test.
inline topology writer_topology(const services_env& env) {
  auto t = load_topology(default_config_text(), "<embedded default>");
  EXPECT_TRUE(t.ok());
  auto topo = *t;
  topo.redis.enabled = true;
  topo.redis.port = env.redis_port();
  topo.redis.key_prefix = "t" + unique_name();
  topo.redis.journal_dir = temp_dir() + "/redis-journal";
  topo.storage.enabled = true;
  topo.storage.dsn = env.pg_dsn();
  topo.storage.journal_dir = temp_dir() + "/storage-journal";
  topo.storage.flush_interval_ns = 100'000'000;
  return topo;
}

/// A canonical instrument id unique to this process and call ("RT1234X1").
inline std::string short_id(const char* tag) {
  static int n = 0;
  return std::string{tag} + std::to_string(::getpid()) + "X"
         + std::to_string(++n);
}

/// Polls `done` every 20 ms until it holds or `limit` passes.
inline bool wait_until(const std::function<bool()>& done,
                       std::chrono::milliseconds limit = 15s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done())
      return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

/// Sends a batch and waits (bounded) for the writer's ack.
template <class Writer>
bool send_and_ack(caf::scoped_actor& self, const Writer& writer,
                         const event_batch& b,
                         std::chrono::milliseconds limit = 5s) {
  self->send(writer, b);
  bool acked = false;
  self->receive([&](ack_atom) { acked = true; },
                caf::after(limit) >> [] {});
  return acked;
}

/// (stats_atom, writer_atom) or, with flush, (flush_atom).
template <class Writer>
writer_stats ask(caf::scoped_actor& self, const Writer& writer,
                        bool flush = false) {
  writer_stats out;
  out.name = "unavailable";
  auto on = [&](const writer_stats& s) { out = s; };
  auto err = [](caf::error&) {};
  if (flush)
    self->request(writer, 20s, flush_atom::value).receive(on, err);
  else
    self->request(writer, 20s, stats_atom::value, writer_atom::value)
      .receive(on, err);
  return out;
}

/// Sends exit and waits (bounded) until the actor is gone.
template <class Handle>
bool stop_actor(caf::scoped_actor& self, const Handle& a,
                       std::chrono::milliseconds limit = 15s) {
  self->monitor(a);
  self->send_exit(a, caf::exit_reason::user_shutdown);
  bool down = false;
  self->receive([&](caf::down_msg&) { down = true; },
                caf::after(limit) >> [] {});
  return down;
}

// -- events ---------------------------------------------------------------------

inline trade make_trade(const std::string& instrument, uint64_t id,
                        int64_t ts_ns, const char* px, const char* size) {
  trade t;
  t.instrument = instrument;
  t.provider_symbol = "P" + instrument;
  t.source = providers::simulator;
  t.price = dec(px);
  t.size = dec(size);
  t.aggressor = id % 2 == 0 ? side::buy : side::sell;
  t.trade_id = std::to_string(id);
  t.ts_event_ns = ts_ns;
  t.ts_recv_ns = ts_ns + 1000;
  return t;
}

inline quote make_quote(const std::string& instrument, int64_t ts_ns) {
  quote q;
  q.instrument = instrument;
  q.provider_symbol = "P" + instrument;
  q.source = providers::simulator;
  q.bid_price = dec("99.5");
  q.bid_size = dec("1.25");
  q.ask_price = dec("100.5");
  q.ask_size = dec("2");
  q.ts_event_ns = ts_ns;
  q.ts_recv_ns = ts_ns + 1000;
  return q;
}

inline bar make_bar(const std::string& instrument, interval span,
                    int64_t open_s, bool closed) {
  bar b;
  b.instrument = instrument;
  b.provider_symbol = "P" + instrument;
  b.source = providers::simulator;
  b.span = span;
  b.open_time_ns = open_s * 1'000'000'000;
  b.open = dec("100");
  b.high = dec("101.5");
  b.low = dec("99.25");
  b.close = dec("100.75");
  b.volume = dec("12.345");
  b.trade_count = 7;
  b.closed = closed;
  b.ts_recv_ns = b.open_time_ns + 1;
  return b;
}

/// "id|price|size|ts|side" of a trade, for set comparisons.
inline std::string key_of(const trade& t) {
  return t.trade_id + "|" + t.price.to_string() + "|" + t.size.to_string()
         + "|" + std::to_string(t.ts_event_ns) + "|"
         + std::to_string(static_cast<int>(t.aggressor));
}

} // namespace tickflow::test
