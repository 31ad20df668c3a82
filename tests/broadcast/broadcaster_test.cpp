// The broadcaster in-process: snapshots before live events, heartbeats and
// idle detection, conflation and closing of slow consumers while fast ones
// get everything, the global byte budget, the subscription cap, bad frames
// and the status channels.

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "actors/cache_actor.hpp"
#include "adapters/binance/binance_provider.hpp"
#include "adapters/polygon/polygon_provider.hpp"
#include "tests/broadcast/broadcast_fixture.hpp"
#include "tests/broadcast/raw_ws.hpp"

using namespace tickflow;
using namespace tickflow::test;

namespace {

/// A cache that answers price lookups only after `delay`, so live events of
/// the channel arrive while the snapshot is on its way.
caf::behavior slow_cache(caf::event_based_actor*, std::chrono::milliseconds delay,
                         price last) {
  return {
    [=](get_price_atom, const std::string&) {
      std::this_thread::sleep_for(delay); // a detached actor: blocks only itself
      return price_reply{lookup_status::ok, last};
    },
  };
}

/// Reads frames until `pred(frame)` or the end; the frames read.
template <class Pred>
std::vector<raw_frame> read_until(raw_ws& ws, Pred pred,
                                  std::chrono::milliseconds each = 3000ms) {
  std::vector<raw_frame> out;
  while (auto f = ws.read(each)) {
    out.push_back(std::move(*f));
    if (pred(out.back()))
      break;
  }
  return out;
}

/// Trade ids received per instrument, from text messages of type "trade".
struct trade_log {
  std::map<std::string, std::vector<uint64_t>> ids;
  size_t total = 0;
  bool saw_conflation = false;
  bool saw_snapshot_after_trade = false;

  void add(const std::string& text) {
    auto d = parse_json(text);
    auto type = str_of(d, "type");
    if (type == "conflation")
      saw_conflation = true;
    if (type == "snapshot" && total > 0)
      saw_snapshot_after_trade = true;
    if (type != "trade")
      return;
    auto& x = d["data"];
    ids[str_of(x, "instrument")].push_back(std::stoull(str_of(x, "trade_id")));
    ++total;
  }
};

/// Counts `n` snapshots and one "subscribed" on a raw client.
bool await_subscribed(raw_ws& ws, size_t snapshots) {
  bool subscribed = false;
  size_t seen = 0;
  read_until(ws, [&](const raw_frame& f) {
    auto type = str_of(parse_json(f.payload), "type");
    subscribed = subscribed || type == "subscribed";
    seen += type == "snapshot";
    return subscribed && seen >= snapshots;
  });
  return subscribed && seen >= snapshots;
}

} // namespace

// -- snapshots -----------------------------------------------------------------------

TEST_F(BroadcastFixture, SnapshotComesBeforeAnyLiveEventOfItsChannel) {
  price last;
  last.instrument = "T0-USD";
  last.value = dec("999.99");
  last.trade_id = "snap";
  auto cache = sys->spawn<caf::detached>(slow_cache, 400ms, last);
  extra.push_back(caf::actor_cast<caf::actor>(cache));
  start({"T0-USD"}, cache);
  auto ws = client();
  // Live trades flow the whole time, also while the snapshot is delayed.
  std::atomic<bool> feeding{true};
  std::atomic<uint64_t> next_id{1};
  std::thread feeder{[&] {
    while (feeding) {
      event_batch b;
      b.trades.push_back(make_trade("T0-USD", next_id++));
      send(std::move(b));
      std::this_thread::sleep_for(2ms);
    }
  }};
  std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(ws->send(R"({"op":"subscribe","channels":["trades:T0-USD"]})"));
  std::vector<std::string> types;
  std::vector<uint64_t> ids;
  std::string snapshot_price;
  while (ids.size() < 300) {
    auto m = ws->receive(3000ms);
    if (!m)
      break;
    auto d = parse_json(*m);
    auto type = str_of(d, "type");
    types.push_back(type);
    if (type == "snapshot")
      snapshot_price = str_of(d["price"], "price");
    if (type == "trade")
      ids.push_back(std::stoull(str_of(d["data"], "trade_id")));
  }
  feeding = false;
  feeder.join();
  ASSERT_GE(types.size(), 3u);
  EXPECT_EQ(types[0], "subscribed");
  EXPECT_EQ(types[1], "snapshot"); // before every trade of the channel
  EXPECT_EQ(snapshot_price, "999.99");
  ASSERT_GE(ids.size(), 300u);
  // Trades that arrived during the 400 ms wait were held, not lost.
  for (size_t i = 1; i < ids.size(); ++i)
    ASSERT_EQ(ids[i], ids[i - 1] + 1) << "gap at " << i;
  EXPECT_GE(stats().snapshots, 1u);
}

