#include "api/ws_protocol.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

using namespace tickflow;
using namespace tickflow::api;

namespace {

using op_kind = client_command::op_kind;

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  return doc;
}

std::string many_channels(size_t n) {
  std::string out = R"({"op":"subscribe","channels":[)";
  for (size_t i = 0; i < n; ++i) {
    if (i > 0)
      out += ',';
    out += "\"trades:S" + std::to_string(i) + "\"";
  }
  out += "]}";
  return out;
}

} // namespace

// -- channels -------------------------------------------------------------------

TEST(WsProtocol, ParseChannelGood) {
  struct row {
    std::string in;
    channel_kind kind;
    interval span;
    std::string instrument;
  };
  const row rows[] = {
    {"trades:BTC-USDT", channel_kind::trades, interval::m1, "BTC-USDT"},
    {"quotes:AAPL", channel_kind::quotes, interval::m1, "AAPL"},
    {"bars:1m:BTC-USDT", channel_kind::bars, interval::m1, "BTC-USDT"},
    {"bars:1h:ETH-USDT", channel_kind::bars, interval::h1, "ETH-USDT"},
    {"bars:1M:AAPL", channel_kind::bars, interval::mo1, "AAPL"},
    {"trades:BRK.B", channel_kind::trades, interval::m1, "BRK.B"},
  };
  for (const auto& r : rows) {
    auto ch = parse_channel(r.in);
    ASSERT_TRUE(ch) << r.in << ": " << ch.err().message();
    EXPECT_EQ(ch->kind, r.kind) << r.in;
    if (r.kind == channel_kind::bars) {
      EXPECT_EQ(ch->span, r.span) << r.in;
    }
    EXPECT_EQ(ch->instrument, r.instrument) << r.in;
    EXPECT_EQ(ch->name(), r.in); // round trip
  }
}

// Issue 21: the instrument is resolved as symbol= is, so every spelling of
// one instrument is one channel (lowercase and EURUSD=X were refused or kept
// apart before).
TEST(WsProtocol, ParseChannelResolvesTheInstrument) {
  struct row {
    std::string in;
    std::string name;
  };
  const row rows[] = {
    {"quotes:EURUSD=X", "quotes:EUR-USD"},
    {"trades:btc-usdt", "trades:BTC-USDT"},
    {"trades:btcusdt", "trades:BTC-USDT"},
    {"trades:BINANCE:BTCUSDT", "trades:BTC-USDT"},
    {"bars:5m:BTC/USDT", "bars:5m:BTC-USDT"},
    {"quotes:Aapl", "quotes:AAPL"},
    {"trades:X:BTCUSD", "trades:BTC-USD"},
  };
  for (const auto& r : rows) {
    auto ch = parse_channel(r.in);
    ASSERT_TRUE(ch) << r.in << ": " << ch.err().message();
    EXPECT_EQ(ch->name(), r.name) << r.in;
  }
}

TEST(WsProtocol, ParseChannelBad) {
  const char* rows[] = {
    "",                   // empty
    "trades",             // no instrument
    "trades:",            // empty instrument
    "trade:BTC-USDT",     // bad kind
    "TRADES:BTC-USDT",    // kinds are lowercase
    "orders:BTC-USDT",    // unknown kind
    "bars:7m:BTC-USDT",   // bad interval
    "bars:BTC-USDT",      // no interval
    "bars::BTC-USDT",     // empty interval
    "bars:1m:",           // empty instrument
    "trades:BTC USDT",    // space
    "trades:-BTC",        // must start with a letter or digit
    ":BTC-USDT",          // empty kind
  };
  for (const char* in : rows) {
    auto ch = parse_channel(in);
    ASSERT_FALSE(ch) << '"' << in << '"';
    EXPECT_EQ(ch.err().code, errc::invalid_argument) << in;
    EXPECT_FALSE(ch.err().context.empty()) << in;
  }
}

TEST(WsProtocol, ParseChannelContextSaysWhy) {
  EXPECT_NE(parse_channel("bars:7m:X").err().context.find("7m"),
            std::string::npos);
  EXPECT_NE(parse_channel("foo:X").err().context.find("foo"),
            std::string::npos);
  EXPECT_NE(parse_channel("trades:btc$").err().context.find("btc$"),
            std::string::npos);
}

TEST(WsProtocol, ChannelOfEvents) {
  trade t;
  t.instrument = "BTC-USDT";
  quote q;
  q.instrument = "AAPL";
  bar b;
  b.instrument = "ETH-USDT";
  b.span = interval::m5;
  EXPECT_EQ(channel_of(t), "trades:BTC-USDT");
  EXPECT_EQ(channel_of(q), "quotes:AAPL");
  EXPECT_EQ(channel_of(b), "bars:5m:ETH-USDT");
}

// -- client commands --------------------------------------------------------------

