// The tour of bad input, WebSocket side: frames over the size limit, binary,
// fragmented (joined correctly, with control frames between the pieces),
// protocol violations, text that is not JSON or has the wrong shape, unknown
// ops, a flood of subscribes past the per-client limit and injection-like
// channel names. Each gets the error message or close code documented in
// docs/WEBSOCKET.md ("Bad input"), and the service lives on.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "api/event_json.hpp"
#include "tests/hardening/raw_frames.hpp"

using namespace tickflow::test;
using namespace tickflow::test::tour;

namespace {

class BadFrames : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(svc_.alive()) << svc_.tail_of_log(); }
  void TearDown() override { svc_.expect_healthy(); }

  /// A client past the hello.
  std::unique_ptr<frame_client> client() {
    auto c = std::make_unique<frame_client>();
    if (!c->connect(svc_.ws_port()))
      return nullptr;
    auto hello = c->next_text();
    if (!hello || str_of(parse_json(*hello), "type") != "hello")
      return nullptr;
    return c;
  }

  tour_service svc_;
};

/// The next text message parsed, and checked for secrets.
rapidjson::Document next_json(frame_client& c) {
  auto m = c.next_text();
  rapidjson::Document d;
  if (!m) {
    d.SetNull();
    return d;
  }
  EXPECT_EQ(secret_in(*m), "");
  d.Parse(m->c_str(), m->size());
  return d;
}

/// An {"type":"error"} message with `code`.
::testing::AssertionResult is_ws_error(const rapidjson::Document& d, const std::string& code) {
  if (!d.IsObject() || str_of(d, "type") != "error" || str_of(d, "code") != code
      || str_of(d, "message").empty())
    return ::testing::AssertionFailure() << "expected error " << code;
  return ::testing::AssertionSuccess();
}

/// The next message of `type`, skipping snapshots and live events of the
/// channels held (null after a quiet spell).
rapidjson::Document next_of(frame_client& c, const std::string& type) {
  for (int i = 0; i < 10000; ++i) {
    auto d = next_json(c);
    if (!d.IsObject() || str_of(d, "type") == type)
      return d;
  }
  return rapidjson::Document{};
}

/// The connection still works: a ping is answered with a pong.
::testing::AssertionResult still_open(frame_client& c) {
  if (!c.text(R"({"op":"ping"})"))
    return ::testing::AssertionFailure() << "cannot send";
  auto d = next_of(c, "pong");
  if (str_of(d, "type") != "pong")
    return ::testing::AssertionFailure() << "no pong";
  return ::testing::AssertionSuccess();
}

} // namespace

TEST_F(BadFrames, FrameOverMaxMessageBytesCloses1009) {
  auto c = client();
  ASSERT_TRUE(c);
  c->text(R"({"op":"ping","pad":")" + std::string(5000, 'x') + "\"}");
  EXPECT_EQ(c->close_code(), 1009);
  // Announced as 2^40 bytes: refused from the header alone.
  auto d = client();
  ASSERT_TRUE(d);
  d->send_raw(std::string{"\x81\xff\x00\x00\x01\x00\x00\x00\x00\x00\x01\x02\x03\x04", 14});
  EXPECT_EQ(d->close_code(), 1009);
}

TEST_F(BadFrames, FragmentsOverMaxMessageBytesTogetherClose1009) {
  auto c = client();
  ASSERT_TRUE(c);
  c->send(R"({"op":"ping","pad":")" + std::string(2000, 'x'), {1, false});
  c->send(std::string(2000, 'x'), {0, false});
  c->send(std::string(2000, 'x') + "\"}", {0, true});
  EXPECT_EQ(c->close_code(), 1009);
}

TEST_F(BadFrames, BinaryFrameCloses1003) {
  auto c = client();
  ASSERT_TRUE(c);
  c->send(R"({"op":"ping"})", {2});
  EXPECT_EQ(c->close_code(), 1003);
}

