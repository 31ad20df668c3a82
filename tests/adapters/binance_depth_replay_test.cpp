// Replays the recorded Binance depth traffic (a REST snapshot and the diff
// frames received around it) through parse + book_sync + l2_book, and
// checks the book against an independent std::map model that reads the
// same frames with RapidJSON and applies the documented rules directly.

#include "adapters/binance/binance_depth.hpp"
#include "adapters/binance/binance_futures_depth.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "pipeline/book/book_sync.hpp"
#include "tests/support/fixture_server.hpp"

namespace tickflow::binance {
namespace {

using test::read_fixture;

struct decimal_less {
  bool operator()(decimal a, decimal b) const { return a < b; }
};
using side_map = std::map<decimal, decimal, decimal_less>;

// The model: both sides as maps, the rules applied by hand.
struct model_book {
  side_map bids, asks;
  uint64_t last_id = 0;

  static void set(side_map& m, const rapidjson::Value& rows) {
    for (const auto& row : rows.GetArray()) {
      auto price = *decimal::parse(row[0].GetString());
      auto qty = *decimal::parse(row[1].GetString());
      if (qty.is_zero())
        m.erase(price);
      else
        m[price] = qty;
    }
  }

  void snapshot(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    bids.clear();
    asks.clear();
    set(bids, doc["bids"]);
    set(asks, doc["asks"]);
    last_id = doc["lastUpdateId"].GetUint64();
  }

