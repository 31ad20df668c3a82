// The streams area of the configuration: [streams], [stream.<provider>],
// [replay]: documented defaults, key parsing, cross-key checks.

#include <gtest/gtest.h>

#include "pipeline/topology/topology.hpp"

using namespace tickflow;

namespace {

result<topology> load(const std::string& extra) {
  return load_topology("[simulator]\nsymbols = BTC-USDT:1\n" + extra, "t.ini");
}

} // namespace

TEST(StreamsConfig, DefaultIsOffDocumentedAndEqualsTheStructDefaults) {
  auto t = load_topology(default_config_text(), "<embedded default>");
  ASSERT_TRUE(t) << t.err().context;
  EXPECT_TRUE(t->streams.enabled.empty());
  EXPECT_FALSE(t->streams.replay.enabled);
  ASSERT_EQ(t->streams.feeds.size(), 3u);
  for (auto& [name, s] : t->streams.feeds) {
    SCOPED_TRACE(name);
    auto d = stream_defaults(name);
    EXPECT_EQ(s.name, name);
    EXPECT_EQ(s.url.rfind("ws://127.0.0.1:", 0), 0u) << s.url;
    EXPECT_FALSE(s.subscriptions.empty());
    EXPECT_EQ(s.reconnect_min_ns, d.reconnect_min_ns);
    EXPECT_EQ(s.reconnect_max_ns, d.reconnect_max_ns);
    EXPECT_EQ(s.stale_after_ns, d.stale_after_ns);
    EXPECT_EQ(s.max_frame_bytes, d.max_frame_bytes);
    EXPECT_EQ(s.max_connection_age_ns, d.max_connection_age_ns);
    EXPECT_EQ(s.backfill, d.backfill);
    EXPECT_EQ(s.capture_dir, d.capture_dir);
    EXPECT_EQ(s.ca_file, d.ca_file);
  }
  EXPECT_EQ(t->streams.feeds.at("binance").max_connection_age_ns, 23 * 3600 * 1'000'000'000LL);
  EXPECT_EQ(t->streams.feeds.at("polygon").max_connection_age_ns, 0);
  const replay_settings r;
  EXPECT_EQ(t->streams.replay.provider, r.provider);
  EXPECT_EQ(t->streams.replay.pace, r.pace);
  EXPECT_TRUE(t->streams.replay.files.empty());
  EXPECT_TRUE(t->streams.replay.dir.empty());
  // Every key of the area has a comment line above its first use.
  auto text = std::string{default_config_text()};
  for (auto key : {"url =", "api-key-env =", "subscriptions =", "reconnect-min =",
                   "reconnect-max =", "stale-after =", "max-frame-bytes =",
                   "max-connection-age =", "backfill =", "capture-dir =", "ca-file =",
                   "files =", "dir =", "provider =", "speed ="}) {
    auto at = text.find(std::string{"\n"} + key);
    ASSERT_NE(at, std::string::npos) << key;
    auto prev = text.rfind('\n', at - 1);
    EXPECT_EQ(text[prev + 1], '#') << key << " is undocumented";
  }
}

TEST(StreamsConfig, SubscriptionsParse) {
  auto t = load("[stream.binance]\nsubscriptions = BTC-USDT:trades, ETH-USDT:agg-trades,"
                " I:SPX:quotes, BTC-USDT:bars:1m, BTC-USDT:bars:1h\n");
  ASSERT_TRUE(t) << t.err().context;
  auto& subs = t->streams.feeds.at("binance").subscriptions;
  ASSERT_EQ(subs.size(), 5u);
  EXPECT_EQ(subs[0], (stream_topic{"BTC-USDT", stream_topic_kind::trades, interval::m1}));
  EXPECT_EQ(subs[1].kind, stream_topic_kind::agg_trades);
  EXPECT_EQ(subs[2].instrument, "I:SPX"); // ':' is allowed in instrument ids
  EXPECT_EQ(subs[2].kind, stream_topic_kind::quotes);
  EXPECT_EQ(subs[4], (stream_topic{"BTC-USDT", stream_topic_kind::bars, interval::h1}));

  struct bad_case {
    const char* value;
    const char* problem;
  };
  for (auto c : std::initializer_list<bad_case>{
         {"BTC-USDT", "expected INSTRUMENT:trades, INSTRUMENT:agg-trades, INSTRUMENT:quotes"
                      " or INSTRUMENT:bars:<interval>, got \"BTC-USDT\""},
         {"BTC-USDT:bars:7m", "unknown bar interval \"7m\" in \"BTC-USDT:bars:7m\""},
         {"btc-usdt:trades", "\"btc-usdt\" is not a canonical instrument id"},
         {"A:trades, A:trades", "subscription \"A:trades\" is listed twice"},
         {"A:trades,,B:trades", "list has an empty item: \"A:trades,,B:trades\""},
       }) {
    SCOPED_TRACE(c.value);
    auto bad = load(std::string{"[stream.binance]\nsubscriptions = "} + c.value + "\n");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.err().context,
              std::string{"t.ini:4: stream.binance.subscriptions: "} + c.problem);
  }
}

