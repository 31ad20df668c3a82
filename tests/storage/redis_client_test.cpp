// Against the private redis-server of the services fixture.

#include "adapters/redis/redis_client.hpp"

#include <gtest/gtest.h>

#include "tests/storage/storage_support.hpp"

using namespace tickflow;
using namespace tickflow::redis;

namespace {

class RedisClient : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env_.ok()) << env_.problem();
    settings_.prefix = "t" + test::unique_name();
    auto ok = client_.connect("127.0.0.1", env_.redis_port(), 1000);
    ASSERT_TRUE(ok.ok()) << ok.err().message();
  }

  void TearDown() override {
    // Outage tests restart redis; make sure it runs for the next test.
    std::string out;
    if (env_.ok())
      env_.control("start-redis", out);
  }

  static cache_entry entry(entry_kind kind, std::string instrument,
                           int64_t ts_ns, std::string json,
                           interval span = interval::m1) {
    cache_entry e;
    e.kind = kind;
    e.instrument = std::move(instrument);
    e.span = span;
    e.ts_ns = ts_ns;
    e.json = std::move(json);
    return e;
  }

  int64_t integer(const command& cmd) {
    auto r = client_.execute(cmd);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->integer : -1;
  }

  test::services_env env_;
  cache_settings settings_;
  redis_client client_;
};

} // namespace

TEST_F(RedisClient, PipelineRoundTripWithTtl) {
  settings_.price_ttl_s = 30;
  settings_.ticker_ttl_s = 0; // no expiry
  std::string price_json = R"({"instrument":"BTC-USDT","price":"0.001"})";
  std::vector<cache_entry> in{
    entry(entry_kind::price, "BTC-USDT", 1'700'000'000'000'000'000,
          price_json),
    entry(entry_kind::ticker, "BTC-USDT", 1'700'000'000'500'000'000,
          R"({"bid":"1"})"),
  };
  auto cmds = build_commands(in, settings_);
  ASSERT_TRUE(cmds.ok());
  auto n = client_.pipeline(cmds->commands);
  ASSERT_TRUE(n.ok()) << n.err().message();
  EXPECT_EQ(*n, cmds->commands.size());

  auto price = client_.get(price_key(settings_, "BTC-USDT"));
  ASSERT_TRUE(price.ok());
  ASSERT_TRUE(price->has_value());
  EXPECT_EQ(**price, price_json);
  auto ttl = integer({"TTL", price_key(settings_, "BTC-USDT")});
  EXPECT_GT(ttl, 0);
  EXPECT_LE(ttl, 30);
  EXPECT_EQ(integer({"TTL", ticker_key(settings_, "BTC-USDT")}), -1);
  auto index = client_.strings(instruments_command(settings_));
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(*index, (std::vector<std::string>{"BTC-USDT"}));
  auto score = client_.execute(
    {"ZSCORE", instruments_key(settings_), "BTC-USDT"});
  ASSERT_TRUE(score.ok());
  EXPECT_EQ(score->text, "1700000000500");

  auto missing = client_.get(price_key(settings_, "NOPE"));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(RedisClient, CappedBarsReplaceTheSameOpenTime) {
  settings_.max_bars = 3;
  settings_.bars_ttl_s = 120;
  constexpr int64_t minute = 60'000'000'000;
  std::vector<cache_entry> first;
  for (int i = 1; i <= 5; ++i)
    first.push_back(entry(entry_kind::bar, "ETH-USDT", i * minute,
                          "bar" + std::to_string(i)));
  auto cmds = build_commands(first, settings_);
  ASSERT_TRUE(cmds.ok());
  ASSERT_TRUE(client_.pipeline(cmds->commands).ok());
  // A revision of minute 4 in a later batch replaces its member.
  cmds = build_commands({entry(entry_kind::bar, "ETH-USDT", 4 * minute,
                               "bar4-revised")},
                        settings_);
  ASSERT_TRUE(cmds.ok());
  ASSERT_TRUE(client_.pipeline(cmds->commands).ok());

  auto key = bars_key(settings_, interval::m1, "ETH-USDT");
  auto all = client_.zrange(key, 0, -1);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all,
            (std::vector<std::string>{"bar3", "bar4-revised", "bar5"}));
  auto ttl = integer({"TTL", key});
  EXPECT_GT(ttl, 0);
  EXPECT_LE(ttl, 120);
  auto recent = client_.strings(
    recent_bars_command(settings_, interval::m1, "ETH-USDT", 2));
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(*recent, (std::vector<std::string>{"bar4-revised", "bar5"}));
  auto between = client_.strings(bars_between_command(
    settings_, interval::m1, "ETH-USDT", 3 * minute, 5 * minute, 0));
  ASSERT_TRUE(between.ok());
  EXPECT_EQ(*between, (std::vector<std::string>{"bar3", "bar4-revised"}));
}