TEST(WsProtocol, ParseCommandGood) {
  struct row {
    std::string in;
    op_kind op;
    std::vector<std::string> channels;
  };
  const row rows[] = {
    {R"({"op":"subscribe","channels":["trades:BTC-USDT","bars:1m:BTC-USDT"]})",
     op_kind::subscribe,
     {"trades:BTC-USDT", "bars:1m:BTC-USDT"}},
    {R"({"op":"unsubscribe","channels":["quotes:AAPL"]})",
     op_kind::unsubscribe,
     {"quotes:AAPL"}},
    {R"({"op":"ping"})", op_kind::ping, {}},
    {R"( { "channels" : [ "trades:X" ] , "op" : "subscribe" } )",
     op_kind::subscribe,
     {"trades:X"}},
    {R"({"op":"subscribe","channels":["x"],"id":7})", // unknown keys ignored
     op_kind::subscribe,
     {"x"}},
    {R"({"op":"ping","channels":5})", op_kind::ping, {}},
    {R"({"op":"resync","channel":"trades:BTC-USDT"})", op_kind::resync, {"trades:BTC-USDT"}},
    {R"({"op":"resync","channels":["quotes:AAPL","bars:1m:X"]})", op_kind::resync,
     {"quotes:AAPL", "bars:1m:X"}},
  };
  for (const auto& r : rows) {
    auto cmd = parse_client_command(r.in);
    ASSERT_TRUE(cmd) << r.in << ": " << cmd.err().message();
    EXPECT_EQ(cmd->op, r.op) << r.in;
    EXPECT_EQ(cmd->channels, r.channels) << r.in;
  }
}

TEST(WsProtocol, ParseCommandBad) {
  struct row {
    std::string in;
    errc code;
    std::string context_prefix;
  };
  const row rows[] = {
    {"", errc::malformed, "invalid JSON"},
    {"{", errc::malformed, "invalid JSON"},
    {"not json", errc::malformed, "invalid JSON"},
    {R"({"op":"ping"} trailing)", errc::malformed, "invalid JSON"},
    {"[]", errc::malformed, "command must be"},
    {R"("subscribe")", errc::malformed, "command must be"},
    {"{}", errc::malformed, "op"},
    {R"({"op":1})", errc::malformed, "op"},
    {R"({"op":null})", errc::malformed, "op"},
    {R"({"op":"dance"})", errc::invalid_argument, "unknown op: dance"},
    {R"({"op":"SUBSCRIBE","channels":[]})", errc::invalid_argument,
     "unknown op"},
    {R"({"op":"subscribe"})", errc::malformed, "channels"},
    {R"({"op":"unsubscribe"})", errc::malformed, "channels"},
    {R"({"op":"resync"})", errc::malformed, "channels"},
    {R"({"op":"resync","channel":7})", errc::malformed, "channel"},
    {R"({"op":"resync","channel":")" + std::string(129, 'A') + R"("})", errc::malformed,
     "channel"},
    {R"({"op":"subscribe","channels":[]})", errc::malformed, "channels"},
    {R"({"op":"subscribe","channels":"trades:X"})", errc::malformed,
     "channels"},
    {R"({"op":"subscribe","channels":{"a":1}})", errc::malformed, "channels"},
    {R"({"op":"subscribe","channels":["trades:X",1]})", errc::malformed,
     "channels"},
    {R"({"op":"subscribe","channels":[null]})", errc::malformed, "channels"},
    {R"({"op":"subscribe","channels":[["trades:X"]]})", errc::malformed,
     "channels"},
    {R"({"op":"subscribe","channels":[")" + std::string(129, 'A') + R"("]})",
     errc::malformed, "channels"},
    {many_channels(257), errc::malformed, "channels"},
  };
  for (const auto& r : rows) {
    auto cmd = parse_client_command(r.in);
    ASSERT_FALSE(cmd) << r.in;
    EXPECT_EQ(cmd.err().code, r.code) << r.in;
    EXPECT_EQ(cmd.err().context.rfind(r.context_prefix, 0), 0u)
      << r.in << " -> " << cmd.err().context;
  }
}

TEST(WsProtocol, ParseCommandLimitsAreInclusive) {
  auto at_max = parse_client_command(many_channels(256));
  ASSERT_TRUE(at_max);
  EXPECT_EQ(at_max->channels.size(), 256u);
  auto longest = parse_client_command(
    R"({"op":"subscribe","channels":[")" + std::string(128, 'A') + R"("]})");
  ASSERT_TRUE(longest);
  EXPECT_EQ(longest->channels.at(0).size(), 128u);
}

TEST(WsProtocol, ParseCommandSurvivesDeepNesting) {
  std::string deep(60000, '[');
  auto cmd = parse_client_command(deep);
  ASSERT_FALSE(cmd);
  EXPECT_EQ(cmd.err().code, errc::malformed);
}

TEST(WsProtocol, UnknownOpContextIsBounded) {
  auto cmd = parse_client_command(R"({"op":")" + std::string(1000, 'z')
                                  + R"("})");
  ASSERT_FALSE(cmd);
  EXPECT_LT(cmd.err().context.size(), 100u);
}

TEST(WsProtocol, ParseCommandDoesNotNeedNulTermination) {
  std::string buf = R"({"op":"ping"}garbage)";
  auto cmd = parse_client_command(std::string_view{buf}.substr(0, 13));
  ASSERT_TRUE(cmd) << cmd.err().message();
  EXPECT_EQ(cmd->op, op_kind::ping);
}

