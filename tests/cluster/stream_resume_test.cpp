// Two real tickflow processes on Redis Streams: the gateway's Redis
// connection goes through a loopback proxy that the test cuts for 5 s while
// the ingest node's simulator runs at a high rate. Every trade the ingest
// node's own WebSocket client got reaches the gateway's client too, exactly
// once and in order, with contiguous sequence numbers; nothing is reported
// as a gap. A gateway cut off longer than the streams' retention gets a gap
// message and a fresh snapshot on the channel instead.

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/cluster/cluster_support.hpp"
#include "tests/storage/writers/writer_support.hpp"
#include "tests/support/tcp_proxy.hpp"

namespace tickflow::test {
namespace {

int rate() { return cluster_rate(); }

TEST(StreamResume, GatewayCutOffForFiveSecondsLosesNothing) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  tcp_proxy proxy{env.redis_port()};
  auto prefix = "t" + unique_name();
  auto x = short_id("SR") + ".Q";
  auto config = [&](uint16_t redis_port, const std::string& role) {
    return relay_node_config(redis_port, prefix, role);
  };
  node ingest{config(env.redis_port(),
                     "[providers]\nenabled = simulator\n[simulator]\nsymbols = " + x
                       + ":100\ntrades-per-second = " + std::to_string(rate())
                       + "\nbar-intervals = 1m\n[cluster]\nnode-id = ingest-1\n"),
              "ingest"};
  ASSERT_TRUE(ingest.up()) << ingest.output();
  node gateway{config(proxy.port(), "[providers]\nenabled = simulator\n[simulator]\n"
                                    "symbols = GW-ONLY:1\ntrades-per-second = 1\n"
                                    "[cluster]\nnode-id = gw-1\nsubscribe = true\n"),
               "gateway"};
  ASSERT_TRUE(gateway.up()) << gateway.output();
  ws_client at_ingest;
  ws_client at_gateway;
  ASSERT_TRUE(at_ingest.connect(ingest.ws_url())) << at_ingest.error();
  ASSERT_TRUE(at_gateway.connect(gateway.ws_url())) << at_gateway.error();
  auto channel = "trades:" + x;
  ASSERT_TRUE(subscribe_when_known(at_gateway, {channel}));
  ASSERT_TRUE(subscribe_when_known(at_ingest, {channel}));
  std::atomic<bool> stop_ingest{false};
  std::atomic<bool> stop_gateway{false};
  trade_log li;
  trade_log lg;
  std::thread ti{[&] { read_trades(at_ingest, stop_ingest, li); }};
  std::thread tg{[&] { read_trades(at_gateway, stop_gateway, lg); }};
  std::this_thread::sleep_for(2s);
  auto before = proxy.connections();
  proxy.cut();
  std::this_thread::sleep_for(5s);
  proxy.restore();
  std::this_thread::sleep_for(3s);
  stop_ingest = true;
  ti.join();
  // The gateway catches up with the last trade the ingest client saw.
  ASSERT_FALSE(li.trades.empty());
  auto last = li.trades.back().first;
  caught_up(lg, last);
  stop_gateway = true;
  tg.join();
  ASSERT_FALSE(lg.trades.empty());
  EXPECT_GT(proxy.connections(), before); // it did reconnect
  // In order, each once, numbered without a hole; every trade the ingest
  // client got within the window both clients saw.
  auto c = check_relay(li, lg, last);
  EXPECT_TRUE(c.ordered) << "at " << c.first_bad;
  EXPECT_EQ(c.got, c.want);
  EXPECT_TRUE(c.same);
  EXPECT_GT(c.want, static_cast<size_t>(rate()) * 5); // the cut's 5 s included
  EXPECT_EQ(lg.gaps, 0u);
  EXPECT_EQ(ingest.stop(), 0) << ingest.output();
  EXPECT_EQ(gateway.stop(), 0) << gateway.output();
}

// The streams keep about 100 entries (stream-retention = 100, the least);
// the ingest node writes some 100 a second per shard, so a 5 s cut leaves
// the gateway behind what Redis still holds: its client gets a gap message
// and a fresh snapshot on the channel, then live trades again, in order.
TEST(StreamResume, AGatewayAwayLongerThanTheRetentionGetsAGapAndASnapshot) {
  services_env env;
  ASSERT_TRUE(env.ok()) << env.problem();
  tcp_proxy proxy{env.redis_port()};
  auto prefix = "t" + unique_name();
  auto x = short_id("SG") + ".Q";
  auto config = [&](uint16_t redis_port, const std::string& role) {
    return relay_node_config(redis_port, prefix, role, "stream-retention = 100\n");
  };
  node ingest{config(env.redis_port(),
                     "[providers]\nenabled = simulator\n[simulator]\nsymbols = " + x
                       + ":100\ntrades-per-second = " + std::to_string(rate())
                       + "\nbar-intervals = 1m\n[cluster]\nnode-id = ingest-1\n"),
              "ingest"};
  ASSERT_TRUE(ingest.up()) << ingest.output();
  node gateway{config(proxy.port(), "[providers]\nenabled = simulator\n[simulator]\n"
                                    "symbols = GW-ONLY:1\ntrades-per-second = 1\n"
                                    "[cluster]\nnode-id = gw-1\nsubscribe = true\n"),
               "gateway"};
  ASSERT_TRUE(gateway.up()) << gateway.output();
  ws_client at_gateway;
  ASSERT_TRUE(at_gateway.connect(gateway.ws_url())) << at_gateway.error();
  ASSERT_TRUE(subscribe_when_known(at_gateway, {"trades:" + x}));
  std::atomic<bool> stop{false};
  trade_log lg;
  std::thread tg{[&] { read_trades(at_gateway, stop, lg); }};
  std::this_thread::sleep_for(2s);
  size_t before_cut = 0;
  {
    std::lock_guard<std::mutex> lock{lg.mx};
    before_cut = lg.trades.size();
  }
  proxy.cut();
  std::this_thread::sleep_for(5s);
  proxy.restore();
  bool gap = wait_until(
    [&] {
      std::lock_guard<std::mutex> lock{lg.mx};
      return lg.gaps >= 1 && lg.snapshots >= 2 && lg.trades.size() > before_cut + 100;
    },
    30s);
  stop = true;
  tg.join();
  EXPECT_TRUE(gap) << "gaps " << lg.gaps << ", snapshots " << lg.snapshots << "\n"
                   << gateway.output();
  EXPECT_GT(before_cut, 0u);
  for (size_t i = 1; i < lg.trades.size(); ++i) // never twice, never backwards
    ASSERT_LT(lg.trades[i - 1].first, lg.trades[i].first) << i;
  EXPECT_NE(gateway.output().find("stream-retention exceeded"), std::string::npos)
    << gateway.output();
  EXPECT_EQ(ingest.stop(), 0) << ingest.output();
  EXPECT_EQ(gateway.stop(), 0) << gateway.output();
}

} // namespace
} // namespace tickflow::test
