// End to end, issue 23: on the embedded default (the simulator only), the
// simulator's BTC-USDT book is served over REST and over the book channels,
// and a WebSocket client that applies the deltas to its snapshot holds the
// book REST serves at the same update id.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/http_client.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/ws_client.hpp"

using namespace tickflow::test;
using namespace std::chrono_literals;

namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  return d;
}

std::string str(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject() || !v.HasMember(key) || !v[key].IsString())
    return {};
  return v[key].GetString();
}

/// One side of a book as a client holds it: price text -> size text. The
/// simulator's prices share one scale, so their text sorts as numbers
/// within a side once the lengths are equal; the comparison is by content.
using side_levels = std::map<std::string, std::string>;

struct held_book {
  uint64_t update_id = 0;
  side_levels bids;
  side_levels asks;
};

side_levels levels_of(const rapidjson::Value& xs) {
  side_levels out;
  for (auto& x : xs.GetArray())
    out[x[0].GetString()] = x[1].GetString();
  return out;
}

void apply_changes(side_levels& side, const rapidjson::Value& changes) {
  for (auto& x : changes.GetArray()) {
    std::string size = x[1].GetString();
    if (size == "0")
      side.erase(x[0].GetString());
    else
      side[x[0].GetString()] = size;
  }
}

class Book : public service_suite<Book> {};

} // namespace

TEST_F(Book, RestAnswersTheSimulatorsBook) {
  auto r = get_until_200(svc_->rest_port(), "/api/v1/data/book?symbol=BTC/USDT&depth=5");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u) << r->body;
  auto d = parse(r->body);
  ASSERT_TRUE(d.IsObject()) << r->body;
  EXPECT_EQ(str(d, "instrument"), "BTC-USDT");
  EXPECT_EQ(str(d, "requested"), "BTC/USDT");
  EXPECT_EQ(str(d, "provider"), "simulator");
  EXPECT_EQ(d["depth"].GetInt(), 5);
  EXPECT_EQ(d["bids"].Size(), 5u) << r->body;
  EXPECT_EQ(d["asks"].Size(), 5u) << r->body;
  EXPECT_FALSE(d["crossed"].GetBool());
  EXPECT_GT(d["update_id"].GetUint64(), 0u);
  EXPECT_FALSE(str(d, "time").empty());
  EXPECT_LT(std::stod(d["bids"][0][0].GetString()), std::stod(d["asks"][0][0].GetString()));
  EXPECT_GT(std::stod(d["bids"][0][0].GetString()), std::stod(d["bids"][1][0].GetString()));

  http_client rest{svc_->rest_port()};
  auto unknown = rest.get("/api/v1/data/book?symbol=NOPE-USDT");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404u);
  EXPECT_NE(unknown->body.find("unknown_symbol"), std::string::npos) << unknown->body;
  auto bad = rest.get("/api/v1/data/book?symbol=BTC-USDT&limit=5");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400u);
  EXPECT_NE(bad->body.find("\"field\":\"limit\""), std::string::npos) << bad->body;
  auto deep = rest.get("/api/v1/data/book?symbol=BTC-USDT&depth=1001");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->status, 400u);
}

TEST_F(Book, DeltasOnTheSnapshotReproduceRestAtTheSameUpdateId) {
  ASSERT_TRUE(get_until_200(svc_->rest_port(), "/api/v1/data/book?symbol=BTC-USDT"));
  ws_client ws;
  ASSERT_TRUE(ws.connect(svc_->ws_url()));
  ASSERT_TRUE(ws.send(R"({"op":"subscribe","channels":["book:BTC-USDT"]})"));
  held_book held;
  std::map<uint64_t, held_book> by_id; // the client's states, by update id
  uint64_t seq = 0;
  size_t snapshots = 0;
  size_t deltas = 0;
  // Reads messages until the client reached update id `until`.
  auto read_until = [&](uint64_t until) {
    for (int i = 0; i < 2000 && held.update_id < until; ++i) {
      auto m = ws.receive(3000ms);
      if (!m)
        return;
      auto d = parse(*m);
      auto type = str(d, "type");
      if (type == "snapshot") {
        auto& b = d["book"];
        held.update_id = b["update_id"].GetUint64();
        held.bids = levels_of(b["bids"]);
        held.asks = levels_of(b["asks"]);
        ++snapshots;
      } else if (type == "book") {
        EXPECT_EQ(d["seq"].GetUint64(), seq + 1) << *m;
        EXPECT_GT(d["update_id"].GetUint64(), held.update_id) << *m;
        held.update_id = d["update_id"].GetUint64();
        apply_changes(held.bids, d["bids"]);
        apply_changes(held.asks, d["asks"]);
        EXPECT_FALSE(d["crossed"].GetBool()) << *m;
        ++deltas;
      } else {
        continue;
      }
      seq = d["seq"].GetUint64();
      EXPECT_LE(held.bids.size(), 20u);
      EXPECT_LE(held.asks.size(), 20u);
      by_id[held.update_id] = held;
    }
  };
  read_until(1);
  ASSERT_EQ(snapshots, 1u);
  http_client rest{svc_->rest_port()};
  size_t compared = 0;
  for (int round = 0; round < 10; ++round) {
    read_until(held.update_id + 3); // let the book move between rounds
    auto r = rest.get("/api/v1/data/book?symbol=BTC-USDT");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200u) << r->body;
    auto d = parse(r->body);
    auto id = d["update_id"].GetUint64();
    read_until(id);
    ASSERT_GE(held.update_id, id) << "the client never reached update " << id;
    // The client's state at the newest id not after REST's: the updates in
    // between (if any) changed nothing in the top 20.
    auto at = by_id.upper_bound(id);
    ASSERT_NE(at, by_id.begin()) << "REST is older than the client's snapshot";
    --at;
    EXPECT_EQ(at->second.bids, levels_of(d["bids"])) << "update " << id;
    EXPECT_EQ(at->second.asks, levels_of(d["asks"])) << "update " << id;
    ++compared;
  }
  EXPECT_EQ(compared, 10u);
  EXPECT_GT(deltas, 10u);
}

TEST_F(Book, BookTopSendsTheBestBidAndAsk) {
  ASSERT_TRUE(get_until_200(svc_->rest_port(), "/api/v1/data/book?symbol=BTC-USDT"));
  ws_client ws;
  ASSERT_TRUE(ws.connect(svc_->ws_url()));
  ASSERT_TRUE(ws.send(R"({"op":"subscribe","channels":["book_top:btcusdt","book:BTC-USDT:0"]})"));
  bool snapshot = false;
  bool change = false;
  bool refused = false;
  for (int i = 0; i < 500 && !(snapshot && change && refused); ++i) {
    auto m = ws.receive(3000ms);
    ASSERT_TRUE(m);
    auto d = parse(*m);
    auto type = str(d, "type");
    if (type == "error")
      refused = str(d, "channel") == "book:BTC-USDT:0";
    if (type != "snapshot" && type != "book_top")
      continue;
    EXPECT_EQ(str(d, "channel"), "book_top:BTC-USDT") << *m;
    ASSERT_TRUE(d["bid"].IsArray()) << *m;
    ASSERT_TRUE(d["ask"].IsArray()) << *m;
    EXPECT_LT(std::stod(d["bid"][0].GetString()), std::stod(d["ask"][0].GetString()));
    (type == "snapshot" ? snapshot : change) = true;
  }
  EXPECT_TRUE(snapshot);
  EXPECT_TRUE(change);
  EXPECT_TRUE(refused);
}