// -- server messages --------------------------------------------------------------

TEST(WsProtocol, EventMessages) {
  trade t;
  t.instrument = "BTC-USDT";
  t.price = decimal::from_parts(1, 0);
  auto tm = event_message(t);
  EXPECT_EQ(tm.rfind(R"({"type":"trade","channel":"trades:BTC-USDT","data":{)",
                     0),
            0u)
    << tm;
  auto doc = parse(tm);
  ASSERT_FALSE(doc.HasParseError()) << tm;
  EXPECT_EQ(doc.MemberCount(), 3u);
  EXPECT_STREQ(doc["data"]["instrument"].GetString(), "BTC-USDT");
  EXPECT_STREQ(doc["data"]["price"].GetString(), "1");

  quote q;
  q.instrument = "AAPL";
  auto qdoc = parse(event_message(q));
  ASSERT_FALSE(qdoc.HasParseError());
  EXPECT_STREQ(qdoc["type"].GetString(), "quote");
  EXPECT_STREQ(qdoc["channel"].GetString(), "quotes:AAPL");
  EXPECT_TRUE(qdoc["data"].IsObject());

  bar b;
  b.instrument = "ETH-USDT";
  b.span = interval::h4;
  auto bdoc = parse(event_message(b));
  ASSERT_FALSE(bdoc.HasParseError());
  EXPECT_STREQ(bdoc["type"].GetString(), "bar");
  EXPECT_STREQ(bdoc["channel"].GetString(), "bars:4h:ETH-USDT");
  EXPECT_STREQ(bdoc["data"]["interval"].GetString(), "4h");
}

TEST(WsProtocol, ControlMessages) {
  EXPECT_EQ(subscribed_message({"trades:BTC-USDT", "bars:1m:BTC-USDT"}),
            R"({"type":"subscribed","channels":["trades:BTC-USDT","bars:1m:BTC-USDT"]})");
  EXPECT_EQ(subscribed_message({}), R"({"type":"subscribed","channels":[]})");
  EXPECT_EQ(unsubscribed_message({"quotes:AAPL"}),
            R"({"type":"unsubscribed","channels":["quotes:AAPL"]})");
  EXPECT_EQ(pong_message(), R"({"type":"pong"})");
  EXPECT_EQ(gap_message("trades:BTC-USDT", "trimmed \"x\""),
            R"({"type":"gap","channel":"trades:BTC-USDT","reason":"trimmed \"x\""})");
  EXPECT_EQ(error_message("unknown_channel", "no such channel", "trades:X"),
            R"({"type":"error","code":"unknown_channel","message":"no such channel","channel":"trades:X"})");
  EXPECT_EQ(error_message("malformed", "bad JSON"),
            R"({"type":"error","code":"malformed","message":"bad JSON"})");
}

TEST(WsProtocol, ControlMessagesEscape) {
  auto msg = error_message("bad", "quote \" and \\ and \n", "x\"y");
  auto doc = parse(msg);
  ASSERT_FALSE(doc.HasParseError()) << msg;
  EXPECT_STREQ(doc["message"].GetString(), "quote \" and \\ and \n");
  EXPECT_STREQ(doc["channel"].GetString(), "x\"y");
  auto sub = parse(subscribed_message({"a\"b"}));
  ASSERT_FALSE(sub.HasParseError());
  EXPECT_STREQ(sub["channels"][0].GetString(), "a\"b");
}

// Issue 23: book channels; a last segment of digits is the depth.
TEST(WsProtocol, ParseBookChannels) {
  struct row {
    std::string in;
    channel_kind kind;
    size_t depth;
    std::string name;
  };
  const row rows[] = {
    {"book:BTC-USDT", channel_kind::book, 20, "book:BTC-USDT"},
    {"book:btcusdt:20", channel_kind::book, 20, "book:BTC-USDT"},
    {"book:BTC/USDT:5", channel_kind::book, 5, "book:BTC-USDT:5"},
    {"book:BTC-USDT:1000", channel_kind::book, 1000, "book:BTC-USDT:1000"},
    {"book:BINANCE:BTCUSDT:3", channel_kind::book, 3, "book:BTC-USDT:3"},
    {"book_top:btcusdt", channel_kind::book_top, 20, "book_top:BTC-USDT"},
  };
  for (const auto& r : rows) {
    auto ch = parse_channel(r.in);
    ASSERT_TRUE(ch) << r.in << ": " << ch.err().message();
    EXPECT_EQ(ch->kind, r.kind) << r.in;
    EXPECT_EQ(ch->instrument, "BTC-USDT") << r.in;
    EXPECT_EQ(ch->depth, r.depth) << r.in;
    EXPECT_EQ(ch->name(), r.name) << r.in;
  }
  for (const char* bad : {"book:", "book:BTC-USDT:0", "book:BTC-USDT:1001",
                          "book:BTC-USDT:9999", "book:$", "book_top:"}) {
    auto ch = parse_channel(bad);
    EXPECT_FALSE(ch) << bad;
  }
}