TEST_F(BadFrames, FragmentedJsonIsJoinedWithControlFramesBetween) {
  auto c = client();
  ASSERT_TRUE(c);
  c->send(R"({"op":"sub)", {1, false});
  c->send("are you there", {9}); // a ping between the pieces
  c->send(R"(scribe","channels":["status:*")", {0, false});
  c->send("", {10}); // an unsolicited pong, allowed anywhere
  c->send("]}", {0, true});
  // The ping is answered with its payload, then the joined command.
  bool ponged = false;
  std::optional<std::string> subscribed;
  for (int i = 0; i < 10 && !subscribed; ++i) {
    auto f = c->read();
    ASSERT_TRUE(f);
    if (f->opcode == 10 && f->payload == "are you there")
      ponged = true;
    if (f->opcode == 1 && str_of(parse_json(f->payload), "type") == "subscribed")
      subscribed = f->payload;
  }
  EXPECT_TRUE(ponged);
  ASSERT_TRUE(subscribed);
  EXPECT_NE(subscribed->find("status:*"), std::string::npos);
  EXPECT_TRUE(still_open(*c));
}

TEST_F(BadFrames, ProtocolViolationsClose1002) {
  struct violation {
    const char* what;
    std::vector<std::pair<std::string, frame_spec>> frames;
  };
  std::vector<violation> cases = {
    {"continuation with nothing to continue", {{"{}", {0, true}}}},
    {"a new message inside a fragmented one", {{"{", {1, false}}, {"{}", {1, true}}}},
    {"unmasked client frame", {{R"({"op":"ping"})", {1, true, false}}}},
    {"reserved bits", {{R"({"op":"ping"})", {1, true, true, 4}}}},
    {"reserved data opcode", {{"x", {3}}}},
    {"reserved control opcode", {{"x", {11}}}},
    {"fragmented ping", {{"x", {9, false}}}},
    {"ping over 125 bytes", {{std::string(126, 'p'), {9}}}},
    {"close with a reserved code", {{std::string{"\x03\xe7", 2}, {8}}}},
  };
  for (auto& v : cases) {
    auto c = client();
    ASSERT_TRUE(c) << v.what;
    for (auto& [payload, spec] : v.frames)
      c->send(payload, spec);
    EXPECT_EQ(c->close_code(), 1002) << v.what;
  }
}

TEST_F(BadFrames, InvalidUtf8TextCloses1007) {
  auto c = client();
  ASSERT_TRUE(c);
  c->text("{\"op\":\"ping\",\"x\":\"\xff\xfe\xc3\"}");
  EXPECT_EQ(c->close_code(), 1007);
}

TEST_F(BadFrames, NotJsonIsMalformedAndTheConnectionStays) {
  auto c = client();
  ASSERT_TRUE(c);
  for (std::string text :
       {std::string{"hello"}, std::string{}, std::string{"{"}, std::string{"{'op':'ping'}"},
        std::string{"{\"op\":\"ping\"} trailing"}, std::string(4000, '['),
        std::string(4000, '{'), std::string{"\"\\ud800\""}, std::string{"NaN"},
        std::string{"{\"op\":\"ping\"}\n{\"op\":\"ping\"}"}}) {
    ASSERT_TRUE(c->text(text));
    EXPECT_TRUE(is_ws_error(next_json(*c), "malformed")) << text.substr(0, 40);
  }
  EXPECT_TRUE(still_open(*c));
}

TEST_F(BadFrames, WrongShapeIsMalformed) {
  auto c = client();
  ASSERT_TRUE(c);
  std::string too_many = R"({"op":"subscribe","channels":[)";
  for (int i = 0; i < 257; ++i)
    too_many += std::string{i ? "," : ""} + "\"status:*\"";
  too_many += "]}";
  for (std::string text :
       {std::string{"[]"}, std::string{"42"}, std::string{"null"}, std::string{"\"ping\""},
        std::string{"{}"}, std::string{R"({"op":5})"}, std::string{R"({"op":null})"},
        std::string{R"({"op":["subscribe"]})"}, std::string{R"({"op":"subscribe"})"},
        std::string{R"({"op":"subscribe","channels":"trades:BTC-USDT"})"},
        std::string{R"({"op":"subscribe","channels":[1,2]})"},
        std::string{R"({"op":"subscribe","channels":[]})"},
        std::string{R"({"op":"subscribe","channels":[{"$gt":""}]})"},
        std::string{R"({"op":"unsubscribe","channels":null})"},
        std::string{R"({"op":"subscribe","channels":[")"} + std::string(129, 'a') + "\"]}",
        too_many}) {
    ASSERT_TRUE(c->text(text));
    EXPECT_TRUE(is_ws_error(next_json(*c), "malformed")) << text.substr(0, 60);
  }
  EXPECT_TRUE(still_open(*c));
}

TEST_F(BadFrames, UnknownOpIsUnknownOp) {
  auto c = client();
  ASSERT_TRUE(c);
  for (auto op : {"SUBSCRIBE", "Ping", "drop", "", "subscribe ", "__proto__",
                  "'; DROP TABLE x; --"}) {
    ASSERT_TRUE(c->text(std::string{R"({"op":")"} + op + R"(","channels":["status:*"]})"));
    EXPECT_TRUE(is_ws_error(next_json(*c), "unknown_op")) << op;
  }
  EXPECT_TRUE(still_open(*c));
}

TEST_F(BadFrames, SubscribeFloodStopsAtThePerClientLimit) {
  // max-channels-per-client is 8 here: 20 valid channels in one command
  // give 8 subscriptions and 12 too_many_channels errors.
  auto c = client();
  ASSERT_TRUE(c);
  std::vector<std::string> channels = {"status:*", "status:simulator", "status:polygon",
                                       "status:binance", "trades:BTC-USDT", "quotes:BTC-USDT",
                                       "trades:ETH-USDT", "quotes:ETH-USDT"};
  for (auto iv : {"1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h"})
    channels.push_back(std::string{"bars:"} + iv + ":BTC-USDT");
  std::string cmd = R"({"op":"subscribe","channels":[)";
  for (size_t i = 0; i < channels.size(); ++i)
    cmd += (i ? ",\"" : "\"") + channels[i] + "\"";
  cmd += "]}";
  ASSERT_TRUE(c->text(cmd));
  size_t refused = 0;
  std::optional<size_t> held;
  for (int i = 0; i < 100 && !held; ++i) {
    auto d = next_json(*c);
    ASSERT_TRUE(d.IsObject());
    auto type = str_of(d, "type");
    if (type == "error") {
      EXPECT_TRUE(is_ws_error(d, "too_many_channels"));
      EXPECT_FALSE(str_of(d, "channel").empty());
      ++refused;
    } else if (type == "subscribed") {
      held = d["channels"].Size();
    }
  }
  ASSERT_TRUE(held);
  EXPECT_EQ(*held, 8u);
  EXPECT_EQ(refused, 12u);
  // Still full: another one is refused; unsubscribing frees room.
  ASSERT_TRUE(c->text(R"({"op":"subscribe","channels":["bars:1d:BTC-USDT"]})"));
  EXPECT_TRUE(is_ws_error(next_of(*c, "error"), "too_many_channels"));
  // The same flood many times over, on many connections: nothing breaks.
  std::vector<std::unique_ptr<frame_client>> many;
  for (int k = 0; k < 20; ++k) {
    many.push_back(client());
    ASSERT_TRUE(many.back());
    for (int n = 0; n < 20; ++n)
      many.back()->text(cmd);
  }
  EXPECT_TRUE(still_open(*c));
}

TEST_F(BadFrames, BadChannelNamesAreRefusedOneByOne) {
  auto c = client();
  ASSERT_TRUE(c);
  std::vector<std::string> invalid = {
    "trades:' OR 1=1 --", "trades:BTC'; DROP TABLE bars; --", "trades:$(rm -rf /)",
    "trades:<script>alert(1)</script>", "trades:../../etc/passwd", "trades:BTC%00",
    "trades:" + std::string(40, 'A'), "trades:\xc3\x9c" "BER",
    "trades:BTC-USDT\r\nX: y", std::string{"trades:BTC\0X", 12}, "bars:7x:BTC-USDT",
    "bars:1m", "status:nope", "status:../*", "nuke:BTC-USDT", "trades", "", ":", "trades:",
  };
  for (auto& ch : invalid) {
    std::string escaped;
    tickflow::api::append_json_string(escaped, ch);
    ASSERT_TRUE(c->text(R"({"op":"subscribe","channels":[)" + escaped + "]}"));
    auto d = next_json(*c);
    EXPECT_TRUE(is_ws_error(d, "invalid_channel")) << ch;
    EXPECT_EQ(str_of(d, "channel"), ch) << "the channel is named as the client wrote it";
  }
  // Well-formed but unknown.
  ASSERT_TRUE(c->text(R"({"op":"subscribe","channels":["trades:NOPE-USD","bars:1m:A/../B"]})"));
  EXPECT_TRUE(is_ws_error(next_json(*c), "unknown_channel"));
  EXPECT_TRUE(is_ws_error(next_json(*c), "unknown_channel"));
  // Unsubscribing from garbage is refused the same way.
  ASSERT_TRUE(c->text(R"({"op":"unsubscribe","channels":["trades:<x>"]})"));
  EXPECT_TRUE(is_ws_error(next_json(*c), "invalid_channel"));
  EXPECT_TRUE(still_open(*c));
}

TEST_F(BadFrames, HalfOpenHandshakesAreDropped) {
  // Upgrades that never finish their request head: closed by the server's
  // handshake timeout, while a real client still connects.
  std::vector<raw_tcp> half(20);
  for (auto& h : half) {
    ASSERT_TRUE(h.connect(svc_.ws_port()));
    ASSERT_TRUE(h.send("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"));
  }
  auto c = client();
  ASSERT_TRUE(c);
  EXPECT_TRUE(still_open(*c));
  for (auto& h : half)
    EXPECT_TRUE(h.wait_closed(std::chrono::seconds{30}));
}
