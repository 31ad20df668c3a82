#pragma once

// Shared by the stream tests: frames built from the recorded fixtures, a
// collector actor standing in for the sharder, and a topology whose
// Binance stream points at loopback servers.

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "api/event_json.hpp"
#include "pipeline/topology/topology.hpp"
#include "tests/support/fixture_server.hpp"
#include "tests/support/ws_fixture_server.hpp"

namespace tickflow::test {

using namespace std::chrono_literals;

/// Any actor handle, typed or not: what the fixtures' stop() takes.
struct any_actor {
  template <class Handle>
  any_actor(const Handle& h) : handle(caf::actor_cast<caf::actor>(h)) {}
  caf::actor handle;
};

/// The collector (an untyped test double) as a stage's intake.
inline batch_sink_actor as_intake(const caf::actor& sink) {
  return caf::actor_cast<batch_sink_actor>(sink);
}

// -- frames from fixtures ---------------------------------------------------------

inline std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  v.Accept(w);
  return buf.GetString();
}

/// A fixture file parsed (a test failure when it does not parse).
inline rapidjson::Document fixture_json(const char* relative) {
  rapidjson::Document d;
  auto text = read_fixture(relative);
  d.Parse(text.c_str(), text.size());
  EXPECT_FALSE(d.HasParseError()) << relative;
  return d;
}

/// The recorded Binance trade payload (docs fixture) as BTCUSDT trade `id`
/// at `time_ms`, in the combined-stream form the actor subscribes to.
inline std::string binance_trade_frame(int64_t id, int64_t time_ms,
                                       const char* price = "65000.10") {
  auto d = fixture_json("binance/ws/raw_trade.docs.json");
  auto& a = d.GetAllocator();
  d["s"].SetString("BTCUSDT", a);
  d["t"].SetInt64(id);
  d["T"].SetInt64(time_ms);
  d["E"].SetInt64(time_ms);
  d["p"].SetString(price, a);
  return R"({"stream":"btcusdt@trade","data":)" + to_json(d) + "}";
}

/// GET /api/v3/trades rows (docs fixture shape) for BTCUSDT trades `ids`,
/// trade i at base_ms + i.
inline std::string binance_rest_trades(int64_t first, int64_t last, int64_t base_ms) {
  auto d = fixture_json("binance/rest/api_v3_trades.docs.json");
  auto& a = d.GetAllocator();
  rapidjson::Value rows{rapidjson::kArrayType};
  for (auto id = first; id <= last; ++id) {
    rapidjson::Value row{d[0], a};
    row["id"].SetInt64(id);
    row["time"].SetInt64(base_ms + id);
    row["price"].SetString("65000.10", a);
    rows.PushBack(row, a);
  }
  return to_json(rows);
}

/// The recorded combined-stream frames of one OMGBUSD session (aggTrade,
/// bookTicker, an open and a closed 1m kline), in recording order.
inline std::vector<std::string> binance_recorded_frames() {
  std::vector<std::string> out;
  for (auto f : {"binance/ws/combined_bookTicker_OMGBUSD.binance_us.json",
                 "binance/ws/combined_aggTrade_OMGBUSD.binance_us.json",
                 "binance/ws/combined_kline_1m_open_OMGBUSD.binance_us.json",
                 "binance/ws/combined_kline_1m_closed_OMGBUSD.binance_us.json"}) {
    auto text = read_fixture(f);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
      text.pop_back();
    out.push_back(text);
  }
  return out;
}

/// Answers Binance SUBSCRIBE / UNSUBSCRIBE requests: {"result":null,"id":N}.
inline ws_fixture_server::responder binance_acks() {
  return [](const std::string& text) -> std::vector<std::string> {
    rapidjson::Document d;
    d.Parse(text.c_str(), text.size());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("id") || !d["id"].IsInt64())
      return {};
    return {R"({"result":null,"id":)" + std::to_string(d["id"].GetInt64()) + "}"};
  };
}