TEST(StreamsConfig, KeysAndCrossChecks) {
  auto t = load("[streams]\nenabled = binance, finnhub\n"
                "[stream.binance]\nurl = wss://127.0.0.1:9443/\nsubscriptions = A:trades\n"
                "reconnect-min = 10ms\nreconnect-max = 2s\nstale-after = 0s\n"
                "max-frame-bytes = 2048\nmax-connection-age = 1h\nbackfill = false\n"
                "capture-dir = var/capture\nca-file = /tmp/ca.pem\napi-key-env = K_1\n"
                "[stream.finnhub]\nurl = ws://[::1]:9445\nsubscriptions = AAPL:trades\n"
                "[replay]\nenabled = true\nfiles = a.cap, b.cap\nprovider = polygon\n"
                "speed = 2.5x\n");
  ASSERT_TRUE(t) << t.err().context;
  auto feeds = t->streams.enabled_feeds();
  ASSERT_EQ(feeds.size(), 2u);
  auto& b = feeds[0];
  EXPECT_EQ(b.name, "binance");
  EXPECT_EQ(b.url, "wss://127.0.0.1:9443"); // trailing '/' dropped
  EXPECT_EQ(b.reconnect_min_ns, 10'000'000);
  EXPECT_EQ(b.reconnect_max_ns, 2'000'000'000);
  EXPECT_EQ(b.stale_after_ns, 0);
  EXPECT_EQ(b.max_frame_bytes, 2048u);
  EXPECT_EQ(b.max_connection_age_ns, 3600'000'000'000);
  EXPECT_FALSE(b.backfill);
  EXPECT_EQ(b.capture_dir, "var/capture");
  EXPECT_EQ(b.ca_file, "/tmp/ca.pem");
  EXPECT_EQ(b.api_key_env, "K_1");
  EXPECT_EQ(feeds[1].url, "ws://[::1]:9445");
  EXPECT_EQ(feeds[1].max_connection_age_ns, 0);
  auto& r = t->streams.replay;
  EXPECT_TRUE(r.enabled);
  EXPECT_EQ(r.files, (std::vector<std::string>{"a.cap", "b.cap"}));
  EXPECT_EQ(r.provider, "polygon");
  EXPECT_EQ(r.pace, replay_pace::multiplied);
  EXPECT_DOUBLE_EQ(r.speed, 2.5);
  for (auto [text, pace] : {std::pair{"max", replay_pace::max},
                            std::pair{"original", replay_pace::original}}) {
    auto x = load(std::string{"[replay]\nspeed = "} + text + "\n");
    ASSERT_TRUE(x) << x.err().context;
    EXPECT_EQ(x->streams.replay.pace, pace);
  }

  struct bad_case {
    std::string text;
    std::string error;
  };
  for (auto& c : std::vector<bad_case>{
         {"[streams]\nenabled = coingecko\n",
          "t.ini:4: streams.enabled: unknown stream provider \"coingecko\" (known: binance,"
          " polygon, finnhub)"},
         {"[streams]\nenabled = binance, binance\n",
          "t.ini:4: streams.enabled: stream provider \"binance\" is listed twice"},
         {"[streams]\nenabled = binance\n",
          "t.ini: stream.binance.url: required because streams.enabled (line 4) lists binance"},
         {"[stream.binance]\nurl = ws://127.0.0.1:1/stream\n",
          "t.ini:4: stream.binance.url: must be a ws:// or wss:// URL with a host and no path"
          " or query, got \"ws://127.0.0.1:1/stream\""},
         {"[stream.binance]\nmax-frame-bytes = 10\n",
          "t.ini:4: stream.binance.max-frame-bytes: must be an integer in 1024..4194304, got"
          " \"10\""},
         {"[stream.binance]\nmax-connection-age = 25h\n",
          "t.ini:4: stream.binance.max-connection-age: must be a duration in 0ns..24h (an"
          " integer and a unit: ns, us, ms, s, m, h), got \"25h\""},
         {"[replay]\nenabled = true\n",
          "t.ini: replay.files: files or dir is required because replay.enabled (line 4) is"
          " true"},
         {"[replay]\nfiles = a.cap\ndir = caps\n",
          "t.ini:5: replay.dir: set either files or dir, not both"},
         {"[replay]\nprovider = coingecko\n",
          "t.ini:4: replay.provider: must be one of binance|polygon|finnhub, got"
          " \"coingecko\""},
         {"[replay]\nspeed = 0x\n",
          "t.ini:4: replay.speed: must be original, max or <N>x with N a number in"
          " 0.01..10000, got \"0x\""},
       }) {
    SCOPED_TRACE(c.text);
    auto bad = load(c.text);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.err().code, errc::config_invalid);
    EXPECT_EQ(bad.err().context, c.error);
  }
}