  // Applies a combined-stream frame unless stale; true when applied.
  bool frame(const std::string& text, bool futures) {
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    const auto& data = doc["data"];
    uint64_t u = data["u"].GetUint64();
    if (futures ? u < last_id : u <= last_id)
      return false;
    set(bids, data["b"]);
    set(asks, data["a"]);
    last_id = u;
    return true;
  }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    if (end > start)
      out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The book's side as a map, to compare with the model's.
side_map side_of(const book::l2_book& b, book::side s) {
  side_map out;
  for (const auto& l : b.top(s, b.depth(s)))
    out[l.price] = l.size;
  return out;
}

void expect_same(const book::l2_book& b, const model_book& m) {
  EXPECT_EQ(b.depth(book::side::bid), m.bids.size());
  EXPECT_EQ(b.depth(book::side::ask), m.asks.size());
  EXPECT_TRUE(side_of(b, book::side::bid) == m.bids);
  EXPECT_TRUE(side_of(b, book::side::ask) == m.asks);
  EXPECT_EQ(b.last_update_id(), m.last_id);
  // Served order: bids descending, asks ascending.
  auto bids = b.top(book::side::bid, b.depth(book::side::bid));
  for (size_t i = 1; i < bids.size(); ++i)
    EXPECT_GT(bids[i - 1].price, bids[i].price);
  auto asks = b.top(book::side::ask, b.depth(book::side::ask));
  for (size_t i = 1; i < asks.size(); ++i)
    EXPECT_LT(asks[i - 1].price, asks[i].price);
}

struct recording {
  const char* snapshot;
  const char* frames;
  bool futures;
  book::continuity_rule rule;
  size_t snapshot_bids, snapshot_asks, frame_count;
};

const recording spot = {
  "binance/rest/api_v3_depth_BADGERBTC_limit5000_2021-08-14.json",
  "binance/ws/combined_depthUpdate_BADGERBTC_2021-08-14.ndjson",
  false, book::continuity_rule::consecutive_ids, 440, 1301, 78};
const recording futures = {
  "binance/rest/fapi_v1_depth_KEEPUSDT_limit1000_2021-07-22.json",
  "binance/ws/combined_depthUpdate_KEEPUSDT_2021-07-22.ndjson",
  true, book::continuity_rule::previous_id, 400, 612, 135};

void PrintTo(const recording& r, std::ostream* os) { *os << r.frames; }

book::book_snapshot snapshot_of(const recording& r, const std::string& body) {
  auto s = r.futures ? parse_futures_depth_snapshot(body)
                     : parse_depth_snapshot(body);
  EXPECT_TRUE(s) << s.err().message();
  return s ? *s : book::book_snapshot{};
}

book::book_delta delta_of(const recording& r, const std::string& frame) {
  auto u = r.futures ? parse_futures_depth_update(frame)
                     : parse_depth_update(frame);
  EXPECT_TRUE(u) << u.err().message();
  return u ? u->delta : book::book_delta{};
}

book::sync_settings settings_of(const recording& r) {
  book::sync_settings s;
  s.rule = r.rule;
  s.max_depth = 5000; // the whole recorded book
  return s;
}

// Feeds `frames` (skipping index `skip`) with the snapshot after the first
// `before` frames, as a stream actor sees them when the REST reply comes
// in while the stream runs.
struct replay_result {
  book::sync_outcome at_snapshot;
  uint32_t stale = 0, applied = 0, buffered = 0;
  std::vector<book::resync_reason> resyncs;
};

replay_result replay(book::book_sync& s, const recording& r,
                     const std::vector<std::string>& frames,
                     const book::book_snapshot& snap, size_t before,
                     size_t skip = SIZE_MAX) {
  replay_result out;
  auto note = [&](const book::sync_outcome& o) {
    out.stale += o.stale;
    out.applied += o.applied;
    out.buffered += o.buffered;
    if (o.resync_needed())
      out.resyncs.push_back(o.resync);
  };
  for (size_t i = 0; i < frames.size(); ++i) {
    if (i == before) {
      out.at_snapshot = s.on_snapshot(snap);
      note(out.at_snapshot);
    }
    if (i != skip)
      note(s.on_delta(delta_of(r, frames[i])));
  }
  return out;
}

class DepthReplay : public ::testing::TestWithParam<recording> {};

TEST_P(DepthReplay, BookEqualsTheModelAndTheFirstThreeAreStale) {
  const auto& r = GetParam();
  auto body = read_fixture(r.snapshot);
  auto frames = lines_of(read_fixture(r.frames));
  ASSERT_EQ(frames.size(), r.frame_count);
  auto snap = snapshot_of(r, body);
  EXPECT_EQ(snap.bids.size(), r.snapshot_bids);
  EXPECT_EQ(snap.asks.size(), r.snapshot_asks);

  model_book m;
  m.snapshot(body);
  size_t model_skipped = 0;
  for (const auto& f : frames)
    model_skipped += m.frame(f, r.futures) ? 0 : 1;
  EXPECT_EQ(model_skipped, 3u);

  // The snapshot after 5 frames (3 stale, 2 applied from the buffer), and
  // the snapshot first (every frame judged as it comes).
  for (size_t before : {size_t{5}, size_t{0}}) {
    SCOPED_TRACE(before);
    book::book_sync s{settings_of(r)};
    auto got = replay(s, r, frames, snap, before);
    EXPECT_TRUE(got.resyncs.empty());
    EXPECT_EQ(got.stale, 3u);
    EXPECT_EQ(got.applied, frames.size() - 3);
    EXPECT_EQ(got.buffered, before);
    if (before == 5) {
      EXPECT_EQ(got.at_snapshot.stale, 3u);
      EXPECT_EQ(got.at_snapshot.applied, 2u);
    }
    ASSERT_TRUE(s.synced());
    expect_same(s.book(), m);
    EXPECT_EQ(s.book().truncated_levels(), 0u);
    EXPECT_FALSE(s.book().crossed());
  }
}

TEST_P(DepthReplay, ADroppedDiffIsAGapAndAResyncResumes) {
  const auto& r = GetParam();
  auto body = read_fixture(r.snapshot);
  auto frames = lines_of(read_fixture(r.frames));
  auto snap = snapshot_of(r, body);
  model_book m;
  m.snapshot(body);
  for (const auto& f : frames)
    m.frame(f, r.futures);

  const size_t dropped = 40;
  book::book_sync s{settings_of(r)};
  auto got = replay(s, r, frames, snap, 0, dropped);
  ASSERT_EQ(got.resyncs.size(), 1u);
  EXPECT_EQ(got.resyncs[0], book::resync_reason::gap);
  EXPECT_FALSE(s.synced());
  // Everything from the frame after the dropped one waits for a snapshot.
  EXPECT_EQ(s.buffered(), frames.size() - dropped - 1);

  // The same snapshot again is older than the buffer: fetch again.
  auto again = s.on_snapshot(snap);
  EXPECT_EQ(again.resync, book::resync_reason::snapshot_behind);

  // Resync with the snapshot and the stream from its start: the book
  // resumes and ends equal to the model.
  s.reset();
  auto resumed = replay(s, r, frames, snap, 0);
  EXPECT_TRUE(resumed.resyncs.empty());
  ASSERT_TRUE(s.synced());
  expect_same(s.book(), m);
}

TEST_P(DepthReplay, ANewerSnapshotDrainsTheBuffer) {
  // After the gap, a snapshot taken at a later frame (built from the model
  // at that point) syncs the buffered frames: older ones are stale, the
  // rest apply, and the book ends equal to the model.
  const auto& r = GetParam();
  auto body = read_fixture(r.snapshot);
  auto frames = lines_of(read_fixture(r.frames));
  auto snap = snapshot_of(r, body);
  const size_t dropped = 40, resync_at = 50;

  model_book m;
  m.snapshot(body);
  book::book_snapshot later;
  for (size_t i = 0; i < frames.size(); ++i) {
    m.frame(frames[i], r.futures);
    if (i == resync_at) {
      later.last_update_id = m.last_id;
      for (auto& [p, q] : m.bids)
        later.bids.push_back({p, q});
      for (auto& [p, q] : m.asks)
        later.asks.push_back({p, q});
    }
  }
  book::book_sync s{settings_of(r)};
  auto got = replay(s, r, frames, snap, 0, dropped);
  ASSERT_EQ(got.resyncs.size(), 1u);
  auto o = s.on_snapshot(later);
  EXPECT_FALSE(o.resync_needed()) << to_string(o.resync);
  // Futures re-apply the frame ending at the snapshot id (it straddles).
  const size_t straddling = r.futures ? 1 : 0;
  EXPECT_EQ(o.stale, resync_at - dropped - straddling);
  EXPECT_EQ(o.applied, frames.size() - resync_at - 1 + straddling);
  ASSERT_TRUE(s.synced());
  expect_same(s.book(), m);
}

INSTANTIATE_TEST_SUITE_P(Recorded, DepthReplay,
                         ::testing::Values(spot, futures),
                         [](const auto& info) {
                           return info.param.futures ? "Futures" : "Spot";
                         });

} // namespace
} // namespace tickflow::binance