TEST_F(BroadcastFixture, SnapshotsComeFromTheCache) {
  topo.broadcaster.snapshot_bars = 2;
  auto cache = spawn_cache(*sys, topo, {"T0-USD"});
  extra.push_back(caf::actor_cast<caf::actor>(cache));
  start({"T0-USD"}, cache);
  event_batch b;
  b.trades.push_back(make_trade("T0-USD", 7));
  for (int i = 0; i < 3; ++i) {
    bar x;
    x.instrument = "T0-USD";
    x.span = interval::m1;
    x.open_time_ns = (1'700'000'000 + 60 * i) * 1'000'000'000LL;
    x.open = x.high = x.low = x.close = decimal::from_parts(100 + i, 0);
    x.closed = true;
    b.bars.push_back(x);
  }
  caf::anon_send(cache, b);
  // The cache answers in order: once it has the price, it has the bars.
  caf::scoped_actor self{*sys};
  for (int i = 0; i < 100; ++i) {
    lookup_status status = lookup_status::unknown;
    self->request(cache, 2s, get_price_atom::value, std::string{"T0-USD"})
      .receive([&](const price_reply& r) { status = r.status; },
               [](caf::error&) {});
    if (status == lookup_status::ok)
      break;
    std::this_thread::sleep_for(10ms);
  }
  auto ws = client();
  ASSERT_TRUE(ws->send(
    R"({"op":"subscribe","channels":["trades:T0-USD","bars:1m:T0-USD","quotes:T0-USD"]})"));
  std::map<std::string, rapidjson::Document> snaps;
  while (snaps.size() < 3) {
    auto d = next_of(*ws, "snapshot");
    ASSERT_TRUE(d);
    auto ch = str_of(*d, "channel");
    snaps[ch] = std::move(*d);
  }
  EXPECT_STREQ(snaps["trades:T0-USD"]["price"]["trade_id"].GetString(), "7");
  EXPECT_STREQ(snaps["quotes:T0-USD"]["price"]["trade_id"].GetString(), "7");
  auto& bars = snaps["bars:1m:T0-USD"]["bars"];
  ASSERT_TRUE(bars.IsArray());
  ASSERT_EQ(bars.Size(), 2u); // the newest snapshot-bars, oldest first
  EXPECT_STREQ(bars[0]["close"].GetString(), "101");
  EXPECT_STREQ(bars[1]["close"].GetString(), "102");
}

// -- heartbeats and idle clients --------------------------------------------------------

TEST_F(BroadcastFixture, IdleClientsGetHeartbeatsAndPings) {
  topo.broadcaster.heartbeat_interval_ns = 100'000'000; // 100 ms
  topo.broadcaster.idle_timeout_ns = 60'000'000'000;
  start({"T0-USD"});
  auto ws = client();
  auto first = next_of(*ws, "heartbeat");
  ASSERT_TRUE(first);
  EXPECT_GT((*first)["ts"].GetInt64(), 0);
  EXPECT_TRUE(next_of(*ws, "heartbeat")); // and again
  // A raw client sees the WebSocket pings too.
  raw_ws raw;
  ASSERT_TRUE(raw.connect(port, topo.broadcaster.path));
  auto frames = read_until(raw, [](const raw_frame& f) { return f.opcode == 9; });
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames.back().opcode, 9); // ping
  EXPECT_GE(stats().heartbeats, 2u);
}

TEST_F(BroadcastFixture, BusyClientsGetNoHeartbeat) {
  topo.broadcaster.heartbeat_interval_ns = 200'000'000; // 200 ms
  start({"T0-USD"});
  auto ws = client();
  ASSERT_TRUE(ws->send(R"({"op":"subscribe","channels":["trades:T0-USD"]})"));
  ASSERT_TRUE(next_of(*ws, "snapshot"));
  // A trade every 20 ms for a second: never 200 ms without a frame.
  uint64_t heartbeats = 0;
  for (uint64_t id = 1; id <= 50; ++id) {
    event_batch b;
    b.trades.push_back(make_trade("T0-USD", id));
    send(std::move(b));
    std::this_thread::sleep_for(20ms);
  }
  size_t trades = 0;
  while (trades < 50) {
    auto m = ws->receive(2000ms);
    ASSERT_TRUE(m);
    auto type = str_of(parse_json(*m), "type");
    trades += type == "trade";
    heartbeats += type == "heartbeat";
  }
  EXPECT_EQ(heartbeats, 0u);
}

