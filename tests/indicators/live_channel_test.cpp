// The WebSocket channels ind:<name>:<interval>:<instrument> through the real
// binary: the simulator closes a 1s bar of BTC-USDT every second; a client
// that also holds bars:1s:BTC-USDT checks that every indicator update equals
// the indicator of the bars it saw (SMA3 = the mean of the last three
// closes), that the channel starts from the cache's stored bars (a value in
// the snapshot at once), and that bad channel names are refused.

#include <chrono>
#include <iterator>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "tests/indicators/indicator_service.hpp"
#include "tests/indicators/indicator_support.hpp"
#include "tests/support/ws_client.hpp"

using namespace tickflow;
using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

/// Closes of the closed 1s bars seen, by open time.
using closes = std::map<int64_t, double>;

void note_bar(closes& seen, const rapidjson::Value& b) {
  if (b.IsObject() && b.HasMember("closed") && b["closed"].IsBool() && b["closed"].GetBool())
    seen[b["open_time"].GetInt64()] = std::stod(str_of(b, "close"));
}

/// The mean of the last three closes up to and including `t`; nullopt when
/// fewer than three bars up to `t` were seen.
std::optional<double> sma3_at(const closes& seen, int64_t t) {
  auto it = seen.find(t);
  if (it == seen.end() || std::distance(seen.begin(), it) < 2)
    return std::nullopt;
  double c3 = it->second;
  double c2 = (--it)->second;
  double c1 = (--it)->second;
  return (c1 + c2 + c3) / 3;
}

/// Reads messages, noting bars, until `done(d)` says so; false when quiet
/// for 3 s or after `max` messages.
template <class Done>
bool read_until(ws_client& ws, closes& seen, Done done, int max = 5000) {
  for (int i = 0; i < max; ++i) {
    auto m = ws.receive(3000ms);
    if (!m)
      return false;
    auto d = parse_exact(*m);
    auto type = str_of(d, "type");
    if (type == "bar")
      note_bar(seen, d["data"]);
    if (type == "snapshot" && str_of(d, "channel") == "bars:1s:BTC-USDT")
      for (auto& b : d["bars"].GetArray())
        note_bar(seen, b);
    if (done(d))
      return true;
  }
  return false;
}

} // namespace