TEST_F(RedisClient, PublishReachesASubscriber) {
  redis_client subscriber;
  ASSERT_TRUE(subscriber.connect("127.0.0.1", env_.redis_port(), 1000).ok());
  auto channel = events_channel(settings_, "SOL-USDT");
  auto sub = subscriber.execute({"SUBSCRIBE", channel});
  ASSERT_TRUE(sub.ok());
  ASSERT_EQ(sub->type, reply::kind::array);
  ASSERT_EQ(sub->elements.size(), 3u);
  EXPECT_EQ(sub->elements[0].text, "subscribe");

  auto cmds = build_commands(
    {entry(entry_kind::trade, "SOL-USDT", 1, R"({"price":"101.5"})")},
    settings_);
  ASSERT_TRUE(cmds.ok());
  ASSERT_TRUE(client_.pipeline(cmds->commands).ok());

  auto msg = subscriber.read_reply();
  ASSERT_TRUE(msg.ok()) << msg.err().message();
  ASSERT_EQ(msg->type, reply::kind::array);
  ASSERT_EQ(msg->elements.size(), 3u);
  EXPECT_EQ(msg->elements[0].text, "message");
  EXPECT_EQ(msg->elements[1].text, channel);
  EXPECT_EQ(msg->elements[2].text,
            R"({"type":"trade","data":{"price":"101.5"}})");
}

TEST_F(RedisClient, ValuesAreBinarySafe) {
  std::string key = settings_.prefix + ":bin";
  std::string value{"a\0b\r\n$3\r\nbad\xff", 14};
  ASSERT_TRUE(client_.pipeline({{"SET", key, value}}).ok());
  auto back = client_.get(key);
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ(**back, value);
}

TEST_F(RedisClient, ErrorRepliesFailTheCallButKeepTheConnection) {
  std::string key = settings_.prefix + ":text";
  // Plain pipeline: the second command fails, all replies are read.
  auto r = client_.pipeline({{"SET", key, "x"}, {"INCR", key}, {"PING"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().code, errc::unavailable);
  EXPECT_NE(r.err().context.find("command 1 (INCR)"), std::string::npos)
    << r.err().context;
  EXPECT_NE(r.err().context.find("not an integer"), std::string::npos)
    << r.err().context;
  EXPECT_TRUE(client_.connected());
  EXPECT_TRUE(client_.ping().ok());
  // Inside MULTI/EXEC the error is an element of EXEC's array.
  r = client_.pipeline({{"MULTI"}, {"SET", key, "y"}, {"INCR", key}, {"EXEC"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().context.find("command 3 (EXEC)"), std::string::npos)
    << r.err().context;
  EXPECT_TRUE(client_.ping().ok());
  // An empty command is refused before anything is sent.
  r = client_.pipeline({{"PING"}, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().code, errc::invalid_argument);
  EXPECT_TRUE(client_.ping().ok());
}

TEST_F(RedisClient, ConnectToAClosedPortIsACleanError) {
  redis_client c;
  auto r = c.connect("127.0.0.1", test::free_port(), 500);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().code, errc::unavailable);
  EXPECT_NE(r.err().context.find("Connection refused"), std::string::npos)
    << r.err().context;
  EXPECT_FALSE(c.connected());
  auto p = c.pipeline({{"PING"}});
  EXPECT_FALSE(p.ok());
  redis_client never;
  auto q = never.ping();
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.err().code, errc::invalid_argument);
}

TEST_F(RedisClient, RedisDownIsACleanErrorAndReconnectWorksAfterRestart) {
  auto cmds = build_commands(
    {entry(entry_kind::price, "XRP-USDT", 1, R"({"p":"0.5"})")}, settings_);
  ASSERT_TRUE(cmds.ok());
  ASSERT_TRUE(client_.pipeline(cmds->commands).ok());

  std::string out;
  ASSERT_EQ(env_.control("stop-redis", out), 0) << out;
  // The open connection is dead: the call fails and drops it; the next one
  // tries to reconnect and fails too. Neither throws nor raises SIGPIPE.
  for (int i = 0; i < 3; ++i) {
    auto r = client_.pipeline(cmds->commands);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, errc::unavailable);
    EXPECT_FALSE(client_.connected());
  }
  EXPECT_FALSE(client_.connect().ok());

  ASSERT_EQ(env_.control("start-redis", out), 0) << out;
  auto r = client_.pipeline(cmds->commands); // reconnects on its own
  ASSERT_TRUE(r.ok()) << r.err().message();
  auto back = client_.get(price_key(settings_, "XRP-USDT"));
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ(**back, R"({"p":"0.5"})");
  EXPECT_TRUE(client_.connect().ok()); // explicit reconnect
  EXPECT_TRUE(client_.ping().ok());
}