TEST_F(BroadcastFixture, ClientThatNeverAnswersPingsIsClosedAsIdle) {
  topo.broadcaster.heartbeat_interval_ns = 100'000'000; // 100 ms
  topo.broadcaster.idle_timeout_ns = 500'000'000;       // 500 ms
  start({"T0-USD"});
  raw_ws raw; // reads, but never answers a ping
  ASSERT_TRUE(raw.connect(port, topo.broadcaster.path));
  auto frames = read_until(raw, [](const raw_frame& f) { return f.is_close(); });
  ASSERT_FALSE(frames.empty());
  ASSERT_TRUE(frames.back().is_close());
  EXPECT_EQ(frames.back().close_code(), 1001);
  EXPECT_EQ(frames.back().close_reason(), "idle timeout");
  EXPECT_TRUE(std::any_of(frames.begin(), frames.end(),
                          [](const raw_frame& f) { return f.opcode == 9; }));
  // A client that answers pings stays, however quiet it is.
  auto ws = client();
  std::this_thread::sleep_for(1200ms);
  EXPECT_TRUE(ws->is_open());
  EXPECT_GE(stats().closed_idle, 1u);
}

// -- slow consumers ---------------------------------------------------------------------

TEST_F(BroadcastFixture, SlowConsumerIsConflatedThenClosedWhileFastOnesGetEverything) {
  auto& b = topo.broadcaster;
  b.conflate_bytes = 2 << 20;
  b.client_queue_bytes = 4 << 20;
  b.conflate_interval_ns = 20'000'000; // 20 ms
  auto names = instruments(50);
  start(names);
  auto subscribe = subscribe_all(names);
  std::vector<std::unique_ptr<ws_client>> fast;
  for (int i = 0; i < 2; ++i) {
    fast.push_back(client());
    ASSERT_TRUE(fast.back()->send(subscribe));
  }
  raw_ws slow;
  ASSERT_TRUE(slow.connect(port, b.path, 4096)); // a small window
  ASSERT_TRUE(slow.send_text(subscribe));
  ASSERT_TRUE(await_subscribed(slow, names.size()));
  // The fast clients have their snapshots before the feed starts.
  std::vector<trade_log> logs(fast.size());
  for (size_t i = 0; i < fast.size(); ++i) {
    size_t snapshots = 0;
    while (snapshots < names.size()) {
      auto m = fast[i]->receive(3000ms);
      ASSERT_TRUE(m);
      snapshots += str_of(parse_json(*m), "type") == "snapshot";
    }
  }
  // 50 trades every 10 ms (5,000/s) until the slow client is closed; the
  // slow one stops reading.
  uint64_t id = 0;
  bool closed = false;
  for (int round = 0; round < 6000 && !closed; ++round) {
    event_batch batch;
    for (auto& n : names)
      batch.trades.push_back(make_trade(n, ++id));
    send(std::move(batch));
    std::this_thread::sleep_for(10ms);
    if (round % 20 == 19)
      closed = stats().closed_slow > 0;
  }
  ASSERT_TRUE(closed) << "the slow client was never closed";
  auto s = stats();
  EXPECT_GT(s.conflated, 0u);
  EXPECT_EQ(s.closed_overload, 0u);
  // The slow client: told it is conflated, updates thinned out, then 1008.
  trade_log slow_log;
  auto frames = read_until(slow, [&](const raw_frame& f) {
    if (f.opcode == 1)
      slow_log.add(f.payload);
    return f.is_close();
  });
  ASSERT_FALSE(frames.empty());
  ASSERT_TRUE(frames.back().is_close());
  EXPECT_EQ(frames.back().close_code(), 1008);
  EXPECT_EQ(frames.back().close_reason(), "slow consumer");
  EXPECT_TRUE(slow_log.saw_conflation);
  EXPECT_LT(slow_log.total, id);
  // The fast clients: every trade, in order, never conflated.
  for (size_t i = 0; i < fast.size(); ++i) {
    auto& log = logs[i];
    while (log.total < id) {
      auto m = fast[i]->receive(5000ms);
      if (!m)
        break;
      log.add(*m);
    }
    EXPECT_EQ(log.total, id) << "fast client " << i;
    EXPECT_FALSE(log.saw_conflation) << "fast client " << i;
    for (auto& [name, xs] : log.ids) {
      ASSERT_EQ(xs.size(), id / names.size()) << name;
      for (size_t k = 1; k < xs.size(); ++k)
        ASSERT_EQ(xs[k], xs[k - 1] + names.size()) << name << " at " << k;
    }
    EXPECT_TRUE(fast[i]->is_open());
  }
}

