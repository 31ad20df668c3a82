#include "pipeline/book/book_sync.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace tickflow::book {
namespace {

decimal d(const char* text) { return *decimal::parse(text); }

book_snapshot snap(uint64_t id) {
  book_snapshot s;
  s.last_update_id = id;
  s.bids = {{d("100"), d("1")}};
  s.asks = {{d("101"), d("1")}};
  return s;
}

// A diff covering first..last (prev = the previous diff's last id) that
// sets the bid at 99 to `size`.
book_delta diff(uint64_t first, uint64_t last, uint64_t prev = 0,
                const char* size = "1") {
  book_delta x;
  x.first_update_id = first;
  x.last_update_id = last;
  x.prev_last_update_id = prev;
  x.ts_event_ns = static_cast<int64_t>(last) * 1000;
  x.bids = {{d("99"), d(size)}};
  return x;
}

sync_settings rule(continuity_rule r) {
  sync_settings s;
  s.rule = r;
  return s;
}

struct outcome_row {
  uint32_t applied, stale, buffered;
  resync_reason resync;
};

void expect_outcome(const sync_outcome& o, const outcome_row& want) {
  EXPECT_EQ(o.applied, want.applied);
  EXPECT_EQ(o.stale, want.stale);
  EXPECT_EQ(o.buffered, want.buffered);
  EXPECT_EQ(o.resync, want.resync) << to_string(o.resync);
}

struct step {
  bool is_snapshot;
  uint64_t first, last, prev; // a snapshot uses `last` as its id
  outcome_row want;
  bool synced_after;
};

struct sync_case {
  const char* name;
  continuity_rule rule;
  std::vector<step> steps;
};

TEST(BookSync, Table) {
  using R = resync_reason;
  const auto spot = continuity_rule::consecutive_ids;
  const auto fut = continuity_rule::previous_id;
  const sync_case cases[] = {
    {"diffs wait for the snapshot, stale ones dropped",
     spot,
     {{false, 5, 8, 0, {0, 0, 1, R::none}, false},
      {false, 9, 10, 0, {0, 0, 1, R::none}, false},
      {false, 11, 12, 0, {0, 0, 1, R::none}, false},
      {true, 0, 9, 0, {2, 1, 0, R::none}, true},
      {false, 13, 13, 0, {1, 0, 0, R::none}, true}}},
    {"spot: first diff must cover id+1",
     spot,
     {{true, 0, 10, 0, {0, 0, 0, R::none}, true},
      {false, 12, 13, 0, {0, 0, 1, R::snapshot_behind}, false}}},
    {"spot: diff ending at the snapshot id is stale",
     spot,
     {{true, 0, 10, 0, {0, 0, 0, R::none}, true},
      {false, 9, 10, 0, {0, 1, 0, R::none}, true},
      {false, 11, 11, 0, {1, 0, 0, R::none}, true}}},
    {"spot: gap after the first",
     spot,
     {{true, 0, 10, 0, {0, 0, 0, R::none}, true},
      {false, 10, 12, 0, {1, 0, 0, R::none}, true},
      {false, 14, 15, 0, {0, 0, 1, R::gap}, false},
      // the gap diff was kept: a new snapshot at 13 resumes with it
      {true, 0, 13, 0, {1, 0, 0, R::none}, true},
      {false, 16, 16, 0, {1, 0, 0, R::none}, true}}},
    {"spot: a gap inside the buffer",
     spot,
     {{false, 11, 12, 0, {0, 0, 1, R::none}, false},
      {false, 14, 15, 0, {0, 0, 1, R::none}, false},
      {false, 16, 16, 0, {0, 0, 1, R::none}, false},
      {true, 0, 10, 0, {1, 0, 2, R::gap}, false}}},
    {"spot: snapshot older than the buffer",
     spot,
     {{false, 20, 21, 0, {0, 0, 1, R::none}, false},
      {true, 0, 10, 0, {0, 0, 1, R::snapshot_behind}, false},
      {true, 0, 19, 0, {1, 0, 0, R::none}, true}}},
    {"futures: the diff ending at the snapshot id straddles it",
     fut,
     {{false, 5, 8, 3, {0, 0, 1, R::none}, false},
      {false, 9, 10, 8, {0, 0, 1, R::none}, false},
      {false, 11, 12, 10, {0, 0, 1, R::none}, false},
      {true, 0, 10, 0, {2, 1, 0, R::none}, true},
      {false, 15, 17, 12, {1, 0, 0, R::none}, true}}},
    {"futures: pu chain broken",
     fut,
     {{true, 0, 10, 0, {0, 0, 0, R::none}, true},
      {false, 7, 12, 6, {1, 0, 0, R::none}, true},
      {false, 14, 15, 13, {0, 0, 1, R::gap}, false}}},
    {"futures: first diff after the snapshot id",
     fut,
     {{true, 0, 10, 0, {0, 0, 0, R::none}, true},
      {false, 11, 12, 10, {0, 0, 1, R::snapshot_behind}, false}}},
    {"futures: a repeated diff is stale",
     fut,
     {{true, 0, 10, 0, {0, 0, 0, R::none}, true},
      {false, 7, 12, 6, {1, 0, 0, R::none}, true},
      {false, 7, 12, 6, {0, 1, 0, R::none}, true}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    book_sync s{rule(c.rule)};
    int i = 0;
    for (const auto& st : c.steps) {
      SCOPED_TRACE(i++);
      auto o = st.is_snapshot ? s.on_snapshot(snap(st.last))
                              : s.on_delta(diff(st.first, st.last, st.prev));
      expect_outcome(o, st.want);
      EXPECT_EQ(s.synced(), st.synced_after);
    }
  }
}

TEST(BookSync, AppliesLevelsAndKeepsIdAndTime) {
  book_sync s;
  s.on_snapshot(snap(10));
  auto o = s.on_delta(diff(11, 12, 0, "4"));
  EXPECT_FALSE(o.resync_needed());
  EXPECT_EQ(s.book().depth(side::bid), 2u);
  EXPECT_EQ(s.book().at(side::bid, 1).size, d("4"));
  EXPECT_EQ(s.book().last_update_id(), 12u);
  EXPECT_EQ(s.book().ts_event_ns(), 12'000);
  s.on_delta(diff(13, 13, 0, "0"));
  EXPECT_EQ(s.book().depth(side::bid), 1u);
  EXPECT_EQ(s.stats().applied, 2u);
  EXPECT_EQ(s.stats().snapshots, 1u);
}

TEST(BookSync, CrossedBookAsksForResync) {
  book_sync s;
  s.on_snapshot(snap(10));
  book_delta x = diff(11, 11);
  x.bids = {{d("101"), d("1")}}; // bid at the best ask: locked
  auto o = s.on_delta(x);
  EXPECT_EQ(o.applied, 1u);
  EXPECT_EQ(o.resync, resync_reason::crossed);
  EXPECT_FALSE(s.synced());
  EXPECT_EQ(s.book().depth(side::bid), 0u); // invalid book is emptied
  EXPECT_EQ(s.buffered(), 0u);
  EXPECT_EQ(s.stats().resyncs, 1u);
}

TEST(BookSync, CrossedSnapshotAsksForResync) {
  book_sync s;
  s.on_delta(diff(11, 11));
  auto bad = snap(10);
  bad.bids = {{d("101.5"), d("1")}};
  auto o = s.on_snapshot(bad);
  EXPECT_EQ(o.resync, resync_reason::crossed);
  EXPECT_EQ(o.applied, 0u);
  EXPECT_EQ(o.buffered, 1u); // the diff waits for the next snapshot
  EXPECT_FALSE(s.synced());
  EXPECT_EQ(s.on_snapshot(snap(10)).applied, 1u);
  EXPECT_TRUE(s.synced());
}

TEST(BookSync, BufferIsBounded) {
  sync_settings st;
  st.max_buffered = 3;
  book_sync s{st};
  for (uint64_t i = 1; i <= 3; ++i)
    EXPECT_FALSE(s.on_delta(diff(i, i)).resync_needed());
  auto o = s.on_delta(diff(4, 4));
  EXPECT_EQ(o.resync, resync_reason::buffer_overflow);
  EXPECT_EQ(o.buffered, 1u);
  EXPECT_EQ(s.buffered(), 1u); // only the newest is kept
  EXPECT_EQ(s.stats().overflowed, 3u);
  // A snapshot the kept diff continues syncs.
  auto r = s.on_snapshot(snap(3));
  EXPECT_EQ(r.applied, 1u);
  EXPECT_TRUE(s.synced());
}

TEST(BookSync, ResetWaitsForASnapshot) {
  book_sync s;
  s.on_snapshot(snap(10));
  s.reset();
  EXPECT_FALSE(s.synced());
  EXPECT_EQ(s.on_delta(diff(11, 11)).buffered, 1u);
}

TEST(BookSync, ReasonNames) {
  EXPECT_EQ(to_string(resync_reason::gap), "gap");
  EXPECT_EQ(to_string(resync_reason::snapshot_behind), "snapshot_behind");
  EXPECT_EQ(to_string(resync_reason::checksum_mismatch), "checksum_mismatch");
}

} // namespace
} // namespace tickflow::book
