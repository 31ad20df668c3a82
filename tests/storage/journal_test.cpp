#include "adapters/journal/journal.hpp"

#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <utility>

#include "tests/support/process.hpp"

using namespace tickflow;
using namespace tickflow::journal;

namespace {

class Journal : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test::temp_dir() + "/journal"; }

  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_.substr(0, dir_.rfind('/')), ec);
  }

  journal_options options(uint64_t max_bytes = 1 << 20,
                          uint64_t segment_bytes = 1 << 16,
                          full_policy full = full_policy::reject_new) const {
    journal_options o;
    o.dir = dir_;
    o.max_bytes = max_bytes;
    o.segment_bytes = segment_bytes;
    o.sync = fsync_policy::never;
    o.when_full = full;
    return o;
  }

  disk_journal open(const journal_options& o) {
    auto j = disk_journal::open(o);
    EXPECT_TRUE(j.ok()) << (j.ok() ? "" : j.err().message());
    if (!j.ok())
      std::abort();
    return std::move(j).value();
  }

  // Segment file names, sorted.
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(dir_.c_str())) {
      while (auto* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name.size() > 4 && name.substr(name.size() - 4) == ".seg")
          out.push_back(name);
      }
      ::closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  static std::vector<std::pair<uint64_t, std::string>>
  replay_all(disk_journal& j) {
    std::vector<std::pair<uint64_t, std::string>> out;
    auto n = j.replay([&](uint64_t seq, std::string_view payload) {
      out.emplace_back(seq, std::string{payload});
      return true;
    });
    EXPECT_TRUE(n.ok());
    if (n.ok()) {
      EXPECT_EQ(*n, out.size());
    }
    return out;
  }

  using records = std::vector<std::pair<uint64_t, std::string>>;

  std::string dir_;
};

} // namespace

TEST(JournalCrc, KnownVectors) {
  EXPECT_EQ(crc32(""), 0u);
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
  EXPECT_EQ(crc32("56789", crc32("1234")), 0xCBF43926u); // continues
}

TEST_F(Journal, AppendReplayAck) {
  auto j = open(options());
  EXPECT_EQ(*j.append("one"), 1u);
  EXPECT_EQ(*j.append(std::string{"t\0o", 3}), 2u);
  EXPECT_EQ(*j.append(""), 3u);
  EXPECT_EQ(replay_all(j), (records{{1, "one"}, {2, std::string{"t\0o", 3}},
                                    {3, ""}}));
  EXPECT_EQ(j.stats().pending_records, 3u);
  ASSERT_TRUE(j.ack(2).ok());
  EXPECT_EQ(replay_all(j), (records{{3, ""}}));
  EXPECT_EQ(j.stats().pending_records, 1u);
  EXPECT_EQ(j.stats().acked_seq, 2u);
  ASSERT_TRUE(j.ack(1).ok()); // older: no-op
  EXPECT_EQ(j.stats().acked_seq, 2u);
  auto beyond = j.ack(4);
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.err().code, errc::invalid_argument);
  // Stop early.
  ASSERT_TRUE(j.append("four").ok());
  size_t seen = 0;
  auto n = j.replay([&](uint64_t, std::string_view) { return ++seen < 1; });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);
  ASSERT_TRUE(j.ack(4).ok());
  EXPECT_TRUE(replay_all(j).empty());
  EXPECT_EQ(j.stats().pending_records, 0u);
  EXPECT_TRUE(files().empty()); // fully acked segments are deleted
  EXPECT_EQ(j.stats().appended, 4u);
}

TEST_F(Journal, ReopenContinuesTheSequence) {
  {
    auto j = open(options());
    for (auto p : {"a", "b", "c"})
      ASSERT_TRUE(j.append(p).ok());
    ASSERT_TRUE(j.ack(1).ok());
  }
  {
    auto j = open(options());
    EXPECT_EQ(replay_all(j), (records{{2, "b"}, {3, "c"}}));
    EXPECT_EQ(j.stats().next_seq, 4u);
    EXPECT_EQ(*j.append("d"), 4u);
    ASSERT_TRUE(j.ack(4).ok());
    EXPECT_TRUE(files().empty());
  }
  {
    // Everything was acked and deleted: the state file keeps the count.
    auto j = open(options());
    EXPECT_TRUE(replay_all(j).empty());
    EXPECT_EQ(*j.append("e"), 5u);
  }
  auto j = open(options());
  EXPECT_EQ(replay_all(j), (records{{5, "e"}}));
  EXPECT_EQ(j.stats().torn_records, 0u);
}

TEST_F(Journal, ATornLastRecordIsDroppedAtOpen) {
  {
    auto j = open(options());
    for (auto p : {"first", "second", "third"})
      ASSERT_TRUE(j.append(p).ok());
  }
  auto segs = files();
  ASSERT_EQ(segs.size(), 1u);
  auto path = dir_ + "/" + segs[0];
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  // A crash in the middle of writing "third": 3 of its bytes never made it.
  ASSERT_EQ(::truncate(path.c_str(), st.st_size - 3), 0);
  {
    auto j = open(options());
    EXPECT_EQ(j.stats().torn_records, 1u);
    EXPECT_EQ(j.stats().torn_bytes, 16u + 5 - 3);
    EXPECT_EQ(replay_all(j), (records{{1, "first"}, {2, "second"}}));
    EXPECT_EQ(*j.append("third again"), 3u);
  }
  // A half-written header, then garbage that fails its CRC.
  {
    std::ofstream f{path, std::ios::binary | std::ios::app};
    f.write("\x05\x00\x00", 3);
  }
  {
    auto j = open(options());
    EXPECT_EQ(j.stats().torn_records, 1u);
    EXPECT_EQ(j.stats().torn_bytes, 3u);
    EXPECT_EQ(replay_all(j).size(), 3u);
  }
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  {
    // Flip one payload byte of the last record.
    std::fstream f{path, std::ios::binary | std::ios::in | std::ios::out};
    f.seekp(st.st_size - 1);
    f.put('X');
  }
  auto j = open(options());
  EXPECT_EQ(j.stats().torn_records, 1u);
  EXPECT_EQ(replay_all(j), (records{{1, "first"}, {2, "second"}}));
}