TEST_F(BroadcastFixture, GlobalBudgetClosesTheLargestBacklog) {
  auto& b = topo.broadcaster;
  b.conflate_bytes = 3 << 20;
  b.client_queue_bytes = 4 << 20;
  b.max_queued_bytes = 4 << 20; // two stalled clients pass it together
  auto names = instruments(50);
  start(names);
  auto subscribe = subscribe_all(names);
  auto fast = client();
  ASSERT_TRUE(fast->send(subscribe));
  raw_ws stalled[2];
  for (auto& s : stalled) {
    ASSERT_TRUE(s.connect(port, b.path, 4096));
    ASSERT_TRUE(s.send_text(subscribe));
    ASSERT_TRUE(await_subscribed(s, names.size()));
  }
  uint64_t id = 0;
  bool closed = false;
  for (int round = 0; round < 6000 && !closed; ++round) {
    event_batch batch;
    for (auto& n : names)
      batch.trades.push_back(make_trade(n, ++id));
    send(std::move(batch));
    std::this_thread::sleep_for(10ms);
    if (round % 20 == 19)
      closed = stats().closed_overload > 0;
  }
  ASSERT_TRUE(closed) << "the budget never closed anyone";
  EXPECT_EQ(stats().closed_slow, 0u);
  size_t overloaded = 0;
  for (auto& s : stalled) {
    auto frames = read_until(s, [](const raw_frame& f) { return f.is_close(); },
                             1000ms);
    if (!frames.empty() && frames.back().is_close()) {
      EXPECT_EQ(frames.back().close_code(), 1008);
      EXPECT_EQ(frames.back().close_reason(), "server overloaded");
      ++overloaded;
    }
  }
  EXPECT_GE(overloaded, 1u);
  // The fast client was never part of it.
  trade_log log;
  while (log.total < id) {
    auto m = fast->receive(5000ms);
    if (!m)
      break;
    log.add(*m);
  }
  EXPECT_EQ(log.total, id);
  EXPECT_TRUE(fast->is_open());
}

// -- commands ------------------------------------------------------------------------------

TEST_F(BroadcastFixture, SubscriptionCapPerClient) {
  topo.broadcaster.max_channels_per_client = 3;
  auto names = instruments(5);
  start(names);
  auto ws = client();
  ASSERT_TRUE(ws->send(subscribe_all(names)));
  std::vector<std::string> subscribed, refused;
  for (int i = 0; i < 3 && (subscribed.empty() || refused.size() < 2); ++i) {
    auto m = ws->receive(3000ms);
    ASSERT_TRUE(m);
    auto d = parse_json(*m);
    auto type = str_of(d, "type");
    if (type == "subscribed")
      for (auto& c : d["channels"].GetArray())
        subscribed.push_back(c.GetString());
    if (type == "error") {
      EXPECT_EQ(str_of(d, "code"), "too_many_channels");
      EXPECT_NE(str_of(d, "message").find("at most 3"), std::string::npos);
      refused.push_back(str_of(d, "channel"));
    }
  }
  EXPECT_EQ(subscribed,
            (std::vector<std::string>{"trades:T0-USD", "trades:T1-USD", "trades:T2-USD"}));
  EXPECT_EQ(refused, (std::vector<std::string>{"trades:T3-USD", "trades:T4-USD"}));
  // Re-subscribing to a channel one has is not a new one; freeing a slot
  // makes room.
  ASSERT_TRUE(ws->send(R"({"op":"subscribe","channels":["trades:T0-USD"]})"));
  auto again = next_of(*ws, "subscribed");
  ASSERT_TRUE(again);
  ASSERT_TRUE(ws->send(R"({"op":"unsubscribe","channels":["trades:T1-USD"]})"));
  ASSERT_TRUE(next_of(*ws, "unsubscribed"));
  ASSERT_TRUE(ws->send(R"({"op":"subscribe","channels":["trades:T4-USD"]})"));
  auto ok = next_of(*ws, "subscribed");
  ASSERT_TRUE(ok);
  EXPECT_STREQ((*ok)["channels"][0].GetString(), "trades:T4-USD");
}