/// The "params" of every SUBSCRIBE (or `method`) a client sent on connection `n`.
inline std::vector<std::string> subscribed_streams(const ws_fixture_server& s, size_t n,
                                                   const std::string& method = "SUBSCRIBE") {
  std::vector<std::string> out;
  for (auto& r : s.received()) {
    if (r.connection != n)
      continue;
    rapidjson::Document d;
    d.Parse(r.text.c_str(), r.text.size());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("method")
        || std::string{d["method"].GetString()} != method)
      continue;
    for (auto& p : d["params"].GetArray())
      out.emplace_back(p.GetString());
  }
  return out;
}

// -- the sharder stand-in ---------------------------------------------------------

/// What a collector received, readable from the test thread.
struct collected {
  mutable std::mutex mtx;
  std::vector<trade> trades;
  std::vector<quote> quotes;
  std::vector<bar> bars;
  std::vector<feed_status> statuses;
  size_t batches = 0;

  size_t trade_count() const {
    std::lock_guard<std::mutex> g{mtx};
    return trades.size();
  }
  size_t event_count() const {
    std::lock_guard<std::mutex> g{mtx};
    return trades.size() + quotes.size() + bars.size();
  }
  std::vector<feed_status> status_list() const {
    std::lock_guard<std::mutex> g{mtx};
    return statuses;
  }
  bool has_status(feed_state s) const {
    std::lock_guard<std::mutex> g{mtx};
    return std::any_of(statuses.begin(), statuses.end(),
                       [s](const feed_status& x) { return x.state == s; });
  }
  std::vector<trade> trade_list() const {
    std::lock_guard<std::mutex> g{mtx};
    return trades;
  }
  /// Every market event as event_json text, trades, then quotes, then bars.
  std::vector<std::string> canonical() const {
    std::lock_guard<std::mutex> g{mtx};
    std::vector<std::string> out;
    for (auto& x : trades) {
      out.emplace_back();
      api::append_json(out.back(), x);
    }
    for (auto& x : quotes) {
      out.emplace_back();
      api::append_json(out.back(), x);
    }
    for (auto& x : bars) {
      out.emplace_back();
      api::append_json(out.back(), x);
    }
    return out;
  }
};

/// Records every event_batch and acks it, as the sharder does.
inline caf::behavior collector(caf::event_based_actor* self,
                               std::shared_ptr<collected> out) {
  return {
    [=](event_batch& b) {
      {
        std::lock_guard<std::mutex> g{out->mtx};
        out->batches += 1;
        for (auto& x : b.trades)
          out->trades.push_back(x);
        for (auto& x : b.quotes)
          out->quotes.push_back(x);
        for (auto& x : b.bars)
          out->bars.push_back(x);
        for (auto& x : b.statuses)
          out->statuses.push_back(x);
      }
      self->send(caf::actor_cast<caf::actor>(self->current_sender()), ack_atom::value);
    },
  };
}

// -- topology -----------------------------------------------------------------------

/// The embedded default with a Binance stream at `ws_url` subscribed to
/// BTC-USDT trades, fast reconnects, the watchdog off and quiet logs;
/// [binance] REST at `rest_url` when given (for backfills).
inline topology stream_topology(const std::string& ws_url, const std::string& rest_url = {}) {
  auto t = load_topology(default_config_text(), "<embedded default>");
  EXPECT_TRUE(t) << t.err().message();
  auto topo = *t;
  topo.log.level = "error";
  setup_logging(topo.log);
  auto& s = topo.streams.feeds["binance"];
  s.url = ws_url;
  s.subscriptions = {stream_topic{"BTC-USDT", stream_topic_kind::trades, interval::m1}};
  s.reconnect_min_ns = 5'000'000;
  s.reconnect_max_ns = 50'000'000;
  s.stale_after_ns = 0;
  topo.streams.enabled = {"binance"};
  if (!rest_url.empty()) {
    auto& r = topo.rest_providers["binance"];
    r.name = "binance";
    r.base_url = rest_url;
  }
  return topo;
}

/// Waits up to `timeout` for `pred`.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 10s) {
  return ws_fixture_server::wait_until(pred, timeout);
}

inline int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

} // namespace tickflow::test