TEST_F(Journal, RejectNewWhenFull) {
  // Segments of 64 bytes: header 16 + one record of 16 + 20 payload.
  auto j = open(options(3 * 52, 64));
  std::string payload(20, 'x');
  for (uint64_t i = 1; i <= 3; ++i)
    EXPECT_EQ(*j.append(payload), i);
  auto full = j.append(payload);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.err().code, errc::out_of_range);
  EXPECT_NE(full.err().context.find("journal full"), std::string::npos);
  EXPECT_EQ(j.stats().rejected_records, 1u);
  EXPECT_EQ(j.stats().rejected_bytes, 20u);
  EXPECT_EQ(j.stats().bytes, 3u * 52);
  EXPECT_EQ(j.stats().segments, 3u);
  // Acking makes room again.
  ASSERT_TRUE(j.ack(1).ok());
  EXPECT_EQ(*j.append(payload), 4u);
  EXPECT_EQ(replay_all(j).front().first, 2u);
  // Too big for any journal of this size.
  auto huge = j.append(std::string(200, 'y'));
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.err().code, errc::invalid_argument);
}

TEST_F(Journal, DropOldestWhenFull) {
  auto j = open(options(3 * 53, 64, full_policy::drop_oldest));
  std::string payload(20, 'x');
  for (uint64_t i = 1; i <= 10; ++i) {
    auto seq = j.append(payload + std::to_string(i % 10));
    ASSERT_TRUE(seq.ok()) << seq.err().message();
    EXPECT_EQ(*seq, i);
  }
  // 21-byte payloads: one record per segment, three segments fit.
  EXPECT_EQ(j.stats().dropped_records, 7u);
  EXPECT_EQ(j.stats().pending_records, 3u);
  EXPECT_EQ(j.stats().acked_seq, 7u);
  EXPECT_LE(j.stats().bytes, 3u * 53);
  auto got = replay_all(j);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].first, 8u);
  EXPECT_EQ(got[2].first, 10u);
  EXPECT_EQ(got[2].second, payload + "0");
  // Only pending records count as dropped.
  ASSERT_TRUE(j.ack(9).ok());
  ASSERT_TRUE(j.append(payload).ok());
  ASSERT_TRUE(j.append(payload).ok());
  EXPECT_EQ(j.stats().dropped_records, 7u);
  ASSERT_TRUE(j.append(payload).ok()); // drops record 10, pending
  EXPECT_EQ(j.stats().dropped_records, 8u);
}

TEST_F(Journal, SegmentsRollAndAckDeletesWholeSegments) {
  auto j = open(options(1 << 20, 100)); // 16 + 2 * (16 + 20) < 100
  std::string payload(20, 'z');
  for (int i = 0; i < 6; ++i)
    ASSERT_TRUE(j.append(payload).ok());
  EXPECT_EQ(files().size(), 3u);
  EXPECT_EQ(files()[0], "00000000000000000001.seg");
  EXPECT_EQ(files()[1], "00000000000000000003.seg");
  ASSERT_TRUE(j.ack(3).ok()); // segment 1-2 goes; 3-4 stays (4 pending)
  EXPECT_EQ(files().size(), 2u);
  EXPECT_EQ(j.stats().pending_records, 3u);
  EXPECT_EQ(replay_all(j).front().first, 4u);
  // A record bigger than a segment gets one of its own.
  ASSERT_TRUE(j.append(std::string(500, 'b')).ok());
  EXPECT_EQ(files().size(), 3u);
}

TEST_F(Journal, OptionsAreChecked) {
  auto o = options();
  o.dir.clear();
  EXPECT_EQ(disk_journal::open(o).err().code, errc::invalid_argument);
  o = options(100, 200);
  EXPECT_EQ(disk_journal::open(o).err().code, errc::invalid_argument);
  o = options(1 << 20, 8);
  EXPECT_EQ(disk_journal::open(o).err().code, errc::invalid_argument);
}

TEST_F(Journal, ASecondOpenOfTheSameDirectoryIsRefused) {
  auto j = open(options());
  auto second = disk_journal::open(options());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.err().code, errc::unavailable);
  EXPECT_NE(second.err().context.find("in use"), std::string::npos);
}

TEST_F(Journal, FsyncPoliciesWork) {
  for (auto policy : {fsync_policy::always, fsync_policy::interval}) {
    auto o = options(1 << 20, 128);
    o.sync = policy;
    {
      auto j = open(o);
      for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(j.append("record").ok());
      ASSERT_TRUE(j.sync().ok());
      ASSERT_TRUE(j.ack(j.stats().next_seq - 2).ok());
    }
    auto j = open(o);
    EXPECT_EQ(replay_all(j).size(), 1u);
    ASSERT_TRUE(j.ack(j.stats().next_seq - 1).ok());
  }
}