TEST_F(BroadcastFixture, BadFramesGetClearErrors) {
  topo.broadcaster.max_message_bytes = 1024;
  start({"T0-USD"});
  auto ws = client();
  struct row {
    std::string frame;
    std::string code;
    std::string message_start;
  };
  const row rows[] = {
    {"not json", "malformed", "invalid JSON"},
    {"[1,2]", "malformed", "command must be a JSON object"},
    {R"({"op":"dance"})", "unknown_op", "unknown op: dance"},
    {R"({"op":"subscribe"})", "malformed", "channels"},
    {R"({"op":"subscribe","channels":["candles:T0-USD"]})", "invalid_channel",
     "unknown channel kind"},
    {R"({"op":"subscribe","channels":["trades:NOPE-USD"]})", "unknown_channel",
     "unknown instrument NOPE-USD"},
  };
  for (auto& r : rows) {
    ASSERT_TRUE(ws->send(r.frame));
    auto e = next_of(*ws, "error");
    ASSERT_TRUE(e) << r.frame;
    EXPECT_EQ(str_of(*e, "code"), r.code) << r.frame;
    EXPECT_EQ(str_of(*e, "message").rfind(r.message_start, 0), 0u)
      << r.frame << " -> " << str_of(*e, "message");
  }
  // Still connected and served.
  ASSERT_TRUE(ws->send(R"({"op":"ping"})"));
  EXPECT_TRUE(next_of(*ws, "pong"));
  EXPECT_GE(stats().bad_commands, 6u);
  // Binary frames and frames over max-message-bytes close the connection.
  ASSERT_TRUE(ws->send_binary("\x01\x02"));
  auto code = ws->wait_closed(3000ms);
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 1003);
  auto big = client();
  ASSERT_TRUE(big->send(std::string(2048, ' ')));
  code = big->wait_closed(3000ms);
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 1009);
}

// -- status channels ----------------------------------------------------------------------

TEST_F(BroadcastFixture, FeedStatusesReachTheStatusChannels) {
  start({"T0-USD"});
  auto status = [](provider p, feed_state s, std::string reason) {
    feed_status x;
    x.source = p;
    x.connection = std::string{to_string(p)} + "#0";
    x.state = s;
    x.reason = std::move(reason);
    x.ts_ns = 1'700'000'000'000'000'000;
    return x;
  };
  // Seen before anyone subscribed: it is in the snapshot.
  event_batch early;
  early.statuses.push_back(status(providers::binance, feed_state::connected, "up"));
  send(early);
  auto mine = client();  // status:binance only
  auto all = client();   // status:*
  auto both = client();  // status:binance and status:*
  ASSERT_TRUE(mine->send(R"({"op":"subscribe","channels":["status:binance"]})"));
  ASSERT_TRUE(all->send(R"({"op":"subscribe","channels":["status:*"]})"));
  ASSERT_TRUE(both->send(R"({"op":"subscribe","channels":["status:binance","status:*"]})"));
  for (auto* ws : {mine.get(), all.get()}) {
    auto snap = next_of(*ws, "snapshot");
    ASSERT_TRUE(snap);
    ASSERT_EQ((*snap)["statuses"].Size(), 1u);
    EXPECT_STREQ((*snap)["statuses"][0]["state"].GetString(), "connected");
  }
  ASSERT_TRUE(next_of(*both, "snapshot"));
  ASSERT_TRUE(next_of(*both, "snapshot"));
  event_batch later;
  later.statuses.push_back(status(providers::binance, feed_state::disconnected, "closed 1006"));
  later.statuses.push_back(status(providers::polygon, feed_state::degraded, "silent"));
  send(later);
  auto got = [](ws_client& ws) {
    std::vector<std::string> out;
    while (auto m = ws.receive(500ms)) {
      auto d = parse_json(*m);
      if (str_of(d, "type") == "status")
        out.push_back(str_of(d, "channel") + " " + str_of(d["data"], "state"));
    }
    return out;
  };
  EXPECT_EQ(got(*mine), (std::vector<std::string>{"status:binance disconnected"}));
  EXPECT_EQ(got(*all), (std::vector<std::string>{"status:binance disconnected",
                                                 "status:polygon degraded"}));
  // Subscribed to both: each status once.
  EXPECT_EQ(got(*both), (std::vector<std::string>{"status:binance disconnected",
                                                  "status:polygon degraded"}));
  ASSERT_TRUE(mine->send(R"({"op":"subscribe","channels":["status:nope"]})"));
  auto e = next_of(*mine, "error");
  ASSERT_TRUE(e);
  EXPECT_EQ(str_of(*e, "code"), "invalid_channel");
  EXPECT_EQ(stats().statuses, 3u);
}