TEST(LiveIndicatorChannel, UpdatesEqualTheIndicatorOfTheClosedBars) {
  indicator_service service{""};
  ASSERT_TRUE(service.ready()) << service.output();
  ws_client ws;
  ASSERT_TRUE(ws.connect(service.ws_url()));
  closes seen;
  ASSERT_TRUE(ws.send(R"({"op":"subscribe","channels":["bars:1s:BTC-USDT"]})"));
  // Wait until the cache holds a few closed bars, so the channel can start
  // from them.
  ASSERT_TRUE(read_until(ws, seen, [&](const rapidjson::Value&) { return seen.size() >= 4; }));

  ASSERT_TRUE(ws.send(
    R"({"op":"subscribe","channels":["ind:sma3:1s:BTC-USDT","ind:bollinger3:1s:BTC-USDT"]})"));
  bool subscribed = false;
  std::optional<rapidjson::Document> sma_snapshot, bb_snapshot;
  size_t sma_updates = 0, bb_updates = 0, checked = 0;
  ASSERT_TRUE(read_until(ws, seen, [&](const rapidjson::Value& d) {
    auto type = str_of(d, "type");
    auto channel = str_of(d, "channel");
    if (type == "subscribed") {
      // Canonical names: bollinger3 is bb3.
      EXPECT_EQ(d["channels"].Size(), 2u);
      EXPECT_EQ(std::string{d["channels"][1].GetString()}, "ind:bb3:1s:BTC-USDT");
      subscribed = true;
    }
    if (type == "snapshot" && channel == "ind:sma3:1s:BTC-USDT") {
      EXPECT_EQ(sma_updates, 0u) << "the snapshot comes first";
      sma_snapshot.emplace();
      sma_snapshot->CopyFrom(d, sma_snapshot->GetAllocator());
    }
    if (type == "snapshot" && channel == "ind:bb3:1s:BTC-USDT") {
      EXPECT_EQ(bb_updates, 0u) << "the snapshot comes first";
      bb_snapshot.emplace();
      bb_snapshot->CopyFrom(d, bb_snapshot->GetAllocator());
    }
    if (type == "indicator" && channel == "ind:sma3:1s:BTC-USDT") {
      EXPECT_TRUE(sma_snapshot.has_value());
      ++sma_updates;
      auto t = d["data"]["ts"].GetInt64();
      auto expected = sma3_at(seen, t);
      EXPECT_TRUE(expected) << "an update for a bar not seen: " << t;
      if (expected) {
        EXPECT_TRUE(close_enough(d["data"]["value"].GetDouble(), *expected))
          << d["data"]["value"].GetDouble() << " vs " << *expected;
        ++checked;
      }
    }
    if (type == "indicator" && channel == "ind:bb3:1s:BTC-USDT") {
      // Bollinger bands around the same SMA3.
      ++bb_updates;
      auto& v = d["data"];
      auto middle = sma3_at(seen, v["ts"].GetInt64());
      EXPECT_TRUE(middle);
      if (middle) {
        EXPECT_TRUE(close_enough(v["middle"].GetDouble(), *middle));
      }
      EXPECT_GE(v["upper"].GetDouble(), v["middle"].GetDouble());
      EXPECT_LE(v["lower"].GetDouble(), v["middle"].GetDouble());
    }
    return subscribed && sma_updates >= 3 && bb_updates >= 3;
  })) << "sma updates " << sma_updates << ", bb updates " << bb_updates;
  EXPECT_GE(checked, 3u);

  // The snapshots: SMA3 started from the stored bars, so it has a value.
  ASSERT_TRUE(sma_snapshot);
  auto& s = *sma_snapshot;
  EXPECT_EQ(s["warmup"].GetUint(), 2u);
  EXPECT_GE(s["bars"].GetUint(), 3u);
  ASSERT_TRUE(s["data"].IsObject()) << "no value from the stored bars";
  auto expected = sma3_at(seen, s["data"]["ts"].GetInt64());
  ASSERT_TRUE(expected);
  EXPECT_TRUE(close_enough(s["data"]["value"].GetDouble(), *expected));
  ASSERT_TRUE(bb_snapshot);
  EXPECT_EQ((*bb_snapshot)["warmup"].GetUint(), 2u);
  EXPECT_TRUE((*bb_snapshot)["data"].IsObject());

  // Unsubscribed: no update of the channel after the answer.
  ASSERT_TRUE(ws.send(R"({"op":"unsubscribe","channels":["ind:sma3:1s:BTC-USDT"]})"));
  ASSERT_TRUE(read_until(ws, seen, [](const rapidjson::Value& d) {
    return str_of(d, "type") == "unsubscribed";
  }));
  size_t bars_after = seen.size();
  size_t late = 0;
  read_until(ws, seen, [&](const rapidjson::Value& d) {
    if (str_of(d, "type") == "indicator" && str_of(d, "channel") == "ind:sma3:1s:BTC-USDT")
      ++late;
    return seen.size() >= bars_after + 3;
  });
  EXPECT_GE(seen.size(), bars_after + 3);
  EXPECT_EQ(late, 0u);
}

TEST(LiveIndicatorChannel, BadChannelsAreRefused) {
  indicator_service service{"[indicators]\nmax-period = 50\n"};
  ASSERT_TRUE(service.ready()) << service.output();
  ws_client ws;
  ASSERT_TRUE(ws.connect(service.ws_url()));
  ASSERT_TRUE(ws.receive()); // hello
  ASSERT_TRUE(ws.send(
    R"({"op":"subscribe","channels":["ind:nope5:1s:BTC-USDT","ind:rsi51:1s:BTC-USDT",)"
    R"("ind:rsi14:1s:NOPE-USDT","ind:rsi14","ind:macd7:1s:BTC-USDT","ind:rsi50:1s:BTC-USDT"]})"));
  std::map<std::string, std::string> errors;
  std::vector<std::string> subscribed;
  for (int i = 0; i < 100 && subscribed.empty(); ++i) {
    auto m = ws.receive(3000ms);
    ASSERT_TRUE(m);
    auto d = parse_exact(*m);
    if (str_of(d, "type") == "error")
      errors[str_of(d, "channel")] = str_of(d, "code");
    if (str_of(d, "type") == "subscribed")
      for (auto& c : d["channels"].GetArray())
        subscribed.push_back(c.GetString());
  }
  EXPECT_EQ(errors["ind:nope5:1s:BTC-USDT"], "invalid_channel");
  EXPECT_EQ(errors["ind:rsi51:1s:BTC-USDT"], "invalid_channel"); // over max-period
  EXPECT_EQ(errors["ind:rsi14:1s:NOPE-USDT"], "unknown_channel");
  EXPECT_EQ(errors["ind:rsi14"], "invalid_channel");
  EXPECT_EQ(errors["ind:macd7:1s:BTC-USDT"], "invalid_channel");
  EXPECT_EQ(errors.size(), 5u);
  EXPECT_EQ(subscribed, std::vector<std::string>{"ind:rsi50:1s:BTC-USDT"});
}
